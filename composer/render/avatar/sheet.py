"""Contact sheet of the built-in cast through the real Performance: each presenter at rest and waving, a close-up
talking (mouth D) and blinking. `python -m composer.render.avatar.sheet [out.png]` (default
docs/images/avatars.png)."""
from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from composer.render.avatar import BUILTIN_RIGS, Performance, Rig, open_rig
from composer.render.lipsync import MouthKey
from composer.render.speech import TimedAction

DEFAULT_OUT = Path(__file__).resolve().parents[3] / "docs" / "images" / "avatars.png"
BACKGROUND = (226, 233, 243)
INK = (52, 60, 76)
POSE_HEIGHT = 400
FACE_SIZE = 170
COLUMNS = 2


def _frame(rig: Rig, *, shape: str = "X", action: str | None = None, t: float = 0.0,
           blink: bool = False) -> Image.Image:
    actions = [TimedAction(0.0, action)] if action else []
    performance = Performance(rig, [MouthKey(0.0, 10.0, shape)], actions, 10.0, action_interval=255)
    if blink:
        performance.plan.blinks = [t - 0.07]
    return performance.frame(t)


def _poses(rig: Rig, names: tuple[str, ...] = ("wave",)) -> list[tuple[str, Image.Image]]:
    """Full-figure frames cut where the layout's frame cuts them, each at the middle of its clip."""
    shots = [("rest", _frame(rig))]
    for name in names:
        clip = rig.clips[name]
        moment = clip.duration * (0.25 if name == "nod" else 0.45)
        shots.append((name, _frame(rig, action=name, t=moment)))
    left, top, width, height = rig.default_box
    visible = round((rig.layout[1] - top) * rig.size[1] / height)
    out = []
    for name, image in shots:
        cut = image.crop((0, 0, rig.size[0], min(rig.size[1], visible)))
        left, _, right, _ = cut.getchannel("A").getbbox()
        out.append((name, cut.crop((max(0, left - 30), 0, min(cut.width, right + 30), cut.height))))
    return out


def _faces(rig: Rig, shapes: tuple[str, ...] = ("D",)) -> list[tuple[str, Image.Image]]:
    x, y = rig.head_pivot
    half = round(rig.size[0] * 0.11)
    box = (round(x - half), round(y - 2.2 * half), round(x + half), round(y + 0.2 * half))
    faces = [(f"mouth {shape}", _frame(rig, shape=shape).crop(box)) for shape in shapes]
    faces.append(("blink", _frame(rig, t=2.0, blink=True).crop(box)))
    return faces


def _row(items: list[tuple[str, Image.Image]], height: int, font) -> Image.Image:
    tiles = []
    for label, image in items:
        scaled = image.resize((round(image.width * height / image.height), height), Image.Resampling.LANCZOS)
        tile = Image.new("RGB", (scaled.width, height + 40), BACKGROUND)
        tile.paste(scaled, (0, 0), scaled)
        ImageDraw.Draw(tile).text((tile.width // 2, height + 8), label, fill=INK, font=font, anchor="mt")
        tiles.append(tile)
    row = Image.new("RGB", (sum(t.width for t in tiles) + 16 * (len(tiles) - 1), height + 40), BACKGROUND)
    x = 0
    for tile in tiles:
        row.paste(tile, (x, 0))
        x += tile.width + 16
    return row


def _block(entry: dict, font, title) -> Image.Image:
    """One presenter: name and description, rest and wave, and the two close-ups stacked beside them."""
    rig = open_rig(entry["path"])
    poses = _row(_poses(rig), POSE_HEIGHT, font)
    faces = _faces(rig)
    column = Image.new("RGB", (FACE_SIZE + 8, POSE_HEIGHT + 40), BACKGROUND)
    for i, tile in enumerate(_row([face], FACE_SIZE, font) for face in faces):
        column.paste(tile, (0, i * (FACE_SIZE + 52)))
    block = Image.new("RGB", (poses.width + 16 + column.width, POSE_HEIGHT + 40 + 70), BACKGROUND)
    draw = ImageDraw.Draw(block)
    draw.text((0, 0), f"{entry['name']} ({entry['orientation']}, {entry['gender']})", fill=INK, font=title)
    draw.text((0, 38), entry["description"], fill=INK, font=font)
    block.paste(poses, (0, 70))
    block.paste(column, (poses.width + 16, 70))
    return block


def contact_sheet() -> Image.Image:
    font = ImageFont.load_default(size=20)
    title = ImageFont.load_default(size=28)
    blocks = [_block(entry, font, title) for entry in BUILTIN_RIGS]
    cell_w = max(block.width for block in blocks) + 60
    cell_h = max(block.height for block in blocks) + 40
    rows = -(-len(blocks) // COLUMNS)
    sheet = Image.new("RGB", (cell_w * COLUMNS + 40, cell_h * rows + 40), BACKGROUND)
    for i, block in enumerate(blocks):
        sheet.paste(block, (40 + (i % COLUMNS) * cell_w, 30 + (i // COLUMNS) * cell_h))
    return sheet


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    contact_sheet().save(out, optimize=True)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
