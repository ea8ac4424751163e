import pytest

from tests.scents.factories import ensure_note_catalog
from tests.scents.urls import use_account_routes


@pytest.fixture(autouse=True)
def note_catalog(db):
    """The migration's note catalog, even after another test's transactional flush emptied it."""
    ensure_note_catalog()


@pytest.fixture
def account_routes(settings):
    """The base template's account links resolve (stand-ins until the auth branch provides them)."""
    use_account_routes(settings)
