"""Writes of the opinion map: statements, moderation, votes and the request to recompute.

Every refusal raises ``OpinionRefused`` with a sentence the person can act on, before anything is
written. The math never runs here: a vote only marks the map for recomputation (see ``tasks``).
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.rules import has_confirmed_email, is_member
from koproduktion.projects.capabilities import Capability, phase_allows
from koproduktion.projects.models import Project
from koproduktion.projects.services import project_content_changed

from .models import (
    STATEMENT_MAX_LENGTH,
    OpinionMap,
    Participant,
    PolisImport,
    Statement,
    StatementVote,
)
from .voting import (
    computation_claimed,
    inputs_raise,
    later_vote_saved,
    new_vote,
    participant_of,
    vote_save,
)

# Uploaded Polis exports wait here until imported; no upload field names this folder, so
# core.media serves its files to nobody.
IMPORT_FOLDER = "opinions/polis-imports"
# An import that has not ended after this long (its worker stopped) no longer blocks the next;
# should it end after all, it finds the statements of the next and stores nothing.
STALE_IMPORT = datetime.timedelta(hours=2)


class OpinionRefused(PermissionDenied):
    """The person may not do this here; ``str(exc)`` says why."""


def participation_refusal(*, user: Any, project: Project) -> str | None:  # noqa: PLR0911 - one reason per check, in order
    """Why ``user`` may not vote on or propose statements in ``project``; ``None`` if they may."""
    if rules.test_rule("opinions.can_vote", user, project):
        return None
    if not project.is_published:
        return _("Dieses Vorhaben ist noch nicht veröffentlicht.")
    if not phase_allows(project.phase, Capability.GIVE_OPINION):
        return _("Am Meinungsbild kann man nur in der Dialogphase mitwirken.")
    if not getattr(user, "is_authenticated", False):
        return _("Bitte melden Sie sich an, um mitzuwirken.")
    if not has_confirmed_email(user):
        return _("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse.")
    if not is_member(user, project):
        return _("Mitwirken können Menschen, die in dieser Kommune registriert sind.")
    return _("Sie können hier derzeit nicht mitwirken.")


def _require_participation(user: Any, project: Project) -> None:
    reason = participation_refusal(user=user, project=project)
    if reason:
        raise OpinionRefused(reason)


def _require_moderation(user: Any, project: Project) -> None:
    if not rules.test_rule("opinions.can_moderate", user, project):
        raise OpinionRefused(_("Nur Moderation und Verwaltung der Kommune dürfen das."))


def _require_room(project: Project) -> None:
    """Polis's cap on statements: past it a statement could never count in the map."""
    limit = settings.OPINION_MAP_MAX_STATEMENTS
    if Statement.objects.filter(project=project).count() >= limit:
        raise ValidationError(
            _(
                "Dieses Meinungsbild hat die Höchstzahl von %(limit)s Thesen erreicht; "
                "weitere Thesen könnten nicht mehr ausgewertet werden."
            )
            % {"limit": number_format(limit, force_grouping=True)},
            code="statement_limit",
        )


def _inputs_changed(project_id: int) -> None:
    """Once the current transaction commits (at once outside one): raise the map's input version
    (a computation that read less stores nothing over this), and ask for a computation unless
    one is queued already.

    One hand-written statement on the map's ``OpinionMapInputs`` row (made by the first change),
    after the commit, not inside the transaction: an UPDATE holds the row until its transaction
    ends, so every vote of the map would queue behind the one before it (a voter descheduled on
    a busy machine would hold up all the others). After the commit the row is held for one
    statement. Every version read after the raise is of a change committed before it, so the
    votes a computation reads after reading the version include that change. The row is not the
    map's: a computation storing its result holds that one while it writes.

    The request is debounced: while a computation is queued (``update_requested_at`` set and
    not older than ``voting.STALE_REQUEST``), further changes only raise the version, because the
    queued computation reads every vote when it starts. The same statement claims the request,
    so concurrent voters cannot queue twice.
    """
    transaction.on_commit(lambda: _map_inputs_raised(project_id))


def _map_inputs_raised(project_id: int) -> None:
    sql, params = inputs_raise(project_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    computation_claimed(project_id, claimed=row is not None and bool(row[0]))


def _clean_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ValidationError(_("Bitte schreiben Sie eine These."), code="required")
    if len(text) > STATEMENT_MAX_LENGTH:
        raise ValidationError(
            _("Eine These hat höchstens %(limit)d Zeichen.") % {"limit": STATEMENT_MAX_LENGTH},
            code="max_length",
        )
    return text


@transaction.atomic
def opinion_map_ensure(*, project: Project) -> OpinionMap:
    """The project's opinion map, created on first use (the project's page then links to it)."""
    opinion_map, created = OpinionMap.objects.get_or_create(
        project=project, defaults={"municipality_id": project.municipality_id}
    )
    if created:
        project_content_changed(project_id=project.pk)
    return opinion_map


@transaction.atomic
@audited(gettext_lazy("These gesetzt"), fields=["text", "is_meta"])
def statement_seed(*, actor: Any, project: Project, text: str, is_meta: bool = False) -> Statement:
    """A statement set by staff or moderation: shown at once, no moderation needed."""
    _require_moderation(actor, project)
    text = _clean_text(text)
    _require_room(project)
    opinion_map_ensure(project=project)
    return Statement.objects.create(
        municipality_id=project.municipality_id,
        project=project,
        text=text,
        author=actor,
        is_seed=True,
        is_meta=is_meta,
        status=Statement.Status.ACCEPTED,
        moderated_at=timezone.now(),
    )


@transaction.atomic
def statement_propose(*, actor: Any, project: Project, text: str) -> Statement:
    """A resident's statement; it waits for moderation unless a moderator wrote it."""
    _require_participation(actor, project)
    text = _clean_text(text)
    if (
        Statement.objects.filter(project=project, text__iexact=text)
        .exclude(status=Statement.Status.REJECTED)
        .exists()
    ):
        raise ValidationError(_("Diese These gibt es schon."), code="duplicate")
    _require_room(project)
    opinion_map_ensure(project=project)
    trusted = rules.test_rule("opinions.can_moderate", actor, project)
    return Statement.objects.create(
        municipality_id=project.municipality_id,
        project=project,
        text=text,
        author=actor,
        status=Statement.Status.ACCEPTED if trusted else Statement.Status.PENDING,
        moderated_at=timezone.now() if trusted else None,
    )


@transaction.atomic
@audited(
    gettext_lazy("These moderiert"),
    target="statement",
    fields=["status", "moderation_reason", "is_meta"],
)
def statement_moderate(
    *, actor: Any, statement: Statement, accept: bool, reason: str = "", is_meta: bool = False
) -> Statement:
    """Accept or reject a statement; a rejection needs a reason the author will see.

    Rejecting an accepted statement takes it out of the math at the next computation (Polis's
    "moderated out"); its votes are kept, so accepting it again restores them.
    """
    _require_moderation(actor, statement.project)
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError(_("Bitte begründen Sie die Ablehnung."), code="reason_required")
    statement.status = Statement.Status.ACCEPTED if accept else Statement.Status.REJECTED
    statement.moderation_reason = reason
    statement.is_meta = is_meta
    statement.moderated_at = timezone.now()
    statement.save(update_fields=["status", "moderation_reason", "is_meta", "moderated_at"])
    # A rejected text leaves every cached page at once, not only after the next computation.
    project_content_changed(project_id=statement.project_id)
    if statement.vote_count:
        _inputs_changed(statement.project_id)
    return statement


def participant_for_user(*, project: Project, user: Any) -> Participant:
    participant, _created = Participant.objects.get_or_create(
        project=project, user=user, defaults={"municipality_id": project.municipality_id}
    )
    return participant


def vote_cast(*, actor: Any, statement: Statement, value: int) -> StatementVote:
    """Record ``actor``'s answer to ``statement``; a second answer replaces the first.

    ``statement.project`` must be loaded (it is checked against the rules). The same few
    queries whatever the size of the conversation: the math runs later, in the background.
    A person's participant row, made at their first vote, stays if the vote itself fails: it is
    theirs all the same.
    """
    project = statement.project
    _require_participation(actor, project)
    _require_votable(statement, value)
    vote = later_vote_saved(user=actor, statement=statement, value=value)
    if vote is not None:
        return vote
    return participant_vote_record(
        participant=participant_of(project=project, user=actor),
        statement=statement,
        value=value,
    )


def _require_votable(statement: Statement, value: int) -> None:
    if statement.status != Statement.Status.ACCEPTED:
        raise OpinionRefused(_("Über diese These kann nicht abgestimmt werden."))
    if value not in StatementVote.Value.values:
        raise ValidationError(_("Unbekannte Stimme."), code="invalid_value")


def participant_without_account(*, project: Project, external_id: str) -> Participant:
    """A person who votes here without an account, known only by ``external_id`` (a person at
    the tablet of an on-site event); the math treats them like everyone else."""
    return Participant.objects.create(
        municipality_id=project.municipality_id, project=project, external_id=external_id
    )


def participant_vote_record(
    *, participant: Participant, statement: Statement, value: int
) -> StatementVote:
    """Store ``participant``'s answer to ``statement`` (the caller has checked who may); a second
    answer replaces the first, so one participant has at most one vote per statement."""
    project = statement.project
    if participant.project_id != project.pk:
        raise OpinionRefused(_("Über diese These kann nicht abgestimmt werden."))
    _require_votable(statement, value)
    vote = new_vote(statement, value, participant)
    vote_save(vote)
    _inputs_changed(project.pk)
    return vote


@transaction.atomic
def votes_withdraw_all(*, user: Any) -> int:
    """Take back every answer ``user`` gave in opinion maps (account deletion).

    The person's participant rows go with their votes; each statement's ``vote_count`` drops by
    the one vote it had from them in the same transaction, and the maps are computed again.
    Returns how many votes were withdrawn.
    """
    withdrawn = 0
    for participant in Participant.objects.select_for_update().filter(user=user):
        statement_ids = list(participant.votes.values_list("statement_id", flat=True))
        Statement.objects.filter(pk__in=statement_ids).update(vote_count=F("vote_count") - 1)
        participant.delete()
        if statement_ids:
            _inputs_changed(participant.project_id)
        withdrawn += len(statement_ids)
    return withdrawn


def import_refusal(*, user: Any, project: Project) -> str | None:
    """Why ``user`` may not import a Polis export into ``project`` now; ``None`` if they may."""
    if not rules.test_rule("opinions.can_import", user, project):
        return _("Einen Polis-Export importieren können nur, wer dieses Vorhaben verwaltet.")
    if Statement.objects.filter(project=project).exists():
        return _(
            "Dieses Meinungsbild hat schon Thesen. Ein Polis-Export kann nur in ein leeres "
            "Meinungsbild importiert werden."
        )
    if PolisImport.objects.filter(
        project=project,
        status__in=[PolisImport.Status.QUEUED, PolisImport.Status.RUNNING],
        created_at__gte=timezone.now() - STALE_IMPORT,
    ).exists():
        return _("Ein Import in dieses Meinungsbild läuft schon.")
    return None


@transaction.atomic
@audited(gettext_lazy("Polis-Export zum Import hochgeladen"), fields=["status", "files"])
def polis_import_request(*, actor: Any, project: Project, files: list[UploadedFile]) -> PolisImport:
    """Store an uploaded Polis export and queue its import into ``project``'s opinion map.

    ``files`` were checked by the form (``upload.check_upload``); the import itself, with every
    line read, runs in the background (``importer.polis_import_run``). The files are stored
    under random names in a folder of their own, never under the names given.
    """
    # The project's row, locked: two uploads at once cannot both pass the check below.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    reason = import_refusal(user=actor, project=project)
    if reason:
        raise OpinionRefused(reason)
    folder = f"{IMPORT_FOLDER}/{secrets.token_hex(16)}"
    stored = []
    for number, upload in enumerate(files):
        upload.seek(0)
        path = default_storage.save(f"{folder}/{number}.upload", upload)
        stored.append({"name": (upload.name or "")[:200], "path": path, "size": upload.size})
    job = PolisImport.objects.create(
        municipality_id=project.municipality_id,
        project=project,
        created_by=actor,
        files=stored,
        progress_total=sum(item["size"] or 0 for item in stored),
    )

    def queue() -> None:
        from .tasks import enqueue_import  # noqa: PLC0415 - tasks import the services

        enqueue_import(import_id=job.pk)

    transaction.on_commit(queue)
    return job
