"""The runner's Django side: load or reuse the data, pick the accounts, run the write phases and the admin.

Imported by bench/run.py after django.setup() (production settings, the bench database).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
SEED = 1
CONCURRENCY = 16
REDEEM_COST = 10


def _summary_path() -> Path:
    from django.db import connection

    return ROOT / ".data" / "bench" / f"{connection.settings_dict['NAME']}.json"


def load_or_reuse(env, sizes, manage, log) -> dict:
    from orders.models import Order

    path = _summary_path()
    if Order.objects.exists():
        log(f"reusing the data already in {path.stem} ({Order.objects.count():,} orders)")
        return json.loads(path.read_text()) if path.exists() else {"reused": True}
    path.parent.mkdir(parents=True, exist_ok=True)
    log(f"bench_data --customers {sizes['customers']} --orders {sizes['orders']} --seed {SEED}")
    started = time.monotonic()
    manage(
        env,
        "bench_data",
        "--customers",
        str(sizes["customers"]),
        "--orders",
        str(sizes["orders"]),
        "--seed",
        str(SEED),
        "--json",
        str(path),
    )
    summary = json.loads(path.read_text())
    summary["wall_seconds"] = round(time.monotonic() - started, 1)
    path.write_text(json.dumps(summary, indent=2))
    return summary


def context() -> dict:
    from customers.models import Customer
    from orders.models import Order, ProductVariant
    from reviews.bench_data import BENCH_PASSWORD, HEAVY_EMAIL, STAFF_EMAIL
    from reviews.models import ProductRating

    heavy = Customer.objects.get(email=HEAVY_EMAIL)
    typical = (
        Customer.objects.filter(kind="individual", scent_profile__isnull=False, blends__isnull=False)
        .exclude(pk=heavy.pk)
        .order_by("id")
        .first()
    )
    order = Order.objects.filter(customer=heavy, status="delivered").order_by("-placed_at").first()
    rating = ProductRating.objects.order_by("-review_count").select_related("product").first()
    variants = list(ProductVariant.objects.filter(sku__startswith="BENCH-").order_by("id")[:3])
    redeemers = list(
        Customer.objects.filter(loyalty_account__points_balance__gte=50_000, kind="individual")
        .exclude(pk=heavy.pk)
        .order_by("id")
        .values_list("email", flat=True)[:CONCURRENCY]
    )
    shoppers = list(
        Customer.objects.filter(
            kind="individual", addresses__is_default_shipping=True, addresses__country__in=["DE", "FR", "GB"]
        )
        .exclude(email__in=[heavy.email, *redeemers])
        .order_by("id")[:CONCURRENCY]
    )
    address = typical.addresses.filter(is_default_shipping=True).first()
    return {
        "password": BENCH_PASSWORD,
        "heavy_email": heavy.email,
        "heavy_id": heavy.public_id,
        "heavy_pk": heavy.pk,
        "typical_email": typical.email,
        "typical_id": typical.public_id,
        "typical_address_id": address.public_id,
        "staff_email": STAFF_EMAIL,
        "order_number": order.number,
        "product_id": rating.product.public_id,
        "ingest_sku": variants[0].sku,
        "checkout_variant": variants[1].pk,
        "checkout_sku": variants[1].sku,
        "redeemers": redeemers,
        "shoppers": [
            (c.email, c.addresses.filter(is_default_shipping=True).values_list("public_id", flat=True)[0])
            for c in shoppers
        ],
    }


def check_ledger(env) -> bool:
    proc = subprocess.run(
        [sys.executable, "manage.py", "check_ledger"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return proc.returncode == 0


def _threads(n, target):
    results = [None] * n
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, target(i))) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def writes(base, ctx, env, token, wrk, seconds, log) -> dict:
    from django.db import close_old_connections

    from customers.models import APIKey
    from loyalty.models import LedgerEntry, LoyaltyAccount, Redemption, Reward
    from orders.models import Order, OrderItem, ProductVariant

    out = {}

    # Order ingest: POST /api/orders with an API key, 16 connections.
    _key, secret = APIKey.objects.create_key(
        name=f"bench-{time.time():.0f}", scopes=["orders:write", "orders:read"]
    )
    headers = {"Authorization": f"Api-Key {secret}"}
    body = json.dumps(
        {
            "customer_id": ctx["typical_id"],
            "items": [{"sku": ctx["ingest_sku"], "quantity": 1}],
            "shipping_address_id": ctx["typical_address_id"],
            "billing_address_id": ctx["typical_address_id"],
            "payment": {"method": "card", "status": "succeeded"},
        }
    )
    probe = requests.post(
        base + "/api/orders", data=body, headers={**headers, "Content-Type": "application/json"}, timeout=60
    )
    before = Order.objects.count()
    r = wrk(base, "/api/orders", headers, method="POST", body=body, seconds=seconds)
    created = Order.objects.count() - before
    out["order ingest (POST /api/orders)"] = {
        "probe_status": probe.status_code,
        "orders_per_s": r["ok_rps"],
        "p50_ms": r["p50_us"] / 1000,
        "p99_ms": r["p99_us"] / 1000,
        "non2xx": r["non2xx"],
        "orders_created": created,
        "summary": f"{r['ok_rps']:.0f} orders/s (p50 {r['p50_us'] / 1000:.0f} ms, p99 {r['p99_us'] / 1000:.0f} ms, "
        f"{r['non2xx']} non-2xx; first answer {probe.status_code})",
    }
    log(f"  ingest: {out['order ingest (POST /api/orders)']['summary']}")

    out["bulk orders (POST /api/orders/bulk)"] = bulk_orders(base, ctx, headers, seconds, log)

    # Checkout: 16 customers at once, each: add to cart, addresses, shipping method, checkout.
    variant_before = ProductVariant.objects.get(pk=ctx["checkout_variant"]).stock
    items_before = OrderItem.objects.filter(variant_id=ctx["checkout_variant"]).count()
    tokens = [token(base, email, ctx["password"]) for email, _ in ctx["shoppers"]]
    deadline = time.monotonic() + seconds

    def shop(i):
        s = requests.Session()
        s.headers.update(tokens[i])
        addr = ctx["shoppers"][i][1]
        ok = failed = 0
        while time.monotonic() < deadline:
            s.post(
                base + "/api/customers/cart/items",
                json={"sku": ctx["checkout_sku"], "quantity": 1},
                timeout=60,
            )
            s.put(
                base + "/api/customers/cart/addresses",
                json={"shipping_address_id": addr, "billing_address_id": addr},
                timeout=60,
            )
            s.put(base + "/api/customers/cart/shipping-method", json={"code": "standard"}, timeout=60)
            r = s.post(base + "/api/customers/checkout", json={"payment": {"method": "card"}}, timeout=60)
            if r.status_code == 201:
                ok += 1
            else:
                failed += 1
                if failed == 1:
                    log(f"    checkout answered {r.status_code}: {r.text[:200]}")
        return ok, failed

    started = time.monotonic()
    res = _threads(len(tokens), shop)
    elapsed = time.monotonic() - started
    ok = sum(r[0] for r in res)
    failed = sum(r[1] for r in res)
    close_old_connections()
    variant_after = ProductVariant.objects.get(pk=ctx["checkout_variant"]).stock
    sold = OrderItem.objects.filter(variant_id=ctx["checkout_variant"]).count() - items_before
    stock_ok = variant_before - variant_after == sold == ok
    ledger_ok = check_ledger(env)
    out["checkout (16 customers)"] = {
        "orders_per_s": round(ok / elapsed, 1),
        "orders": ok,
        "failed": failed,
        "stock_consistent": stock_ok,
        "ledger_balanced": ledger_ok,
        "summary": f"{ok / elapsed:.1f} orders/s ({ok} orders, {failed} failed; stock "
        f"{'consistent' if stock_ok else 'INCONSISTENT'}: -{variant_before - variant_after} for {sold} "
        f"sold; ledger {'balanced' if ledger_ok else 'NOT BALANCED'})",
    }
    log(f"  checkout: {out['checkout (16 customers)']['summary']}")

    # Redemption: 16 clients redeeming a 10-point reward as fast as they can.
    reward = Reward.objects.create(name="Bench sample", cost=REDEEM_COST, cost_unit="points")
    emails = ctx["redeemers"]
    tokens = [token(base, email, ctx["password"]) for email in emails]
    balances = dict(
        LoyaltyAccount.objects.filter(customer__email__in=emails).values_list(
            "customer__email", "points_balance"
        )
    )
    deadline = time.monotonic() + seconds

    def redeem(i):
        s = requests.Session()
        s.headers.update(tokens[i])
        ok = other = 0
        while time.monotonic() < deadline:
            r = s.post(base + f"/api/customers/loyalty/rewards/{reward.public_id}/redeem", timeout=60)
            if r.status_code == 201:
                ok += 1
            else:
                other += 1
                if other == 1:
                    log(f"    redeem answered {r.status_code}: {r.text[:200]}")
        return ok, other

    started = time.monotonic()
    res = _threads(len(tokens), redeem)
    elapsed = time.monotonic() - started
    ok = sum(r[0] for r in res)
    close_old_connections()
    lost = 0
    for i, email in enumerate(emails):
        after = LoyaltyAccount.objects.get(customer__email=email).points_balance
        if balances[email] - after != res[i][0] * REDEEM_COST:
            lost += 1
    rows = Redemption.objects.filter(reward=reward).count()
    entries = LedgerEntry.objects.filter(redemption__reward=reward).count()
    ledger_ok = check_ledger(env)
    consistent = rows == entries == ok and lost == 0
    out["points redemption (16 clients)"] = {
        "redemptions_per_s": round(ok / elapsed, 1),
        "redemptions": ok,
        "other": sum(r[1] for r in res),
        "redemption_rows": rows,
        "ledger_entries": entries,
        "accounts_off": lost,
        "ledger_balanced": ledger_ok,
        "summary": f"{ok / elapsed:.1f} redemptions/s ({ok} answered 201, {rows} redemptions, {entries} ledger "
        f"entries, {lost} balances off; ledger {'balanced' if ledger_ok else 'NOT BALANCED'}; "
        f"{'nothing lost or duplicated' if consistent else 'LOST OR DUPLICATED'})",
    }
    log(f"  redemption: {out['points redemption (16 clients)']['summary']}")
    return out


def bulk_orders(base, ctx, headers, seconds, log) -> dict:
    """POST /api/orders/bulk, 500 orders a request, two clients; skipped while the route answers 404."""

    def payload(n):
        stamp = f"{time.time_ns()}-{threading.get_ident()}"
        return {
            "atomic": False,
            "items": [
                {
                    "external_id": f"bench-{stamp}-{k}",
                    "customer_id": ctx["typical_id"],
                    "items": [{"sku": ctx["ingest_sku"], "quantity": 1}],
                    "shipping_address_id": ctx["typical_address_id"],
                    "billing_address_id": ctx["typical_address_id"],
                    "payment": {"method": "card", "status": "succeeded"},
                }
                for k in range(n)
            ],
        }

    r = requests.post(base + "/api/orders/bulk", json=payload(1), headers=headers, timeout=120)
    if r.status_code in (404, 405):
        # 405: /api/orders/{number} matched "bulk" as an order number, i.e. the bulk route is not there.
        log(
            f"  bulk orders: skipped (POST /api/orders/bulk answers {r.status_code}: the route has not landed)"
        )
        return {
            "skipped": True,
            "status": r.status_code,
            "summary": f"skipped: POST /api/orders/bulk answers {r.status_code} (not built yet)",
        }
    # One client per gunicorn worker (2), as many requests as fit in `seconds`, at least one each.
    clients = 2
    deadline = time.monotonic() + seconds
    counts = {"created": 0, "requests": 0}
    statuses = {}
    lock = threading.Lock()

    def client():
        sent = 0
        while time.monotonic() < deadline or sent == 0:
            r = requests.post(base + "/api/orders/bulk", json=payload(500), headers=headers, timeout=300)
            sent += 1
            made = sum(1 for x in r.json().get("results", []) if x.get("status") == "created") if r.ok else 0
            with lock:
                counts["requests"] += 1
                counts["created"] += made
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    created, requests_made = counts["created"], counts["requests"]
    elapsed = time.monotonic() - started
    rate = created / elapsed
    log(f"  bulk orders: {rate:.0f} orders/s ({requests_made} requests, {statuses})")
    return {
        "orders_per_s": round(rate, 1),
        "requests": requests_made,
        "statuses": statuses,
        "summary": f"{rate:.0f} orders/s ({requests_made} requests of 500 from 2 clients, answers {statuses})",
    }


def admin_timings(base, ctx, log) -> dict:
    from reviews.bench_data import STAFF_EMAIL

    s = requests.Session()
    s.get(base + "/admin/login/", timeout=30)
    r = s.post(
        base + "/admin/login/?next=/admin/",
        data={
            "username": STAFF_EMAIL,
            "password": ctx["password"],
            "csrfmiddlewaretoken": s.cookies.get("csrftoken"),
            "next": "/admin/",
        },
        headers={"Referer": base + "/admin/login/"},
        timeout=30,
    )
    if "sessionid" not in s.cookies:
        log(f"  admin: login failed ({r.status_code})")
        return {"login": {"summary": f"login failed ({r.status_code})"}}
    pages = {
        "order changelist": "/admin/orders/order/",
        "customer change page (10k-order customer)": f"/admin/customers/customer/{ctx['heavy_pk']}/change/",
        "returns queue": "/admin/orders/return/",
    }
    out = {}
    for name, path in pages.items():
        times = []
        status = nq = None
        for k in range(6):
            t0 = time.monotonic()
            r = s.get(base + path, timeout=120)
            elapsed = (time.monotonic() - t0) * 1000
            status, nq = r.status_code, r.headers.get("X-Bench-Queries")
            if k:
                times.append(elapsed)
        med = statistics.median(times)
        out[name] = {
            "median_ms": round(med, 1),
            "max_ms": round(max(times), 1),
            "status": status,
            "queries": nq,
            "path": path,
            "summary": f"{med:.0f} ms median of 5 (max {max(times):.0f} ms), {nq} queries, HTTP {status}",
        }
        log(f"  admin {name}: {out[name]['summary']}")
    return out
