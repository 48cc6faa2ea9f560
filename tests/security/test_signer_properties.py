"""Property tests of AK/SK verification against the official SDK's signer: every request the SDK signs is
accepted, and changing any one character of what is signed (method, path, query, a signed header, the body,
the date or the signature) makes it fail."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rest_framework import exceptions
from rest_framework.request import Request

from composer.api.auth import SdkHmacAuthentication
from tests.support.signing import sdk_signed

pytestmark = pytest.mark.django_db
CHECKS = settings(max_examples=150, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
SEGMENT = TEXT.filter(lambda s: s not in (".", ".."))
# Header values as the SDK sends them (it signs the text and puts its UTF-8 bytes on the wire); whitespace at the
# ends is not part of what is signed.
HEADER_VALUE = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=20)
PARTS = ("method", "path", "query", "header", "body", "date", "signature")


@st.composite
def requests(draw):
    return {
        "method": draw(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"])),
        "path": "/v1/" + "/".join(draw(st.lists(SEGMENT, min_size=1, max_size=4))),
        "query": draw(st.lists(st.tuples(TEXT, TEXT), max_size=3, unique_by=lambda kv: kv[0])),
        "header": draw(HEADER_VALUE),
        "body": draw(st.binary(max_size=200)),
    }


def verify(key, method: str, path: str, query: str, headers: dict[str, str], body: bytes):
    """Run the server's verifier on exactly this request; (user, key) or AuthenticationFailed."""
    meta = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()
            if name.lower() not in ("content-type", "host")}
    django_request = RequestFactory().generic(method, quote(path, safe="/~") + (f"?{query}" if query else ""),
                                              data=body, HTTP_HOST=headers["Host"],
                                              CONTENT_TYPE=headers["Content-Type"], **meta)
    return SdkHmacAuthentication().authenticate(Request(django_request))


def signed(key, request: dict) -> tuple[str, dict[str, str]]:
    from huaweicloudsdkcore.signer.signer import Signer

    headers = sdk_signed(key.ak, key.sk, request["method"], quote(request["path"], safe="/~"),
                         query=request["query"], body=request["body"], headers={"X-Probe": request["header"]})
    query = "&".join(f"{Signer._url_encode(k)}={Signer._url_encode(v)}" for k, v in sorted(request["query"]))
    return query, headers


def changed(text: str, at: int, to: str) -> str:
    at %= len(text)
    return text[:at] + to + text[at + 1:]


@CHECKS
@given(requests())
def test_what_the_sdk_signs_is_accepted(alice_key, request):
    cache.clear()
    query, headers = signed(alice_key, request)
    user, key = verify(alice_key, request["method"], request["path"], query, headers, request["body"])
    assert key.pk == alice_key.pk and user.pk == alice_key.user_id


@CHECKS
@given(requests(), st.sampled_from(PARTS), st.integers(0, 10**6), st.characters(min_codepoint=0x21,
                                                                                  max_codepoint=0x7E))
def test_changing_one_character_of_what_is_signed_is_refused(alice_key, request, part, at, to):
    cache.clear()
    query, headers = signed(alice_key, request)
    method, path, body = request["method"], request["path"], request["body"]
    if part == "method":
        method = changed(method, at, to.upper())
        assume(method != request["method"])
    elif part == "path":
        segment_start = len("/v1/")
        position = segment_start + at % (len(path) - segment_start)
        assume(path[position] != "/" and to not in "/?#%" and path[position] != to)
        path = changed(path, position, to)
    elif part == "query":
        assume(query)
        value = changed(query, at, to)
        assume(value != query and "%" not in (query[at % len(query)], to) and "&" != to and "=" != to
               and query[at % len(query)] not in "&=")
        query = value
    elif part == "header":
        sent = headers["X-Probe"]  # UTF-8 bytes read as Latin-1: change one whole byte of an ASCII character
        ascii_at = [i for i, c in enumerate(sent) if c < "\x80"]
        assume(ascii_at)
        headers = {**headers, "X-Probe": changed(sent, ascii_at[at % len(ascii_at)], to)}
        assume(headers["X-Probe"] != sent)
    elif part == "body":
        assume(body)
        flipped = bytearray(body)
        flipped[at % len(body)] ^= 1 + at % 255
        body = bytes(flipped)
    elif part == "date":
        digits = [i for i, c in enumerate(headers["X-Sdk-Date"]) if c.isdigit()]
        i = digits[at % len(digits)]
        date = headers["X-Sdk-Date"]
        headers = {**headers, "X-Sdk-Date": date[:i] + str((int(date[i]) + 1 + at % 9) % 10) + date[i + 1:]}
    else:
        auth = headers["Authorization"]
        start = auth.index("Signature=") + len("Signature=")
        hexdigits = "0123456789abcdef"
        i = start + at % (len(auth) - start)
        headers = {**headers, "Authorization": auth[:i] + hexdigits[(hexdigits.index(auth[i]) + 1) % 16] + auth[i + 1:]}
    with pytest.raises(exceptions.AuthenticationFailed):
        verify(alice_key, method, path, query, headers, body)
