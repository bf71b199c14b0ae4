"""What the implementation's views share: finding the project, showing refusals."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest


def require_page(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def show_refusal(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, str(error.args[0]) if error.args else str(error))
