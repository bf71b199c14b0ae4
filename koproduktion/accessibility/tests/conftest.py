import pytest

from koproduktion.core.tests.factories import MunicipalityFactory


@pytest.fixture(autouse=True)
def _operator(settings):
    """Reports go to the operator until a town names its own address."""
    settings.OPERATOR_EMAIL = "betrieb@example.org"


@pytest.fixture
def town():
    return MunicipalityFactory(name="Lindenau")
