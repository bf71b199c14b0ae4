"""The production guard: refuse to start on development defaults.

Called at the end of the settings when ``DJANGO_ENV=production``. Each problem is named, so an
operator can fix all of them in one go.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_SECRET_KEY = "development-only-not-secret"  # noqa: S105 - refused in production
# The operator named by the privacy notice and the imprint until OPERATOR_NAME is set.
OPERATOR_PLACEHOLDER = "Betreiber dieser Installation (bitte OPERATOR_NAME setzen)"


def check_production_settings(settings: dict[str, object]) -> None:
    problems: list[str] = []
    secret_key = str(settings["SECRET_KEY"])
    if secret_key == DEVELOPMENT_SECRET_KEY or len(secret_key) < 50 or len(set(secret_key)) < 5:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters.")
    if settings["DEBUG"]:
        problems.append("DEBUG must be off.")
    hosts = settings["ALLOWED_HOSTS"]
    if not hosts or "*" in hosts:  # type: ignore[operator]
        problems.append("ALLOWED_HOSTS must name the host names the site is served under.")
    if str(settings["EMAIL_BACKEND"]).endswith(("console.EmailBackend", "locmem.EmailBackend")):
        problems.append("EMAIL_URL must point to a real mail server (smtp:// or smtps://).")
    problems += rate_limit_cache_problems(settings)
    problems += _task_problems(settings)
    problems += operator_problems(settings)
    if problems:
        raise ImproperlyConfigured("Refusing to start in production:\n- " + "\n- ".join(problems))


# Caches that every app process (and machine) shares and that count atomically (settings/caches.py).
SHARED_COUNTER_CACHES = (
    "koproduktion.core.redis_cache.RedisCache",
    "django.core.cache.backends.redis.RedisCache",
    "koproduktion.core.counter_cache.DatabaseCounterCache",
)


def rate_limit_cache_problems(settings: dict[str, object]) -> list[str]:
    """Rate limits hold only if every app process counts in one place that nothing evicts."""
    alias = str(settings.get("RATE_LIMIT_CACHE", "default"))
    caches: dict[str, dict[str, object]] = settings["CACHES"]  # type: ignore[assignment]
    if alias not in caches:
        return [f"RATE_LIMIT_CACHE names no cache in CACHES: {alias!r}."]
    backend = str(caches[alias].get("BACKEND", ""))
    if alias == "default":
        return [
            f"The rate limits are counted in {backend} (cache 'default'), the visitors' page "
            "cache: a flood of page views evicts the counters. Keep their own cache "
            "('ratelimit', settings/caches.py)."
        ]
    if backend not in SHARED_COUNTER_CACHES:
        return [
            f"The rate limits are counted in {backend} (cache {alias!r}), which the app "
            "processes do not share or do not count in atomically: with several processes "
            "(gunicorn -w) each would allow the full limit. Set REDIS_URL, or leave it unset "
            "to count in the database."
        ]
    return []


def _task_problems(settings: dict[str, object]) -> list[str]:
    """Background work (opinion maps, e-mail) runs in workers: not inside the request that
    caused it (the in-process backend), and not nowhere (the dummy backend keeps tasks unrun)."""
    backend = settings["TASKS"]["default"]["BACKEND"]  # type: ignore[index]
    if backend in {
        "django_tasks.backends.immediate.ImmediateBackend",
        "django_tasks.backends.dummy.DummyBackend",
    }:
        return [
            "TASKS_BACKEND must name a queue with workers, e.g. "
            "django_tasks_db.DatabaseBackend with `manage.py db_worker` processes."
        ]
    return []


def operator_problems(settings: dict[str, object]) -> list[str]:
    """The privacy notice and the imprint (``/datenschutz/``, ``/impressum/``) name who runs the
    installation, with a postal address and an e-mail address: the controller people turn to."""
    problems = []
    name = str(settings.get("OPERATOR_NAME", "")).strip()
    if not name or name == OPERATOR_PLACEHOLDER:
        problems.append(
            "OPERATOR_NAME must name who runs this installation (the controller in the privacy "
            "notice and the imprint), not the placeholder."
        )
    if not settings.get("OPERATOR_ADDRESS"):
        problems.append(
            "OPERATOR_ADDRESS must give the operator's postal address for the privacy notice "
            "and the imprint (lines separated by '|')."
        )
    email = str(settings.get("OPERATOR_EMAIL", "")).strip()
    if "@" not in email:
        problems.append(
            "OPERATOR_EMAIL must give an e-mail address at which people reach the operator "
            "(privacy notice and imprint)."
        )
    return problems
