"""Every write on orders: ingest, shipping, delivery, cancellation and payment (retry).

Each transition locks the order row, re-checks the state and raises a domain error when it is not
allowed. Locks are taken in one order everywhere: customer (on-account credit), then order, then
its shipments. Emails go out through Celery after the commit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from config.errors import Conflict, InvalidTransition, ValidationFailed
from customers.models import Address, BankAccount, Customer
from customers.services.addresses import ADDRESS_FIELDS, address_normalize
from integrations import events
from loyalty.services import (
    loyalty_points_earn_for_order,
    loyalty_points_refund_for_order,
    loyalty_referral_complete,
)
from orders.models import (
    Order,
    OrderItem,
    OrderNumberCounter,
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Product,
    ProductVariant,
    Refund,
    RefundMode,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    ShippingStatus,
    TransactionStatus,
)
from orders.payments import get_payment_provider
from orders.services_catalog import stock_return_for_order, stock_take_for_order
from orders.services_events import order_event_record, order_events_erase, refund_event_record

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT)


def _notify(*, order: Order, kind: str) -> None:
    from orders.tasks import send_order_email

    order_id = order.pk
    transaction.on_commit(lambda: send_order_email.delay(order_id=order_id, kind=kind))


def _lock_order(order: Order) -> Order:
    order.refresh_from_db(from_queryset=Order.objects.select_for_update())
    return order


# --- order numbers ---------------------------------------------------------------------------


def order_number_next() -> str:
    """The next human order number (`MNKY-1001`), unique under concurrent callers.

    PostgreSQL draws from a sequence (no lock held until commit); elsewhere a counter row is
    incremented in the caller's transaction, which serialises writers.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('orders_order_number_seq')")
            value = cursor.fetchone()[0]
    else:
        with transaction.atomic():
            OrderNumberCounter.objects.get_or_create(name="order")
            OrderNumberCounter.objects.filter(name="order").update(last_value=F("last_value") + 1)
            value = OrderNumberCounter.objects.get(name="order").last_value
    return f"{settings.ORDER_NUMBER_PREFIX}-{value}"


# --- ingest ----------------------------------------------------------------------------------


def _address_snapshot(*, customer: Customer, field: str, data: dict | None, address_id: str | None) -> dict:
    if address_id:
        address = Address.objects.filter(public_id=address_id, customer=customer).first()
        if address is None:
            raise ValidationFailed.on(f"{field}_id", "No such address in this customer's address book.")
        data = {key: getattr(address, key) for key in ADDRESS_FIELDS}
        data["country"] = str(address.country)
        data["phone"] = str(address.phone or "")
        return data
    if not data:
        raise ValidationFailed.on(field, "An address object or an address id is required.")
    try:
        return address_normalize(data=data)
    except ValidationFailed as exc:
        raise ValidationFailed(f"{field}: {exc.message}", details={field: exc.details})


@dataclass(frozen=True)
class Catalog:
    """What SKUs sell: active variants (with their product) and active products without variants."""

    variants: dict[str, ProductVariant]
    products: dict[str, Product]


def catalog_for_skus(skus) -> Catalog:
    """The sellable items behind `skus`, in two queries (a bulk ingest loads them once for all)."""
    skus = {str(sku or "") for sku in skus}
    variants = {
        v.sku: v
        for v in ProductVariant.objects.select_related("product").filter(
            sku__in=skus, is_active=True, product__is_active=True
        )
    }
    products = {
        p.sku: p
        for p in Product.objects.filter(sku__in=skus - set(variants), is_active=True, variants__isnull=True)
    }
    return Catalog(variants=variants, products=products)


def _resolve_items(
    *, items: list[dict], currency: str, catalog: Catalog | None = None
) -> list[tuple[Product, ProductVariant | None, int, Decimal]]:
    """Each line's variant by SKU (a product without variants is sold by its own SKU, untracked)."""
    if not items:
        raise ValidationFailed.on("items", "An order needs at least one item.")
    if catalog is None:
        catalog = catalog_for_skus(item.get("sku") for item in items)
    variants, products = catalog.variants, catalog.products
    resolved, errors = [], {}
    for index, item in enumerate(items):
        sku = str(item.get("sku") or "")
        quantity = item.get("quantity")
        variant = variants.get(sku)
        product = variant.product if variant is not None else products.get(sku)
        if product is None:
            errors[f"items[{index}].sku"] = [f"Unknown or inactive SKU {sku!r}."]
            continue
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            errors[f"items[{index}].quantity"] = ["The quantity must be a positive whole number."]
            continue
        unit_price = item.get("unit_price")
        if unit_price is None:
            sellable = variant or product
            if sellable.currency != currency:
                errors[f"items[{index}].unit_price"] = [
                    f"{sku} is priced in {sellable.currency}; give a unit price in {currency}."
                ]
                continue
            unit_price = sellable.price
        unit_price = _money(unit_price)
        if unit_price < 0:
            errors[f"items[{index}].unit_price"] = ["The unit price cannot be negative."]
            continue
        resolved.append((product, variant, quantity, unit_price))
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], details=errors)
    return resolved


def _image_url(product: Product) -> str:
    return product.image.url if product.image else ""


@transaction.atomic
def order_create(
    *,
    customer: Customer,
    items: list[dict],
    currency: str | None = None,
    shipping_address: dict | None = None,
    billing_address: dict | None = None,
    shipping_address_id: str | None = None,
    billing_address_id: str | None = None,
    shipping_total: Decimal = ZERO,
    tax_total: Decimal = ZERO,
    discount_total: Decimal = ZERO,
    points_discount: Decimal = ZERO,
    subtotal: Decimal | None = None,
    total: Decimal | None = None,
    payment: dict | None = None,
    on_account: bool = False,
    number: str | None = None,
    placed_at: datetime | None = None,
    external_id: str | None = None,
    catalog: Catalog | None = None,
) -> Order:
    """Create an order from the storefront, an integration or checkout, validated end to end.

    Prices include tax: `total = subtotal - discount_total - points_discount + shipping_total`.
    An on-account order (business customers) counts its total against the credit limit under a
    row lock on the customer: over the limit is 409. An `external_id` names the order once
    (a partial unique constraint, caught at the insert): a second order with it is
    `ExternalIdExists` (409), and everything this call did is rolled back. `catalog` is the
    items' SKUs loaded beforehand (`catalog_for_skus`), by a caller creating many orders.
    """
    currency = (currency or customer.currency or settings.DEFAULT_CURRENCY).upper()
    lines = _resolve_items(items=items, currency=currency, catalog=catalog)
    shipping = _address_snapshot(
        customer=customer, field="shipping_address", data=shipping_address, address_id=shipping_address_id
    )
    if billing_address or billing_address_id:
        billing = _address_snapshot(
            customer=customer, field="billing_address", data=billing_address, address_id=billing_address_id
        )
    else:
        billing = dict(shipping)

    amounts = {
        "shipping_total": _money(shipping_total),
        "tax_total": _money(tax_total),
        "discount_total": _money(discount_total),
        "points_discount": _money(points_discount),
    }
    for field, value in amounts.items():
        if value < 0:
            raise ValidationFailed.on(field, "Must be zero or more.")
    computed_subtotal = sum((price * quantity for _, _, quantity, price in lines), ZERO)
    computed_total = (
        computed_subtotal - amounts["discount_total"] - amounts["points_discount"] + amounts["shipping_total"]
    )
    if subtotal is not None and _money(subtotal) != computed_subtotal:
        raise ValidationFailed.on("subtotal", f"The items add up to {computed_subtotal}.")
    if total is not None and _money(total) != computed_total:
        raise ValidationFailed.on(
            "total", f"subtotal - discount_total - points_discount + shipping_total is {computed_total}."
        )
    if computed_total < 0:
        raise ValidationFailed.on("discount_total", "Discounts cannot exceed the subtotal plus shipping.")
    if amounts["tax_total"] > computed_total:
        raise ValidationFailed.on("tax_total", "The tax cannot exceed the total it is part of.")

    order = Order(
        customer=customer,
        currency=currency,
        subtotal=computed_subtotal,
        total=computed_total,
        item_count=sum(quantity for _, _, quantity, _ in lines),
        primary_image_url=_image_url(lines[0][0]),
        billing_address=billing,
        shipping_address=shipping,
        placed_at=placed_at or timezone.now(),
        external_id=external_id or None,
        **amounts,
    )

    # Lock order everywhere: variants (by pk), then the customer (credit), then the order.
    wanted: dict[int, int] = defaultdict(int)
    for _, variant, quantity, _ in lines:
        if variant is not None:
            wanted[variant.pk] += quantity
    list(ProductVariant.objects.select_for_update().filter(pk__in=wanted).order_by("pk").values_list("pk"))

    reported = None
    if on_account:
        if payment:
            raise ValidationFailed.on("payment", "An on-account order takes no payment.")
        _credit_reserve(customer=customer, order=order)
    elif payment:
        reported = _apply_reported_payment(order=order, payment=payment)

    _save_with_number(order=order, number=number)
    OrderItem.objects.bulk_create(
        [
            OrderItem(
                order=order,
                product=product,
                variant=variant,
                sku=variant.sku if variant else product.sku,
                name=variant.display_name if variant else product.name,
                unit_price=price,
                quantity=quantity,
                total=price * quantity,
                image_url=_image_url(product),
            )
            for product, variant, quantity, price in lines
        ]
    )
    if wanted:
        stock_take_for_order(order=order, wanted=wanted)
    if reported is not None:
        reported.order = order
        reported.save()
    if order.status == OrderStatus.PAYMENT_FAILED:
        _notify(order=order, kind="payment_failed")
    # An order reported as already paid (or a replacement) is created and paid in one step.
    paid = (events.ORDER_PAID,) if order.status == OrderStatus.PAID else ()
    order_event_record(events.ORDER_CREATED, *paid, order=order)
    return order


def _credit_reserve(*, customer: Customer, order: Order) -> None:
    if customer.kind != Customer.Kind.BUSINESS:
        raise ValidationFailed.on("on_account", "Only business customers can order on account.")
    locked = Customer.objects.select_for_update(no_key=True).get(pk=customer.pk)
    available = locked.credit_limit - locked.current_balance
    if order.total > available:
        raise Conflict(
            f"The order total {order.total} exceeds the available credit {available}.",
            details={"on_account": [f"Available credit is {available} {locked.currency}."]},
        )
    Customer.objects.filter(pk=locked.pk).update(current_balance=F("current_balance") + order.total)
    customer.current_balance = locked.current_balance + order.total
    order.payment_method = PaymentMethod.ON_ACCOUNT
    order.payment_status = PaymentStatus.ON_ACCOUNT
    order.status = OrderStatus.PROCESSING
    order.credit_used = order.total


_REPORTED = {"succeeded": "succeeded", "paid": "succeeded", "pending": "pending", "failed": "failed"}


def _apply_reported_payment(*, order: Order, payment: dict) -> Payment:
    """A payment the storefront already took (or tried): recorded as it was reported."""
    method = payment.get("method") or PaymentMethod.CARD
    if method not in (PaymentMethod.CARD, PaymentMethod.BANK_TRANSFER, PaymentMethod.OTHER):
        raise ValidationFailed.on("payment.method", "One of card, bank_transfer, other.")
    status = _REPORTED.get(payment.get("status") or "pending")
    if status is None:
        raise ValidationFailed.on("payment.status", "One of succeeded (paid), pending, failed.")
    amount = _money(payment.get("amount") if payment.get("amount") is not None else order.total)
    if amount != order.total:
        raise ValidationFailed.on("payment.amount", f"The payment must cover the order total {order.total}.")
    order.payment_method = method
    if status == "succeeded":
        order.status, order.payment_status, order.amount_paid = OrderStatus.PAID, PaymentStatus.PAID, amount
    elif status == "failed":
        order.status, order.payment_status = OrderStatus.PAYMENT_FAILED, PaymentStatus.FAILED
    return Payment(
        amount=amount,
        method=method,
        status=status,
        failure_reason=str(payment.get("failure_reason") or "")[:255] if status == "failed" else "",
        provider_reference=str(payment.get("reference") or "")[:128],
    )


class ExternalIdExists(Conflict):
    """An order with this external id exists already (409); `number` names it."""

    def __init__(self, *, external_id: str, number: str):
        self.external_id, self.number = external_id, number
        super().__init__(
            f"Order {number} already has the external id {external_id!r}.",
            details={"external_id": [f"Already used by order {number}."]},
        )


def _external_id_check(external_id: str) -> None:
    number = Order.objects.filter(external_id=external_id).values_list("number", flat=True).first()
    if number is not None:
        raise ExternalIdExists(external_id=external_id, number=number)


def _save_with_number(*, order: Order, number: str | None) -> None:
    if number:
        if Order.objects.filter(number=number).exists():
            raise Conflict(f"Order {number} already exists.", details={"number": ["Already used."]})
        order.number = number
        try:
            with transaction.atomic():
                order.save()
        except IntegrityError:
            # a concurrent writer took the external id (or the number) first
            if order.external_id:
                _external_id_check(order.external_id)
            raise Conflict(f"Order {number} already exists.", details={"number": ["Already used."]})
        return
    # A generated number can only collide with one an integration chose itself: take the next one.
    for _ in range(20):
        order.number = order_number_next()
        if Order.objects.filter(number=order.number).exists():
            continue
        try:
            with transaction.atomic():
                order.save()
            return
        except IntegrityError:
            if order.external_id:
                _external_id_check(order.external_id)
            if not Order.objects.filter(number=order.number).exists():
                raise
    raise Conflict("Could not allocate an order number; try again.")


# --- payments --------------------------------------------------------------------------------


def _charge(*, order: Order, method: str, token: str) -> Payment:
    """One attempt through the configured provider for what is still due; updates the order."""
    amount = order.total - order.amount_paid
    result = get_payment_provider().charge(
        amount=amount, currency=order.currency, method=method, token=token, reference=order.public_id
    )
    payment = Payment.objects.create(
        order=order,
        amount=amount,
        method=method,
        status=result.status,
        failure_reason=result.failure_reason[:255],
        provider_reference=result.reference[:128],
    )
    order.payment_method = method
    if result.status == TransactionStatus.SUCCEEDED:
        order.amount_paid += amount
        order.status, order.payment_status = OrderStatus.PAID, PaymentStatus.PAID
    elif result.status == TransactionStatus.PENDING:
        order.status, order.payment_status = OrderStatus.PENDING_PAYMENT, PaymentStatus.PENDING
    else:
        order.status, order.payment_status = OrderStatus.PAYMENT_FAILED, PaymentStatus.FAILED
        _notify(order=order, kind="payment_failed")
    order.save(update_fields=["amount_paid", "status", "payment_status", "payment_method", "updated_at"])
    if result.status == TransactionStatus.SUCCEEDED:
        order_event_record(events.ORDER_PAID, order=order)
    return payment


@transaction.atomic
def order_charge(*, order: Order, method: str = PaymentMethod.CARD, payment_token: str = "") -> Order:
    """Charge a new (pending) order through the payment provider, as checkout does."""
    _lock_order(order)
    if order.status != OrderStatus.PENDING_PAYMENT or order.amount_paid:
        raise InvalidTransition(f"Order {order.number} is {order.status}; it cannot be charged.")
    _charge(order=order, method=method, token=payment_token)
    return order


@transaction.atomic
def order_retry_payment(*, order: Order, payment_token: str = "") -> Order:
    """A new payment attempt for an order whose payment failed; `paid` on success."""
    _lock_order(order)
    if not order.is_retry_available:
        raise InvalidTransition(f"Order {order.number} is {order.status}; there is no payment to retry.")
    method = order.payment_method if order.payment_method == PaymentMethod.BANK_TRANSFER else "card"
    _charge(order=order, method=method, token=payment_token)
    return order


# --- shipping and delivery -------------------------------------------------------------------


def _shipped_quantities(order: Order) -> tuple[dict[int, int], dict[int, int]]:
    shipped: dict[int, int] = defaultdict(int)
    delivered: dict[int, int] = defaultdict(int)
    rows = ShipmentItem.objects.filter(shipment__order=order).values(
        "order_item_id", "shipment__status", "quantity"
    )
    for row in rows:
        shipped[row["order_item_id"]] += row["quantity"]
        if row["shipment__status"] == ShipmentStatus.DELIVERED:
            delivered[row["order_item_id"]] += row["quantity"]
    return shipped, delivered


def _shipping_status(order: Order) -> str:
    ordered = dict(order.items.values_list("id", "quantity"))
    shipped, delivered = _shipped_quantities(order)
    if all(delivered[i] >= q for i, q in ordered.items()):
        return ShippingStatus.DELIVERED
    if any(delivered.values()):
        return ShippingStatus.PARTIALLY_DELIVERED
    if all(shipped[i] >= q for i, q in ordered.items()):
        return ShippingStatus.SHIPPED
    return ShippingStatus.PARTIALLY_SHIPPED if any(shipped.values()) else ShippingStatus.UNSHIPPED


@transaction.atomic
def order_ship(
    *, order: Order, courier: str, tracking_number: str, items: list[dict] | None = None
) -> Shipment:
    """Ship some or all of what is not shipped yet (default everything); the order becomes `shipped`."""
    if not (courier or "").strip():
        raise ValidationFailed.on("courier", "The courier is required.")
    if not (tracking_number or "").strip():
        raise ValidationFailed.on("tracking_number", "The tracking number is required.")
    _lock_order(order)
    if order.status not in (OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.SHIPPED):
        raise InvalidTransition(f"Order {order.number} is {order.status}; it cannot be shipped.")
    order_items = {item.public_id: item for item in order.items.all()}
    shipped, _ = _shipped_quantities(order)
    remaining = {item.pk: item.quantity - shipped[item.pk] for item in order_items.values()}
    if items:
        wanted: dict[int, int] = defaultdict(int)
        for index, line in enumerate(items):
            item = order_items.get(line.get("item_id"))
            if item is None:
                raise ValidationFailed.on(f"items[{index}].item_id", "No such item on this order.")
            quantity = line.get("quantity") or remaining[item.pk]
            if not isinstance(quantity, int) or quantity < 1:
                raise ValidationFailed.on(f"items[{index}].quantity", "Must be a positive whole number.")
            wanted[item.pk] += quantity
            if wanted[item.pk] > remaining[item.pk]:
                raise ValidationFailed.on(
                    f"items[{index}].quantity", f"Only {remaining[item.pk]} of {item.sku} are left to ship."
                )
    else:
        wanted = {pk: quantity for pk, quantity in remaining.items() if quantity > 0}
    if not wanted:
        raise Conflict(f"Everything on order {order.number} has been shipped.")
    shipment = Shipment.objects.create(
        order=order,
        courier=courier.strip(),
        tracking_number=tracking_number.strip(),
        shipped_at=timezone.now(),
    )
    ShipmentItem.objects.bulk_create(
        [ShipmentItem(shipment=shipment, order_item_id=pk, quantity=q) for pk, q in wanted.items()]
    )
    order.status = OrderStatus.SHIPPED
    order.shipping_status = _shipping_status(order)
    order.save(update_fields=["status", "shipping_status", "updated_at"])
    # One per shipment: `shipping_status` tells a partial shipment from the last one.
    order_event_record(events.ORDER_SHIPPED, order=order)
    _notify(order=order, kind="shipped")
    return shipment


@transaction.atomic
def shipment_deliver(*, shipment: Shipment) -> Shipment:
    """Mark a shipment delivered; when everything is delivered the order is `delivered`."""
    order = _lock_order(shipment.order)
    shipment.refresh_from_db(from_queryset=Shipment.objects.select_for_update())
    if shipment.status == ShipmentStatus.DELIVERED:
        raise InvalidTransition(f"Shipment {shipment.public_id} is already delivered.")
    now = timezone.now()
    shipment.status, shipment.delivered_at = ShipmentStatus.DELIVERED, now
    shipment.save(update_fields=["status", "delivered_at"])
    order.shipping_status = _shipping_status(order)
    update = ["shipping_status", "updated_at"]
    if order.shipping_status == ShippingStatus.DELIVERED and order.status == OrderStatus.SHIPPED:
        order.status, order.delivered_at = OrderStatus.DELIVERED, now
        update += ["status", "delivered_at"]
        order.save(update_fields=update)
        _order_delivered(order=order)
    else:
        order.save(update_fields=update)
    return shipment


def _order_delivered(*, order: Order) -> None:
    """Everything an order's delivery sets off, inside the delivery's transaction.

    The one place where loyalty earning is called (`loyalty.services` posts the earn entry with an
    idempotency key per order, so it happens once), and where the delivered email is queued.
    An on-account order earns on what it put on account, like a paid one.
    """
    order_event_record(events.ORDER_DELIVERED, order=order)
    earned_on = max(order.amount_paid + order.credit_used - order.amount_refunded, ZERO)
    loyalty_points_earn_for_order(
        customer=order.customer,
        order_number=order.number,
        paid_total=earned_on,
        delivered_at=order.delivered_at,
        return_window_days=settings.ORDER_RETURN_WINDOW_DAYS,
    )
    loyalty_referral_complete(referee=order.customer, order_number=order.number)
    _notify(order=order, kind="delivered")


def orders_complete_after_return_window(*, now: datetime | None = None) -> int:
    """Delivered orders whose return window has closed become `completed`; returns how many.

    One conditional UPDATE: a row that changed state meanwhile no longer matches the filter.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.ORDER_RETURN_WINDOW_DAYS)
    return Order.objects.filter(status=OrderStatus.DELIVERED, delivered_at__lt=cutoff).update(
        status=OrderStatus.COMPLETED, updated_at=timezone.now()
    )


# --- cancellation ----------------------------------------------------------------------------


@transaction.atomic
def order_cancel(
    *,
    order: Order,
    reason: str,
    refund_mode: str = RefundMode.ORIGINAL_PAYMENT_MODE,
    bank_account_id: str | None = None,
    feedback: str = "",
    by=None,
) -> Order:
    """Cancel before shipment: refund what was paid and release on-account credit."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("cancellation_reason", "A reason is required.")
    refund_mode = refund_mode or RefundMode.ORIGINAL_PAYMENT_MODE
    if refund_mode not in RefundMode.values:
        raise ValidationFailed.on("refund_mode", "One of original_payment_mode, bank_transfer.")
    bank_account = None
    if refund_mode == RefundMode.BANK_TRANSFER:
        if not bank_account_id:
            raise ValidationFailed.on("bank_account_id", "A saved bank account is required for a transfer.")
        bank_account = BankAccount.objects.filter(
            public_id=bank_account_id, customer_id=order.customer_id
        ).first()
        if bank_account is None:
            raise ValidationFailed.on("bank_account_id", "No such bank account of this customer.")

    # Lock order: customer (credit) first, then the order. FOR NO KEY UPDATE: a concurrent return
    # request, which holds the order and inserts a row referencing the customer (a KEY SHARE lock),
    # must not wait on this lock while we wait on its order (a deadlock found by test_races).
    customer = Customer.objects.select_for_update(no_key=True).get(pk=order.customer_id)
    _lock_order(order)
    if not order.is_cancellation_allowed:
        raise InvalidTransition(
            f"Order {order.number} is {order.status} ({order.shipping_status}); "
            "only orders that have not shipped can be cancelled."
        )
    refundable = order.amount_refundable
    if refundable > 0:
        _refund(order=order, amount=refundable, mode=refund_mode, bank_account=bank_account, reason=reason)
    if order.credit_used > 0:
        # A balance movement, not a profile change: a plain update (no audit-history row).
        customer.current_balance = max(customer.current_balance - order.credit_used, ZERO)
        Customer.objects.filter(pk=customer.pk).update(current_balance=customer.current_balance)
        order.credit_used = ZERO
    order.status = OrderStatus.CANCELLED
    order.cancelled_at = timezone.now()
    order.cancellation_reason = reason
    order.cancellation_feedback = (feedback or "").strip()
    order.cancellation_refund_mode = refund_mode
    order.cancelled_by = by if getattr(by, "pk", None) else None
    order.save()
    stock_return_for_order(order=order, by=order.cancelled_by)
    loyalty_points_refund_for_order(
        customer=customer, order_number=order.number, reason=f"Order {order.number} cancelled"
    )
    order_event_record(events.ORDER_CANCELLED, order=order)
    _notify(order=order, kind="cancelled")
    return order


def _refund(
    *, order: Order, amount: Decimal, mode: str, bank_account: BankAccount | None, reason: str
) -> Refund:
    payment = order.payments.filter(status=TransactionStatus.SUCCEEDED).order_by("-created_at", "-id").first()
    result = get_payment_provider().refund(
        amount=amount,
        currency=order.currency,
        mode=mode,
        payment_reference=payment.provider_reference if payment else "",
        reference=f"{order.public_id}:{order.amount_refunded}",
    )
    if result.status == TransactionStatus.FAILED:
        raise Conflict(f"The refund could not be made: {result.failure_reason or 'declined'}.")
    refund = Refund.objects.create(
        order=order,
        payment=payment,
        amount=amount,
        mode=mode,
        status=result.status,
        reason=reason,
        bank_account=bank_account,
        provider_reference=result.reference[:128],
    )
    order.amount_refunded += amount
    order.payment_status = (
        PaymentStatus.REFUNDED
        if order.amount_refunded >= order.amount_paid
        else PaymentStatus.PARTIALLY_REFUNDED
    )
    refund_event_record(refund=refund, order=order)
    return refund


# --- GDPR ------------------------------------------------------------------------------------


def orders_erase_personal_data(customer: Customer) -> None:
    """Scrub the address snapshots and free-text feedback on a customer's orders (amounts stay)."""
    Order.objects.filter(customer=customer).update(
        billing_address={}, shipping_address={}, cancellation_feedback=""
    )
    order_events_erase(customer_public_id=customer.public_id)
