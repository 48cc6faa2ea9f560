"""Settings: a fresh clone needs no configuration; production mode passes Django's deployment checks."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def test_the_default_needs_no_configuration(tmp_path):
    result = run_manage("check", COMPOSER_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
