"""Secrets kept at rest (a project's MetaStudio SK), encrypted with Fernet keys from COMPOSER_SECRETS_KEYS.

The first key encrypts; every key decrypts (MultiFernet), so keys rotate: put a new key first, re-encrypt the
stored secrets (`manage.py rotate_secrets`), then drop the old key. Without the setting, development derives one
key from SECRET_KEY; production refuses to store a secret.
"""
from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SecretsUnavailable(Exception):
    """No key to encrypt or decrypt with, or a stored secret no configured key opens; the message says which."""


def _keys() -> list[Fernet]:
    configured = list(settings.COMPOSER_SECRETS_KEYS)
    if not configured:
        if settings.PRODUCTION:
            raise SecretsUnavailable("COMPOSER_SECRETS_KEYS is not set: production keeps no secret without it "
                                     "(see README, Render on MetaStudio)")
        derived = hashlib.sha256(b"composer-secrets:" + settings.SECRET_KEY.encode()).digest()
        configured = [base64.urlsafe_b64encode(derived).decode()]
    try:
        return [Fernet(key) for key in configured]
    except ValueError as exc:
        raise SecretsUnavailable("COMPOSER_SECRETS_KEYS: each key must be 32 url-safe base64-encoded bytes "
                                 "(Fernet.generate_key())") from exc


def encrypt(text: str) -> str:
    return MultiFernet(_keys()).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return MultiFernet(_keys()).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise SecretsUnavailable("a stored secret opens with none of COMPOSER_SECRETS_KEYS (was a key dropped "
                                 "before the secrets were re-encrypted?)") from exc


def rotate(token: str) -> str:
    """The same secret encrypted with the first key."""
    try:
        return MultiFernet(_keys()).rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise SecretsUnavailable("a stored secret opens with none of COMPOSER_SECRETS_KEYS") from exc
