"""The learning pages: "So funktioniert Mitmachen hier" in plain language, with the town's own
numbers (its promises, its quorum, the supporters an initiative needs), and the method guides
for those who plan participation (a neighbourhood walk, a future workshop, people drawn by lot).

Every number on the participation page is read from the town's data, never written into the
text: the town's admins change them in its settings and its charter.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from koproduktion.charter.models import PromiseKind
from koproduktion.charter.selectors import charter_promises
from koproduktion.core.selectors import municipality_get
from koproduktion.ideas.models import IdeaStatus

# slug → (title, template); the order is the methods page's.
METHODS = {
    "quartiersspaziergang": (_("Quartiersspaziergang"), "practice/methods/walk.html"),
    "zukunftswerkstatt": (_("Zukunftswerkstatt"), "practice/methods/future_workshop.html"),
    "zufallsauswahl": (
        _("Zufallsauswahl: Beteiligte per Los"),
        "practice/methods/random_selection.html",
    ),
}

# What each status of an idea means, in plain words; the labels are the ideas app's.
STATUS_MEANINGS = (
    (IdeaStatus.NEW, _("Die Idee ist da. Alle können sie lesen.")),
    (IdeaStatus.UNDER_REVIEW, _("Ein Amt sieht sich die Idee genau an.")),
    (IdeaStatus.ANSWERED, _("Das Amt hat geantwortet. Die Antwort steht bei der Idee.")),
    (IdeaStatus.ACCEPTED, _("Die Idee wird gemacht. Der Grund steht dabei.")),
    (IdeaStatus.REJECTED, _("Die Idee wird nicht gemacht. Auch hier steht der Grund dabei.")),
    (IdeaStatus.IMPLEMENTED, _("Die Idee ist fertig umgesetzt.")),
    (IdeaStatus.MERGED, _("Eine gleiche Idee gab es schon. Beide sind jetzt eine.")),
)


@require_safe
def participation_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    promises = {promise.kind: promise for promise in charter_promises(municipality=municipality)}
    return render(
        request,
        "practice/participation.html",
        {
            "municipality": municipality,
            "promises": promises,
            "answer_promised": PromiseKind.ANSWER in promises,
            "listed": promises.get(PromiseKind.LISTED),
            "reasons_promised": PromiseKind.REASONS in promises,
            "feedback": promises.get(PromiseKind.FEEDBACK),
            "methods": METHODS,
            "statuses": [(status.label, meaning) for status, meaning in STATUS_MEANINGS],
        },
    )


@require_safe
def methods_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    return render(
        request, "practice/methods.html", {"municipality": municipality, "methods": METHODS}
    )


@require_safe
def method_view(request: HttpRequest, municipality_slug: str, method: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    if method not in METHODS:
        raise Http404
    title, template = METHODS[method]
    return render(
        request,
        template,
        {"municipality": municipality, "method": method, "title": title, "methods": METHODS},
    )
