"""The rooms' arrows (docs/architecture.md): the engine and the spec load without Django or Celery."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER_PACKAGES = {"django", "celery", "kombu", "channels", "rest_framework", "daphne"}

# In a fresh interpreter: what `import composer.render` brings along, then what every module of the engine and
# the spec brings along.
PROBE = """
import importlib, json, pkgutil, sys
import composer.render
first = sorted({name.split(".")[0] for name in sys.modules})
import composer.spec
for package in (composer.render, composer.spec):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
print(json.dumps({"first": first, "all": sorted({name.split(".")[0] for name in sys.modules})}))
"""


def test_the_engine_and_the_spec_load_no_django_and_no_celery():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert "numpy" in loaded["first"]  # the probe did load the engine
    assert sorted(SERVER_PACKAGES & set(loaded["first"])) == []
    assert sorted(SERVER_PACKAGES & set(loaded["all"])) == []


def test_the_import_contracts_hold():
    """pyproject.toml's contracts: rooms import only the rooms below them, the engine and the spec load no
    server package, pages and the API reach the engine through services, and no room's modules import each
    other in a circle. A wrong arrow fails here with lint-imports' own account of the offending imports."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
