from django.http import HttpRequest

from .selectors import administered_towns


def roles_workspaces(request: HttpRequest) -> dict[str, object]:
    """The towns the person administers, for the header's link to each town's administration
    (``townadmin:overview``, which leads to the roles page and the rest); lazy, so pages that do
    not show them, and people who are admins nowhere, pay no query for them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"roles_workspaces": lambda: administered_towns(user=user)}
