"""The one signing module against the official SDK's signer, both ways: for the same request (same date, same
headers) our client's Authorization header is the SDK's, the SDK's signature verifies with our verifier, and
what our client signs passes our verifier."""
from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from django.test import RequestFactory
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.request import Request

from composer.api.auth import SdkHmacAuthentication
from composer.lib import sdk_hmac
from tests.support.signing import sdk_signed, send

CHECKS = settings(max_examples=100, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
SEGMENT = TEXT.filter(lambda s: s not in (".", ".."))
ASCII_VALUE = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=20)
WHEN = datetime(2026, 3, 1, 12, 30, 5, tzinfo=UTC)


@st.composite
def requests(draw):
    return {
        "method": draw(st.sampled_from(["GET", "POST", "PUT", "DELETE"])),
        "path": "/v1/" + "/".join(draw(st.lists(SEGMENT, min_size=1, max_size=4))),
        "query": draw(st.lists(st.tuples(TEXT, TEXT), max_size=3, unique_by=lambda kv: kv[0])),
        "header": draw(ASCII_VALUE),
        "body": draw(st.binary(max_size=200)),
        "content_type": draw(st.sampled_from(["application/json", "application/json;charset=UTF-8",
                                              "multipart/form-data"])),
    }


def sdk_authorization(ak: str, sk: str, request: dict, date: str) -> str:
    """The Authorization header the official SDK's signer makes for this request at this date."""
    sdk_request = SdkRequest(method=request["method"], schema="https", host="metastudio.example",
                             resource_path=quote(request["path"], safe="/~"), uri=request["path"],
                             query_params=list(request["query"]),
                             header_params={"Content-Type": request["content_type"], "X-Probe": request["header"],
                                            "X-Sdk-Date": date},
                             body=request["body"])
    return Signer(BasicCredentials(ak, sk)).sign(sdk_request).header_params["Authorization"]


def ours(ak: str, sk: str, request: dict, now: datetime = WHEN) -> dict[str, str]:
    return sdk_hmac.sign_request(ak, sk, request["method"], request["path"], host="metastudio.example",
                                 query=request["query"], body=request["body"],
                                 headers={"Content-Type": request["content_type"], "X-Probe": request["header"]},
                                 now=now)


@CHECKS
@given(requests())
def test_our_authorization_header_is_the_sdks(request):
    headers = ours("AKTEST", "secret-key-0123", request)
    assert headers["X-Sdk-Date"] == "20260301T123005Z"
    assert headers["Authorization"] == sdk_authorization("AKTEST", "secret-key-0123", request, "20260301T123005Z")


def test_unsigned_payload_is_declared_as_the_sdk_does():
    request = {"method": "POST", "path": "/v1/p/file", "query": [], "header": "x", "body": b"raw bytes",
               "content_type": "multipart/form-data"}
    headers = ours("AK", "SK", request)
    assert headers[sdk_hmac.CONTENT_HEADER] == sdk_hmac.UNSIGNED_PAYLOAD
    assert headers["Authorization"] == sdk_authorization("AK", "SK", request, headers["X-Sdk-Date"])


def verify(key, method: str, path: str, query: list, headers: dict[str, str], body: bytes):
    """Our server's verifier on exactly this request, as it would arrive."""
    meta = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()
            if name.lower() not in ("content-type", "host")}
    target = quote(path, safe="/~") + (f"?{sdk_hmac.query_string(query)}" if query else "")
    django_request = RequestFactory().generic(method, target, data=body, HTTP_HOST=headers["Host"],
                                              CONTENT_TYPE=headers["Content-Type"], **meta)
    return SdkHmacAuthentication().authenticate(Request(django_request))


@pytest.mark.django_db
@CHECKS
@given(requests())
def test_what_our_client_signs_passes_our_verifier(alice_key, request):
    from django.core.cache import cache

    cache.clear()    # the replay guard remembers signatures; every example is a fresh request
    headers = ours(alice_key.ak, alice_key.sk, request, now=datetime.now(UTC))
    user, key = verify(alice_key, request["method"], request["path"], request["query"], headers, request["body"])
    assert key.ak == alice_key.ak


@pytest.mark.django_db
def test_the_sdks_signature_verifies_with_our_verifier_over_http(alice_key, project):
    path = f"/v1/{project.id}/digital-human-videos"
    headers = sdk_signed(alice_key.ak, alice_key.sk, "GET", path, query=[("limit", 1)])
    assert send("GET", path, headers, query="limit=1").status_code == 200


@pytest.mark.django_db
def test_our_signed_request_passes_over_http_and_a_wrong_sk_does_not(alice_key, project):
    path = f"/v1/{project.id}/digital-human-videos"
    good = sdk_hmac.sign_request(alice_key.ak, alice_key.sk, "GET", path, host="testserver", query=[("limit", 1)],
                                 headers={"Content-Type": "application/json"})
    assert send("GET", path, good, query="limit=1").status_code == 200
    bad = sdk_hmac.sign_request(alice_key.ak, "not-the-sk", "GET", path, host="testserver", query=[("limit", 1)],
                                headers={"Content-Type": "application/json"})
    refused = send("GET", path, bad, query="limit=1")
    assert refused.status_code == 401
    assert "signature does not match" in refused.json()["error_msg"]


def test_authorization_header_parses_back():
    headers = sdk_hmac.sign_request("AK1", "SK1", "GET", "/v1/p", host="h", headers={"X-Project-Id": "p"})
    parsed = sdk_hmac.parse_authorization(headers["Authorization"])
    assert parsed.ak == "AK1"
    assert parsed.signed_headers == ["host", "x-project-id", "x-sdk-date"]
    assert sdk_hmac.parse_authorization("SDK-HMAC-SHA256 Access=AK1") is None
