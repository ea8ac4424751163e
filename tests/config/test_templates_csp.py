"""The pages send `style-src 'self'`, so an inline style in a template is silently dropped."""

import re
from pathlib import Path

from django.conf import settings

INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle=", re.IGNORECASE)


def test_templates_have_no_inline_styles_the_csp_would_block():
    # Given every project template
    root = Path(settings.BASE_DIR) / "templates"
    # When we look for <style> blocks and style="" attributes
    offenders = [
        str(path.relative_to(root)) for path in root.rglob("*.html") if INLINE_STYLE.search(path.read_text())
    ]
    # Then there are none: styles live in static/css/
    assert offenders == []
