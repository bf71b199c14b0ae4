"""Follows and notifications: in the app always, by e-mail as each person chose."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation

from koproduktion.accounts.models import DELETED_ACCOUNT_NAME

from .models import EmailFrequency, Follow, Kind, Notification, NotificationSettings


@transaction.atomic
def follow(*, user: Any, project: Any = None, idea: Any = None) -> Follow:
    """Follow a project or an idea; following twice changes nothing."""
    target = project or idea
    existing = Follow.objects.filter(user=user, project=project, idea=idea).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Follow.objects.create(
                user=user, project=project, idea=idea, municipality_id=target.municipality_id
            )
    except IntegrityError:  # a parallel request followed first
        return Follow.objects.get(user=user, project=project, idea=idea)


@transaction.atomic
def unfollow(*, user: Any, project: Any = None, idea: Any = None) -> None:
    Follow.objects.filter(user=user, project=project, idea=idea).delete()


@transaction.atomic
def follows_carry_over(*, from_idea: Any, to_idea: Any) -> None:
    """Who follows ``from_idea`` follows ``to_idea`` instead (an idea merged into another)."""
    already = Follow.objects.filter(idea=to_idea).values("user_id")
    Follow.objects.filter(idea=from_idea).exclude(user_id__in=already).update(idea=to_idea)
    Follow.objects.filter(idea=from_idea).delete()


def followers(*, project: Any = None, idea: Any = None) -> set[int]:
    """Ids of the people following ``idea`` (and its project) or ``project``."""
    ids = set()
    if idea is not None:
        ids |= set(Follow.objects.filter(idea=idea).values_list("user_id", flat=True))
        project = project or idea.project
    if project is not None:
        ids |= set(Follow.objects.filter(project=project).values_list("user_id", flat=True))
    return ids


@transaction.atomic
def notify(
    *,
    user_ids: Iterable[int],
    municipality_id: int,
    kind: Kind,
    message: str | Callable[[], str],
    url: str,
    idea: Any = None,
    comment: Any = None,
    exclude: Iterable[int | None] = (),
) -> list[Notification]:
    """Tell each of ``user_ids`` (but not those in ``exclude``); mails go out after commit.

    Pass ``message`` as a function that builds the text with gettext, so that each person reads
    it in their own language (the text is built once per language among the recipients).
    """
    recipients = sorted(set(user_ids) - set(exclude))
    if not recipients:
        return []
    languages = dict(
        # Deleted and locked accounts are told nothing.
        get_user_model()
        .objects.filter(pk__in=recipients, is_active=True)
        .values_list("pk", "language")
    )
    texts: dict[str, str] = {}
    for language in set(languages.values()):
        with translation.override(language):
            texts[language] = (message() if callable(message) else message)[:300]
    notifications = Notification.objects.bulk_create(
        Notification(
            user_id=user_id,
            municipality_id=municipality_id,
            kind=kind,
            message=texts[languages[user_id]],
            url=url,
            idea=idea,
            comment=comment,
        )
        for user_id in recipients
        if user_id in languages
    )
    _told(languages)
    immediate = set(languages) - set(
        NotificationSettings.objects.filter(user_id__in=recipients)
        .exclude(email_frequency=EmailFrequency.IMMEDIATELY)
        .values_list("user_id", flat=True)
    )
    if immediate:
        from .tasks import send_immediate_emails  # noqa: PLC0415 - the task imports this module

        ids = [n.pk for n in notifications if n.user_id in immediate]
        transaction.on_commit(lambda: send_immediate_emails.enqueue(notification_ids=ids))
    return notifications


@transaction.atomic
def notification_settings_set(*, user: Any, email_frequency: EmailFrequency) -> None:
    NotificationSettings.objects.update_or_create(
        user=user, defaults={"email_frequency": email_frequency}
    )


@transaction.atomic
def notifications_mark_read(
    *, user: Any, ids: Iterable[int] | None = None, kind: Kind | None = None
) -> int:
    """Mark ``user``'s unread notifications read: all, or those of ``ids`` or of ``kind``."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    if kind is not None:
        unread = unread.filter(kind=kind)
    marked = unread.update(read_at=timezone.now())
    if marked:
        _told([user.pk])
        # The page that marked them shows the header's count too: from the new version.
        user.notifications_version = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .values_list("notifications_version", flat=True)
        ).first() or 0
    return marked


def _told(user_ids: Iterable[int]) -> None:
    """What these people were told changed: their count of unread notices is counted afresh."""
    get_user_model().objects.filter(pk__in=list(user_ids)).update(
        notifications_version=F("notifications_version") + 1
    )


@transaction.atomic
def notifications_forget(*, user: Any) -> None:
    """Delete what ``user`` follows, their inbox and their e-mail settings (account deletion).

    Other people's notices that name the person ("… hat geantwortet") get "deleted account" in
    the name's place, in each reader's language.
    """
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    NotificationSettings.objects.filter(user=user).delete()
    if not user.public_name:
        return
    naming = list(
        Notification.objects.filter(comment__author=user, message__contains=user.public_name)
        .select_related("user")
        .only("message", "user__language")
    )
    for notification in naming:
        with translation.override(notification.user.language):
            notification.message = notification.message.replace(
                user.public_name, str(DELETED_ACCOUNT_NAME)
            )[:300]
    Notification.objects.bulk_update(naming, ["message"])
