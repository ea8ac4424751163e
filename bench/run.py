"""`make bench`: load a shop on PostgreSQL, serve it with gunicorn (production settings), measure it.

    BENCH_SCALE=small|large|both   (default both: 10k orders / 1k customers, 1M orders / 100k customers)
    BENCH_DATABASE_URL             (default postgres://postgres@127.0.0.1:5432/mnky_bench_<scale>; created
                                    and loaded when it holds no orders, reused as it is otherwise)
    BENCH_DURATION                 (seconds of wrk per measurement, default 5)
    BENCH_WRITE_SECONDS            (seconds per write phase, default 10)

For each read endpoint: wrk on the ceiling (bench/views.py: one primary-key SELECT), on the endpoint,
and on the ceiling again, 16 connections; the ratio is the endpoint's req/s over the mean of the two
ceilings. Queries per request come from the bench-only X-Bench-Queries header. Then the writes, the
admin pages, a table on stdout and bench/results/<scale>.json.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SCALES = {
    "small": {"customers": 1_000, "orders": 10_000},
    "large": {"customers": 100_000, "orders": 1_000_000},
}
CONNECTIONS = 16
DURATION = int(os.environ.get("BENCH_DURATION", "5"))
WRITE_SECONDS = int(os.environ.get("BENCH_WRITE_SECONDS", "10"))
LUA = Path(__file__).resolve().parent / "wrk.lua"


def log(msg):
    print(msg, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk():
    if shutil.which("wrk"):
        return
    log("wrk is missing: apt-get install -y wrk")
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=False)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update"], check=False)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)


def ensure_database(url: str):
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            log(f"created database {name}")


def production_env(url: str, workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-" + os.urandom(16).hex(),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_DATA_DIR=str(workdir / "data"),
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SMS_BACKEND="customers.sms.LocmemSMSBackend",
        JWT_ACCESS_MINUTES="600",
        LOG_LEVEL="ERROR",
        AXES_FAILURE_LIMIT="1000000",
    )
    for name in [
        "API_THROTTLE_ANON",
        "API_THROTTLE_CUSTOMER",
        "API_THROTTLE_STAFF",
        "API_THROTTLE_OTP",
        "API_THROTTLE_OTP_IP",
        "API_THROTTLE_PASSWORD_RESET",
        "API_THROTTLE_PASSWORD_RESET_IP",
    ]:
        env[name] = "100000000/hour"
    return env


def manage(env, *args, capture=False):
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=capture
    )


# --- wrk -------------------------------------------------------------------------------------


def wrk(base: str, path: str, headers: dict | None = None, *, method="GET", body=None, seconds=DURATION):
    env = dict(os.environ)
    env["BENCH_HEADERS"] = json.dumps(headers or {})
    env["BENCH_METHOD"] = method
    env["BENCH_BODY"] = body or ""
    out = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(CONNECTIONS),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            base + path,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    result = json.loads(line[len("BENCH_JSON ") :])
    result["rps"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
    result["ok_rps"] = round(
        (result["requests"] - result["non2xx"] - result["errors"]) / (result["duration_us"] / 1e6), 1
    )
    return result


# --- the run ---------------------------------------------------------------------------------


class Server:
    def __init__(self, env, workdir: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--access-logfile",
                "/dev/null",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(200):
            try:
                requests.get(self.base + "/api/health", timeout=1)
                return
            except requests.RequestException:
                if self.proc.poll() is not None:
                    raise RuntimeError((workdir / "gunicorn.log").read_text()) from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        self.log.close()


def token(base, email, password):
    r = requests.post(base + "/api/auth/token", json={"email": email, "password": password}, timeout=30)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access']}"}


def queries(base, path, headers):
    """Status, queries per request, and the median of 5 sequential requests (no queueing) in ms."""
    r = requests.get(base + path, headers=headers, timeout=60)
    times = []
    for _ in range(5):
        t0 = time.monotonic()
        requests.get(base + path, headers=headers, timeout=60)
        times.append((time.monotonic() - t0) * 1000)
    return r.status_code, int(r.headers.get("X-Bench-Queries", "-1")), round(statistics.median(times), 1)


def run_scale(scale: str) -> dict:
    sizes = SCALES[scale]
    url = os.environ.get("BENCH_DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/mnky_bench_{scale}"
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{scale}-"))
    env = production_env(url, workdir)
    os.environ.update(env)
    ensure_database(url)
    log(f"== {scale}: migrate {url}")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")

    import django

    django.setup()
    from bench import fixtures

    data_summary = fixtures.load_or_reuse(env, sizes, manage, log)
    ctx = fixtures.context()
    server = Server(env, workdir)
    try:
        result = measure(scale, server.base, ctx, env)
    finally:
        server.stop()
    result["data"] = data_summary
    result["scale"] = scale
    result["sizes"] = sizes
    result["database"] = urllib.parse.urlsplit(url).path.lstrip("/")
    return result


def measure(scale, base, ctx, env) -> dict:
    from bench import fixtures

    pw = ctx["password"]
    typical = token(base, ctx["typical_email"], pw)
    heavy = token(base, ctx["heavy_email"], pw)
    staff = token(base, ctx["staff_email"], pw)
    anon = {}
    reads = [
        # Reference: a customer route with JWT auth and DRF but almost no work (the framework's floor).
        ("notification preferences (floor)", "/api/customers/notification-preferences", typical),
        ("profile", "/api/customers/profile", typical),
        ("profile (10k-order customer)", "/api/customers/profile", heavy),
        ("orders list p1 (status filter)", "/api/customers/orders?status=completed&page=1", heavy),
        ("orders list p50 (status filter)", "/api/customers/orders?status=completed&page=50", heavy),
        ("order detail", f"/api/orders/{ctx['order_number']}", heavy),
        ("addresses", "/api/customers/addresses", typical),
        ("loyalty summary", "/api/customers/loyalty", typical),
        ("loyalty activity", "/api/customers/loyalty/activity", heavy),
        ("scent profile", "/api/customers/scent-profile", typical),
        ("blends", "/api/customers/blends", typical),
        ("products list", "/api/products", anon),
        ("products search", "/api/products?search=cedar", anon),
        ("product reviews", f"/api/products/{ctx['product_id']}/reviews", anon),
        ("own reviews", "/api/customers/reviews", typical),
        ("staff customer list (search)", "/api/customers?search=garcia", staff),
        ("staff analytics (10k-order customer)", f"/api/customers/{ctx['heavy_id']}/analytics", staff),
    ]
    rows = []
    # Warm both workers' caches and connections.
    for _ in range(20):
        requests.get(base + "/bench/ceiling", timeout=10)
    ceiling_before = wrk(base, "/bench/ceiling")
    for name, path, headers in reads:
        status, nq, solo = queries(base, path, headers)
        endpoint = wrk(base, path, headers)
        ceiling_after = wrk(base, "/bench/ceiling")
        ceiling = (ceiling_before["rps"] + ceiling_after["rps"]) / 2
        row = {
            "endpoint": name,
            "path": path,
            "status": status,
            "queries": nq,
            "solo_ms": solo,
            "rps": endpoint["rps"],
            "p50_ms": endpoint["p50_us"] / 1000,
            "p99_ms": endpoint["p99_us"] / 1000,
            "non2xx": endpoint["non2xx"],
            "errors": endpoint["errors"],
            "ceiling_rps": round(ceiling, 1),
            "ratio": round(endpoint["rps"] / ceiling, 3) if ceiling else None,
            "ceiling_before_rps": ceiling_before["rps"],
            "ceiling_after_rps": ceiling_after["rps"],
        }
        rows.append(row)
        log(
            f"  {name:40s} {row['rps']:8.1f} req/s  p50 {row['p50_ms']:7.1f} ms  p99 {row['p99_ms']:7.1f} ms  "
            f"q {nq:3d}  ×{row['ratio']}  [{status}]"
        )
        ceiling_before = ceiling_after

    writes = fixtures.writes(base, ctx, env, token, wrk, WRITE_SECONDS, log)
    admin = fixtures.admin_timings(base, ctx, log)
    return {"reads": rows, "ceiling_rps": [r["ceiling_rps"] for r in rows], "writes": writes, "admin": admin}


def table(result: dict) -> str:
    lines = [
        f"### {result['scale']}: {result['sizes']['orders']:,} orders, {result['sizes']['customers']:,} customers",
        "",
        "| endpoint | req/s | p50 ms | p99 ms | queries | ÷ ceiling | alone ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["reads"]:
        flag = (
            "" if r["status"] == 200 and not r["non2xx"] else f" (HTTP {r['status']}, {r['non2xx']} non-2xx)"
        )
        lines.append(
            f"| {r['endpoint']}{flag} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['queries']} | "
            f"{r['ratio']:.2f} | {r.get('solo_ms', '')} |"
        )
    ceil = [r["ceiling_rps"] for r in result["reads"]]
    lines.append(f"| *ceiling (mean of the runs)* | {statistics.mean(ceil):.0f} | | | 1 | 1.00 | |")
    lines.append("")
    lines.append("| write / admin | result |")
    lines.append("|---|---|")
    for name, w in result["writes"].items():
        lines.append(f"| {name} | {w.get('summary', w)} |")
    for name, a in result["admin"].items():
        lines.append(f"| admin: {name} | {a.get('summary', a)} |")
    d = result.get("data") or {}
    if d.get("seconds") is not None:
        lines.append(f"| data generation (bench_data) | {d['seconds']} s |")
    return "\n".join(lines)


def main():
    ensure_wrk()
    scale = os.environ.get("BENCH_SCALE", "both")
    scales = ["small", "large"] if scale == "both" else [scale]
    if len(scales) > 1:
        # One process per scale: each sets up Django against its own database.
        for s in scales:
            subprocess.run([PY, __file__], cwd=ROOT, env={**os.environ, "BENCH_SCALE": s}, check=True)
        return
    started = time.monotonic()
    result = run_scale(scales[0])
    result["wall_seconds"] = round(time.monotonic() - started, 1)
    out = Path(__file__).resolve().parent / "results" / f"{scales[0]}.json"
    out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print()
    print(table(result))
    print(f"\n(wall time {result['wall_seconds']} s; results in {out.relative_to(ROOT)})")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
