import pytest

from tests.scents.urls import use_account_routes


@pytest.fixture
def account_routes(settings):
    """The base template's account links resolve (stand-ins until the auth branch provides them)."""
    use_account_routes(settings)
