"""The public REST API, mounted at /api/v1/. Each app contributes its router."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from koproduktion.core.api import router as core_router
from koproduktion.projects.api import router as projects_router

api = NinjaAPI(
    title="Koproduktion API",
    version="1",
    description="Öffentliche Daten der Kommunen: Quartiere, Fachbereiche, Vorhaben und Phasen.",
    urls_namespace="api-v1",
)
api.add_router("/", core_router)
api.add_router("/", projects_router)


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # A clearer envelope than the default: one human sentence, then the details per field.
    return api.create_response(
        request,
        {"detail": _("Ungültige Parameter."), "errors": exc.errors},
        status=422,
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Nicht gefunden.")}, status=404)
