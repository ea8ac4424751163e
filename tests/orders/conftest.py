import pytest

from tests.orders.factories import ProductFactory


@pytest.fixture
def product(db):
    return ProductFactory(sku="CNDL-LAV", name="Lavender Candle")
