"""A stand-in rig for an avatar that renders elsewhere (imported from MetaStudio): its cover picture as a still
composer-rig/1 figure with a "Rendered by MetaStudio" band, so thumbnails and the editor's canvas frame it in
its HUMAN box with the same compositor as any presenter, and nobody mistakes it for the final look."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from composer.render.avatar.rig import EYE_STATES, MOUTH_SHAPES

LAYOUT = (1920, 1080)
HEIGHT = 900           # the figure's height in the layout: standing at the bottom edge, centred
MAX_SIDE = 720         # the stand-in's layers are at most this tall (a cover is a small picture anyway)
MARK = "Rendered by MetaStudio"
FONT = Path(__file__).resolve().parents[1] / "fonts" / "NotoSansCJKsc-Bold-subset.otf"


def marked_cover(cover: Image.Image, mark: str = MARK) -> Image.Image:
    """The cover, opaque, at most MAX_SIDE tall, with `mark` on a dark band along its bottom."""
    image = cover.convert("RGB")
    if image.height > MAX_SIDE:
        image = image.resize((max(1, round(image.width * MAX_SIDE / image.height)), MAX_SIDE), Image.LANCZOS)
    band = max(14, image.height // 9)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, image.height - band, image.width, image.height), fill=(20, 24, 33))
    size = band * 0.55
    try:
        font = ImageFont.truetype(str(FONT), max(8, int(size)))
        while font.getlength(mark) > image.width * 0.92 and size > 8:
            size *= 0.9
            font = ImageFont.truetype(str(FONT), max(8, int(size)))
    except OSError:
        font = ImageFont.load_default()
    draw.text((image.width / 2, image.height - band / 2), mark, fill=(255, 255, 255), font=font, anchor="mm")
    return image


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def standin_rig_zip(cover: Image.Image, name: str) -> bytes:
    """A composer-rig/1 zip whose figure is the marked cover, still (no idle motion, empty eyes and mouths)."""
    picture = marked_cover(cover).convert("RGBA")
    width, height = picture.size
    head = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    head.paste(picture.crop((0, 0, width, height * 2 // 5)), (0, 0))
    empty = _png(Image.new("RGBA", picture.size, (0, 0, 0, 0)))
    box_w = round(width * HEIGHT / height)
    meta = {
        "format": "composer-rig/1", "name": (name or "MetaStudio avatar")[:80], "size": [width, height],
        "layout": list(LAYOUT), "default_box": [(LAYOUT[0] - box_w) // 2, LAYOUT[1] - HEIGHT, box_w, HEIGHT],
        "head_pivot": [width / 2, height * 2 / 5],
        "parts": [{"name": "torso", "image": "layers/torso.png", "pivot": [width / 2, height], "z": 10},
                  {"name": "head", "image": "layers/head.png", "pivot": [width / 2, height * 2 / 5],
                   "parent": "torso", "z": 20, "group": "head"}],
        "faces": {"eyes": {state: "layers/empty.png" for state in EYE_STATES},
                  "mouths": {shape: "layers/empty.png" for shape in MOUTH_SHAPES}},
        "idle": {"breath_period": 4.0, "breath_pixels": 0, "sway_pixels": 0, "head_degrees": 0},
        "actions": {},
        "standin": MARK,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("rig.json", json.dumps(meta))
        archive.writestr("layers/torso.png", _png(picture))
        archive.writestr("layers/head.png", _png(head))
        archive.writestr("layers/empty.png", empty)
    return buffer.getvalue()
