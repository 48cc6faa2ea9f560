"""Regenerate the built-in presenter rigs: `python -m composer.render.avatar.build`.

Writes composer/render/presets/avatars/{presenter-landscape,presenter-portrait}.zip deterministically.
"""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from PIL import Image

from composer.render.avatar.artwork import presenter as art
from composer.render.avatar.rig import FORMAT, MOUTH_SHAPES

OUT_DIR = Path(__file__).resolve().parents[1] / "presets" / "avatars"
CANVAS = (1200, 1440)
OFFSET = (CANVAS[0] - art.SIZE[0]) // 2   # the figure is drawn 900 wide and centred on a wider canvas


def shift(point: tuple[float, float]) -> list[float]:
    return [point[0] + OFFSET, point[1]]


def widen(image: Image.Image) -> Image.Image:
    canvas = Image.new("RGBA", CANVAS, (0, 0, 0, 0))
    canvas.paste(image, (OFFSET, 0))
    return canvas


def keyframes(*pairs: tuple[float, float]) -> list[list[float]]:
    return [[t, v] for t, v in pairs]


ACTIONS = {
    "wave": {"semantic": True, "duration": 2.8, "tracks": {
        "arm_l_upper": {"rotate": keyframes((0, 0), (0.5, -48), (2.3, -48), (2.8, 0))},
        "arm_l_fore": {"rotate": keyframes((0, 0), (0.5, -132), (2.3, -132), (2.8, 0))},
        "arm_l_hand": {"rotate": keyframes((0, 0), (0.5, 0), (0.75, 14), (1.0, -10), (1.25, 14), (1.5, -10),
                                           (1.75, 14), (2.0, -6), (2.3, 0), (2.8, 0))},
        "head": {"rotate": keyframes((0, 0), (0.6, 3), (2.3, 3), (2.8, 0))}}},
    "point": {"semantic": True, "duration": 2.4, "tracks": {
        "arm_l_upper": {"rotate": keyframes((0, 0), (0.45, -28), (1.9, -28), (2.4, 0))},
        "arm_l_fore": {"rotate": keyframes((0, 0), (0.45, -105), (1.9, -105), (2.4, 0))},
        "arm_l_hand": {"rotate": keyframes((0, 0), (0.45, -10), (1.9, -10), (2.4, 0))},
        "head": {"rotate": keyframes((0, 0), (0.5, 4), (1.9, 4), (2.4, 0))}}},
    "nod": {"semantic": True, "duration": 1.2, "tracks": {
        "head": {"dy": keyframes((0, 0), (0.25, 9), (0.5, 0), (0.75, 7), (1.0, 0), (1.2, 0)),
                 "rotate": keyframes((0, 0), (0.25, -1.5), (0.5, 0), (0.75, -1), (1.0, 0))}}},
    "open_palm": {"semantic": False, "duration": 2.2, "tracks": {
        "arm_r_upper": {"rotate": keyframes((0, 0), (0.5, 15), (1.7, 15), (2.2, 0))},
        "arm_r_fore": {"rotate": keyframes((0, 0), (0.5, -135), (1.7, -128), (2.2, 0))},
        "arm_r_hand": {"rotate": keyframes((0, 0), (0.5, -20), (1.7, -14), (2.2, 0))}}},
    "open_palm_left": {"semantic": False, "duration": 2.2, "tracks": {
        "arm_l_upper": {"rotate": keyframes((0, 0), (0.5, -15), (1.7, -15), (2.2, 0))},
        "arm_l_fore": {"rotate": keyframes((0, 0), (0.5, 135), (1.7, 128), (2.2, 0))},
        "arm_l_hand": {"rotate": keyframes((0, 0), (0.5, 20), (1.7, 14), (2.2, 0))}}},
    "head_tilt": {"semantic": False, "duration": 2.0, "tracks": {
        "head": {"rotate": keyframes((0, 0), (0.6, -4), (1.4, -4), (2.0, 0))}}},
}


def build(style: art.Style, *, layout: tuple[int, int], default_box: list[int], out: Path) -> None:
    head_pivot = shift(art.NECK_PIVOT)
    layers: dict[str, Image.Image] = {
        "torso": art.body(style), "head": art.head(style), "hair_back": art.hair_back(style),
        "hair_front": art.hair_front(style), "brows": art.brows(style),
    }
    for side, prefix in ((-1, "arm_l"), (1, "arm_r")):
        for piece, image in art.arm(style, side).items():
            layers[f"{prefix}_{'fore' if piece == 'forearm' else piece}"] = image
    for state in ("open", "half", "closed"):
        layers[f"eyes_{state}"] = art.eyes(style, state)
    for shape in MOUTH_SHAPES:
        layers[f"mouth_{shape}"] = art.mouth(style, shape)

    parts = [{"name": "hair_back", "image": "layers/hair_back.png", "pivot": head_pivot, "parent": None, "z": 0,
              "group": "head_back"},
             {"name": "torso", "image": "layers/torso.png", "pivot": [CANVAS[0] / 2, CANVAS[1]], "parent": None,
              "z": 10, "group": "body"}]
    for z, (prefix, shoulder) in enumerate((("arm_l", art.SHOULDER_L), ("arm_r", art.SHOULDER_R))):
        elbow = (shoulder[0], shoulder[1] + art.UPPER_ARM)
        wrist = (shoulder[0], elbow[1] + art.FOREARM)
        parts += [
            {"name": f"{prefix}_upper", "image": f"layers/{prefix}_upper.png", "pivot": shift(shoulder),
             "parent": "torso", "z": 20 + 3 * z, "group": "body"},
            {"name": f"{prefix}_fore", "image": f"layers/{prefix}_fore.png", "pivot": shift(elbow),
             "parent": f"{prefix}_upper", "z": 21 + 3 * z, "group": "body"},
            {"name": f"{prefix}_hand", "image": f"layers/{prefix}_hand.png", "pivot": shift(wrist),
             "parent": f"{prefix}_fore", "z": 22 + 3 * z, "group": "body"},
        ]
    parts += [{"name": "head", "image": "layers/head.png", "pivot": head_pivot, "parent": "torso", "z": 30,
               "group": "head"},
              {"name": "brows", "image": "layers/brows.png", "pivot": head_pivot, "parent": "head", "z": 32,
               "group": "head"},
              {"name": "hair_front", "image": "layers/hair_front.png", "pivot": head_pivot, "parent": "head",
               "z": 34, "group": "head"}]
    meta = {
        "format": FORMAT, "name": style.name, "size": list(CANVAS), "layout": list(layout),
        "default_box": default_box, "head_pivot": head_pivot, "parts": parts,
        "faces": {"eyes": {s: f"layers/eyes_{s}.png" for s in ("open", "half", "closed")},
                  "mouths": {s: f"layers/mouth_{s}.png" for s in MOUTH_SHAPES}, "eyes_z": 31, "mouth_z": 33},
        "idle": {"breath_period": 4.2, "breath_pixels": 3.0, "sway_pixels": 3.0, "head_degrees": 1.6},
        "actions": ACTIONS,
        "licence": "Composer built-in presenter, drawn in code by the Composer project; same licence as Composer.",
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("rig.json", date_time=(2026, 1, 1, 0, 0, 0))
        archive.writestr(info, json.dumps(meta, indent=1))
        for name in sorted(layers):
            buffer = io.BytesIO()
            widen(layers[name]).save(buffer, "PNG", optimize=True)
            archive.writestr(zipfile.ZipInfo(f"layers/{name}.png", date_time=(2026, 1, 1, 0, 0, 0)),
                             buffer.getvalue())


def main() -> None:
    # Landscape: Maya at the right third of a 1920x1080 frame, cut at the waist by the frame's bottom edge.
    build(art.MAYA, layout=(1920, 1080), default_box=[900, 108, 1080, 1296], out=OUT_DIR / "presenter-landscape.zip")
    # Portrait: Leo in the lower part of a 1080x1920 frame, larger.
    build(art.LEO, layout=(1080, 1920), default_box=[-180, 624, 1440, 1728], out=OUT_DIR / "presenter-portrait.zip")


if __name__ == "__main__":
    main()
