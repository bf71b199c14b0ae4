import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Department, TenantModel
from koproduktion.core.plain_text import PlainTextModel
from koproduktion.core.roles import Role

# What pages show in place of the name of a person who deleted the account.
DELETED_ACCOUNT_NAME = _("gelöschtes Konto")


class UserManager(DjangoUserManager):
    """Users log in with their e-mail address; there is no separate user name."""

    def _create_user(self, email, password, **extra_fields):  # type: ignore[override]
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("email_confirmed_at", timezone.now())
        extra_fields.setdefault("public_name", email.split("@")[0])
        return self._create_user(email, password, **extra_fields)


class User(PlainTextModel, AbstractBaseUser, PermissionsMixin):
    """A person. Public under a pseudonym; the real name is never required."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    public_name = models.CharField(
        _("Öffentlicher Name"),
        max_length=40,
        help_text=_("Wird bei Ihren Beiträgen angezeigt. Ein Pseudonym genügt."),
    )
    language = models.CharField(
        _("Sprache"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("In dieser Sprache schreiben wir Ihnen."),
    )
    email_confirmed_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)
    is_staff = models.BooleanField(
        _("Zugang zur Verwaltungsoberfläche"),
        default=False,
        help_text=_("Darf sich in der Verwaltungsoberfläche anmelden."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("registriert am"), default=timezone.now)
    # The version of the privacy notice (settings.PRIVACY_NOTICE_VERSION) the person accepted,
    # and when. Empty for accounts made by operators, which accepted nothing themselves.
    privacy_notice_version = models.CharField(
        _("angenommene Fassung der Datenschutzhinweise"), max_length=40, blank=True
    )
    privacy_notice_accepted_at = models.DateTimeField(
        _("Datenschutzhinweise angenommen am"), null=True, blank=True
    )
    # Set when the person deleted the account: the row stays as an anonymous placeholder, so that
    # public contributions and secret-ballot participations keep their reference.
    deleted_at = models.DateTimeField(_("gelöscht am"), null=True, blank=True, editable=False)
    # Raised with every change of the person's memberships or blocks (core.rules.forget_roles
    # and the signals in core.apps): the cache of their roles is keyed by it, so no process reads
    # roles that changed since.
    roles_version = models.PositiveIntegerField(default=0, editable=False)
    # Raised when the person is told something or reads what they were told
    # (notifications.services): the cached count of unread notices in the header is keyed by it.
    notifications_version = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        constraints = [
            # Deleted accounts have no name; the living ones have one each.
            models.UniqueConstraint(
                Lower("public_name"),
                condition=models.Q(deleted_at__isnull=True),
                name="user_unique_public_name",
            ),
        ]

    def __str__(self) -> str:
        if self.deleted_at is not None:
            return str(DELETED_ACCOUNT_NAME)
        return self.public_name or self.email

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def two_factor_enabled(self) -> bool:
        """Whether log-ins ask for a code from an app; one query, then cached on the object.

        ``core.rules`` asks it (by this name) where a municipality requires two-factor log-in.
        """
        return hasattr(self, "two_factor")

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return str(self)


class ApiToken(PlainTextModel):
    """A personal API key. Only its SHA-256 hash is stored; the key itself is shown once.

    The prefix (the first characters of the key) is stored in the clear, so the owner can tell
    their keys apart and the authentication can find the row before comparing hashes.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("Person"),
    )
    name = models.CharField(_("Bezeichnung"), max_length=60)
    prefix = models.CharField(_("Anfang des Schlüssels"), max_length=16, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("erstellt am"), default=timezone.now)
    last_used_at = models.DateTimeField(_("zuletzt benutzt am"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-Schlüssel")
        verbose_name_plural = _("API-Schlüssel")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class TwoFactorDevice(models.Model):
    """A person's authenticator app (time-based codes, RFC 6238), confirmed with a code.

    The row exists only while two-factor log-in is on. The secret must be readable to check codes,
    so it is sealed (AES-GCM, ``core.sealing``) under a key derived from SECRET_KEY and the
    person's id, which the database never holds (``accounts.two_factor``); it never leaves the
    server after the set-up page.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="two_factor",
        verbose_name=_("Person"),
    )
    sealed_secret = models.BinaryField(editable=False)
    confirmed_at = models.DateTimeField(_("eingeschaltet am"), default=timezone.now)
    # The 30-second step of the last code accepted; codes of that step or earlier are refused,
    # so a code cannot be used twice.
    last_used_step = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Zwei-Faktor-Anmeldung")
        verbose_name_plural = _("Zwei-Faktor-Anmeldungen")

    def __str__(self) -> str:
        return str(self.user)


class RecoveryCode(models.Model):
    """A one-time code for logging in without the app; only its SHA-256 hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recovery_codes",
        verbose_name=_("Person"),
    )
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(_("benutzt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Wiederherstellungscode")
        verbose_name_plural = _("Wiederherstellungscodes")
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.pk})"


class Invitation(TenantModel):
    """An invitation by e-mail to take on roles in a municipality (and, as staff, departments).

    The link carries a random key of which only the SHA-256 hash is stored (``token_hash``). It
    works once, until ``expires_at``, and no more once the invitation was withdrawn or sent again
    (which makes a new key). Whoever has an account under the address accepts after logging in;
    anyone else registers through the link, which confirms the address. One open invitation per
    address and town (the database refuses a second).
    """

    email = models.EmailField(_("E-Mail-Adresse"))
    # Role values (``core.roles.Role``); checked by the services against the roles a town's admins
    # may give.
    roles = models.JSONField(_("Rollen"), default=list)
    departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("Fachbereiche")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("eingeladen von"),
    )
    created_at = models.DateTimeField(_("eingeladen am"), default=timezone.now)
    sent_at = models.DateTimeField(_("zuletzt gesendet am"), default=timezone.now)
    expires_at = models.DateTimeField(_("gültig bis"))
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("angenommen von"),
    )
    withdrawn_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "email"],
                condition=models.Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="invitation_one_open_per_address",
            ),
        ]

    def __str__(self) -> str:
        # The log names an invitation by its number: the address stays out of the log, which
        # keeps its entries for good.
        return _("Einladung Nr. %(number)s") % {"number": self.pk}

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles]

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at
