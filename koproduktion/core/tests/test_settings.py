"""Settings read from the environment, and the production guard."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from koproduktion.settings.caches import cache_settings
from koproduktion.settings.env import email_settings, rate_limits_from_environment
from koproduktion.settings.production import check_production_settings

ROOT = Path(__file__).resolve().parents[3]
SAFE_PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "vT3#kq8Lz!pW0rN5yB7mC2xH9dF4gJ6sA1eU_oI+lK-QZ=RY2024Xp",
    "ALLOWED_HOSTS": "beteiligung.example.org",
    "EMAIL_URL": "smtp://mailer:secret@mail.example.org:587?tls=true",
    "DATABASE_URL": "sqlite:///" + str(ROOT / "db.sqlite3"),
    "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    "OPERATOR_NAME": "Stadt Musterstadt, Amt für Bürgerbeteiligung",
    "OPERATOR_ADDRESS": "Marktplatz 1|12345 Musterstadt",
    "OPERATOR_EMAIL": "beteiligung@musterstadt.example",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The browser tests allow sync ORM calls in this process; a real deployment does not.
    unset = {"DJANGO_ENV", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        # Only against a hang: seed_demo takes 30 s on a quiet machine, and four times as long
        # with two test suites on its two cores; speed is measured in bench/, not here.
        timeout=600,
        check=False,
    )


def test_smtp_url_becomes_django_settings():
    parsed = email_settings("smtp://user%40town:p%23ss@mail.example.org:587?tls=true")
    assert parsed["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert parsed["EMAIL_HOST"] == "mail.example.org"
    assert parsed["EMAIL_PORT"] == 587
    assert parsed["EMAIL_HOST_USER"] == "user@town"
    assert parsed["EMAIL_HOST_PASSWORD"] == "p#ss"
    assert parsed["EMAIL_USE_TLS"] is True
    assert email_settings("smtps://mail.example.org")["EMAIL_PORT"] == 465


def test_file_and_console_mail():
    assert email_settings("file:///tmp/mail")["EMAIL_FILE_PATH"] == "/tmp/mail"
    assert email_settings("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_unknown_mail_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="not supported"):
        email_settings("pigeon://loft")


def test_production_refuses_development_defaults():
    result = _manage("check", env={"DJANGO_ENV": "production"})
    assert result.returncode != 0
    for problem in ("SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL", "OPERATOR_NAME"):
        assert problem in result.stderr


def test_production_with_proper_settings_passes_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=SAFE_PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def _guard_problems(**overrides: object) -> str:
    """What the production guard says about otherwise sound settings with ``overrides``."""
    settings = {
        "SECRET_KEY": SAFE_PRODUCTION_ENV["SECRET_KEY"],
        "DEBUG": False,
        "ALLOWED_HOSTS": ["beteiligung.example.org"],
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "CACHES": cache_settings(""),
        "RATE_LIMIT_CACHE": "ratelimit",
        "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
        "OPERATOR_NAME": SAFE_PRODUCTION_ENV["OPERATOR_NAME"],
        "OPERATOR_ADDRESS": SAFE_PRODUCTION_ENV["OPERATOR_ADDRESS"].split("|"),
        "OPERATOR_EMAIL": SAFE_PRODUCTION_ENV["OPERATOR_EMAIL"],
        **overrides,
    }
    try:
        check_production_settings(settings)
    except ImproperlyConfigured as refusal:
        return str(refusal)
    return ""


@pytest.mark.parametrize("redis_url", ["", "redis://cache.example.org:6379/0"])
def test_the_rate_limits_are_shared_by_every_process_with_or_without_redis(redis_url):
    caches = cache_settings(redis_url)
    assert caches["ratelimit"] != caches["default"]
    assert _guard_problems(CACHES=caches) == ""


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
        "django.core.cache.backends.filebased.FileBasedCache",
        "django.core.cache.backends.db.DatabaseCache",
    ],
)
def test_production_refuses_rate_limits_that_processes_count_alone(backend):
    caches = {**cache_settings(""), "ratelimit": {"BACKEND": backend, "LOCATION": "x"}}
    problems = _guard_problems(CACHES=caches)
    assert "Refusing to start in production" in problems
    assert f"rate limits are counted in {backend}" in problems
    assert "REDIS_URL" in problems


def test_production_refuses_rate_limits_in_the_page_cache():
    problems = _guard_problems(RATE_LIMIT_CACHE="default")
    assert "rate limits are counted in django.core.cache.backends.locmem.LocMemCache" in problems
    problems = _guard_problems(RATE_LIMIT_CACHE="nowhere")
    assert "RATE_LIMIT_CACHE names no cache" in problems


def test_production_refuses_to_run_background_work_inside_the_request():
    """The in-process backend computes opinion maps and sends mail while a person waits."""
    env = {k: v for k, v in SAFE_PRODUCTION_ENV.items() if k != "TASKS_BACKEND"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "TASKS_BACKEND" in result.stderr
    assert "db_worker" in result.stderr


def test_production_refuses_the_placeholder_operator_of_the_privacy_notice():
    """The privacy notice and the imprint name who runs the installation (the controller, with an
    address and an e-mail address to reach them): a placeholder there is no notice at all."""
    env = {k: v for k, v in SAFE_PRODUCTION_ENV.items() if not k.startswith("OPERATOR_")}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "OPERATOR_NAME" in result.stderr
    assert "privacy notice" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"OPERATOR_NAME": ""}, "OPERATOR_NAME"),
        ({"OPERATOR_NAME": "   "}, "OPERATOR_NAME"),
        ({"OPERATOR_ADDRESS": []}, "OPERATOR_ADDRESS"),
        ({"OPERATOR_EMAIL": ""}, "OPERATOR_EMAIL"),
        ({"OPERATOR_EMAIL": "beteiligung"}, "OPERATOR_EMAIL"),
    ],
)
def test_production_names_each_missing_operator_detail(overrides, named):
    problems = _guard_problems(**overrides)
    assert "Refusing to start in production" in problems
    assert named in problems


def test_the_placeholder_is_the_default_the_guard_knows():
    from django.conf import settings  # noqa: PLC0415

    from koproduktion.settings.production import OPERATOR_PLACEHOLDER  # noqa: PLC0415

    assert settings.OPERATOR_NAME == OPERATOR_PLACEHOLDER
    assert "OPERATOR_NAME" in _guard_problems(OPERATOR_NAME=OPERATOR_PLACEHOLDER)


def test_old_keys_are_kept_for_a_rotation_from_the_environment():
    """Rotating SECRET_KEY keeps the old one in SECRET_KEY_FALLBACKS, so that sealed two-factor
    secrets and ballot pools still open; operators set it in the environment like the key."""
    code = "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)"
    result = _manage(
        "shell", "-c", code, env={**SAFE_PRODUCTION_ENV, "SECRET_KEY_FALLBACKS": "alt-1,alt-2"}
    )
    assert result.returncode == 0, result.stderr
    assert "['alt-1', 'alt-2']" in result.stdout


def test_installations_sharing_one_redis_keep_their_keys_apart_by_prefix():
    code = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['KEY_PREFIX'], settings.CACHES['ratelimit']['KEY_PREFIX'])"
    )
    env = {"REDIS_URL": "redis://cache.example.org:6379/0", "REDIS_KEY_PREFIX": "musterstadt"}
    result = _manage("shell", "-v0", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["musterstadt", "musterstadt:ratelimit"]


def test_an_operator_sets_a_rate_limit_in_the_environment(monkeypatch):
    defaults = {"search": ("60/m", "120/m"), "idea": ("5/10m", "20/10m")}
    monkeypatch.setenv("RATE_LIMIT_SEARCH", "60/m, 600/m")
    monkeypatch.setenv("RATE_LIMIT_IDEA", "-,30/10m")

    assert rate_limits_from_environment(defaults) == {
        "search": ("60/m", "600/m"),
        "idea": (None, "30/10m"),
    }


@pytest.mark.parametrize("value", ["600/m", "viel,600/m", "60/m,600/w", "1/m,2/m,3/m"])
def test_a_rate_limit_of_another_form_is_refused_with_its_name(monkeypatch, value):
    monkeypatch.setenv("RATE_LIMIT_SEARCH", value)
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_SEARCH"):
        rate_limits_from_environment({"search": ("60/m", "120/m")})
