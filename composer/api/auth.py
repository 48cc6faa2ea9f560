"""API authentication: AK/SK (SDK-HMAC-SHA256, as the Huawei Cloud SDK signs), X-Auth-Token, and the session.

The AK/SK verifier rebuilds the SDK's canonical request from what arrived:
  METHOD \\n canonical URI \\n canonical query \\n signed headers as name:value lines \\n
  signed header names joined by ';' \\n hex sha256(body)
and compares hex HMAC-SHA256(SK, "SDK-HMAC-SHA256\\n<X-Sdk-Date>\\n<hex sha256(canonical request)>").
"""
from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote

from django.conf import settings
from django.utils import timezone
from rest_framework import authentication, exceptions

from composer.api.replay import refuse_replay
from composer.teams import credentials
from composer.teams.models import AccessKey, AuthToken, hash_token

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
AUTH_RE = re.compile(
    r"^SDK-HMAC-SHA256\s+Access=(?P<ak>[^,\s]+),\s*SignedHeaders=(?P<headers>[^,\s]+),\s*Signature=(?P<sig>[0-9a-fA-F]+)$"
)


def _encode(value: str) -> str:
    return quote(value, safe="~")


def canonical_uri(path: str) -> str:
    """The decoded path, each segment re-encoded keeping '~', always ending with '/'."""
    uri = "/".join(_encode(segment) for segment in path.split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(query_string: str) -> str:
    pairs = sorted(parse_qsl(query_string, keep_blank_values=True))
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)


def payload_hash(request, body: bytes) -> str:
    declared = request.headers.get("X-Sdk-Content-Sha256", "")
    content_type = request.headers.get("Content-Type", "")
    # The SDK leaves non-JSON payloads (file uploads) unsigned and says so; JSON is always hashed.
    if declared == "UNSIGNED-PAYLOAD" and not content_type.startswith(("application/json", "application/bson")):
        return declared
    return hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256


def header_value(request, name: str) -> str:
    """A header as the SDK signed it: its text, not the Latin-1 reading of its UTF-8 bytes that WSGI hands us."""
    value = request.headers.get(name, "")
    try:
        return value.encode("latin-1").decode("utf-8").strip()
    except UnicodeError:
        return value.strip()


def string_to_sign(request, signed_headers: list[str], body: bytes) -> str:
    header_lines = "".join(f"{name}:{header_value(request, name)}\n" for name in signed_headers)
    canonical = "\n".join([
        request.method.upper(),
        canonical_uri(request.path),
        canonical_query(request.META.get("QUERY_STRING", "")),
        header_lines,
        ";".join(signed_headers),
        payload_hash(request, body),
    ])
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{request.headers.get('X-Sdk-Date', '')}\n{digest}"


def sign(sk: str, text: str) -> str:
    return hmac.new(sk.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


class SdkHmacAuthentication(authentication.BaseAuthentication):
    """Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>."""

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header.startswith(ALGORITHM):
            return None
        match = AUTH_RE.match(header.strip())
        if not match:
            raise exceptions.AuthenticationFailed("Authorization: malformed SDK-HMAC-SHA256 header")
        signed_headers = match["headers"].lower().split(";")
        if "x-sdk-date" not in signed_headers:
            raise exceptions.AuthenticationFailed("Authorization: X-Sdk-Date must be a signed header")
        signed_at = self._check_date(request.headers.get("X-Sdk-Date", ""))

        ak = match["ak"]
        key = credentials.lookup(credentials.ACCESS_KEY, ak,
                                 lambda: AccessKey.objects.select_related("user").filter(ak=ak).first())
        if key is None or key.revoked_at is not None or not key.user.is_active:
            raise exceptions.AuthenticationFailed("Authorization: unknown or revoked access key")

        # Multipart uploads are signed as UNSIGNED-PAYLOAD by the SDK: no need to hold the body in memory.
        unsigned = payload_hash(request._request, b"x") == "UNSIGNED-PAYLOAD"
        body = b"" if unsigned else request._request.body
        expected = sign(key.sk, string_to_sign(request._request, signed_headers, body))
        if not hmac.compare_digest(expected, match["sig"].lower()):
            raise exceptions.AuthenticationFailed("Authorization: signature does not match the request")
        refuse_replay(request.method, key.ak, match["sig"], signed_at)

        credentials.note_use(request._request, credentials.ACCESS_KEY, ak, key)
        return key.user, key

    @staticmethod
    def _check_date(value: str) -> datetime:
        try:
            sent = datetime.strptime(value, DATE_FORMAT).replace(tzinfo=UTC)
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
