"""Staff pages of the opinion map: import a Polis export, follow the import, download the export.

The upload's size is checked from the request's declared length before a byte of it is read
(the page says why, with status 413); then the CSRF check, then the form's checks of the files
(``upload``). The import runs in the background; its page shows the progress and refreshes
itself with htmx, and without JavaScript offers a link that loads it again. The export is
written while it is downloaded.
"""

from __future__ import annotations

import rules
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from koproduktion.core.htmx import wants_fragment
from koproduktion.projects.models import Project
from koproduktion.projects.views import project_for_request

from . import selectors, services
from .forms import PolisImportForm
from .import_messages import full
from .models import PolisImport
from .polis_files import UPLOAD_MAX_BYTES
from .polis_writer import conversation, export_files, stream_zip


def _require(request: HttpRequest, project: Project, rule: str) -> None:
    if not rules.test_rule(rule, request.user, project):
        raise Http404


def _import_page(
    request: HttpRequest, project: Project, form: PolisImportForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "opinions/import.html",
        {
            "project": project,
            "municipality": project.municipality,
            "form": form,
            "refusal": services.import_refusal(user=request.user, project=project),
            "imports": selectors.polis_imports(project=project)[:10],
            "max_size": filesizeformat(UPLOAD_MAX_BYTES),
        },
        status=status,
    )


@csrf_exempt  # checked below, after the size: the check would read the whole body first
def import_page(request: HttpRequest, municipality_slug: str, project_slug: str) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    _require(request, project, "opinions.can_import")
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > UPLOAD_MAX_BYTES:
            # A bound form with only this error, next to the field: the body stays unread.
            form = PolisImportForm(data={}, files={})
            form.errors["dateien"] = form.error_class(
                [
                    _("Die Dateien sind zusammen größer als %(size)s.")
                    % {"size": filesizeformat(UPLOAD_MAX_BYTES)}
                ]
            )
            return _import_page(request, project, form, status=413)
    return _import_submit(request, project)


@csrf_protect
def _import_submit(request: HttpRequest, project: Project) -> HttpResponse:
    if request.method != "POST":
        return _import_page(request, project, PolisImportForm())
    if services.import_refusal(user=request.user, project=project):
        # The page says why in place of the form; the files are not looked at.
        return _import_page(request, project, PolisImportForm(), status=403)
    form = PolisImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = services.polis_import_request(
                actor=request.user, project=project, files=form.cleaned_data["dateien"]
            )
        except services.OpinionRefused as refused:
            form.add_error(None, str(refused))
        else:
            return redirect(
                "opinions:import_status", project.municipality.slug, project.slug, job.pk
            )
    return _import_page(request, project, form, status=400)


def import_status(
    request: HttpRequest, municipality_slug: str, project_slug: str, import_id: int
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    _require(request, project, "opinions.can_import")
    job = selectors.polis_imports(project=project).filter(pk=import_id).first()
    if job is None:
        raise Http404
    context = {
        "project": project,
        "municipality": project.municipality,
        "job": job,
        "error": full(job.error) if job.error else "",
        "notices": _notices(job),
    }
    if wants_fragment(request):
        return render(request, "opinions/_import_status.html", context)
    return render(request, "opinions/import_status.html", context)


def _notices(job: PolisImport) -> list[dict]:
    from .import_messages import describe, where  # noqa: PLC0415

    return [
        {"where": where(notice), "text": describe(notice), **notice}
        for notice in (job.report or {}).get("notices", [])
    ]


def export_download(
    request: HttpRequest, municipality_slug: str, project_slug: str
) -> HttpResponse:
    project = project_for_request(request, municipality_slug, project_slug)
    _require(request, project, "opinions.can_export")
    opinion_map = selectors.opinion_map_get(project=project, with_result=True)
    if opinion_map is None:
        return redirect("opinions:vote", project.municipality.slug, project.slug)
    opinion_map.project = project
    url = request.build_absolute_uri(
        reverse("projects:detail", args=[project.municipality.slug, project.slug])
    )
    files = export_files(conversation(opinion_map=opinion_map, url=url))
    response = StreamingHttpResponse(stream_zip(files), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-polis-export.zip"'
    response["Cache-Control"] = "private, no-store"
    return response
