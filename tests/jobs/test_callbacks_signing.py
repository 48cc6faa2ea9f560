from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qs, urlsplit

from composer.jobs.callbacks import backoff_seconds, signed_callback_url


def test_mss_a_signature_verifies_as_the_spec_describes():
    url = signed_callback_url("https://hooks.example.com/done?x=1", "s3cret", now=1_700_000_000)
    query = parse_qs(urlsplit(url).query)
    assert query["x"] == ["1"]
    assert query["time_stamp"] == [format(1_700_000_000, "x")]
    expected = hmac.new(b"s3cret", ("https://hooks.example.com/done?x=1" + query["time_stamp"][0]).encode(),
                        hashlib.sha256).hexdigest()
    assert query["secret"] == [expected]


def test_it_starts_the_query_when_the_url_has_none():
    assert "/done?secret=" in signed_callback_url("https://h.example.com/done", "k", now=1)


def test_backoff_grows_exponentially(settings):
    settings.COMPOSER_CALLBACK_BACKOFF_SECONDS = 3
    assert [backoff_seconds(n) for n in (1, 2, 3)] == [3, 6, 12]
