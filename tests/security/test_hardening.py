"""Production hardening: the policy on every response, rate limits with 429s, and the settings that refuse to start."""
from __future__ import annotations

import re
from pathlib import Path

from composer.lib.csp import POLICY, REFERENCE_POLICY

ROOT = Path(__file__).resolve().parents[2]


def test_pages_and_api_answers_carry_the_policy(client, alice, project, alice_client):
    client.force_login(alice)
    for response in (client.get("/"), client.get(f"/p/{project.id}/"), client.get("/login"),
                     alice_client.get(f"/v1/{project.id}/digital-human-videos")):
        assert response["Content-Security-Policy"] == POLICY
    assert "script-src 'self'" in POLICY and "unsafe-inline" not in POLICY.split("style-src")[0]
    assert "'unsafe-eval'" not in POLICY


def test_the_api_reference_runs_without_inline_script(client):
    response = client.get("/v1/docs")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == REFERENCE_POLICY
    html = response.content.decode()
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, "inline script in the reference page"
    assert "googleapis" not in html


def test_no_template_carries_inline_script_style_or_handlers():
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text()
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>", text):
            attrs = match.group("attrs")
            if "src=" not in attrs and "application/json" not in attrs:
                offenders.append(f"{path.name}: inline <script>")
        if re.search(r"\sstyle=\"", text):
            offenders.append(f"{path.name}: style attribute")
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{path.name}: inline event handler")
    assert offenders == []


def test_a_missing_static_file_is_a_404_not_a_500(client):
    assert client.get("/static/composer/no-such-file.js").status_code == 404
    assert client.get("/static/composer/ui.js").status_code == 200


def test_the_api_refuses_past_the_rate_with_429_and_retry_after(settings, alice_client, bob_client, project):
    settings.COMPOSER_API_RATE_PER_MINUTE = 3
    url = f"/v1/{project.id}/digital-human-videos"
    assert [alice_client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = alice_client.get(url)
    assert refused.status_code == 429
    body = refused.json()
    assert body["error_code"] == "APIG.0308"
    assert "3 requests a minute" in body["error_msg"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another principal has its own allowance.
    assert bob_client.get(url).status_code == 200


def test_signed_requests_count_per_access_key(settings, alice_key, alice_client, project):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer
    from rest_framework.test import APIClient

    settings.COMPOSER_API_RATE_PER_MINUTE = 2
    url = f"/v1/{project.id}/digital-human-videos"

    def signed_get():
        request = SdkRequest(method="GET", schema="http", host="testserver", resource_path=url, uri=url,
                             query_params=[], header_params={}, body="")
        headers = Signer(BasicCredentials(alice_key.ak, alice_key.sk)).sign(request).header_params
        return APIClient().get(url, HTTP_AUTHORIZATION=headers["Authorization"],
                               HTTP_X_SDK_DATE=headers["X-Sdk-Date"], HTTP_HOST="testserver")

    assert [signed_get().status_code for _ in range(3)] == [200, 200, 429]
    assert alice_client.get(url).status_code == 200   # her token is another principal


def _sign_in(client, username, password):
    return client.post("/login", {"username": username, "password": password})


def test_sign_in_stops_guessing_after_too_many_failures(settings, client, alice, bob):
    settings.COMPOSER_SIGNIN_MAX_FAILURES = 3
    for _ in range(3):
        assert _sign_in(client, "alice", "wrong").status_code == 200
    refused = _sign_in(client, "alice", "alice-pass-123")   # the right password is refused too while the limit holds
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
    # Someone else from the same address may still sign in.
    assert _sign_in(client, "bob", "bob-pass-123").status_code == 302


def test_a_successful_sign_in_clears_the_count(settings, client, alice):
    settings.COMPOSER_SIGNIN_MAX_FAILURES = 3
    for _ in range(2):
        _sign_in(client, "alice", "wrong")
    assert _sign_in(client, "alice", "alice-pass-123").status_code == 302
    client.logout()
    for _ in range(2):
        _sign_in(client, "alice", "wrong")
    assert _sign_in(client, "alice", "alice-pass-123").status_code == 302


def test_one_address_cannot_spray_many_usernames(settings, client, alice):
    settings.COMPOSER_SIGNIN_MAX_FAILURES = 2   # per username; the address may fail five times as often
    for index in range(10):
        assert _sign_in(client, f"nobody{index}", "x").status_code == 200
    assert _sign_in(client, "alice", "alice-pass-123").status_code == 429
