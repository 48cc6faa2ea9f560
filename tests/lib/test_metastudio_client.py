"""Our MetaStudio client's behaviour on the wire: signed requests, retries with backoff on 429/5xx (5xx only when
the call is idempotent), refusals as errors in words, the token bucket, and logs without secrets. The remote is an
httpx MockTransport answering as scripted; tests/api/test_remote.py talks to a real second server."""
from __future__ import annotations

import logging

import httpx
import pytest

from composer.lib import sdk_hmac
from composer.metastudio.client import (
    Account,
    CredentialsRefused,
    MetaStudioClient,
    RemoteRejected,
    RemoteUnavailable,
)
from composer.metastudio.ratelimit import TokenBucket, bucket_for

ACCOUNT = Account("https://metastudio.example.com", "remoteproject", "AKCLIENT", "sk-never-logged-0123")


def scripted(*answers):
    """A transport answering each request with the next (status, json body, headers); it records the requests."""
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body, headers = (answer + ({},))[:3] if len(answer) == 2 else answer
        return httpx.Response(status, json=body, headers=headers)

    return httpx.MockTransport(handle), seen


def client(transport, **kwargs) -> tuple[MetaStudioClient, list[float]]:
    waits: list[float] = []
    made = MetaStudioClient(ACCOUNT, transport=transport, allow_private=True, sleep=waits.append, **kwargs)
    return made, waits


def test_every_request_is_signed_for_its_path_query_and_body():
    transport, seen = scripted((200, {"count": 0, "videos": []}), (200, {"job_id": "j1"}))
    remote, _ = client(transport)
    remote.list_jobs(limit=1)
    remote.request("POST", "2d-digital-human-videos", body={"a": 1})
    for request in seen:
        auth = sdk_hmac.parse_authorization(request.headers["Authorization"])
        assert auth.ak == "AKCLIENT"
        headers = {name: request.headers[name] for name in auth.signed_headers}
        canonical = sdk_hmac.canonical_request(request.method, request.url.path, request.url.query.decode(),
                                               headers, auth.signed_headers,
                                               sdk_hmac.payload_hash(request.content,
                                                                     content_type="application/json"))
        text = sdk_hmac.string_to_sign(request.headers["X-Sdk-Date"], canonical)
        assert sdk_hmac.signature(ACCOUNT.sk, text) == auth.signature
    assert seen[0].url.path == "/v1/remoteproject/digital-human-videos"
    assert seen[0].url.query == b"offset=0&limit=1&sort_key=create_time&sort_dir=desc"


def test_5xx_on_a_read_is_retried_with_growing_backoff():
    transport, seen = scripted((503, {}), (502, {}), (200, {"count": 0, "videos": []}))
    remote, waits = client(transport, backoff=0.5)
    assert remote.list_jobs() == {"count": 0, "videos": []}
    assert len(seen) == 3 and waits == [0.5, 1.0]


def test_retries_stop_at_the_limit():
    transport, seen = scripted(*[(503, {"error_code": "X", "error_msg": "busy"})] * 3)
    remote, waits = client(transport, max_retries=2)
    with pytest.raises(RemoteUnavailable) as refused:
        remote.list_jobs()
    assert len(seen) == 3
    assert "answered 503 after 3 attempts: X busy" in str(refused.value)


def test_a_create_is_not_retried_on_5xx_but_is_on_429_with_retry_after():
    transport, seen = scripted((503, {}))
    remote, _ = client(transport)
    with pytest.raises(RemoteUnavailable):
        remote.request("POST", "2d-digital-human-videos", body={})
    assert len(seen) == 1
    transport, seen = scripted((429, {}, {"Retry-After": "7"}), (200, {"job_id": "j"}))
    remote, waits = client(transport)
    assert remote.request("POST", "2d-digital-human-videos", body={}) == {"job_id": "j"}
    assert waits == [7.0]


def test_unreachable_remote_is_said_in_words():
    transport, seen = scripted(*[httpx.ConnectError("refused")] * 2)
    remote, _ = client(transport, max_retries=1)
    with pytest.raises(RemoteUnavailable) as refused:
        remote.list_jobs()
    assert str(refused.value) == "MetaStudio at metastudio.example.com could not be reached (ConnectError)"


@pytest.mark.parametrize("status", [401, 403])
def test_401_and_403_mean_the_credentials_were_refused(status):
    transport, _ = scripted((status, {"error_code": "APIG.0301", "error_msg": "Incorrect IAM authentication"}))
    remote, _ = client(transport)
    with pytest.raises(CredentialsRefused) as refused:
        remote.list_jobs()
    assert str(refused.value) == ("MetaStudio refused the credentials (AK AKCLIENT, project remoteproject): "
                                  "APIG.0301 Incorrect IAM authentication")


def test_400_carries_the_remote_error_code_and_message():
    transport, _ = scripted((400, {"error_code": "MSS.00000003", "error_msg": "shoot_scripts: is required"}))
    remote, _ = client(transport)
    with pytest.raises(RemoteRejected) as refused:
        remote.request("POST", "2d-digital-human-videos", body={})
    assert refused.value.error_code == "MSS.00000003"
    assert refused.value.error_msg == "shoot_scripts: is required"
    assert refused.value.status == 400


def test_logs_name_method_path_and_status_only(caplog):
    transport, _ = scripted((503, {}), (200, {"count": 0, "videos": []}))
    remote, _ = client(transport)
    with caplog.at_level(logging.DEBUG):
        remote.list_jobs()
    text = caplog.text
    assert "GET /v1/remoteproject/digital-human-videos -> 200" in text
    assert ACCOUNT.sk not in text and "Signature" not in text and "limit=" not in text
    assert ACCOUNT.sk not in repr(ACCOUNT)


def test_asset_pages_are_followed_to_the_end():
    page = [{"asset_id": str(i)} for i in range(2)]
    transport, seen = scripted((200, {"count": 5, "assets": page}), (200, {"count": 5, "assets": page}),
                               (200, {"count": 5, "assets": page[:1]}))
    remote, _ = client(transport)
    assert len(list(remote.iter_assets("VOICE_MODEL", page=2))) == 5
    assert [r.url.params["offset"] for r in seen] == ["0", "2", "4"]
    assert seen[0].url.params["asset_type"] == "VOICE_MODEL"


def test_the_token_bucket_spaces_calls_past_the_burst():
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(rate=2, burst=3, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        bucket.acquire()
    assert waits == [0.5, 0.5]      # three at once, then one every 1/rate seconds


def test_one_bucket_per_project_and_settings():
    assert bucket_for("p1", 5, 10) is bucket_for("p1", 5, 10)
    assert bucket_for("p1", 5, 10) is not bucket_for("p2", 5, 10)
    assert bucket_for("p1", 1, 10).rate == 1


def test_a_public_endpoint_that_resolves_to_loopback_is_refused():
    transport, seen = scripted()
    remote = MetaStudioClient(Account("https://localhost", "p", "AK", "SK"), transport=transport)
    with pytest.raises(RemoteUnavailable, match="resolves to a non-public address"):
        remote.list_jobs()
    assert seen == []


def test_asset_pages_stop_at_the_limit_whatever_the_count(monkeypatch):
    monkeypatch.setattr("composer.metastudio.client.MAX_ASSETS", 4)
    page = [{"asset_id": str(i)} for i in range(2)]
    transport, seen = scripted(*[(200, {"count": 10**9, "assets": page})] * 3)
    remote, _ = client(transport)
    assert len(list(remote.iter_assets("HUMAN_MODEL_2D", page=2))) == 4
    assert len(seen) == 2
