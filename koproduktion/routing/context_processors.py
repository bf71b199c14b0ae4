from django.http import HttpRequest

from .selectors import inbox_counts


def workspaces(request: HttpRequest) -> dict[str, object]:
    """The department inboxes in the header, with their open items; lazy, so pages that do not
    show them, and people without an inbox, pay nothing for them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_workspaces": lambda: inbox_counts(user=user)}
