"""API credentials on the request path: token and access-key lookups without a query per request, and their
last use recorded at most once a minute, after the response.

A looked-up credential (with its user) is kept in this process's memory for COMPOSER_CREDENTIAL_CACHE_SECONDS,
tagged with the credential's *fence*, a value kept in the shared cache (Redis when REDIS_URL is set). Every request
reads the fence (one cache round trip instead of a database query) and trusts the kept copy only while the fence
is unchanged (composer.lib.fenced). Revoking, deleting or changing a credential, or deactivating its user, moves the
fence, so every process refuses it on its next request. Secrets never leave the process: the shared cache holds
fences only. When the shared cache cannot be reached, lookups go to the database; a revocation that cannot move
the fence is refused (and rolled back) rather than left to wait for the cache to expire.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model
from django.utils import timezone

from composer.lib.fenced import FencedCopies

TOKEN, ACCESS_KEY = "token", "ak"
LAST_USED_EVERY_SECONDS = 60
MAX_KEPT = 2048

_copies = FencedCopies("credential", lambda: settings.COMPOSER_CREDENTIAL_CACHE_SECONDS, limit=MAX_KEPT)
_lock = threading.Lock()
_recorded: dict[str, float] = {}  # key -> when this process last recorded the credential's use


def _key(kind: str, ident: str) -> str:
    return _copies.key(f"{kind}:{ident}")


def lookup(kind: str, ident: str, load: Callable[[], Model | None]) -> Model | None:
    """The credential `kind`/`ident` (a token digest or an AK) as `load` reads it from the database, served from
    this process's copy while its fence in the shared cache is unchanged. Unknown credentials are never kept."""
    return _copies.lookup(f"{kind}:{ident}", load)


def forget(pairs: list[tuple[str, str]]) -> None:
    """Make every process read these credentials from the database again: now (raising when the shared cache
    refuses, so that the change is rolled back instead of being ignored by cached copies) and once the change is
    committed (a copy read in between would carry the old fence)."""
    _copies.forget(f"{kind}:{ident}" for kind, ident in pairs)


def note_use(request, kind: str, ident: str, row: Model) -> None:
    """Remember that credential `row` (`kind`/`ident`, as given to lookup) authenticated this request; its last
    use is written after the response, at most once a minute per credential
    (composer.api.middleware.CredentialUseMiddleware)."""
    key = _key(kind, ident)
    now = time.monotonic()
    with _lock:
        if now - _recorded.get(key, -LAST_USED_EVERY_SECONDS) < LAST_USED_EVERY_SECONDS:
            return
        _recorded[key] = now
        if len(_recorded) > MAX_KEPT:
            for stale in [k for k, at in _recorded.items() if now - at >= LAST_USED_EVERY_SECONDS]:
                del _recorded[stale]
    request.composer_credential_used = (key, type(row), row.pk, timezone.now())


def record_use(key: str, model: type[Model], pk: Any, when) -> None:
    """Write last_used_at unless another process did so within the minute (an atomic add in the shared cache)."""
    try:
        first = cache.add(f"{key}:used", 1, LAST_USED_EVERY_SECONDS)
    except Exception:
        first = True  # without the shared cache each process still writes at most once a minute
    if first:
        model.objects.filter(pk=pk).update(last_used_at=when)


def _token_saved(sender, instance, created=False, **kwargs) -> None:
    if not created:
        forget([(TOKEN, instance.digest)])


def _token_deleted(sender, instance, **kwargs) -> None:
    forget([(TOKEN, instance.digest)])


def _key_saved(sender, instance, created=False, **kwargs) -> None:
    if not created:
        forget([(ACCESS_KEY, instance.ak)])


def _key_deleted(sender, instance, **kwargs) -> None:
    forget([(ACCESS_KEY, instance.ak)])


def _user_saved(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """A user's credentials carry the user (is_active is checked on every request): a save that may have changed
    it makes them read again. Saves of other fields only (the last_login of a sign-in) do not."""
    from composer.teams.models import AccessKey, AuthToken

    if created or (update_fields is not None and "is_active" not in update_fields):
        return
    forget([(TOKEN, digest) for digest in AuthToken.objects.filter(user=instance).values_list("digest", flat=True)]
           + [(ACCESS_KEY, ak) for ak in AccessKey.objects.filter(user=instance).values_list("ak", flat=True)])


def connect_signals() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from composer.teams.models import AccessKey, AuthToken

    post_save.connect(_token_saved, sender=AuthToken, dispatch_uid="credentials-token-saved")
    post_delete.connect(_token_deleted, sender=AuthToken, dispatch_uid="credentials-token-deleted")
    post_save.connect(_key_saved, sender=AccessKey, dispatch_uid="credentials-key-saved")
    post_delete.connect(_key_deleted, sender=AccessKey, dispatch_uid="credentials-key-deleted")
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="credentials-user-saved")
