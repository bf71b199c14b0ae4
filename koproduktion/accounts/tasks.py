"""Background work of the accounts app: e-mails go out through Django's tasks interface."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


def _send(*, user_id: int, template: str, **context: str) -> None:
    from .models import User  # noqa: PLC0415 - tasks module is imported by services

    user = User.objects.get(pk=user_id)
    with translation.override(user.language):
        context = {"user": user, "site_name": settings.SITE_NAME, **context}
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"accounts/email/{template}_body.txt", context)
    send_mail(subject, body, None, [user.email])


@task()
def send_confirmation_email(*, user_id: int, confirm_url: str) -> None:
    _send(user_id=user_id, template="confirm", confirm_url=confirm_url)


@task()
def send_registration_attempt_email(*, user_id: int, reset_url: str) -> None:
    """Tell the owner of an address that someone tried to register with it."""
    _send(user_id=user_id, template="registration_attempt", reset_url=reset_url)
