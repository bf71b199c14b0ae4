"""Reading settings from the environment.

Every setting an operator may change is read here, with a development default that is safe on a
laptop and refused in production (see ``production.py``).
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# A rate as core.ratelimit reads it: "5/10m" is five in ten minutes (units s, m, h, d).
_RATE = re.compile(r"[0-9]+/[0-9]*[smhd]")


def rate_limits_from_environment(
    defaults: dict[str, tuple[str | None, str | None]],
) -> dict[str, tuple[str | None, str | None]]:
    """The limits of ``defaults`` the environment sets: ``RATE_LIMIT_<ACTION>`` as
    ``"per account,per address"``, each a rate or ``-`` for none (``RATE_LIMIT_SEARCH=
    "60/m,600/m"``). A value of another form is refused with the variable's name."""
    limits: dict[str, tuple[str | None, str | None]] = {}
    for action in defaults:
        name = f"RATE_LIMIT_{action.upper()}"
        value = os.environ.get(name, "").strip()
        if not value:
            continue
        parts = [part.strip() for part in value.split(",")]
        if len(parts) != 2 or not all(part == "-" or _RATE.fullmatch(part) for part in parts):
            raise ImproperlyConfigured(
                f"{name} must be two rates, per account and per address, such as "
                f"'60/m,600/m' ('-' for no limit); not {value!r}."
            )
        per_account, per_address = (None if part == "-" else part for part in parts)
        limits[action] = (per_account, per_address)
    return limits


def email_settings(url: str) -> dict[str, object]:
    """Translate ``EMAIL_URL`` into Django's e-mail settings.

    Supported forms: ``console://``, ``locmem://``, ``file:///path/to/dir``,
    ``smtp://user:password@host:587?tls=true`` and ``smtps://user:password@host:465``.
    """
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    scheme = parts.scheme
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured(
                "EMAIL_URL file:// needs a directory, e.g. file:///var/mail."
            )
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ImproperlyConfigured("EMAIL_URL smtp:// needs a host.")
        use_ssl = scheme == "smtps" or query.get("ssl", "").lower() in {"1", "true"}
        use_tls = not use_ssl and query.get("tls", "").lower() in {"1", "true"}
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": parts.port or (465 if use_ssl else 587 if use_tls else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": use_tls,
            "EMAIL_USE_SSL": use_ssl,
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL scheme {scheme!r} is not supported; use console, locmem, file, smtp or smtps."
    )
