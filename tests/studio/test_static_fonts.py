"""The editor's fonts are the renderer's own files, served without links in the tree: found by the static finder in
development and copied (with hashed names the editor's CSS points at) by collectstatic for production."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "composer" / "render" / "fonts"
SERVED = ["NotoSansCJKsc-Bold-subset.otf", "NotoSansCJKsc-Regular-subset.otf", "OFL.txt"]


def test_the_static_tree_holds_no_links():
    links = [str(path.relative_to(ROOT)) for path in (ROOT / "static").rglob("*") if path.is_symlink()]
    assert links == []


def test_the_finder_finds_each_font_and_nothing_else_of_the_folder():
    for name in SERVED:
        assert Path(finders.find(f"composer/editor/fonts/{name}")) == FONTS / name
    assert finders.find("composer/editor/fonts/build_fonts.py") is None
    assert finders.find("composer/editor/fonts/../fonts/OFL.txt") is None
    listed = sorted(f"{storage.prefix}/{path}" for finder in finders.get_finders()
                    for path, storage in finder.list(None) if "/fonts" in (getattr(storage, "prefix", "") or ""))
    assert listed == [f"composer/editor/fonts/{name}" for name in SERVED]


@pytest.mark.parametrize("debug", [True, False], ids=["make-run", "finders-at-start"])
def test_the_font_is_served_from_the_render_folder(settings, debug):
    # DEBUG: WhiteNoise looks each request up through the finders; otherwise it lists them once at start.
    settings.DEBUG = debug
    response = Client().get("/static/composer/editor/fonts/NotoSansCJKsc-Regular-subset.otf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (FONTS / "NotoSansCJKsc-Regular-subset.otf").read_bytes()


PRODUCTION_FETCH = """
from django.templatetags.static import static
from django.test import Client

client = Client(HTTP_HOST="composer.example.com")
css_url = static("composer/editor.css")
css = client.get(css_url, secure=True)
body = b"".join(css.streaming_content).decode()
fonts = {}
for name in __import__("re").findall(r'url\\("(editor/fonts/[^"]+)"\\)', body):
    font = client.get(css_url.rsplit("/", 1)[0] + "/" + name, secure=True)
    fonts[name] = [font.status_code, len(b"".join(font.streaming_content))]
print(__import__("json").dumps({"css": [css_url, css.status_code], "fonts": fonts}))
"""


def test_collectstatic_copies_the_fonts_for_production(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(COMPOSER_PRODUCTION="1", SECRET_KEY="static-files-check-" + "x7Kq2v" * 8, ALLOWED_HOSTS="composer.example.com",
               COMPOSER_DATA_DIR=str(tmp_path / "data"), STATIC_ROOT=str(tmp_path / "static"))

    def manage(*args: str) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    manage("collectstatic", "--noinput", "-v", "0")
    collected = tmp_path / "static" / "composer" / "editor" / "fonts"
    for name in SERVED:
        copy = collected / name
        assert copy.is_file() and not copy.is_symlink()
        assert copy.read_bytes() == (FONTS / name).read_bytes()
    assert not (collected / "build_fonts.py").exists()

    answer = json.loads(manage("shell", "-c", PRODUCTION_FETCH).strip().splitlines()[-1])
    css_url, css_status = answer["css"]
    assert css_status == 200 and re.fullmatch(r"/static/composer/editor\.[0-9a-f]{12}\.css", css_url)
    sizes = {(FONTS / name).stat().st_size for name in SERVED}
    assert len(answer["fonts"]) == 2
    for name, (status, size) in answer["fonts"].items():
        # The CSS names the hashed copies, which WhiteNoise serves from STATIC_ROOT.
        assert re.fullmatch(r"editor/fonts/NotoSansCJKsc-(Regular|Bold)-subset\.[0-9a-f]{12}\.otf", name)
        assert status == 200 and size in sizes
