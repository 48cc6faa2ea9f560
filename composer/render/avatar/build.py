"""Regenerate the built-in presenter rigs: `python -m composer.render.avatar.build [id ...]`.

Writes one zip per member of the cast (artwork/cast.py) into composer/render/presets/avatars/ deterministically
from the artwork code (same code, same bytes). Then run `python -m composer.render.rigfacts`: the pages read
the presenters' facts from the file it writes rather than decoding every rig (a test fails until it is current).
"""
from __future__ import annotations

import io
import json
import sys
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import BinaryIO

from PIL import Image

from composer.render.avatar.artwork import body, face, hair
from composer.render.avatar.artwork.canvas import DESIGN
from composer.render.avatar.artwork.cast import CAST
from composer.render.avatar.artwork.clips import clips_for
from composer.render.avatar.artwork.skeleton import CX, NECK_PIVOT, joints
from composer.render.avatar.artwork.styles import Style, style_for
from composer.render.avatar.choices import validate_choices
from composer.render.avatar.rig import EYE_STATES, FORMAT, MOUTH_SHAPES

OUT_DIR = Path(__file__).resolve().parents[1] / "presets" / "avatars"
STAMP = (2026, 1, 1, 0, 0, 0)
WAIST_Y = 1090   # design units: where the frame cuts the figure by default


def layers(style: Style, eyes=EYE_STATES, mouths=MOUTH_SHAPES) -> dict[str, Image.Image]:
    drawn = {"torso": body.torso(style), "head": face.head(style), "hair_back": hair.hair_back(style),
             "hair_front": hair.hair_front(style), "brows": face.brows(style)}
    for side, prefix in ((-1, "arm_l"), (1, "arm_r")):
        for piece, image in body.arm(style, side).items():
            drawn[f"{prefix}_{piece}"] = image
    for state in eyes:
        drawn[f"eyes_{state}"] = face.eyes(style, state)
    for shape in mouths:
        drawn[f"mouth_{shape}"] = face.mouth(style, shape)
    return drawn


def parts(style: Style) -> list[dict]:
    def native(point) -> list[float]:
        return [round(point[0] * style.unit, 2), round(point[1] * style.unit, 2)]

    def part(name, pivot, parent, z, group="body"):
        return {"name": name, "image": f"layers/{name}.png", "pivot": native(pivot), "parent": parent, "z": z,
                "group": group}

    out = [part("hair_back", NECK_PIVOT, "head", 0, "head_back"),
           part("torso", (CX, WAIST_Y), None, 10)]
    for side, prefix in ((-1, "arm_l"), (1, "arm_r")):
        at = joints(side, style.spread)
        offset = 0 if side < 0 else 1
        out += [part(f"{prefix}_upper", at["upper"], "torso", 20 + offset),
                part(f"{prefix}_fore", at["fore"], f"{prefix}_upper", 22 + offset),
                part(f"{prefix}_hand", at["hand"], f"{prefix}_fore", 24 + offset)]
    out += [part("head", NECK_PIVOT, "torso", 30, "head"),
            part("brows", NECK_PIVOT, "head", 32, "head"),
            part("hair_front", NECK_PIVOT, "head", 34, "head")]
    return out


def rig_json(style: Style, layout: tuple[int, int], box_scale: float, centre_x: float) -> dict:
    size = (round(DESIGN[0] * style.unit), round(DESIGN[1] * style.unit))
    scale = box_scale * style.unit   # layout pixels per design unit
    box = [round(centre_x - CX * scale), round(layout[1] - WAIST_Y * scale), round(size[0] * box_scale),
           round(size[1] * box_scale)]
    return {
        "format": FORMAT, "name": style.name, "size": list(size), "layout": list(layout), "default_box": box,
        "head_pivot": [NECK_PIVOT[0] * style.unit, NECK_PIVOT[1] * style.unit], "parts": parts(style),
        "faces": {"eyes": {s: f"layers/eyes_{s}.png" for s in EYE_STATES},
                  "mouths": {s: f"layers/mouth_{s}.png" for s in MOUTH_SHAPES}, "eyes_z": 31, "mouth_z": 33},
        "idle": {"breath_period": 4.0, "breath_pixels": 3.0, "sway_pixels": 2.0, "head_degrees": 1.4},
        "actions": clips_for(narrow=layout[1] > layout[0]),
        "licence": "Composer built-in presenter, drawn in code by the Composer project; same licence as Composer.",
    }


def write_zip(style: Style, layout: tuple[int, int], box_scale: float, centre_x: float, out: BinaryIO | Path) -> None:
    """The rig of `style` as a composer-rig/1 zip, written to a path or a binary file object."""
    meta = rig_json(style, layout, box_scale, centre_x)
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("rig.json", STAMP), json.dumps(meta, indent=1),
                         compress_type=zipfile.ZIP_DEFLATED)
        for name, image in sorted(layers(style).items()):
            buffer = io.BytesIO()
            image.save(buffer, "PNG", optimize=True)
            archive.writestr(zipfile.ZipInfo(f"layers/{name}.png", STAMP), buffer.getvalue())


def write(style: Style, layout: tuple[int, int], box_scale: float, centre_x: float, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    write_zip(style, layout, box_scale, centre_x, out)
    return out


# id -> (style, layout, box scale, centre x in the layout, file name)
PRESENTERS = {
    member["id"]: (style_for(validate_choices(member["choices"]), name=member["name"], unit=member["unit"]),
                   member["layout"], member["box_scale"], member["centre_x"], member["filename"])
    for member in CAST}


def build(which: str) -> Path:
    style, layout, box_scale, centre_x, filename = PRESENTERS[which]
    return write(style, layout, box_scale, centre_x, OUT_DIR / filename)


def main(argv: list[str]) -> None:
    chosen = argv or list(PRESENTERS)
    with ProcessPoolExecutor(max_workers=min(2, len(chosen))) as pool:
        for path in pool.map(build, chosen):
            print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
