from django.http import HttpRequest

from .selectors import queue_counts


def moderation_workspaces(request: HttpRequest) -> dict[str, object]:
    """The moderation queues in the header, with their open items; lazy, and only asked for the
    towns where the person moderates."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"moderation_workspaces": lambda: queue_counts(user=user)}
