"""Fixtures of the core tests."""

from .redis_support import redis_prefix  # noqa: F401 - a fixture, for the rate-limit tests
