import pytest

from tests.checkout.factories import VariantFactory


@pytest.fixture
def variant(db):
    return VariantFactory(sku="DIFF-CED-100", price="38.00", stock=5)
