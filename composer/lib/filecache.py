"""A small least-recently-used cache of generated files under COMPOSER_DATA_DIR (voice samples, scene thumbnails,
presenter previews). Entries are written to a temporary name and renamed, so a concurrent reader never sees half a
file; a hit refreshes the entry's time, and the oldest entries go once there are more than `max_files`."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings


class FileCache:
    def __init__(self, folder: str, suffix: str, max_files: int):
        self.folder = folder
        self.suffix = suffix
        self.max_files = max_files

    def path(self) -> Path:
        path = Path(settings.COMPOSER_DATA_DIR) / self.folder
        path.mkdir(parents=True, exist_ok=True)
        return path

    def get(self, key: str) -> bytes | None:
        entry = self.path() / f"{key}{self.suffix}"
        try:
            data = entry.read_bytes()
        except FileNotFoundError:
            return None
        os.utime(entry)
        return data

    def put(self, key: str, data: bytes, *, max_files: int | None = None) -> None:
        folder = self.path()
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, folder / f"{key}{self.suffix}")
        entries = sorted(folder.glob(f"*{self.suffix}"), key=lambda p: p.stat().st_mtime)
        for old in entries[:max(0, len(entries) - (max_files or self.max_files))]:
            old.unlink(missing_ok=True)
