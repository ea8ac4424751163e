import pytest

from tests.reviews.factories import delivered_product


@pytest.fixture
def product(customer):
    """A product `customer` received."""
    return delivered_product(customer, sku="CNDL-LAV", name="Lavender Candle")
