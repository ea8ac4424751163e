"""Resource consumption and business-flow abuse (API4, API6): bodies over the limit are never read,
deep and huge JSON, `limit` beyond the maximum, polyglot and bomb images, reset-email limits on
the page, self-referral.

The API's own tests cover the rest of the issue's list: OTP sends per account, target and IP
(`tests/customers/test_auth_otp.py`), reset emails per address and IP through the API
(`tests/customers/test_auth_passwords.py`), review floods (`tests/reviews/test_api.py`,
`tests/reviews/test_pages.py`).
"""

import io
import json
import struct
import sys
import time
import zlib

import pytest
from django.core import mail, signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from django.test import Client, override_settings
from django.urls import resolve
from PIL import Image
from rest_framework.test import APIClient

from config.api.pagination import PagePagination
from config.api.parsers import MAX_DEPTH, MAX_MEMBERS
from customers.models import Customer
from loyalty.models import LoyaltyAccount, Referral
from loyalty.services import loyalty_account_ensure, mailbox_canonical
from tests.conftest import bearer_client
from tests.factories import CustomerFactory
from tests.security.routes import api_operations

# --- a body over the limit is refused before it is read -------------------------------------


class _Unreadable(io.RawIOBase):
    """A request stream that fails the test if anything reads from it."""

    def readable(self):
        return True

    def read(self, *args):
        raise AssertionError("the body was read")

    readinto = readline = read


def _send_unread(path: str, content_type: str, length: int) -> tuple[str, bytes]:
    """A request through the WSGI handler (all middleware) whose body may not be read."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "198.51.100.7",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(length),
        "wsgi.input": _Unreadable(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    statuses = []
    # As Django's test client does: the test's database connection is not the request's to close.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        answer = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status))
        body = b"".join(answer)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return statuses[0], body


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/api/auth/register", "application/json"),
        ("/api/orders", "application/json"),
        ("/api/customers/profile/image", "multipart/form-data; boundary=x"),
    ],
)
def test_a_body_over_the_limit_is_413_without_being_read(path, content_type):
    # Given a request announcing a gigabyte (its stream explodes if anything reads it)
    status, body = _send_unread(path, content_type, 1_000_000_000)
    # Then it is refused with the contract's 413 body, before authentication or parsing
    assert status.startswith("413"), status
    assert json.loads(body)["error"]["code"] == "payload_too_large"


# --- deep and huge JSON -----------------------------------------------------------------------


def _nested_array(depth: int) -> str:
    return "[" * depth + "]" * depth


def _nested_object(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def _raw_client(client) -> APIClient:
    """The same credentials, with a 500 answered instead of raised (the assertion sees it)."""
    raw = APIClient(raise_request_exception=False)
    raw.credentials(**client._credentials)
    return raw


DEEP_TARGETS = [
    # (caller, method, path, body around the nested value)
    ("api_client", "post", "/api/auth/register", '{"email": VALUE}'),
    ("customer_client", "post", "/api/customers/bank-accounts", '{"holder_name": VALUE, "iban": "x"}'),
    ("customer_client", "patch", "/api/customers/profile", '{"preferences": VALUE}'),
    ("customer_client", "patch", "/api/customers/scent-profile", '{"preferences": {"occasions": VALUE}}'),
    ("staff_client", "post", "/api/orders", '{"customer_id": "cust_x", "items": VALUE}'),
    ("staff_client", "post", "/api/customers", '{"name": "x", "contacts": VALUE}'),
]


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 900, 10_000, 100_000])
@pytest.mark.parametrize("caller, method, path, frame", DEEP_TARGETS)
def test_deeply_nested_json_is_400_never_a_500(request, caller, method, path, frame, depth):
    # Given a body nested `depth` levels (900 parses in Python but overflows later; 10k overflows
    # the decoder itself)
    client = _raw_client(request.getfixturevalue(caller))
    for nested in (_nested_array(depth), _nested_object(depth)):
        # When it is sent
        response = getattr(client, method)(
            path, frame.replace("VALUE", nested), content_type="application/json"
        )
        # Then it is a 400 with the contract's body
        assert response.status_code == 400, (path, depth, response.content[:200])
        error = response.json()["error"]
        assert error["code"] == "validation_error" and "nested" in error["message"]


@pytest.mark.django_db
def test_json_nested_up_to_the_limit_is_parsed(customer_client):
    # A nesting of exactly MAX_DEPTH levels is a plain validation question for the serializer
    body = '{"holder_name": VALUE, "iban": "x"}'.replace("VALUE", _nested_array(MAX_DEPTH - 1))
    response = customer_client.post("/api/customers/bank-accounts", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" not in response.json()["error"]["message"]
    assert "holder_name" in response.json()["error"]["details"]


HUGE_TARGETS = [
    ("staff_client", "post", "/api/orders", '{"customer_id": "cust_x", "items": VALUE}'),
    ("customer_client", "patch", "/api/customers/scent-profile", '{"preferences": {"occasions": VALUE}}'),
    ("customer_client", "post", "/api/customers/blends", '{"name": "b", "components": VALUE}'),
    ("api_client", "post", "/api/auth/register", '{"email": VALUE}'),
]


@pytest.mark.django_db
@pytest.mark.parametrize("caller, method, path, frame", HUGE_TARGETS)
def test_a_huge_json_array_is_413_at_once(request, caller, method, path, frame):
    # Given a body under the byte limit holding one array of 300,000 objects (validating them one
    # by one took 41 s and answered an error per element)
    body = frame.replace("VALUE", "[" + ",".join(["{}"] * 300_000) + "]")
    client = _raw_client(request.getfixturevalue(caller))
    # When it is sent
    started = time.monotonic()
    response = getattr(client, method)(path, body, content_type="application/json")
    # Then it is refused as too large, quickly, with a short answer
    assert response.status_code == 413, response.content[:200]
    assert response.json()["error"]["code"] == "payload_too_large"
    assert time.monotonic() - started < 5
    assert len(response.content) < 1000


@pytest.mark.django_db
def test_an_object_with_too_many_keys_is_413_and_a_list_at_the_limit_is_parsed(customer_client):
    many_keys = "{" + ",".join(f'"k{n}": 0' for n in range(MAX_MEMBERS + 1)) + "}"
    response = customer_client.patch("/api/customers/profile", many_keys, content_type="application/json")
    assert response.status_code == 413
    at_limit = '{"preferences": {"occasions": [VALUE]}}'.replace("VALUE", ",".join(['"x"'] * MAX_MEMBERS))
    response = customer_client.patch(
        "/api/customers/scent-profile", at_limit, content_type="application/json"
    )
    assert response.status_code == 400  # "x" is no occasion: the serializer's answer, not the parser's
    assert response.json()["error"]["code"] == "validation_error"


# --- `limit` beyond the maximum ---------------------------------------------------------------


def _list_routes() -> list[str]:
    """GET routes under /api/ without path parameters (the lists a caller can page through)."""
    return sorted(
        {
            "/" + route
            for _, route, method in api_operations()
            if method == "GET" and "<" not in route and "(" not in route
        }
        - {"/api/schema/", "/api/docs/", "/api/health"}
    )


@pytest.mark.django_db
def test_limit_beyond_the_maximum_is_clamped_on_every_list(customer_client, staff_client):
    paged = 0
    for path in _list_routes():
        view = getattr(resolve(path).func, "cls", None)
        maximum = getattr(view, "max_limit", PagePagination.max_limit)
        for client in (customer_client, staff_client):
            # When a caller asks for 100,000 rows, or a page far past the end
            response = client.get(path, {"limit": 100000})
            if response.status_code == 403:
                continue  # a route for the other kind of caller
            assert response.status_code == 200, (path, response.content[:200])
            if "pagination" not in response.json():
                continue  # not a list (e.g. the loyalty summary)
            paged += 1
            # Then the limit is the list's maximum, and a far page is empty, never an error
            assert response.json()["pagination"]["limit"] == maximum, path
            assert len(response.json()["data"]) <= maximum
            far = client.get(path, {"limit": 100000, "page": 10**9})
            assert far.status_code == 200 and far.json()["data"] == [], path
    assert paged >= 10  # the walk found the lists


# --- polyglot and bomb images ---------------------------------------------------------------

IMAGE_URL = "/api/customers/profile/image"
PIXEL_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}


def _image(fmt: str, size=(32, 24)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 90)).save(buffer, fmt)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def _png_with_chunk(kind: bytes, data: bytes) -> bytes:
    png = _image("PNG")
    return png[:33] + _png_chunk(kind, data) + png[33:]  # after the 8-byte signature and IHDR


def _upload(client, content: bytes, name="me.png", content_type="image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        IMAGE_URL, {"image": SimpleUploadedFile(name, content, content_type=content_type)}, format="multipart"
    )


def _riff_chunks(data: bytes) -> set[bytes]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    kinds, position = set(), 12
    while position + 8 <= len(data):
        kind, size = data[position : position + 4], struct.unpack("<I", data[position + 4 : position + 8])[0]
        kinds.add(kind)
        position += 8 + size + (size & 1)
    return kinds


ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00payload.js" + b"\x00" * 16 + b"PK\x05\x06" + b"\x00" * 18
SCRIPT = b"alert(document.cookie)//"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, name, content_type, payload",
    [
        (_image("JPEG") + ZIP, "me.jpg", "image/jpeg", b"PK\x03\x04"),  # a JPEG that is also a zip
        (_png_with_chunk(b"ruNz", ZIP), "me.png", "image/png", b"PK\x03\x04"),  # a zip in a private chunk
        (_png_with_chunk(b"tEXt", b"Comment\x00" + SCRIPT), "me.png", "image/png", SCRIPT),  # script as text
    ],
)
def test_a_polyglot_image_keeps_nothing_but_pixels(
    customer, customer_client, content, name, content_type, payload
):
    # Given a file that is a valid image and also carries a zip or a script
    with Image.open(io.BytesIO(content)) as opened:
        opened.load()
    # When it is uploaded
    response = _upload(customer_client, content, name, content_type)
    # Then it is accepted as the image it also is, and stored re-encoded: a WebP of pixel chunks
    # only, without the zip or the script (markup is refused outright, see below)
    assert response.status_code == 201, response.content[:200]
    customer.refresh_from_db()
    with customer.profile_image.open("rb") as fh:
        stored = fh.read()
    assert payload not in stored
    assert _riff_chunks(stored) <= PIXEL_CHUNKS


@pytest.mark.django_db
@pytest.mark.parametrize("markup", [b"<script>alert(1)</script>", b"<svg onload=alert(1)>", b"<html><body>"])
def test_an_image_carrying_markup_anywhere_is_refused(customer, customer_client, markup):
    # Markup inside a chunk (not after the image) is refused too: a browser sniffing it finds HTML
    response = _upload(customer_client, _png_with_chunk(b"tEXt", b"Comment\x00" + markup))
    assert response.status_code == 400
    customer.refresh_from_db()
    assert not customer.profile_image


def _jpeg_declaring(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) declares `width` x `height` pixels."""
    data = bytearray(_image("JPEG", (16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, name, content_type",
    [
        (_jpeg_declaring(60_000, 60_000), "bomb.jpg", "image/jpeg"),
        (_jpeg_declaring(7_000, 7_000), "bomb.jpg", "image/jpeg"),  # 49 M pixels: over the 40 M setting
        # a zTXt chunk of 100 MB of zeros, compressed to about 100 kB
        (
            _png_with_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"\x00" * 100_000_000, 9)),
            "bomb.png",
            "image/png",
        ),
    ],
)
def test_a_decompression_bomb_is_refused_quickly(customer, customer_client, content, name, content_type):
    started = time.monotonic()
    response = _upload(customer_client, content, name, content_type)
    assert response.status_code == 400, response.content[:200]
    assert response.json()["error"]["code"] == "validation_error"
    assert time.monotonic() - started < 5
    customer.refresh_from_db()
    assert not customer.profile_image


# --- reset emails from the page share the API's limits -------------------------------------


def _page_reset(client, email, ip="203.0.113.5"):
    return client.post("/account/password-reset/", {"email": email}, REMOTE_ADDR=ip)


def _api_reset(email, ip="203.0.113.5"):
    return APIClient().post("/api/auth/forgot-password", {"email": email}, format="json", REMOTE_ADDR=ip)


@pytest.mark.django_db
@override_settings(ACTION_THROTTLE_RATES={"password-reset": {"account": "2/hour", "ip": "100/hour"}})
def test_the_reset_page_is_limited_per_email_address(django_capture_on_commit_callbacks):
    customer = CustomerFactory(email="forgetful@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [_page_reset(Client(), customer.email, ip=f"203.0.113.{n}").status_code for n in range(2)]
        # a third ask for the same address, in another case, from yet another address
        limited = _page_reset(Client(), "FORGETFUL@example.com ", ip="198.51.100.9")
        other = _page_reset(Client(), "someone.else@example.com", ip="198.51.100.9")
    assert answers == [302, 302]
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert b"Too many reset emails" in limited.content
    assert other.status_code == 302
    assert len(mail.outbox) == 2


@pytest.mark.django_db
@override_settings(ACTION_THROTTLE_RATES={"password-reset": {"account": "100/hour", "ip": "3/hour"}})
def test_the_reset_page_is_limited_per_client_ip():
    answers = [_page_reset(Client(), f"person{n}@example.com").status_code for n in range(4)]
    elsewhere = _page_reset(Client(), "person9@example.com", ip="198.51.100.9")
    assert answers == [302, 302, 302, 429]
    assert elsewhere.status_code == 302


@pytest.mark.django_db
@override_settings(ACTION_THROTTLE_RATES={"password-reset": {"account": "2/hour", "ip": "100/hour"}})
def test_the_reset_page_and_the_api_count_against_the_same_limits(django_capture_on_commit_callbacks):
    customer = CustomerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert _api_reset(customer.email).status_code == 204
        assert _page_reset(Client(), customer.email).status_code == 302
        # the third, whichever way it comes, is refused
        assert _page_reset(Client(), customer.email).status_code == 429
        assert _api_reset(customer.email).status_code == 429
    assert len(mail.outbox) == 2


@pytest.mark.django_db
@override_settings(ACTION_THROTTLE_RATES={"password-reset": {"account": "1/hour", "ip": "100/hour"}})
def test_the_reset_page_limit_does_not_reveal_whether_the_account_exists():
    customer = CustomerFactory()
    known = [_page_reset(Client(), customer.email).status_code for _ in range(2)]
    unknown = [_page_reset(Client(), "nobody@example.com").status_code for _ in range(2)]
    assert known == unknown == [302, 429]


# --- self-referral ----------------------------------------------------------------------------


def _register(email: str, code: str):
    return APIClient().post(
        "/api/auth/register",
        {
            "email": email,
            "password": "Sandalwood-Ember-42",
            "confirm_password": "Sandalwood-Ember-42",
            "first_name": "Sam",
            "last_name": "Self",
            "accepted_terms": True,
            "referral_code": code,
        },
        format="json",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "referrer_email, signup_email",
    [
        ("jane.doe@example.com", "Jane.Doe+second@example.com"),  # the same mailbox with a +tag
        ("jane.doe@gmail.com", "janedoe@gmail.com"),  # Gmail ignores dots
        ("jane.doe@gmail.com", "j.a.n.e.d.o.e+x@googlemail.com"),  # and googlemail.com is gmail.com
    ],
)
def test_self_referral_through_the_api_is_refused_and_earns_nothing(referrer_email, signup_email):
    # Given a customer's referral code
    referrer = CustomerFactory(email=referrer_email)
    code = loyalty_account_ensure(customer=referrer).referral_code
    # When a sign-up with the same mailbox uses it
    response = _register(signup_email, code)
    # Then it is refused naming the code, no account is left behind, and nothing is pending
    assert response.status_code == 400, response.content
    assert "referral_code" in response.json()["error"]["details"]
    assert not Customer.objects.filter(email__iexact=signup_email).exists()
    assert not Referral.objects.exists()
    assert LoyaltyAccount.objects.get(customer=referrer).points_balance == 0


@pytest.mark.django_db
def test_a_referral_from_a_different_mailbox_is_accepted(db):
    # Dots are significant outside Gmail: jane.doe@ and janedoe@example.com are two people
    referrer = CustomerFactory(email="jane.doe@example.com")
    code = loyalty_account_ensure(customer=referrer).referral_code
    assert _register("janedoe@example.com", code).status_code == 201
    assert Referral.objects.get().referrer == referrer


def test_mailbox_canonical_folds_tags_case_and_gmail_dots():
    assert mailbox_canonical(" Jane.Doe+Shop@Example.com ") == "jane.doe@example.com"
    assert mailbox_canonical("J.ane.Doe+x@GoogleMail.com") == "janedoe@gmail.com"
    assert mailbox_canonical("jane.doe@gmail.com") == mailbox_canonical("janedoe@gmail.com")


# --- check_ledger, for staff in production ----------------------------------------------------


@pytest.mark.django_db
def test_check_ledger_passes_on_balances_made_through_the_services(customer):
    from io import StringIO

    from loyalty.services import loyalty_balance_adjust

    loyalty_balance_adjust(customer=customer, points=40, reason="Grant")
    loyalty_balance_adjust(customer=customer, points=-15, reason="Correction")
    out = StringIO()
    call_command("check_ledger", stdout=out)
    assert "matches" in out.getvalue()
    assert bearer_client(customer.user).get("/api/customers/loyalty").json()["loyalty_points"] == 25
