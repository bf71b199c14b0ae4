"""Sealing what the database must hold but not show: AES-GCM under a key derived from SECRET_KEY.

The key is derived per purpose and per record (``salted_hmac`` of SECRET_KEY with a salt and a
label), so the database, its dead rows, WAL and backups hold ciphertext only, and the key is never
stored. The context (authenticated, not encrypted) ties a sealed value to its place: copied to
another record's row, it does not open there. Opening tries SECRET_KEY, then each of
SECRET_KEY_FALLBACKS, so keys can be rotated; the caller learns whether an old key opened it, to
seal it again under the current one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.crypto import salted_hmac

_NONCE = 12


class Unreadable(RuntimeError):
    """Sealed under a SECRET_KEY that is neither the current one nor one of the fallbacks."""


@dataclass(frozen=True)
class Opened:
    plain: bytes
    # Opened with a key of SECRET_KEY_FALLBACKS: seal it again under SECRET_KEY.
    stale: bool


def _key(salt: str, label: str, secret: str | bytes) -> bytes:
    return salted_hmac(salt, label, secret=secret, algorithm="sha256").digest()


def seal(plain: bytes, *, salt: str, label: str, context: bytes) -> bytes:
    """``plain`` sealed under SECRET_KEY with a fresh nonce (a new ciphertext every time)."""
    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(_key(salt, label, settings.SECRET_KEY)).encrypt(nonce, plain, context)


def unseal(sealed: bytes | memoryview, *, salt: str, label: str, context: bytes) -> Opened:
    """What ``seal`` sealed with the same salt, label and context; raises ``Unreadable``."""
    sealed = bytes(sealed)
    nonce, body = sealed[:_NONCE], sealed[_NONCE:]
    for number, secret in enumerate((settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)):
        try:
            plain = AESGCM(_key(salt, label, secret)).decrypt(nonce, body, context)
        except (InvalidTag, ValueError):
            continue
        return Opened(plain=plain, stale=number > 0)
    raise Unreadable(f"{salt} {label}: sealed under a key that is not SECRET_KEY or a fallback.")
