from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .plain_text import BIDI_CONTROLS_UTF8
from .views import bad_request


class LanguageMiddleware:
    """German unless the person chose otherwise.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; a municipal site
    speaks German first and switches only when asked (the choice is kept in a cookie).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        # The language comes from a cookie, so shared caches must keep one copy per cookie.
        patch_vary_headers(response, ("Cookie",))
        translation.deactivate()
        return response


class RejectNulCharactersMiddleware:
    """Refuse an address that holds a NUL character with 400, before any view looks it up.

    No address of the site contains one, and PostgreSQL cannot compare text with it: a slug or a
    filter with a NUL would end in a server error instead of "not found". The answer is the
    site's 400 page (JSON under /api/v1/), given here rather than raised: a raised ``BadRequest``
    would put a traceback in the server's log for what is no error of the server.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = (part for key, values in request.GET.lists() for part in (key, *values))
        if "\x00" in request.path or any("\x00" in part for part in query):
            return bad_request(request, BadRequest("NUL character in the address"))
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """An empty 405 (a form's address opened directly, ``require_POST``) as a page of the site.

    Someone following a bookmark or reloading after a redirect would otherwise see a blank page.
    Sits inside the authentication middleware, so the header knows who is logged in; the API's
    answers are not empty and keep their JSON.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content:
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page


class StripBidiControlsMiddleware:
    """No answer in text (pages, feeds, calendars, CSV) carries a character that reorders text.

    New titles, names and texts are stored without them (``core.plain_text``); this covers what
    was stored before, in every place it is shown — a list, a page's title, a feed — at the cost
    of one scan of the rendered bytes. JSON escapes the characters (``\\u202e``) and is left as
    it is here: the API cleans its strings before encoding them (``api/renderer.py``), and the
    map's popups isolate and clean the titles of a page's JSON themselves (``static/js/map.js``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        textual = content_type.startswith("text/") or "+xml" in content_type.split(";")[0]
        if not textual or getattr(response, "streaming", False):
            return response
        cleaned = BIDI_CONTROLS_UTF8.sub(b"", response.content)
        if len(cleaned) != len(response.content):
            response.content = cleaned
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(cleaned))
        return response
