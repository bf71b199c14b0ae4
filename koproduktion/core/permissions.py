"""Asking a rule inside a service, with a reason a person can act on."""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied


def require(rule: str, user: Any, obj: Any, message: str) -> None:
    """Raise ``PermissionDenied(message)`` unless ``rule`` allows ``user`` on ``obj``."""
    if not rules.test_rule(rule, user, obj):
        raise PermissionDenied(message)
