"""What the implementation's views share: finding the project, showing refusals."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from koproduktion.core.forms import refusal_text


def require_page(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def show_refusal(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, refusal_text(error))
