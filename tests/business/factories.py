"""Business customers with on-account orders made through the real order services."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group

from customers.models import Customer
from orders.account_payments import order_account_payment_record
from orders.models import Order, OrderItem, OrderStatus, Payment, PaymentMethod, PaymentStatus
from orders.services import order_create
from tests.factories import BusinessCustomerFactory, StaffUserFactory
from tests.orders.factories import ADDRESS


def business_customer(**kwargs) -> Customer:
    kwargs.setdefault("payment_terms", Customer.PaymentTerms.NET_30)
    kwargs.setdefault("credit_limit", Decimal("10000.00"))
    return BusinessCustomerFactory(**kwargs)


def account_order(customer, lines, *, placed_at: datetime) -> Order:
    """An on-account order of `[(product, quantity), ...]` without shipping costs."""
    return order_create(
        customer=customer,
        items=[{"sku": product.sku, "quantity": quantity} for product, quantity in lines],
        shipping_address=dict(ADDRESS),
        on_account=True,
        placed_at=placed_at,
    )


def pay(order: Order, *, at: datetime, amount: Decimal | None = None):
    return order_account_payment_record(order=order, amount=amount or order.credit_used, paid_at=at)


def finance_user(**kwargs):
    user = StaffUserFactory(**kwargs)
    user.groups.add(Group.objects.get(name="Finance"))
    return user


def bulk_orders(customer, product, count: int, *, start: datetime) -> None:
    """`count` settled on-account orders written with bulk_create (for query-count tests)."""
    orders = Order.objects.bulk_create(
        [
            Order(
                customer=customer,
                number=f"BULK-{customer.pk}-{n}",
                status=OrderStatus.PROCESSING,
                payment_status=PaymentStatus.PAID,
                payment_method=PaymentMethod.ON_ACCOUNT,
                subtotal=product.price,
                total=product.price,
                amount_paid=product.price,
                item_count=1,
                placed_at=start + timedelta(days=n % 360, hours=n % 24),
            )
            for n in range(count)
        ]
    )
    orders = list(Order.objects.filter(customer=customer, number__startswith="BULK-"))
    OrderItem.objects.bulk_create(
        [
            OrderItem(
                order=o, product=product, sku=product.sku, name=product.name,
                unit_price=product.price, quantity=1, total=product.price,
            )
            for o in orders
        ]
    )  # fmt: skip
    Payment.objects.bulk_create(
        [
            Payment(
                order=o, amount=o.total, method=PaymentMethod.BANK_TRANSFER, status="succeeded",
                created_at=o.placed_at + timedelta(days=20),
            )
            for o in orders
        ]
    )  # fmt: skip
