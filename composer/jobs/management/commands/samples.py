"""Render the sample reel: every built-in presenter in landscape and portrait, subtitles in English, Chinese and
Japanese, plus stills and one contact sheet per orientation for the README.

`make samples` runs it. Clips go to docs/samples/<presenter>-<orientation>.mp4, a still of each (taken while the
presenter speaks) beside it as .jpg, and the contact sheets to docs/images/samples-{landscape,portrait}.jpg.
"""
from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import av
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from PIL import Image, ImageDraw

from composer.assets.resolver import ProjectAssetResolver
from composer.assets.services import spec_asset_checker
from composer.render import render
from composer.render.avatar import BUILTIN_RIGS
from composer.render.speech import BUILTIN_VOICES
from composer.render.text import font_path, load_font
from composer.spec import SpecError, validate_create_body

LINES = {
    "en": ("Hi, I'm {name}. Our spring collection is here, and every piece is made to last. "
           "<break time=\"400ms\"/> Take a look, and tell us what you think."),
    "zh": "大家好，我是{name}。我们的春季新品已经上市，欢迎大家来店里看看。",
    "ja": "こんにちは、{name}です。春の新しいコレクションが届きました。ぜひ店舗でご覧ください。",
}
BACKGROUNDS = ("studio-blue", "warm-office", "night-gradient")
# Each presenter speaks English in one orientation; the other shows CJK subtitles for some of the cast.
CJK_TURNS = ("zh", "ja")


def first_name(rig: dict) -> str:
    return rig["name"].split(" (")[0]


def voice_for(language: str, rig: dict) -> str:
    """The presenter's own voice for English; the most natural built-in voice of the language otherwise."""
    if language == "en":
        return rig.get("default_voice") or "voice-en-us-joe"
    prefix = {"zh": ("cmn", "zh"), "ja": ("ja",)}[language]
    voices = [v for v in BUILTIN_VOICES if str(v["language"]).lower().startswith(prefix)]
    voices.sort(key=lambda v: v["kind"] == "espeak")   # neural or HTS before formant synthesis
    wanted = rig.get("gender")
    matching = [v for v in voices if v.get("gender") in (None, wanted)]
    chosen = (matching or voices)[0] if voices else None
    if chosen is None:
        raise CommandError(f"no built-in voice for {language}")
    return chosen["asset_id"]


def body(rig: dict, orientation: str, language: str, background: str) -> dict:
    width, height = (1920, 1080) if orientation == "landscape" else (1080, 1920)
    text = LINES[language].format(name=first_name(rig))
    if "<" in text:
        text = f"<speak>{text}</speak>"
    return {
        "model_asset_id": rig["asset_id"],
        "voice_config": {"voice_asset_id": voice_for(language, rig)},
        "video_config": {"codec": "H264", "bitrate": 3000, "width": width, "height": height,
                         "is_subtitle_enable": True},
        "shoot_scripts": [{"sequence_no": 0, "shoot_script": {
            "text_config": {"text": text},
            "background_config": [{"background_type": "IMAGE",
                                   "background_asset_id": f"bg-{background}-{orientation}"}]}}],
        "output_asset_config": {"asset_name": f"{first_name(rig)} ({orientation}, {language})"},
    }


def still(video: Path, out: Path, at: float) -> None:
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            if frame.time is not None and frame.time >= at:
                frame.to_image().save(out, "JPEG", quality=88)
                return
    raise CommandError(f"{video.name}: no frame at {at:.2f} s")


def contact_sheet(stills: list[tuple[str, Path]], out: Path, *, columns: int, cell_width: int) -> None:
    images = [(label, Image.open(path).convert("RGB")) for label, path in stills]
    cell_height = round(images[0][1].size[1] * cell_width / images[0][1].size[0])
    rows = (len(images) + columns - 1) // columns
    pad, caption = 16, 34
    sheet = Image.new("RGB", (columns * (cell_width + pad) + pad, rows * (cell_height + caption + pad) + pad),
                      "#F3F5F9")
    draw = ImageDraw.Draw(sheet)
    font = load_font(str(font_path(None)), 20)
    for i, (label, image) in enumerate(images):
        x = pad + (i % columns) * (cell_width + pad)
        y = pad + (i // columns) * (cell_height + caption + pad)
        sheet.paste(image.resize((cell_width, cell_height), Image.LANCZOS), (x, y))
        draw.text((x, y + cell_height + 6), label, font=font, fill="#1D2B4F")
    sheet.save(out, "JPEG", quality=86)


class Command(BaseCommand):
    help = "Render the sample reel (every built-in presenter, both orientations, EN/ZH/JA subtitles) and stills."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs" / "samples"))
        parser.add_argument("--images", default=str(Path(settings.BASE_DIR) / "docs" / "images"))
        parser.add_argument("--only", nargs="*", help="asset ids of the presenters to render (default: all)")

    def handle(self, *args, out, images, only, **options):
        out_dir, image_dir = Path(out), Path(images)
        out_dir.mkdir(parents=True, exist_ok=True)
        image_dir.mkdir(parents=True, exist_ok=True)
        rigs = [rig for rig in BUILTIN_RIGS if not only or rig["asset_id"] in only]
        sheets: dict[str, list[tuple[str, Path]]] = {"landscape": [], "portrait": []}
        for index, rig in enumerate(rigs):
            for turn, orientation in enumerate(("landscape", "portrait")):
                # Alternate which orientation carries the CJK line, so both orientations show all three scripts.
                cjk = CJK_TURNS[index % len(CJK_TURNS)]
                language = "en" if (index + turn) % 2 == 0 else cjk
                background = BACKGROUNDS[(index + turn) % len(BACKGROUNDS)]
                name = f"{rig['asset_id'].removeprefix('avatar-')}-{orientation}"
                try:
                    spec = validate_create_body(body(rig, orientation, language, background),
                                                asset_checker=spec_asset_checker(None))
                except SpecError as exc:
                    raise CommandError(f"{name}: {exc.error_msg}") from exc
                started = time.monotonic()
                with tempfile.TemporaryDirectory(prefix="composer-samples-") as tmp:
                    result = render(spec, ProjectAssetResolver(None, Path(tmp)), out_dir / f"{name}.mp4")
                still_path = out_dir / f"{name}.jpg"
                still(result.output, still_path, min(2.2, result.duration / 2))
                sheets[orientation].append((f"{first_name(rig)} · {language.upper()}", still_path))
                self.stdout.write(json.dumps({"clip": str(result.output), "language": language,
                                              "duration": round(result.duration, 2),
                                              "seconds": round(time.monotonic() - started, 1)}))
        if not only:
            contact_sheet(sheets["landscape"], image_dir / "samples-landscape.jpg", columns=4, cell_width=420)
            contact_sheet(sheets["portrait"], image_dir / "samples-portrait.jpg", columns=8, cell_width=200)
