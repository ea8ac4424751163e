"""Helpers shared by the profile tests."""

import pytest

from customers import registry


@pytest.fixture(name="registry_restored")
def registry_restored_fixture():
    """Lets a test register sections and erasers; the registries are put back as they were."""
    saved = [
        (target, dict(target))
        for target in (registry._profile_sections, registry._export_sections, registry._erasers)
    ]
    yield registry
    for target, content in saved:
        target.clear()
        target.update(content)
