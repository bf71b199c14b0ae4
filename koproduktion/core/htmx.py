from django.http import HttpRequest


def wants_fragment(request: HttpRequest) -> bool:
    """htmx asks for a part of the page (not a boosted whole page); answer with the fragment."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-Boosted")
