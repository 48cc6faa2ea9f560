"""The browser modules' unit tests (tests/js/**/*.test.mjs) run in Node's built-in test runner: the editor's pure
modules (doc, geometry, history) and its store. A failure shows the runner's own report."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def test_the_javascript_unit_tests_pass():
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail("Node.js runs the editor's unit tests: make test installs Debian's nodejs (scripts/ensure-node)")
    files = sorted(str(path.relative_to(ROOT)) for path in HERE.rglob("*.test.mjs"))
    assert files, "no JavaScript tests found"
    done = subprocess.run([node, "--test", "--test-reporter=spec", *files], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report[-20000:]
    passed = re.search(r"^(?:ℹ|#) pass (\d+)$", report, re.MULTILINE)
    assert passed and int(passed.group(1)) > 0, report[-5000:]
