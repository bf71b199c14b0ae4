from django.http import HttpRequest

from .selectors import workspace_towns


def project_workspaces(request: HttpRequest) -> dict[str, object]:
    """The towns whose projects the person manages, for the header's "Vorhaben verwalten"; lazy,
    and asked only for people holding a role that manages projects."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"project_workspaces": lambda: workspace_towns(user=user)}
