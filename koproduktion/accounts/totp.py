"""Time-based one-time passwords (RFC 6238) with the standard library, as authenticator apps use them.

HMAC-SHA1, six digits, 30-second steps: the defaults every common app (FreeOTP, Aegis, Google
Authenticator, 2FAS, password managers) understands from the QR code without further settings.
No Django here, so the math is tested alone against the RFC's own test values.
"""

from __future__ import annotations

import base64
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
# Codes of the step before and after are accepted too: phone clocks drift and people type slowly.
WINDOW = 1


def new_secret() -> str:
    """A random 160-bit key (the length RFC 4226 recommends), in base32 without padding."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    cleaned = "".join(secret.split()).upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """The HOTP value of ``counter`` (RFC 4226, section 5.3)."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def time_step(at: float) -> int:
    return int(at // STEP_SECONDS)


def code_at(secret: str, at: float) -> str:
    """The code an app shows at the Unix time ``at``."""
    return hotp(_key(secret), time_step(at))


def matching_step(secret: str, code: str, *, at: float, after: int = -1) -> int | None:
    """The time step whose code ``code`` is, within the window around ``at``, or None.

    Only steps later than ``after`` count: the step of the last accepted code is passed there, so
    that a code, once used, is refused for the rest of its window.
    """
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = _key(secret)
    current = time_step(at)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if step > after and hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The ``otpauth://`` address a QR code carries (the Key Uri Format of authenticator apps)."""
    label = quote(f"{issuer}:{account}", safe="@:")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"
