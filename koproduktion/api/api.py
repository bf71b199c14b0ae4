"""The public REST API, mounted at /api/v1/. Each app contributes its router."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import HttpError, ValidationError

from koproduktion.activity.api import router as activity_router
from koproduktion.actors.api import router as actors_router
from koproduktion.api.cache import VisitorCachingRenderer
from koproduktion.api.openapi import DocumentedApi
from koproduktion.api.parser import BodyRefused, JsonParser
from koproduktion.core.api import router as core_router
from koproduktion.core.ratelimit import RateLimited
from koproduktion.core.request_limits import REFUSED_FOR_SIZE, size_refusal
from koproduktion.decisions.api import router as decisions_router
from koproduktion.evaluation.api import router as evaluation_router
from koproduktion.events.api import router as events_router
from koproduktion.ideas.api import router as ideas_router
from koproduktion.implementation.api import router as implementation_router
from koproduktion.initiatives.api import router as initiatives_router
from koproduktion.opendata.api import router as opendata_router
from koproduktion.opinions.api import router as opinions_router
from koproduktion.practice.api import router as practice_router
from koproduktion.projects.api import router as projects_router
from koproduktion.search.api import router as search_router
from koproduktion.support.api import router as support_router

api = DocumentedApi(
    title="Koproduktion API",
    version="1",
    description="Öffentliche Daten der Kommunen: Quartiere, Fachbereiche, Vorhaben und Phasen.",
    urls_namespace="api-v1",
    renderer=VisitorCachingRenderer(),
    parser=JsonParser(),
)
api.add_router("/", core_router)
api.add_router("/", projects_router)
api.add_router("/", ideas_router)
api.add_router("/", opinions_router)
api.add_router("/", decisions_router)
api.add_router("/", implementation_router)
api.add_router("/", events_router)
api.add_router("/", initiatives_router)
api.add_router("/", actors_router)
api.add_router("/", search_router)
api.add_router("/", practice_router)
api.add_router("/", opendata_router)
api.add_router("/", evaluation_router)
api.add_router("/", support_router)
api.add_router("/", activity_router)


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # A clearer envelope than the default: one human sentence, then the details per field.
    return api.create_response(
        request,
        {"detail": _("Ungültige Parameter."), "errors": exc.errors},
        status=422,
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja wraps whatever the parser raised in its own English sentence.
    cause = exc.__cause__
    detail = str(cause) if isinstance(cause, BodyRefused) else str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Nicht gefunden.")}, status=404)


@api.exception_handler(PermissionDenied)
def refused(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # Services refuse with a reason a person can act on; it becomes the JSON detail.
    detail = str(exc.args[0]) if exc.args else _("Das ist Ihnen nicht erlaubt.")
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(DjangoValidationError)
def invalid_content(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service refused the content: the messages, and per field where the service named one."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    detail = " ".join(message for messages in errors.values() for message in messages)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=400)


def too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Django refused the body for its size (also with DEBUG on, where django-ninja answered 500)."""
    status, detail = size_refusal(exc) or (400, "")
    return api.create_response(request, {"detail": detail}, status=status)


for _refused in REFUSED_FOR_SIZE:
    api.add_exception_handler(_refused, too_large)


@api.exception_handler(RateLimited)
def too_many(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response
