"""The profile image: real JPEG/PNG/WebP only, size and pixel limits, re-encoded without metadata."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from customers.models import Customer

pytestmark = pytest.mark.django_db

URL = "/api/customers/profile/image"


def image_bytes(fmt, size=(64, 48), mode="RGB", **save):
    buffer = io.BytesIO()
    Image.new(mode, size, (10, 120, 200) if mode == "RGB" else (10, 120, 200, 128)).save(buffer, fmt, **save)
    return buffer.getvalue()


def upload(content, name="me.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_header_only(width, height):
    """A PNG that declares `width` x `height` pixels with a few bytes of data: a decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + png_chunk(b"IEND", b"")
    )


def stored(customer):
    customer.refresh_from_db()
    return customer.profile_image


@pytest.mark.parametrize(
    "fmt, name, content_type",
    [("PNG", "me.png", "image/png"), ("JPEG", "me.jpg", "image/jpeg"), ("WEBP", "me.webp", "image/webp")],
)
def test_profile_image_accepts_real_png_jpeg_and_webp(customer, customer_client, fmt, name, content_type):
    response = customer_client.post(
        URL, {"image": upload(image_bytes(fmt), name, content_type)}, format="multipart"
    )

    assert response.status_code == 201
    url = response.json()["profile_image_url"]
    assert url.startswith("http://testserver/media/profile-images/") and url.endswith(".webp")
    image = stored(customer)
    with image.open("rb") as fh, Image.open(fh) as decoded:
        assert decoded.format == "WEBP"
        assert decoded.size == (64, 48)


def test_profile_image_is_re_encoded_without_metadata(customer, customer_client):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS
    content = image_bytes("JPEG", exif=exif.tobytes(), icc_profile=b"icc-profile-bytes")
    assert b"SecretCam" in content

    customer_client.put(URL, {"image": upload(content, "me.jpg", "image/jpeg")}, format="multipart")

    with stored(customer).open("rb") as fh:
        data = fh.read()
    assert b"SecretCam" not in data and b"icc-profile-bytes" not in data
    with Image.open(io.BytesIO(data)) as decoded:
        assert len(decoded.getexif()) == 0
        assert "icc_profile" not in decoded.info


def test_profile_image_keeps_transparency_and_is_scaled_down(customer, customer_client, settings):
    settings.PROFILE_IMAGE_MAX_SIDE = 100

    customer_client.post(URL, {"image": upload(image_bytes("PNG", (400, 200), "RGBA"))}, format="multipart")

    with stored(customer).open("rb") as fh, Image.open(fh) as decoded:
        assert decoded.size == (100, 50)
        assert decoded.mode == "RGBA"


def test_profile_image_refuses_a_text_file_named_png(customer, customer_client):
    response = customer_client.post(URL, {"image": upload(b"hello, I am text\n" * 20)}, format="multipart")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert "image" in response.json()["error"]["details"]
    assert not stored(customer)


def test_profile_image_refuses_a_gif(customer_client):
    response = customer_client.post(URL, {"image": upload(image_bytes("GIF"), "me.png")}, format="multipart")

    assert response.status_code == 400


@pytest.mark.parametrize(
    "payload",
    [b"<script>alert(1)</script>", b"<?php system($_GET['c']); ?>", b"<html><body>hi</body></html>"],
)
def test_profile_image_refuses_a_polyglot(customer_client, payload):
    response = customer_client.post(URL, {"image": upload(image_bytes("PNG") + payload)}, format="multipart")

    assert response.status_code == 400


def test_profile_image_refuses_data_after_the_end_of_a_png(customer_client):
    response = customer_client.post(
        URL, {"image": upload(image_bytes("PNG") + b"\x00PK\x03\x04zip")}, format="multipart"
    )

    assert response.status_code == 400


def test_profile_image_refuses_a_truncated_image(customer_client):
    response = customer_client.post(
        URL, {"image": upload(image_bytes("JPEG", (300, 300))[:400], "me.jpg")}, format="multipart"
    )

    assert response.status_code == 400


def test_profile_image_refuses_a_decompression_bomb(customer, customer_client):
    response = customer_client.post(
        URL, {"image": upload(png_header_only(30_000, 30_000))}, format="multipart"
    )

    assert response.status_code == 400
    assert "pixels" in response.json()["error"]["message"]
    assert not stored(customer)


def test_profile_image_refuses_more_pixels_than_the_setting(customer_client, settings):
    settings.PROFILE_IMAGE_MAX_PIXELS = 64 * 48 - 1

    response = customer_client.post(URL, {"image": upload(image_bytes("PNG"))}, format="multipart")

    assert response.status_code == 400


def test_profile_image_over_5_mb_is_413(customer, customer_client, settings):
    assert settings.API_MAX_UPLOAD_BYTES == 5 * 1024 * 1024
    content = image_bytes("PNG") + b"\x00" * (settings.API_MAX_UPLOAD_BYTES)

    response = customer_client.post(URL, {"image": upload(content)}, format="multipart")

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert not stored(customer)


def test_profile_image_far_over_the_limit_is_413_before_it_is_read(customer_client, settings):
    settings.API_MAX_UPLOAD_BYTES = 10_000

    response = customer_client.post(URL, {"image": upload(b"\x00" * 200_000)}, format="multipart")

    assert response.status_code == 413


def test_profile_image_needs_multipart(customer_client):
    response = customer_client.post(URL, {"image": "aGVsbG8="}, format="json")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_profile_image_without_the_field_is_400(customer_client):
    response = customer_client.post(URL, {"other": "x"}, format="multipart")

    assert response.status_code == 400
    assert "image" in response.json()["error"]["details"]


def test_profile_image_replacing_deletes_the_old_file(
    customer, customer_client, django_capture_on_commit_callbacks
):
    customer_client.post(URL, {"image": upload(image_bytes("PNG"))}, format="multipart")
    first = stored(customer)
    storage, first_name = first.storage, first.name

    with django_capture_on_commit_callbacks(execute=True):
        response = customer_client.put(
            URL, {"image": upload(image_bytes("JPEG"), "b.jpg")}, format="multipart"
        )

    assert response.status_code == 200
    assert not storage.exists(first_name)
    assert storage.exists(stored(customer).name)


def test_profile_image_delete_removes_the_file(customer, customer_client, django_capture_on_commit_callbacks):
    customer_client.post(URL, {"image": upload(image_bytes("PNG"))}, format="multipart")
    image = stored(customer)
    storage, name = image.storage, image.name

    with django_capture_on_commit_callbacks(execute=True):
        response = customer_client.delete(URL)

    assert response.status_code == 204
    assert not storage.exists(name)
    assert customer_client.get(URL).json() == {"profile_image_url": None}
    assert customer_client.delete(URL).status_code == 204


def test_profile_image_get_answers_the_url(customer, customer_client):
    assert customer_client.get(URL).json() == {"profile_image_url": None}
    customer_client.post(URL, {"image": upload(image_bytes("PNG"))}, format="multipart")

    body = customer_client.get(URL).json()

    assert body["profile_image_url"].endswith(stored(customer).name)
    assert (
        customer_client.get("/api/customers/profile").json()["profile_image_url"] == body["profile_image_url"]
    )


def test_profile_image_changes_are_audited(customer, customer_client):
    customer_client.post(URL, {"image": upload(image_bytes("PNG"))}, format="multipart")

    latest = Customer.history.filter(id=customer.pk).order_by("-history_date", "-history_id").first()
    assert latest.history_user == customer.user
    assert latest.profile_image == stored(customer).name
