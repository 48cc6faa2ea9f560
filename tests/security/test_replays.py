"""A signed request that changes something is accepted once: the same signature again is a replay (401) for as
long as its date is valid; reads may be repeated. The seen signatures are shared through the cache."""
from __future__ import annotations

import json
import os
import time

import pytest
from django.core.cache import caches

from composer.api.replay import seen_key
from composer.jobs.models import VideoJob
from tests.support.factories import create_body
from tests.support.signing import sdk_signed, send

pytestmark = pytest.mark.django_db


def test_a_replayed_create_is_refused_and_makes_no_second_job(alice_key, project):
    path = f"/v1/{project.id}/2d-digital-human-videos"
    body = json.dumps(create_body()).encode()
    headers = sdk_signed(alice_key.ak, alice_key.sk, "POST", path, body=body)
    first = send("POST", path, headers, body=body)
    assert first.status_code == 200, first.content
    again = send("POST", path, headers, body=body)
    assert again.status_code == 401
    assert again.json() == {"error_code": "MSS.00000001", "error_msg": "Authorization: this signed request was "
                                                                       "already received (a replay); sign each "
                                                                       "request anew"}
    assert VideoJob.objects.filter(project=project).count() == 1


def test_a_request_signed_anew_goes_through(alice_key, project):
    path = f"/v1/{project.id}/2d-digital-human-videos"
    body = json.dumps(create_body()).encode()
    first = sdk_signed(alice_key.ak, alice_key.sk, "POST", path, body=body,
                       headers={"X-Sdk-Date": _now_minus(2)})
    second = sdk_signed(alice_key.ak, alice_key.sk, "POST", path, body=body, headers={"X-Sdk-Date": _now_minus(1)})
    assert first["Authorization"] != second["Authorization"]
    assert send("POST", path, first, body=body).status_code == 200
    assert send("POST", path, second, body=body).status_code == 200
    assert VideoJob.objects.filter(project=project).count() == 2


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_other_changes_are_one_use_too(alice_key, alice, project, method):
    from composer.scripts.services import create_script
    from tests.support.factories import create_composition

    script = create_script(project, {"script_name": "s", **create_composition()}, user=alice)
    path = f"/v1/{project.id}/digital-human-video-scripts/{script.id}"
    body = json.dumps({"script_name": "renamed"}).encode() if method == "PUT" else b""
    headers = sdk_signed(alice_key.ak, alice_key.sk, method, path, body=body)
    assert send(method, path, headers, body=body).status_code in (200, 204)
    assert send(method, path, headers, body=body).status_code == 401


def test_reads_may_be_repeated(alice_key, project):
    path = f"/v1/{project.id}/digital-human-videos"
    headers = sdk_signed(alice_key.ak, alice_key.sk, "GET", path, query=[("limit", 5)])
    for _ in range(3):
        assert send("GET", path, headers, query="limit=5").status_code == 200


def test_a_refused_signature_is_not_remembered(alice_key, project):
    """A tampered request fails its signature and must not block the genuine one."""
    path = f"/v1/{project.id}/2d-digital-human-videos"
    body = json.dumps(create_body()).encode()
    headers = sdk_signed(alice_key.ak, alice_key.sk, "POST", path, body=body)
    assert send("POST", path, headers, body=body.replace(b"Hello.", b"Bye.")).status_code == 401
    assert send("POST", path, headers, body=body).status_code == 200


def test_a_seen_signature_is_kept_only_while_its_date_is_valid(alice_key, project, settings):
    settings.COMPOSER_SIGNATURE_MAX_SKEW_SECONDS = 900
    path = f"/v1/{project.id}/2d-digital-human-videos"
    body = json.dumps(create_body()).encode()
    headers = sdk_signed(alice_key.ak, alice_key.sk, "POST", path, body=body, headers={"X-Sdk-Date": _now_minus(600)})
    assert send("POST", path, headers, body=body).status_code == 200
    signature = headers["Authorization"].rsplit("Signature=", 1)[1]
    cache = caches["default"]  # the test settings' LocMemCache, which keeps each key's absolute expiry
    expires = cache._expire_info[cache.make_and_validate_key(seen_key(alice_key.ak, signature))]
    assert 290 <= expires - time.time() <= 302


def _now_minus(seconds: int) -> str:
    from datetime import UTC, datetime, timedelta

    return (datetime.now(UTC) - timedelta(seconds=seconds)).strftime("%Y%m%dT%H%M%SZ")


@pytest.mark.skipif(not os.environ.get("SCALE_REDIS_URL"), reason="needs SCALE_REDIS_URL (a real Redis)")
def test_with_redis_every_web_process_sees_the_same_signatures(alice_key, project, settings):
    """Two cache clients stand for two web processes: a signature accepted through one is a replay through
    the other."""
    from django.core.cache.backends.redis import RedisCache

    url = os.environ["SCALE_REDIS_URL"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                                   "KEY_PREFIX": f"composer-test-{os.getpid()}"}}
    path = f"/v1/{project.id}/2d-digital-human-videos"
    body = json.dumps(create_body()).encode()
    headers = sdk_signed(alice_key.ak, alice_key.sk, "POST", path, body=body)
    assert send("POST", path, headers, body=body).status_code == 200
    other_process = RedisCache(url, {"KEY_PREFIX": f"composer-test-{os.getpid()}"})
    signature = headers["Authorization"].rsplit("Signature=", 1)[1]
    assert other_process.get(seen_key(alice_key.ak, signature)) == 1
    assert 0 < other_process._cache.get_client(None).ttl(
        other_process.make_and_validate_key(seen_key(alice_key.ak, signature))) <= 902
    assert send("POST", path, headers, body=body).status_code == 401
    other_process.delete(seen_key(alice_key.ak, signature))
