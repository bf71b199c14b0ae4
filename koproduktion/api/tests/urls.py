"""A tiny API used only by the tests of ``koproduktion.api.auth``."""

from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI

from koproduktion.api.auth import session_or_token

api = NinjaAPI(urls_namespace="auth-test", docs_url=None)


def _whoami(request: HttpRequest) -> dict:
    token = request.api_token
    return {
        "public_name": request.auth.public_name,
        "same_user": request.user == request.auth,
        "token": token.name if token else None,
    }


@api.get("/whoami", auth=session_or_token)
def whoami(request: HttpRequest) -> dict:
    return _whoami(request)


@api.post("/whoami", auth=session_or_token)
def whoami_post(request: HttpRequest) -> dict:
    return _whoami(request)


urlpatterns = [path("api/test/", api.urls)]
