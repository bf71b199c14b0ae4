from django.http import HttpRequest

from .selectors import agenda_counts


def agenda_workspaces(request: HttpRequest) -> dict[str, object]:
    """The council's agendas in the header, with their items; lazy, and only asked for the
    towns where the person sits on the council or keeps its record."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"agenda_workspaces": lambda: agenda_counts(user=user)}
