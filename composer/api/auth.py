"""API authentication: AK/SK (SDK-HMAC-SHA256, as the Huawei Cloud SDK signs), X-Auth-Token, and the session.

The AK/SK verifier rebuilds the SDK's canonical request from what arrived, with the one signing module
(composer/lib/sdk_hmac.py) that our MetaStudio client signs with too, and compares the signatures.
"""
from __future__ import annotations

import hmac
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from rest_framework import authentication, exceptions

from composer.api.replay import refuse_replay
from composer.lib import sdk_hmac
from composer.teams import credentials
from composer.teams.models import AccessKey, AuthToken, hash_token

ALGORITHM = sdk_hmac.ALGORITHM


def payload_hash(request, body: bytes) -> str:
    return sdk_hmac.payload_hash(body, content_type=request.headers.get("Content-Type", ""),
                                 declared=request.headers.get(sdk_hmac.CONTENT_HEADER, ""))


def header_value(request, name: str) -> str:
    """A header as the SDK signed it: its text, not the Latin-1 reading of its UTF-8 bytes that WSGI hands us."""
    value = request.headers.get(name, "")
    try:
        return value.encode("latin-1").decode("utf-8").strip()
    except UnicodeError:
        return value.strip()


def string_to_sign(request, signed_headers: list[str], body: bytes) -> str:
    """The string the client signed, rebuilt from the Django request that arrived."""
    headers = {name: header_value(request, name) for name in signed_headers}
    canonical = sdk_hmac.canonical_request(request.method, request.path, request.META.get("QUERY_STRING", ""),
                                           headers, signed_headers, payload_hash(request, body))
    return sdk_hmac.string_to_sign(request.headers.get(sdk_hmac.DATE_HEADER, ""), canonical)


class SdkHmacAuthentication(authentication.BaseAuthentication):
    """Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>."""

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header.startswith(ALGORITHM):
            return None
        parsed = sdk_hmac.parse_authorization(header)
        if parsed is None:
            raise exceptions.AuthenticationFailed("Authorization: malformed SDK-HMAC-SHA256 header")
        signed_headers = parsed.signed_headers
        if "x-sdk-date" not in signed_headers:
            raise exceptions.AuthenticationFailed("Authorization: X-Sdk-Date must be a signed header")
        signed_at = self._check_date(request.headers.get("X-Sdk-Date", ""))

        ak = parsed.ak
        key = credentials.lookup(credentials.ACCESS_KEY, ak,
                                 lambda: AccessKey.objects.select_related("user").filter(ak=ak).first())
        if key is None or key.revoked_at is not None or not key.user.is_active:
            raise exceptions.AuthenticationFailed("Authorization: unknown or revoked access key")

        # Multipart uploads are signed as UNSIGNED-PAYLOAD by the SDK: no need to hold the body in memory (a
        # stand-in byte when there is a body says "not empty", which is all the unsigned hash depends on).
        unsigned = payload_hash(request._request, b"x") == sdk_hmac.UNSIGNED_PAYLOAD
        has_body = int(request.META.get("CONTENT_LENGTH") or 0) > 0
        body = (b"x" if has_body else b"") if unsigned else request._request.body
        expected = sdk_hmac.signature(key.sk, string_to_sign(request._request, signed_headers, body))
        if not hmac.compare_digest(expected, parsed.signature):
            raise exceptions.AuthenticationFailed("Authorization: signature does not match the request")
        refuse_replay(request.method, key.ak, parsed.signature, signed_at)

        credentials.note_use(request._request, credentials.ACCESS_KEY, ak, key)
        return key.user, key

    @staticmethod
    def _check_date(value: str) -> datetime:
        try:
            sent = sdk_hmac.parse_date(value)
        except ValueError as exc:
            raise exceptions.AuthenticationFailed("X-Sdk-Date: expected format YYYYMMDDTHHMMSSZ") from exc
        skew = abs((timezone.now() - sent).total_seconds())
        if skew > settings.COMPOSER_SIGNATURE_MAX_SKEW_SECONDS:
            raise exceptions.AuthenticationFailed(
                f"X-Sdk-Date: request time is {int(skew)} s away from server time (at most "
                f"{settings.COMPOSER_SIGNATURE_MAX_SKEW_SECONDS} s allowed)")
        return sent

    def authenticate_header(self, request):
        return ALGORITHM


class AuthTokenAuthentication(authentication.BaseAuthentication):
    """X-Auth-Token: a per-user token issued by `manage.py authtoken` or the API keys page."""

    def authenticate(self, request):
        token = request.headers.get("X-Auth-Token")
        if not token:
            return None
        digest = hash_token(token.strip())
        row = credentials.lookup(credentials.TOKEN, digest,
                                 lambda: AuthToken.objects.select_related("user").filter(digest=digest).first())
        if row is None or row.revoked_at is not None or not row.user.is_active:
            raise exceptions.AuthenticationFailed("X-Auth-Token: unknown or revoked token")
        credentials.note_use(request._request, credentials.TOKEN, digest, row)
        return row.user, row

    def authenticate_header(self, request):
        return "X-Auth-Token"


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """The pages call the same API with the browser session (and its CSRF token)."""
