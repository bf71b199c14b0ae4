import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _test_defaults(settings):
    """Every test starts in German with an empty cache, as a first visit would.

    Passwords use a fast hash here; the real hasher is slow on purpose and would only slow the suite.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    with translation.override("de"):
        yield
