"""Progress updates: text and photos on the project's timeline, sent to its followers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.permissions import require
from koproduktion.core.readability import readability_refusal
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import followers, notify
from koproduktion.projects.services import project_content_changed

from ..images import clean_image
from ..models import Update, UpdatePhoto
from .common import overview_url

MAX_PHOTOS = 6


@transaction.atomic
@audited(gettext_lazy("Fortschrittsbericht veröffentlicht"))
def update_post(
    *,
    actor: Any,
    project: Any,
    text: str,
    posted_as: str = "",
    milestone: Any = None,
    photos: Sequence[tuple[Any, str]] = (),
) -> Update:
    """Post an update; ``photos`` are (uploaded file, description) pairs.

    Every photo is checked and re-encoded before anything is saved, so a refused photo leaves
    neither a row nor a file behind.
    """
    require(
        "implementation.can_post_update",
        actor,
        project,
        _("Fortschritt berichten die Verwaltung und die verantwortlichen Gruppen."),
    )
    if milestone is not None and milestone.project_id != project.pk:
        raise ValidationError(
            {"milestone": _("Dieser Meilenstein gehört zu einem anderen Vorhaben.")}
        )
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("Höchstens %(count)d Fotos je Bericht.") % {"count": MAX_PHOTOS}}
        )
    if rules.test_rule("projects.can_manage", actor, project):
        # The administration's reports meet the town's minimum readability; resident groups
        # write as they can.
        refusal = readability_refusal(project.municipality.min_readability, {"text": text})
        if refusal is not None:
            raise refusal
    cleaned = []
    for upload, alt_text in photos:
        if not alt_text.strip():
            raise ValidationError({"photos": _("Bitte beschreiben Sie jedes Foto in einem Satz.")})
        cleaned.append((clean_image(upload), alt_text.strip()[:200]))
    update = Update(
        municipality_id=project.municipality_id,
        project=project,
        milestone=milestone,
        author=actor,
        posted_as=posted_as.strip()[:200],
        text=text.strip(),
    )
    update.full_clean()
    update.save()
    for image, alt_text in cleaned:
        photo = UpdatePhoto(
            municipality_id=project.municipality_id, update=update, alt_text=alt_text
        )
        photo.image.save(image.content.name, image.content, save=False)
        photo.save()
    project_content_changed(project_id=project.pk)
    notify(
        user_ids=followers(project=project),
        municipality_id=project.municipality_id,
        kind=Kind.IMPLEMENTATION,
        message=lambda: (
            _("Neuer Fortschrittsbericht in „%(project)s“") % {"project": project.title}
        ),
        url=overview_url(project) + f"#bericht-{update.pk}",
        exclude=[actor.pk],
    )
    return update
