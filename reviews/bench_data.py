"""Benchmark data at scale (`manage.py bench_data`): a shop with N customers and M orders.

It lives in `reviews`, the top of the dependency graph, because it writes rows of every app.
Rows go through the real tables (constraints and indexes intact) with PostgreSQL's `COPY`
(psycopg 3's `cursor.copy`), in the shape the services would have written them: order totals
equal their items, ledger balances equal their ledger (`manage.py check_ledger` passes), one
primary contact per business, one default address of each kind. Primary keys are allocated here
and the identity sequences moved past them at the end. Deterministic for a given `--seed`.
"""

from __future__ import annotations

import hashlib
import json
import random
import string
import time
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models
from django.utils import timezone

from customers.models import Address, Contact, CreditCheck, Customer, User
from loyalty.models import LedgerEntry, LoyaltyAccount, OrderEarning
from orders.models import (
    Order,
    OrderItem,
    Payment,
    Product,
    ProductVariant,
    Refund,
    Return,
    ReturnEvent,
    ReturnItem,
    Shipment,
    ShipmentItem,
)
from reviews.models import Review
from scents.models import Blend, BlendComponent, Note, ProductNote, ProfileNote, ScentProfile

HEAVY_EMAIL = "bench-heavy@example.com"
STAFF_EMAIL = "bench-staff@example.com"
BENCH_PASSWORD = "Bench-password-1"  # noqa: S105 - throwaway benchmark accounts on a throwaway database
CENT = Decimal("0.01")
_ALPHABET = string.ascii_letters + string.digits
# Customers that the benchmark's write phases use; they get points to redeem.
REDEEMERS = 64

# (status, payment_status, shipping_status, weight)
STATUSES = [
    ("completed", "paid", "delivered", 40),
    ("delivered", "paid", "delivered", 15),
    ("shipped", "paid", "shipped", 10),
    ("processing", "paid", "unshipped", 6),
    ("paid", "paid", "unshipped", 6),
    ("pending_payment", "pending", "unshipped", 6),
    ("payment_failed", "failed", "unshipped", 4),
    ("cancelled", "refunded", "unshipped", 5),
    ("refunded", "refunded", "delivered", 4),
    ("partially_refunded", "partially_refunded", "delivered", 4),
]
_STATUS_CHOICES = [s[:3] for s in STATUSES]
_STATUS_WEIGHTS = [s[3] for s in STATUSES]
DELIVERED = {"completed", "delivered", "refunded", "partially_refunded"}
PAID = {"completed", "delivered", "shipped", "processing", "paid", "refunded", "partially_refunded"}
FIRST = ["Ava", "Liam", "Mia", "Noah", "Zoe", "Omar", "Ines", "Kai", "Lena", "Ravi", "Sofia", "Tom", "Yara"]
LAST = ["Smith", "Garcia", "Khan", "Müller", "Rossi", "Nguyen", "Okafor", "Silva", "Kowalski", "Ito"]
CITIES = [
    ("Berlin", "DE", "10115", ""),
    ("Austin", "US", "73301", "TX"),
    ("Lyon", "FR", "69001", ""),
    ("Leeds", "GB", "LS1 4AP", ""),
]


class DatabaseNotEmpty(Exception):
    pass


class Copier:
    """COPY rows into a model's table; fills every column the caller leaves out with its default."""

    def __init__(self, rng: random.Random, now):
        self.rng = rng
        self.now = now
        self.counts: dict[str, int] = {}
        self.next_ids: dict[type, int] = {}

    def public_id(self, prefix: str) -> str:
        return f"{prefix}_" + "".join(self.rng.choices(_ALPHABET, k=20))

    def reserve(self, model, n: int) -> int:
        """First of n fresh primary keys for model."""
        if model not in self.next_ids:
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608 - a model's table
                self.next_ids[model] = cursor.fetchone()[0]
        first = self.next_ids[model]
        self.next_ids[model] += n
        return first

    def columns(self, model, given: list[str]):
        fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in given)]
        defaults = {}
        for f in fields:
            if f.attname in given:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                defaults[f.attname] = self.now
            elif f.has_default():
                value = f.get_default()
                defaults[f.attname] = json.dumps(value) if isinstance(f, models.JSONField) else value
            elif f.null:
                defaults[f.attname] = None
            elif isinstance(f, models.CharField | models.TextField | models.FileField):
                defaults[f.attname] = ""
            else:
                raise ValueError(f"{model.__name__}.{f.attname} needs a value")
        return fields, defaults

    def copy(self, model, given: list[str], rows) -> int:
        """rows: iterables of values in the order of `given`."""
        fields, defaults = self.columns(model, given)
        order = [f.attname for f in fields]
        index = {name: i for i, name in enumerate(given)}
        plan = [(index[name], None) if name in index else (None, defaults[name]) for name in order]
        cols = ", ".join(f'"{f.column}"' for f in fields)
        n = 0
        raw = connection.connection
        with raw.cursor() as cursor, cursor.copy(f'COPY "{model._meta.db_table}" ({cols}) FROM STDIN') as cp:
            for row in rows:
                cp.write_row([row[i] if i is not None else d for i, d in plan])
                n += 1
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + n
        return n

    def reset_sequences(self):
        with connection.cursor() as cursor:
            for model in self.next_ids:
                table = model._meta.db_table
                cursor.execute(f'SELECT MAX(id) FROM "{table}"')  # noqa: S608 - a model's own table
                top = cursor.fetchone()[0] or 1
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [f'"{table}"', top])


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# The big tables' secondary indexes (Meta.indexes) are built once after the load instead of
# row by row during it; unique constraints and foreign keys stay in place throughout.
DEFERRED_INDEX_MODELS = (Order, OrderItem, Payment, Shipment, LedgerEntry, OrderEarning)


def drop_indexes(models_) -> list:
    dropped = []
    with connection.schema_editor(atomic=False) as editor:
        for model in models_:
            for index in model._meta.indexes:
                editor.remove_index(model, index)
                dropped.append((model, index))
    return dropped


def restore_indexes(dropped: list):
    if not dropped:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        if connection.in_atomic_block:
            # Inside a transaction (tests), the deferred foreign-key checks must run before CREATE INDEX.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor(atomic=False) as editor:
        while dropped:
            model, index = dropped.pop()
            editor.add_index(model, index)


def generate(**kwargs) -> dict:
    """Load the shop; on a database without orders the big tables' indexes are built after the load
    (and rebuilt whatever happens)."""
    dropped: list = []
    try:
        return _generate(**kwargs, dropped=dropped)
    finally:
        restore_indexes(dropped)


def _generate(*, customers: int, orders: int, seed: int, append: bool, log, dropped: list) -> dict:
    if connection.vendor != "postgresql":
        raise RuntimeError("bench_data needs PostgreSQL (it loads with COPY).")
    if Order.objects.exists() and not append:
        raise DatabaseNotEmpty("This database already holds orders; pass --append to add more.")
    started = time.monotonic()
    rng = random.Random(seed)
    now = timezone.now()
    cp = Copier(rng, now)
    timings = {}

    def step(name, t0):
        timings[name] = round(time.monotonic() - t0, 2)
        log(f"  {name}: {timings[name]} s")

    tag = f"s{seed}-{int(now.timestamp())}" if append else f"s{seed}"

    # --- catalogue (small; the ORM) -------------------------------------------------------------
    t0 = time.monotonic()
    notes = list(Note.objects.order_by("id"))
    products = list(Product.objects.filter(sku__startswith="BENCH-").order_by("id"))
    if not products:
        for i in range(200):
            price = money(rng.choice([12, 18, 24, 29, 34, 42, 55, 68]) + rng.choice([0, 0.5, 0.95]))
            products.append(
                Product(
                    public_id=cp.public_id("prod"),
                    sku=f"BENCH-{i:04d}",
                    name=f"{rng.choice(['Amber', 'Cedar', 'Fig', 'Neroli', 'Vetiver', 'Oud', 'Rose'])} "
                    f"{rng.choice(['Candle', 'Diffuser', 'Room spray', 'Perfume oil'])} {i}",
                    description="A benchmark product.",
                    price=price,
                )
            )
        products = Product.objects.bulk_create(products, batch_size=500)
        ProductVariant.objects.bulk_create(
            [
                ProductVariant(
                    public_id=cp.public_id("var"),
                    product=p,
                    sku=p.sku,
                    name="Standard",
                    price=p.price,
                    stock=10_000_000,
                )
                for p in products
            ]
        )
        if notes:
            ProductNote.objects.bulk_create(
                [ProductNote(product=p, note=n) for p in products for n in rng.sample(notes, 3)],
                ignore_conflicts=True,
            )
    variants = {v.product_id: v.id for v in ProductVariant.objects.filter(product__in=products)}
    step("catalogue", t0)

    # --- users, customers, accounts, addresses ----------------------------------------------------
    t0 = time.monotonic()
    password = make_password(BENCH_PASSWORD)
    if not User.objects.filter(email=STAFF_EMAIL).exists():
        User.objects.create_superuser(email=STAFF_EMAIL, password=BENCH_PASSWORD)
    heavy_exists = Customer.objects.filter(email=HEAVY_EMAIL).exists()
    user0 = cp.reserve(User, customers)
    cust0 = cp.reserve(Customer, customers)
    business_every = 50  # 2% business accounts
    cust_ids = list(range(cust0, cust0 + customers))
    emails = []
    kinds = []
    for i in range(customers):
        if i == 0 and not heavy_exists:
            emails.append(HEAVY_EMAIL)
        else:
            emails.append(f"bench-{tag}-{i}@example.com")
        kinds.append("business" if i % business_every == business_every - 1 else "individual")
    since = now - timedelta(days=3 * 365)

    cp.copy(
        User,
        ["id", "email", "password", "full_name", "date_joined"],
        ((user0 + i, emails[i], password, "", since) for i in range(customers)),
    )
    names = [(rng.choice(FIRST), rng.choice(LAST)) for _ in range(customers)]

    def customer_rows():
        for i in range(customers):
            first, last = names[i]
            business = kinds[i] == "business"
            yield (
                cust_ids[i],
                cp.public_id("cust"),
                user0 + i,
                kinds[i],
                emails[i],
                first,
                last,
                f"+4915{rng.randrange(10**8, 10**9)}",
                f"{last} Trading {i}" if business else "",
                money(rng.choice([5000, 10000, 25000])) if business else Decimal("0.00"),
                "net_30" if business else "due_on_receipt",
                (since + timedelta(days=i % 900)).date(),
                since + timedelta(seconds=i),
            )

    cp.copy(
        Customer,
        [
            "id",
            "public_id",
            "user_id",
            "kind",
            "email",
            "first_name",
            "last_name",
            "phone_number",
            "company_name",
            "credit_limit",
            "payment_terms",
            "customer_since",
            "created_at",
        ],
        customer_rows(),
    )
    step("customers", t0)

    t0 = time.monotonic()
    address_rows = []
    addr_snapshot = {}
    for i, cid in enumerate(cust_ids):
        first, last = names[i]
        for k in range(1 + i % 3):
            city, country, postal, state = CITIES[(i + k) % len(CITIES)]
            line1 = f"{k + 1 + i % 200} Bench Street"
            fp = hashlib.sha256(f"{cid}:{k}:{line1}".encode()).hexdigest()
            address_rows.append(
                (
                    cp.public_id("addr"),
                    cid,
                    "Home" if k == 0 else f"Other {k}",
                    first,
                    last,
                    line1,
                    city,
                    state,
                    postal,
                    country,
                    k == 0,
                    k == 0,
                    fp,
                )
            )
            if k == 0:
                addr_snapshot[cid] = json.dumps(
                    {
                        "first_name": first,
                        "last_name": last,
                        "line1": line1,
                        "city": city,
                        "state": state,
                        "postal_code": postal,
                        "country": country,
                    }
                )
    cp.copy(
        Address,
        [
            "public_id",
            "customer_id",
            "name",
            "first_name",
            "last_name",
            "line1",
            "city",
            "state",
            "postal_code",
            "country",
            "is_default_billing",
            "is_default_shipping",
            "fingerprint",
        ],
        address_rows,
    )
    del address_rows
    step("addresses", t0)

    # --- orders and everything hanging off them -------------------------------------------------
    if not append:
        dropped.extend(drop_indexes(DEFERRED_INDEX_MODELS))
    t0 = time.monotonic()
    heavy_id = None if heavy_exists else cust_ids[0]
    heavy_orders = min(10_000, orders // 5) if heavy_id else 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('orders_order_number_seq')")
        number0 = cursor.fetchone()[0]
        cursor.execute("SELECT setval('orders_order_number_seq', %s)", [number0 + orders])
    prefix = settings.ORDER_NUMBER_PREFIX
    order0 = cp.reserve(Order, orders)
    others = cust_ids[1:] if heavy_id else cust_ids
    product_info = [(p.id, p.sku, p.name, p.price, variants.get(p.id)) for p in products]

    # Plan every order in memory first (ids, amounts, items), then COPY table by table.
    plan = []  # (order_id, customer_id, status_tuple, placed_at, items, subtotal, discount, shipping, total)
    span = int(3 * 365 * 86400)
    for j in range(orders):
        customer_id = heavy_id if j < heavy_orders else others[rng.randrange(len(others))]
        status = rng.choices(_STATUS_CHOICES, _STATUS_WEIGHTS)[0]
        if status[0] == "cancelled" and rng.random() < 0.5:
            status = ("cancelled", "pending", "unshipped")  # cancelled before paying
        placed = now - timedelta(seconds=rng.randrange(3600, span))
        if status[0] in ("processing", "paid", "pending_payment", "payment_failed", "shipped"):
            placed = now - timedelta(seconds=rng.randrange(600, 20 * 86400))
        if status[0] == "delivered":
            placed = now - timedelta(seconds=rng.randrange(3 * 86400, 25 * 86400))
        items = []
        subtotal = Decimal("0.00")
        for p in rng.sample(product_info, 1 + rng.randrange(5)):
            qty = 1 + rng.randrange(3)
            line = p[3] * qty
            subtotal += line
            items.append((p, qty, line))
        discount = money(subtotal * Decimal("0.10")) if rng.random() < 0.15 else Decimal("0.00")
        shipping = Decimal("0.00") if subtotal >= 50 else Decimal("4.95")
        total = subtotal - discount + shipping
        plan.append((order0 + j, customer_id, status, placed, items, subtotal, discount, shipping, total))
    step("plan orders", t0)

    t0 = time.monotonic()

    def order_rows():
        for order_id, customer_id, (
            status,
            pay,
            ship,
        ), placed, items, subtotal, discount, shipping, total in plan:
            paid = total if status in PAID or pay == "refunded" else Decimal("0.00")
            refunded = (
                paid if pay == "refunded" else (money(total / 3) if status == "partially_refunded" else 0)
            )
            snap = addr_snapshot[customer_id]
            yield (
                order_id,
                cp.public_id("order"),
                f"{prefix}-{number0 + order_id - order0}",
                customer_id,
                status,
                pay,
                ship,
                subtotal,
                discount,
                shipping,
                money(total / 6),
                total,
                paid,
                refunded,
                sum(q for _, q, _ in items),
                snap,
                snap,
                placed,
                placed + timedelta(days=3) if status in DELIVERED else None,
                placed + timedelta(hours=2) if status == "cancelled" else None,
                "Changed my mind" if status == "cancelled" else "",
                placed,
                placed,
            )

    cp.copy(
        Order,
        [
            "id",
            "public_id",
            "number",
            "customer_id",
            "status",
            "payment_status",
            "shipping_status",
            "subtotal",
            "discount_total",
            "shipping_total",
            "tax_total",
            "total",
            "amount_paid",
            "amount_refunded",
            "item_count",
            "billing_address",
            "shipping_address",
            "placed_at",
            "delivered_at",
            "cancelled_at",
            "cancellation_reason",
            "created_at",
            "updated_at",
        ],
        order_rows(),
    )
    step("orders", t0)

    t0 = time.monotonic()
    n_items = sum(len(o[4]) for o in plan)
    item0 = cp.reserve(OrderItem, n_items)
    item_ids = []  # per order: first item id

    def item_rows():
        next_id = item0
        for o in plan:
            item_ids.append(next_id)
            for (pid, sku, name, price, variant_id), qty, line in o[4]:
                yield (next_id, cp.public_id("item"), o[0], pid, sku, name, price, qty, line, variant_id)
                next_id += 1

    cp.copy(
        OrderItem,
        [
            "id",
            "public_id",
            "order_id",
            "product_id",
            "sku",
            "name",
            "unit_price",
            "quantity",
            "total",
            "variant_id",
        ],
        item_rows(),
    )
    step("order items", t0)

    t0 = time.monotonic()
    pay0 = cp.reserve(Payment, orders)

    def payment_rows():
        for k, (order_id, _c, (status, pay, _s), placed, _i, _st, _d, _sh, total) in enumerate(plan):
            state = {"pending_payment": "pending", "payment_failed": "failed"}.get(status, "succeeded")
            if status == "cancelled" and pay == "pending":
                state = "failed"
            yield (
                pay0 + k,
                cp.public_id("pay"),
                order_id,
                total,
                "card",
                state,
                "card_declined" if state == "failed" else "",
                f"bench_{order_id}",
                placed,
            )

    cp.copy(
        Payment,
        [
            "id",
            "public_id",
            "order_id",
            "amount",
            "method",
            "status",
            "failure_reason",
            "provider_reference",
            "created_at",
        ],
        payment_rows(),
    )
    step("payments", t0)

    t0 = time.monotonic()
    shipped = [(k, o) for k, o in enumerate(plan) if o[2][2] in ("shipped", "delivered")]
    ship0 = cp.reserve(Shipment, len(shipped))
    cp.copy(
        Shipment,
        ["id", "public_id", "order_id", "status", "courier", "tracking_number", "shipped_at", "delivered_at"],
        (
            (
                ship0 + n,
                cp.public_id("ship"),
                o[0],
                "delivered" if o[2][2] == "delivered" else "shipped",
                "DHL",
                f"BENCH{o[0]}",
                o[3] + timedelta(days=1),
                o[3] + timedelta(days=3) if o[2][2] == "delivered" else None,
            )
            for n, (k, o) in enumerate(shipped)
        ),
    )

    def shipment_item_rows():
        for n, (k, o) in enumerate(shipped):
            for m, (_p, qty, _l) in enumerate(o[4]):
                yield (ship0 + n, item_ids[k] + m, qty)

    cp.copy(ShipmentItem, ["shipment_id", "order_item_id", "quantity"], shipment_item_rows())
    step("shipments", t0)

    # Refunds: fully refunded, partly refunded and paid-then-cancelled orders.
    t0 = time.monotonic()
    refund_rows = []
    for k, o in enumerate(plan):
        pay = o[2][1]
        if pay in ("refunded", "partially_refunded"):
            amount = o[8] if pay == "refunded" else money(o[8] / 3)
            refund_rows.append(
                (
                    cp.public_id("refund"),
                    o[0],
                    pay0 + k,
                    amount,
                    "original_payment_mode",
                    "succeeded",
                    "Customer request",
                    o[3] + timedelta(days=5),
                )
            )
    cp.copy(
        Refund,
        ["public_id", "order_id", "payment_id", "amount", "mode", "status", "reason", "created_at"],
        refund_rows,
    )
    step("refunds", t0)

    # Returns: a requested one on ~1% of delivered orders (the staff queue), refunded ones on refunds.
    t0 = time.monotonic()
    delivered = [(k, o) for k, o in enumerate(plan) if o[2][0] in ("delivered", "completed")]
    chosen = delivered[::100] if delivered else []
    ret0 = cp.reserve(Return, len(chosen))
    cp.copy(
        Return,
        ["id", "public_id", "order_id", "customer_id", "status", "refund_amount", "created_at", "updated_at"],
        (
            (
                ret0 + n,
                cp.public_id("ret"),
                o[0],
                o[1],
                "requested",
                o[4][0][0][3],
                o[3] + timedelta(days=4),
                o[3] + timedelta(days=4),
            )
            for n, (k, o) in enumerate(chosen)
        ),
    )
    cp.copy(
        ReturnItem,
        ["return_request_id", "order_item_id", "quantity", "resolution", "reason", "value"],
        (
            (ret0 + n, item_ids[k], 1, "refund", "changed_mind", o[4][0][0][3])
            for n, (k, o) in enumerate(chosen)
        ),
    )
    cp.copy(
        ReturnEvent,
        ["return_request_id", "status", "note", "actor", "created_at"],
        (
            (ret0 + n, "requested", "", "customer", o[3] + timedelta(days=4))
            for n, (k, o) in enumerate(chosen)
        ),
    )
    step("returns", t0)

    # --- loyalty: an earn entry (and its released earning) per delivered order ----------------
    t0 = time.monotonic()
    balances: dict[int, int] = {}
    earn = [o for o in plan if o[2][0] in ("delivered", "completed")]
    entry0 = cp.reserve(LedgerEntry, len(earn) + REDEEMERS)

    def ledger_rows():
        for n, o in enumerate(earn):
            points = max(int(o[8]), 1)
            balances[o[1]] = balances.get(o[1], 0) + points
            yield (
                entry0 + n,
                cp.public_id("txn"),
                o[1],
                "earn",
                points,
                f"Points for order {prefix}-{number0 + o[0] - order0}",
                f"{prefix}-{number0 + o[0] - order0}",
                f"bench-earn-{o[0]}",
                o[3] + timedelta(days=33),
                o[3] + timedelta(days=3),
            )
        for n, cid in enumerate(cust_ids[:REDEEMERS]):
            balances[cid] = balances.get(cid, 0) + 100_000
            yield (
                entry0 + len(earn) + n,
                cp.public_id("txn"),
                cid,
                "adjust",
                100_000,
                "Benchmark grant",
                "",
                f"bench-grant-{tag}-{cid}",
                None,
                now - timedelta(days=1),
            )

    cp.copy(
        LedgerEntry,
        [
            "id",
            "public_id",
            "customer_id",
            "type",
            "points",
            "description",
            "order_number",
            "idempotency_key",
            "available_at",
            "created_at",
        ],
        ledger_rows(),
    )
    cp.copy(
        OrderEarning,
        [
            "customer_id",
            "order_number",
            "entry_id",
            "paid_total",
            "points_earned",
            "locked_points",
            "available_at",
            "released_at",
        ],
        (
            (
                o[1],
                f"{prefix}-{number0 + o[0] - order0}",
                entry0 + n,
                o[8],
                max(int(o[8]), 1),
                0,
                o[3] + timedelta(days=33),
                o[3] + timedelta(days=33),
            )
            for n, o in enumerate(earn)
        ),
    )
    cp.copy(
        LoyaltyAccount,
        ["customer_id", "referral_code", "points_balance", "lifetime_earned"],
        (
            (
                cid,
                f"B{cid:010d}"[-16:] if not append else f"B{tag[-6:]}{cid}"[:16],
                balances.get(cid, 0),
                balances.get(cid, 0),
            )
            for cid in cust_ids
        ),
    )
    step("loyalty", t0)

    # --- reviews (one per customer and product), scent profiles, blends ------------------------
    t0 = time.monotonic()
    reviewed = set()
    review_rows = []
    ratings: dict[int, list[int]] = {}
    for k, o in delivered[::4]:
        (pid, *_rest), _q, _l = o[4][0]
        if (o[1], pid) in reviewed:
            continue
        reviewed.add((o[1], pid))
        rating = rng.choice([3, 4, 4, 5, 5, 5])
        approved = rng.random() < 0.9
        if approved:
            ratings.setdefault(pid, []).append(rating)
        review_rows.append(
            (
                cp.public_id("rev"),
                o[1],
                pid,
                item_ids[k],
                rating,
                "Lovely scent",
                "Burns evenly and fills the room.",
                "approved" if approved else "pending",
                o[3] + timedelta(days=5) if approved else None,
                o[3] + timedelta(days=4),
            )
        )
    cp.copy(
        Review,
        [
            "public_id",
            "customer_id",
            "product_id",
            "order_item_id",
            "rating",
            "title",
            "body",
            "status",
            "moderated_at",
            "created_at",
        ],
        review_rows,
    )
    with connection.cursor() as cursor:
        for pid, values in ratings.items():
            cursor.execute(
                "INSERT INTO reviews_productrating (product_id, review_count, rating_sum, updated_at) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (product_id) DO UPDATE SET "
                "review_count = reviews_productrating.review_count + EXCLUDED.review_count, "
                "rating_sum = reviews_productrating.rating_sum + EXCLUDED.rating_sum",
                [pid, len(values), sum(values), now],
            )
    del review_rows
    step("reviews", t0)

    t0 = time.monotonic()
    if notes:
        profiled = cust_ids[::2]
        prof0 = cp.reserve(ScentProfile, len(profiled))
        cp.copy(
            ScentProfile,
            ["id", "public_id", "customer_id", "name", "intensity", "categories", "occasions"],
            (
                (
                    prof0 + n,
                    cp.public_id("scent"),
                    cid,
                    "My scents",
                    rng.choice(["light", "medium", "strong"]),
                    json.dumps(sorted({notes[(cid + m) % len(notes)].family for m in range(2)})),
                    json.dumps(["home"]),
                )
                for n, cid in enumerate(profiled)
            ),
        )

        def profile_note_rows():
            for n in range(len(profiled)):
                picks = rng.sample(notes, 4)
                for m, note in enumerate(picks):
                    yield (prof0 + n, note.id, "favorite" if m < 3 else "disliked")

        cp.copy(ProfileNote, ["profile_id", "note_id", "kind"], profile_note_rows())
        blenders = cust_ids[::5]
        if heavy_id:
            blenders = [heavy_id, *blenders[1:]]
        blend_plan = [(cid, m) for cid in blenders for m in range(1 + cid % 2)]
        blend0 = cp.reserve(Blend, len(blend_plan))
        cp.copy(
            Blend,
            ["id", "public_id", "customer_id", "name", "intensity", "base", "created_at"],
            (
                (
                    blend0 + n,
                    cp.public_id("blend"),
                    cid,
                    f"Blend {m + 1}",
                    "medium",
                    rng.choice(["candle", "diffuser", "room_spray", "perfume_oil"]),
                    now - timedelta(days=n % 300),
                )
                for n, (cid, m) in enumerate(blend_plan)
            ),
        )

        def component_rows():
            for n in range(len(blend_plan)):
                picks = rng.sample(notes, 3)
                for m, (note, pct) in enumerate(zip(picks, (50, 30, 20), strict=True)):
                    yield (blend0 + n, note.id, pct, m)

        cp.copy(BlendComponent, ["blend_id", "note_id", "percentage", "position"], component_rows())
    step("scents", t0)

    # --- business customers: contacts and credit checks ---------------------------------------
    t0 = time.monotonic()
    businesses = [cid for i, cid in enumerate(cust_ids) if kinds[i] == "business"]
    cp.copy(
        Contact,
        ["public_id", "customer_id", "name", "title", "email", "is_primary"],
        (
            (
                cp.public_id("cont"),
                cid,
                f"Contact {m} of {cid}",
                "Buyer",
                f"buyer{m}-{cid}@example.com",
                m == 0,
            )
            for cid in businesses
            for m in range(1 + cid % 3)
        ),
    )
    cp.copy(
        CreditCheck,
        [
            "public_id",
            "customer_id",
            "provider",
            "credit_score",
            "credit_rating",
            "risk_assessment",
            "recommended_credit_limit",
            "current_credit_limit",
            "status",
            "decided_at",
            "created_at",
        ],
        (
            (
                cp.public_id("cc"),
                cid,
                "internal",
                720,
                "good",
                "low",
                Decimal("10000.00"),
                Decimal("10000.00"),
                "approved",
                now - timedelta(days=30),
                now - timedelta(days=31),
            )
            for cid in businesses
        ),
    )
    step("business", t0)

    t0 = time.monotonic()
    restore_indexes(dropped)
    step("indexes", t0)

    t0 = time.monotonic()
    cp.reset_sequences()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    step("sequences and ANALYZE", t0)
    total = round(time.monotonic() - started, 1)
    return {
        "seconds": total,
        "timings": timings,
        "rows": cp.counts,
        "heavy_email": HEAVY_EMAIL if heavy_id else None,
        "heavy_orders": heavy_orders,
        "staff_email": STAFF_EMAIL,
        "password": BENCH_PASSWORD,
        "redeemer_emails": emails[:REDEEMERS],
    }
