"""The catalog and orders."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower, Upper
from django.utils import timezone

from config.fields import MoneyField, PublicIdField


class Product(models.Model):
    """A sellable product of the catalog."""

    public_id = PublicIdField(prefix="prod")
    sku = models.CharField("SKU", max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    price = MoneyField()
    currency = models.CharField(max_length=3, default="USD")
    image = models.ImageField(upload_to="products/", blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=Decimal("0")), name="orders_product_price_gte_0"),
        ]
        indexes = [
            models.Index(fields=["is_active", "name"], name="orders_product_active_name"),
            models.Index(Lower("name"), name="orders_product_name_ci"),
        ]

    def __str__(self):
        return f"{self.name} ({self.sku})"


class OrderNumberCounter(models.Model):
    """The last order number handed out; locked row by row on databases without sequences."""

    name = models.CharField(max_length=32, primary_key=True)
    last_value = models.PositiveBigIntegerField(default=1000)

    def __str__(self):
        return f"{self.name}: {self.last_value}"


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", "Pending payment"
    PAYMENT_FAILED = "payment_failed", "Payment failed"
    PAID = "paid", "Paid"
    PROCESSING = "processing", "Processing"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PAID = "paid", "Paid"
    FAILED = "failed", "Failed"
    ON_ACCOUNT = "on_account", "On account"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"


class ShippingStatus(models.TextChoices):
    UNSHIPPED = "unshipped", "Unshipped"
    PARTIALLY_SHIPPED = "partially_shipped", "Partially shipped"
    SHIPPED = "shipped", "Shipped"
    PARTIALLY_DELIVERED = "partially_delivered", "Partially delivered"
    DELIVERED = "delivered", "Delivered"


class PaymentMethod(models.TextChoices):
    CARD = "card", "Card"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    ON_ACCOUNT = "on_account", "On account"
    OTHER = "other", "Other"


class RefundMode(models.TextChoices):
    ORIGINAL_PAYMENT_MODE = "original_payment_mode", "Original payment mode"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"


# Before shipment an order can be cancelled; a failed payment can be retried.
CANCELLABLE_STATUSES = (
    OrderStatus.PENDING_PAYMENT,
    OrderStatus.PAYMENT_FAILED,
    OrderStatus.PAID,
    OrderStatus.PROCESSING,
)
SHIPPABLE_STATUSES = (OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.SHIPPED)
RETURNABLE_STATUSES = (OrderStatus.DELIVERED, OrderStatus.COMPLETED, OrderStatus.PARTIALLY_REFUNDED)


class Order(models.Model):
    """A customer's order: amounts, address snapshots and its status machine."""

    public_id = PublicIdField(prefix="order")
    number = models.CharField(max_length=32, unique=True)
    external_id = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        help_text="The integration's own id of the order (bulk ingest is idempotent per external id).",
    )
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=24, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT)
    payment_status = models.CharField(
        max_length=24, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    shipping_status = models.CharField(
        max_length=24, choices=ShippingStatus.choices, default=ShippingStatus.UNSHIPPED
    )
    payment_method = models.CharField(
        max_length=16, choices=PaymentMethod.choices, default=PaymentMethod.CARD
    )
    currency = models.CharField(max_length=3, default="USD")
    subtotal = MoneyField()
    discount_total = MoneyField(default=Decimal("0.00"))
    points_discount = MoneyField(default=Decimal("0.00"))
    shipping_total = MoneyField(default=Decimal("0.00"))
    tax_total = MoneyField(default=Decimal("0.00"), help_text="The tax the total contains.")
    total = MoneyField()
    amount_paid = MoneyField(default=Decimal("0.00"), help_text="Captured by successful payments.")
    amount_refunded = MoneyField(default=Decimal("0.00"))
    credit_used = MoneyField(
        default=Decimal("0.00"), help_text="What this on-account order counts against the credit limit."
    )
    item_count = models.PositiveIntegerField(default=0)
    primary_image_url = models.CharField(max_length=500, blank=True)
    billing_address = models.JSONField(default=dict, blank=True)
    shipping_address = models.JSONField(default=dict, blank=True)
    placed_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    cancellation_feedback = models.TextField(blank=True)
    cancellation_refund_mode = models.CharField(max_length=24, choices=RefundMode.choices, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subtotal__gte=0)
                & Q(discount_total__gte=0)
                & Q(points_discount__gte=0)
                & Q(shipping_total__gte=0)
                & Q(tax_total__gte=0)
                & Q(total__gte=0),
                name="orders_order_amounts_gte_0",
            ),
            # Within half a cent: exact on PostgreSQL's numeric; SQLite compares these as floats,
            # where 76.00 - 7.60 - 5.00 + 4.95 is not exactly 68.35.
            models.CheckConstraint(
                condition=Q(
                    total__gt=F("subtotal")
                    - F("discount_total")
                    - F("points_discount")
                    + F("shipping_total")
                    - Decimal("0.005"),
                    total__lt=F("subtotal")
                    - F("discount_total")
                    - F("points_discount")
                    + F("shipping_total")
                    + Decimal("0.005"),
                ),
                name="orders_order_total_consistent",
            ),
            models.CheckConstraint(condition=Q(tax_total__lte=F("total")), name="orders_order_tax_lte_total"),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0) & Q(amount_refunded__gte=0) & Q(credit_used__gte=0),
                name="orders_order_payment_amounts_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded__lte=F("amount_paid")), name="orders_order_refund_lte_paid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="orders_order_status_valid"
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=Q(external_id__isnull=False),
                name="orders_order_external_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-placed_at"], name="orders_order_cust_placed"),
            models.Index(fields=["customer", "-total"], name="orders_order_cust_total"),
            models.Index(fields=["customer", "status", "-placed_at"], name="orders_order_cust_status"),
            models.Index(fields=["-placed_at"], name="orders_order_placed"),
            models.Index(fields=["status", "-placed_at"], name="orders_order_status_placed"),
            models.Index(fields=["-total"], name="orders_order_total"),
            models.Index(fields=["payment_status", "-placed_at"], name="orders_order_paystatus_placed"),
            models.Index(fields=["shipping_status", "-placed_at"], name="orders_order_shipstatus_placed"),
            # `number__iexact` (API and admin search) compares UPPER(number) on PostgreSQL.
            models.Index(Upper("number"), name="orders_order_number_ci"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_cancellation_allowed(self) -> bool:
        return self.status in CANCELLABLE_STATUSES and self.shipping_status == ShippingStatus.UNSHIPPED

    @property
    def is_retry_available(self) -> bool:
        return self.status == OrderStatus.PAYMENT_FAILED

    @property
    def is_return_allowed(self) -> bool:
        if self.status not in RETURNABLE_STATUSES or self.delivered_at is None:
            return False
        window = timedelta(days=settings.ORDER_RETURN_WINDOW_DAYS)
        if timezone.now() > self.delivered_at + window:
            return False
        from orders.selectors_returns import order_returnable_quantities

        return any(order_returnable_quantities(order=self).values())

    @property
    def amount_due(self) -> Decimal:
        if self.status in (OrderStatus.CANCELLED, OrderStatus.REFUNDED) or self.payment_method == (
            PaymentMethod.ON_ACCOUNT
        ):
            return Decimal("0.00")
        return max(self.total - self.amount_paid, Decimal("0.00"))

    @property
    def amount_refundable(self) -> Decimal:
        return self.amount_paid - self.amount_refunded


class OrderItem(models.Model):
    """A line of an order with snapshots of what was sold at which price."""

    public_id = PublicIdField(prefix="item")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_items")
    sku = models.CharField("SKU", max_length=64)
    name = models.CharField(max_length=200)
    unit_price = MoneyField()
    quantity = models.PositiveIntegerField()
    total = MoneyField()
    image_url = models.CharField(max_length=500, blank=True)
    variant = models.ForeignKey(
        "orders.ProductVariant", on_delete=models.PROTECT, null=True, blank=True, related_name="order_items"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_orderitem_quantity_gt_0"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="orders_orderitem_unit_price_gte_0"),
            models.CheckConstraint(
                condition=Q(total=F("unit_price") * F("quantity")), name="orders_orderitem_total_consistent"
            ),
        ]
        indexes = [models.Index(fields=["product", "order"], name="orders_item_product")]

    def __str__(self):
        return f"{self.quantity} × {self.sku}"


class ShipmentStatus(models.TextChoices):
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"


class Shipment(models.Model):
    """A parcel: some or all of an order's items, with a courier and tracking number."""

    public_id = PublicIdField(prefix="ship")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    status = models.CharField(max_length=16, choices=ShipmentStatus.choices, default=ShipmentStatus.SHIPPED)
    courier = models.CharField(max_length=64)
    tracking_number = models.CharField(max_length=128)
    shipped_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["shipped_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ShipmentStatus.SHIPPED, delivered_at__isnull=True)
                | Q(status=ShipmentStatus.DELIVERED, delivered_at__isnull=False),
                name="orders_shipment_delivered_at_matches_status",
            ),
        ]
        indexes = [models.Index(fields=["order", "shipped_at"], name="orders_shipment_order")]

    def __str__(self):
        return f"{self.courier} {self.tracking_number}"


class ShipmentItem(models.Model):
    """How many of one order item a shipment carries."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="items")
    order_item = models.ForeignKey(OrderItem, on_delete=models.CASCADE, related_name="shipment_items")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_shipmentitem_quantity_gt_0"),
            models.UniqueConstraint(fields=["shipment", "order_item"], name="orders_shipmentitem_unique"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.order_item_id}"


class TransactionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Payment(models.Model):
    """One payment attempt through the payment provider (or reported by the storefront)."""

    public_id = PublicIdField(prefix="pay")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    amount = MoneyField()
    method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    status = models.CharField(max_length=16, choices=TransactionStatus.choices)
    failure_reason = models.CharField(max_length=255, blank=True)
    provider_reference = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="orders_payment_amount_gte_0"),
        ]
        indexes = [models.Index(fields=["order", "created_at"], name="orders_payment_order")]

    def __str__(self):
        return f"{self.method} {self.amount} ({self.status})"


class Refund(models.Model):
    """Money given back: to the original payment, or by bank transfer to a saved account."""

    public_id = PublicIdField(prefix="refund")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    payment = models.ForeignKey(Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    amount = MoneyField()
    mode = models.CharField(max_length=24, choices=RefundMode.choices)
    status = models.CharField(max_length=16, choices=TransactionStatus.choices)
    reason = models.TextField(blank=True)
    bank_account = models.ForeignKey(
        "customers.BankAccount", on_delete=models.SET_NULL, null=True, blank=True, related_name="refunds"
    )
    provider_reference = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="orders_refund_amount_gt_0"),
        ]
        indexes = [models.Index(fields=["order", "created_at"], name="orders_refund_order")]

    def __str__(self):
        return f"{self.amount} by {self.mode} ({self.status})"


from orders.models_cart import *  # noqa: E402, F403 - the customer's cart
from orders.models_catalog import *  # noqa: E402, F403 - variants, images, stock movements, discount codes
from orders.models_returns import Return, ReturnEvent, ReturnItem  # noqa: E402, F401
