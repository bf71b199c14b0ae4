"""Background work of the accounts app: e-mails go out through Django's tasks interface."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_confirmation_email(*, user_id: int, confirm_url: str) -> None:
    from .models import User  # noqa: PLC0415 - tasks module is imported by services

    user = User.objects.get(pk=user_id)
    with translation.override(user.language):
        context = {"user": user, "confirm_url": confirm_url, "site_name": settings.SITE_NAME}
        subject = render_to_string("accounts/email/confirm_subject.txt", context).strip()
        body = render_to_string("accounts/email/confirm_body.txt", context)
    send_mail(subject, body, None, [user.email])
