"""The pages send `style-src 'self'`, so an inline style in a template is silently dropped."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle=", re.IGNORECASE)


def test_templates_have_no_inline_styles_the_csp_would_block():
    # Given every project template
    root = Path(settings.BASE_DIR) / "templates"
    # When we look for <style> blocks and style="" attributes
    offenders = [
        str(path.relative_to(root)) for path in root.rglob("*.html") if INLINE_STYLE.search(path.read_text())
    ]
    # Then there are none: styles live in config/static/css/
    assert offenders == []


@pytest.mark.django_db
def test_pages_name_an_icon_that_exists_so_browsers_do_not_ask_for_a_missing_favicon_ico(client):
    # Given the shop front, which extends base.html
    html = client.get("/shop/").content.decode()
    # When we look for its icon link
    href = re.search(r'<link rel="icon" href="([^"]+)"', html)
    # Then it names a static file that is there
    assert href is not None
    assert finders.find(href.group(1).removeprefix(settings.STATIC_URL)) is not None
