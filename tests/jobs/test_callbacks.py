"""Callbacks: the result POSTed, MSS_A-signed, retried with backoff, logged; private targets refused."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from composer.jobs.callbacks import deliver
from composer.jobs.models import CallbackDelivery, JobState, VideoJob
from tests.support.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    def __init__(self, failures: int = 0):
        self.requests: list[tuple[str, dict]] = []
        self.failures = failures
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.requests.append((self.path, body))
                status = 500 if len(receiver.requests) <= receiver.failures else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hooks/video?team=7"


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.httpd.shutdown()


def finished_job(project, alice, callback_config: dict) -> VideoJob:
    from composer.spec import validate_create_body
    from tests.support.factories import create_body

    spec = validate_create_body(create_body(callback_config=callback_config))
    return VideoJob.objects.create(project=project, created_by=alice, spec=spec, state=JobState.SUCCEED,
                                   output_asset_id="a" * 32)


def test_mss_a_callback_is_received_and_verifies(receiver, project, alice, settings):
    settings.COMPOSER_FETCH_ALLOW_PRIVATE = True
    job = finished_job(project, alice, {"callback_url": receiver.url, "auth_type": "MSS_A", "key": "k3y"})
    assert deliver(str(job.id), 1) is None
    path, body = receiver.requests[0]
    assert body == {"result": "SUCCEED", "asset_id": "a" * 32, "job_id": str(job.id)}
    query = parse_qs(urlsplit(path).query)
    expected = hmac.new(b"k3y", (receiver.url + query["time_stamp"][0]).encode(), hashlib.sha256).hexdigest()
    assert query["secret"] == [expected]
    assert query["team"] == ["7"]
    assert CallbackDelivery.objects.get(job=job).delivered


def test_a_failing_receiver_is_retried_with_backoff(project, alice, settings):
    settings.COMPOSER_FETCH_ALLOW_PRIVATE = True
    settings.COMPOSER_CALLBACK_BACKOFF_SECONDS = 2
    receiver = Receiver(failures=2)
    try:
        job = finished_job(project, alice, {"callback_url": receiver.url})
        assert deliver(str(job.id), 1) == 2
        assert deliver(str(job.id), 2) == 4
        assert deliver(str(job.id), 3) is None
        rows = list(CallbackDelivery.objects.filter(job=job))
        assert [r.status_code for r in rows] == [500, 500, 200]
        assert [r.delivered for r in rows] == [False, False, True]
    finally:
        receiver.httpd.shutdown()


def test_a_callback_to_a_private_address_is_refused_and_logged(receiver, project, alice, settings):
    settings.COMPOSER_FETCH_ALLOW_PRIVATE = False
    job = finished_job(project, alice, {"callback_url": receiver.url})
    assert deliver(str(job.id), 1) is None
    assert receiver.requests == []
    row = CallbackDelivery.objects.get(job=job)
    assert not row.delivered and "refused" in row.error and "non-public" in row.error


def test_a_rendered_job_calls_back_through_the_worker(receiver, alice_client, project, embedded_worker, settings):
    from tests.support.jobs import small_body, submit

    settings.COMPOSER_FETCH_ALLOW_PRIVATE = True
    body = small_body()
    body["callback_config"] = {"callback_url": receiver.url, "auth_type": "MSS_A", "key": "k"}
    job_id = submit(alice_client, project, body)
    wait_for(lambda: receiver.requests)
    assert receiver.requests[0][1]["job_id"] == job_id
    assert receiver.requests[0][1]["result"] == "SUCCEED"
