"""The render engine's fonts, published as static files for the editor.

The editor draws text layers with the fonts the renderer uses, so one copy of each font lives in the repository
(composer/render/fonts) and this finder serves it at static/composer/editor/fonts/: straight from there in
development (runserver, WhiteNoise with finders), and copied into STATIC_ROOT by collectstatic for production.
Only the fonts and their licence are published; the folder's build script is not.
"""
from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

FONTS_DIR = Path(__file__).resolve().parents[1] / "render" / "fonts"
PREFIX = "composer/editor/fonts"
PUBLISHED = (".otf", ".ttf", ".txt")


def published_names() -> list[str]:
    return sorted(path.name for path in FONTS_DIR.iterdir() if path.is_file() and path.suffix in PUBLISHED)


class RenderFontsFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=FONTS_DIR)
        self.storage.prefix = PREFIX    # collectstatic and WhiteNoise place listed files under the prefix

    def check(self, **kwargs):
        if published_names():
            return []
        return [Error(f"no fonts to publish in {FONTS_DIR}", hint="the editor draws text with the renderer's fonts",
                      id="composer.E010")]

    def find(self, path, find_all=False, **kwargs):
        folder, _, name = path.replace("\\", "/").rpartition("/")
        if folder != PREFIX or name not in published_names():
            return []       # Django's finders answer "nothing" with an empty list either way
        found = str(FONTS_DIR / name)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        for name in published_names():
            yield name, self.storage
