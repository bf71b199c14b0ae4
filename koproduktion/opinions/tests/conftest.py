from koproduktion.core.tests.redis_support import redis_prefix  # noqa: F401 - a fixture
