"""Settings: a fresh clone needs no configuration; production mode passes Django's deployment checks."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from composer.settings import env_bool, env_int

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_production_mode_passes_check_deploy(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", COMPOSER_PRODUCTION="1",
                        SECRET_KEY="k" * 20 + "-production-secret-for-the-check-0123456789abcdef",
                        ALLOWED_HOSTS="composer.example.com", COMPOSER_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage("check", COMPOSER_PRODUCTION="1", SECRET_KEY="", COMPOSER_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_mode_refuses_the_browser_test_hooks(tmp_path):
    result = run_manage("check", COMPOSER_PRODUCTION="1", SECRET_KEY=STRONG_KEY, COMPOSER_TEST_HOOKS="1",
                        ALLOWED_HOSTS="composer.example.com", COMPOSER_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "COMPOSER_TEST_HOOKS is for the browser tests and must be off in production" in result.stderr


def test_the_default_needs_no_configuration(tmp_path):
    result = run_manage("check", COMPOSER_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr


STRONG_KEY = "k" * 20 + "-production-secret-for-the-check-0123456789abcdef"


@pytest.mark.parametrize("weak", ["short-key", "a" * 60, "django-insecure-" + "x1y2z3" * 10])
def test_production_mode_refuses_a_weak_secret_key(tmp_path, weak):
    result = run_manage("check", COMPOSER_PRODUCTION="1", SECRET_KEY=weak, ALLOWED_HOSTS="composer.example.com",
                        COMPOSER_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_production_mode_refuses_the_test_clients_host(tmp_path):
    result = run_manage("check", COMPOSER_PRODUCTION="1", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="testserver,a.example",
                        COMPOSER_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "testserver" in result.stderr


def production_setting(tmp_path, expression: str, **env: str) -> str:
    result = run_manage("shell", "-c", f"from django.conf import settings; print({expression})",
                        COMPOSER_PRODUCTION="1", SECRET_KEY=STRONG_KEY, COMPOSER_DATA_DIR=str(tmp_path), **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_hosts_default_leaves_out_the_test_client(tmp_path):
    assert production_setting(tmp_path, "settings.ALLOWED_HOSTS") == "['127.0.0.1', 'localhost']"


def test_the_forwarded_proto_header_is_trusted_only_behind_a_declared_proxy(tmp_path):
    assert production_setting(tmp_path, "getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)") == "None"
    assert production_setting(tmp_path, "settings.SECURE_PROXY_SSL_HEADER", COMPOSER_TRUSTED_PROXY="1") == \
        "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_a_misspelt_yes_no_setting_stops_the_start_naming_it_and_the_accepted_values(tmp_path):
    result = run_manage("check", COMPOSER_PRODUCTION="ture", COMPOSER_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "COMPOSER_PRODUCTION='ture' is not a yes/no value" in result.stderr
    assert "1, true, yes, on for yes or 0, false, no, off for no" in result.stderr


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", True), ("true", True), ("TRUE", True), (" yes ", True), ("On", True),
    ("0", False), ("false", False), ("No", False), ("off", False)])
def test_every_yes_no_setting_reads_the_same_words(monkeypatch, raw, expected):
    monkeypatch.setenv("COMPOSER_SOME_FLAG", raw)
    assert env_bool("COMPOSER_SOME_FLAG", not expected) is expected


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_an_unset_or_empty_yes_no_setting_keeps_its_default(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("COMPOSER_SOME_FLAG", raising=False)
    else:
        monkeypatch.setenv("COMPOSER_SOME_FLAG", raw)
    assert env_bool("COMPOSER_SOME_FLAG", True) is True
    assert env_bool("COMPOSER_SOME_FLAG", False) is False


@pytest.mark.parametrize("raw", ["ture", "2", "y", "enabled", "flase"])
def test_an_unknown_yes_no_value_is_refused_not_read_as_no(monkeypatch, raw):
    monkeypatch.setenv("COMPOSER_SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match=r"COMPOSER_SOME_FLAG=.* is not a yes/no value"):
        env_bool("COMPOSER_SOME_FLAG", False)


def test_a_number_setting_that_is_not_a_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("COMPOSER_SOME_COUNT", "two")
    with pytest.raises(ImproperlyConfigured, match="COMPOSER_SOME_COUNT='two' is not a whole number"):
        env_int("COMPOSER_SOME_COUNT", 2)
    monkeypatch.setenv("COMPOSER_SOME_COUNT", "")
    assert env_int("COMPOSER_SOME_COUNT", 2) == 2
