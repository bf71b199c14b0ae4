"""What the implementation's views share: finding the project, showing refusals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from koproduktion.core.selectors import municipality_get
from koproduktion.projects.selectors import project_get


def project_for(request: HttpRequest, municipality_slug: str, project_slug: str) -> Any:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    project = project_get(municipality=municipality, slug=project_slug, user=request.user)
    project.municipality = municipality
    return project


def require_page(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def show_refusal(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, str(error.args[0]) if error.args else str(error))


def errors_onto(form: Any, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form, field by field where it names fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
