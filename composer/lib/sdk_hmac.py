"""SDK-HMAC-SHA256, the Huawei Cloud SDK's request signature: one module for our verifier and our client.

Plain Python (no Django): it works on a request's method, path, query, headers and body.
  canonical request = METHOD \\n canonical URI \\n canonical query \\n signed headers as name:value lines \\n
                      signed header names joined by ';' \\n hex sha256(body)
  string to sign    = "SDK-HMAC-SHA256" \\n X-Sdk-Date \\n hex sha256(canonical request)
  signature         = hex HMAC-SHA256(SK, string to sign)
  Authorization     = "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>"
"""
from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
DATE_HEADER = "X-Sdk-Date"
CONTENT_HEADER = "X-Sdk-Content-Sha256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_AUTH_RE = re.compile(
    r"^SDK-HMAC-SHA256\s+Access=(?P<ak>[^,\s]+),\s*SignedHeaders=(?P<headers>[^,\s]+),\s*"
    r"Signature=(?P<sig>[0-9a-fA-F]+)$"
)

Query = Iterable[tuple[str, str]]


@dataclass(frozen=True)
class Authorization:
    """A parsed Authorization header."""

    ak: str
    signed_headers: list[str]
    signature: str


def encode(value: str) -> str:
    """Percent-encoding as the SDK does it: everything but letters, digits, '-', '_', '.' and '~'."""
    return quote(value, safe="~")


def canonical_uri(path: str) -> str:
    """The decoded path (as a server reads it), each segment encoded keeping '~', always ending with '/'."""
    uri = "/".join(encode(segment) for segment in path.split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(query: str | Query) -> str:
    """The query pairs (a query string or (name, value) pairs), sorted, each side encoded."""
    pairs = parse_qsl(query, keep_blank_values=True) if isinstance(query, str) else [(k, str(v)) for k, v in query]
    return "&".join(f"{encode(k)}={encode(v)}" for k, v in sorted(pairs))


def query_string(query: Query) -> str:
    """The query string a client sends for these pairs, encoded as the canonical query encodes them."""
    return "&".join(f"{encode(k)}={encode(str(v))}" for k, v in query)


def is_json(content_type: str) -> bool:
    return content_type.startswith(("application/json", "application/bson"))


def payload_hash(body: bytes, *, content_type: str = "", declared: str = "") -> str:
    """hex sha256 of the body; the SDK leaves a non-empty non-JSON payload (a file upload) unsigned and says so."""
    if not body:
        return EMPTY_SHA256
    if declared == UNSIGNED_PAYLOAD and not is_json(content_type):
        return declared
    return hashlib.sha256(body).hexdigest()


def canonical_request(method: str, path: str, query: str | Query, headers: Mapping[str, str],
                      signed_headers: list[str], body_hash: str) -> str:
    """`headers` by lower-case name; each signed header's value is taken stripped."""
    header_lines = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in signed_headers)
    return "\n".join([method.upper(), canonical_uri(path), canonical_query(query), header_lines,
                      ";".join(signed_headers), body_hash])


def string_to_sign(sdk_date: str, canonical: str) -> str:
    return f"{ALGORITHM}\n{sdk_date}\n{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"


def signature(sk: str, text: str) -> str:
    return hmac.new(sk.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_authorization(value: str) -> Authorization | None:
    """The parts of an SDK-HMAC-SHA256 Authorization header, or None when it is malformed."""
    match = _AUTH_RE.match(value.strip())
    if not match:
        return None
    return Authorization(match["ak"], match["headers"].lower().split(";"), match["sig"].lower())


def parse_date(value: str) -> datetime:
    """X-Sdk-Date as an aware UTC datetime; ValueError when it is not YYYYMMDDTHHMMSSZ."""
    return datetime.strptime(value, DATE_FORMAT).replace(tzinfo=UTC)


def sign_request(ak: str, sk: str, method: str, path: str, *, host: str, query: Query = (),
                 headers: Mapping[str, str] | None = None, body: bytes = b"",
                 now: datetime | None = None) -> dict[str, str]:
    """The headers to send with this request: the given ones plus Host, X-Sdk-Date and Authorization.

    As the SDK does: every header whose name has no '_' is signed; a non-JSON body is sent UNSIGNED-PAYLOAD."""
    sent = dict(headers or {})
    lower = {name.lower(): name for name in sent}
    content_type = sent.get(lower.get("content-type", ""), "")
    if content_type and not is_json(content_type):
        sent[CONTENT_HEADER] = UNSIGNED_PAYLOAD
    if "x-sdk-date" not in lower:
        sent[DATE_HEADER] = (now or datetime.now(UTC)).strftime(DATE_FORMAT)
    if "host" not in lower:
        sent["Host"] = host
    values = {name.lower(): str(value).strip() for name, value in sent.items()}
    signed = sorted(name for name in values if "_" not in name)
    body_hash = payload_hash(body, content_type=content_type, declared=values.get(CONTENT_HEADER.lower(), ""))
    text = string_to_sign(values["x-sdk-date"], canonical_request(method, path, list(query), values, signed,
                                                                   body_hash))
    sent["Authorization"] = (f"{ALGORITHM} Access={ak}, SignedHeaders={';'.join(signed)}, "
                             f"Signature={signature(sk, text)}")
    return {name: str(value).strip() for name, value in sent.items()}
