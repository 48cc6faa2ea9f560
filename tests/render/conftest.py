"""Render tests resolve assets through a FileResolver: the built-in presets plus files each test makes."""
from __future__ import annotations

import pytest

from tests.support.render import FileResolver


@pytest.fixture
def resolver():
    return FileResolver()
