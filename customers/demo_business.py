"""Demo data for business customers: "Customer XYZ" with contacts, a year of on-account orders
and payments (through the order services), a pending credit check, and a finance login.

The lead's demo calls `seed_business(report)` after the orders demo. Idempotent: the customer,
contacts and users are get_or_create; the year of orders is written only once. The finance
login is the customers demo's "Finance staff" (same email, password and group), printed there.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from customers.models import Address, CreditCheck, Customer, User
from customers.services.business import contact_create, credit_check_run

XYZ_EMAIL = "accounts@customer-xyz.example"
ADDRESS = {
    "first_name": "Accounts",
    "last_name": "Payable",
    "company": "Customer XYZ",
    "line1": "500 Commerce Way",
    "city": "Austin",
    "state": "TX",
    "postal_code": "78701",
    "country": "US",
}
PRODUCTS = [
    ("B2B-CANDLE-CASE", "Lavender Candle, case of 12", Decimal("180.00")),
    ("B2B-DIFFUSER-CASE", "Cedar Diffuser, case of 6", Decimal("150.00")),
    ("B2B-SPRAY-CASE", "Citrus Room Spray, case of 12", Decimal("96.00")),
]
# Days from order to payment, in turn: mostly within net 30, now and then late.
PAYMENT_DAYS = [21, 28, 35, 18, 30, 44, 25, 27]


def _finance_user() -> User:
    # The customers demo's finance login, made here too so that this demo also runs on its own.
    from customers.demo import STAFF, _passwords, _staff

    _, email, full_name, group_name = next(row for row in STAFF if row[3] == "Finance")
    user = _staff(email, full_name, _passwords()[1])
    user.groups.add(Group.objects.get_or_create(name=group_name)[0])
    return user


def _products():
    from orders.models import Product
    from orders.services_catalog import product_create

    products = []
    for sku, name, price in PRODUCTS:
        product = Product.objects.filter(sku=sku).first()
        if product is None:
            # Wholesale lines are sellable variants with stock, like everything in the catalog.
            product = product_create(
                name=name,
                variants=[{"sku": sku, "name": name, "price": price, "currency": "USD", "stock": 5000}],
            )
        products.append(product)
    return products


def _year_of_orders(customer: Customer) -> int:
    from orders.account_payments import order_account_payment_record
    from orders.services import order_create, order_ship, shipment_deliver

    products = _products()
    now = timezone.now()
    created = 0
    for n in range(24):  # two orders a month for a year, oldest first
        placed_at = now - timedelta(days=365 - n * 15 - 3)
        lines = [
            {"sku": products[n % 3].sku, "quantity": 2 + n % 3},
            {"sku": products[(n + 1) % 3].sku, "quantity": 1 + n % 2},
        ]
        order = order_create(
            customer=customer,
            items=lines,
            shipping_address_id=customer.addresses.get(is_default_shipping=True).public_id,
            on_account=True,
            placed_at=placed_at,
        )
        created += 1
        if now - placed_at > timedelta(days=10):
            shipment = order_ship(order=order, courier="UPS Freight", tracking_number=f"XYZ{order.number}")
            shipment_deliver(shipment=shipment)
        paid_at = placed_at + timedelta(days=PAYMENT_DAYS[n % len(PAYMENT_DAYS)])
        if paid_at < now - timedelta(days=1):
            order.refresh_from_db()
            order_account_payment_record(
                order=order, amount=order.credit_used, paid_at=paid_at, reference=f"WIRE-{n}"
            )
    return created


def seed_business(report) -> None:
    """Customer XYZ, its contacts and a year of on-account trade; a finance login to approve credit."""
    finance = _finance_user()
    customer, _ = Customer.objects.get_or_create(
        email=XYZ_EMAIL,
        defaults={
            "kind": Customer.Kind.BUSINESS,
            "company_name": "Customer XYZ",
            "website": "https://customer-xyz.example",
            "tax_id": "US-74-1234567",
            "phone_number": "+15125550100",
            "payment_terms": Customer.PaymentTerms.NET_30,
            "currency": "USD",
            "credit_limit": Decimal("10000.00"),
            "discount_rate": Decimal("5.00"),
            "preferred_shipping": "UPS Freight",
            "customer_since": (timezone.now() - timedelta(days=400)).date(),
        },
    )
    if not customer.addresses.exists():
        Address.objects.create(
            customer=customer, is_default_billing=True, is_default_shipping=True, **ADDRESS
        )
    if not customer.contacts.exists():
        contact_create(customer=customer, name="Dana Whitfield", title="Head of Purchasing",
                       email="dana@customer-xyz.example", phone="+15125550101", is_primary=True)  # fmt: skip
        contact_create(customer=customer, name="Luis Ortega", title="Accounts Payable",
                       email="ap@customer-xyz.example", phone="+15125550102")  # fmt: skip
    if not customer.orders.exists():
        created = _year_of_orders(customer)
        report.note(f"Customer XYZ: {created} on-account orders over the last year, most paid.")
    customer.refresh_from_db()
    if not CreditCheck.objects.filter(customer=customer).exists():
        check = credit_check_run(customer=customer, by=finance)
        report.note(
            f"Customer XYZ: credit check {check.public_id} ({check.get_status_display()}) is in "
            "/admin/customers/creditcheck/ for the finance login to approve or reject."
        )
