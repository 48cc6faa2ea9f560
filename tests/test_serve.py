"""The production server's settings: processes and pools follow the configuration, and an unsafe one is refused."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOW = ("from django.conf import settings; import json; db = settings.DATABASES['default']; "
        "print(json.dumps([settings.COMPOSER_WEB_PROCESSES, db.get('CONN_MAX_AGE'), db.get('OPTIONS', {}).get('pool')]))")


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "composer.settings", **env},
                          capture_output=True, text=True, timeout=120)


def test_several_processes_without_redis_are_refused(tmp_path):
    result = subprocess.run([sys.executable, "-m", "composer.serve", "--port", "0"], cwd=ROOT, timeout=120,
                            env={**{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
                                 "COMPOSER_WEB_PROCESSES": "2", "COMPOSER_DATA_DIR": str(tmp_path)},
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "COMPOSER_WEB_PROCESSES=2 needs REDIS_URL" in result.stderr


def test_postgresql_connections_come_from_a_bounded_pool(tmp_path):
    import json

    result = run(f"{SHOW}", DATABASE_URL="postgres://u@db.invalid/composer", REDIS_URL="redis://r.invalid:6379/0",
                 COMPOSER_DATA_DIR=str(tmp_path), COMPOSER_DB_POOL_MAX_SIZE="6", COMPOSER_DB_POOL_MIN_SIZE="9")
    assert result.returncode == 0, result.stderr
    processes, max_age, pool = json.loads(result.stdout.strip().splitlines()[-1])
    assert processes == min(os.cpu_count() or 1, 4)
    # Django's pool needs connections closed (returned) at the end of every request.
    assert max_age == 0
    assert pool == {"min_size": 6, "max_size": 6, "timeout": 5, "max_idle": 300}
    embedded = json.loads(run(SHOW, COMPOSER_DATA_DIR=str(tmp_path)).stdout.strip().splitlines()[-1])
    assert embedded[0] == 1 and embedded[2] is None
