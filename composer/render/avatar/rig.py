"""The avatar rig format (composer-rig/1): a zip with rig.json and transparent PNG layers. See FORMAT.md."""
from __future__ import annotations

import io
import json
import lzma
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from PIL import Image

FORMAT = "composer-rig/1"
MOUTH_SHAPES = ("A", "B", "C", "D", "E", "F", "G", "H", "X")
EYE_STATES = ("open", "half", "closed")
MAX_ENTRIES = 500
MAX_UNPACKED = 200 * 1024 * 1024
MAX_SIDE = 4096
CHANNELS = ("rotate", "dx", "dy", "scale")
REQUIRED_PARTS = ("torso", "head")
ALLOWED_SUFFIXES = (".json", ".png", ".txt", ".md")


class RigError(ValueError):
    """The rig zip is not acceptable; the message names the entry or field."""


# What reading one zip entry raises when the archive lies (sizes, CRC), is cut short, or its stream is broken.
ZIP_READ_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, NotImplementedError,
                   RuntimeError)


def read_entry(archive: zipfile.ZipFile, name: str) -> bytes:
    """The bytes of entry `name`; RigError naming it when it is missing or cannot be read."""
    try:
        return archive.read(name)
    except KeyError as exc:
        raise RigError(f"{name}: named in rig.json but missing from the zip") from exc
    except ZIP_READ_ERRORS as exc:
        raise RigError(f"{name}: cannot be read from the zip ({exc})") from exc


@dataclass
class Part:
    name: str
    image: Image.Image          # cropped to its visible box
    origin: tuple[int, int]     # top-left of the crop on the rig canvas
    pivot: tuple[float, float]
    parent: str | None
    z: int
    group: str                  # "body", "head" or "head_back"


@dataclass
class Clip:
    name: str
    duration: float
    semantic: bool
    tracks: dict[str, dict[str, list[tuple[float, float]]]]  # part -> channel (rotate/dx/dy) -> keyframes


@dataclass
class Rig:
    name: str
    size: tuple[int, int]
    layout: tuple[int, int]
    default_box: tuple[int, int, int, int]
    parts: dict[str, Part]
    mouths: dict[str, tuple[Image.Image, tuple[int, int]]]
    eyes: dict[str, tuple[Image.Image, tuple[int, int]]]
    head_pivot: tuple[float, float]
    idle: dict[str, float]
    clips: dict[str, Clip] = field(default_factory=dict)
    eyes_z: int = 31
    mouth_z: int = 33

    @property
    def actions(self) -> list[str]:
        return sorted(self.clips)

    @property
    def gestures(self) -> list[str]:
        return [name for name, clip in sorted(self.clips.items()) if not clip.semantic]


def _check_entries(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise RigError(f"the zip has {len(infos)} entries (at most {MAX_ENTRIES})")
    total = 0
    for info in infos:
        name = PurePosixPath(info.filename)
        if name.is_absolute() or ".." in name.parts or "\\" in info.filename or ":" in info.filename:
            raise RigError(f"{info.filename}: paths must stay inside the rig (no '..', drive or absolute names)")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise RigError(f"{info.filename}: links are not allowed")
        if not info.is_dir() and name.suffix.lower() not in ALLOWED_SUFFIXES:
            raise RigError(f"{info.filename}: only rig.json, PNG layers and text notes may be in a rig")
        total += info.file_size
        if total > MAX_UNPACKED:
            raise RigError(f"the rig unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB")


def _png(archive: zipfile.ZipFile, name: str, size: tuple[int, int]) -> tuple[Image.Image, tuple[int, int]]:
    """Decode one layer (after checking its header size, so a pixel bomb is never decoded), cropped to its
    visible box; returns the crop and its top-left on the rig canvas."""
    if not name.lower().endswith(".png"):
        raise RigError(f"{name or '(empty name)'}: layers must be PNG files")
    data = read_entry(archive, name)
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR":
        raise RigError(f"{name}: layers must be PNG files")
    # The header's own dimensions, read before any decoder sees the file.
    width, height = struct.unpack(">II", data[16:24])
    if (width, height) != size:
        raise RigError(f"{name}: is {width}x{height}, every layer must be {size[0]}x{size[1]} (rig.json size)")
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as probe:
            image = probe.convert("RGBA")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise RigError(f"{name}: not a readable PNG ({exc})") from exc
    box = image.getchannel("A").getbbox()
    if box is None:
        return Image.new("RGBA", (1, 1), (0, 0, 0, 0)), (0, 0)
    return image.crop(box), (box[0], box[1])


def _whole(value, field_name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise RigError(f"rig.json {field_name}: expected a whole number (got {value!r:.40})")
    return value


def _table(value, field_name: str) -> dict:
    """An optional object of rig.json: {} when absent, RigError when it is something else."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RigError(f"rig.json {field_name}: expected an object")
    return value


def _pair(value, field_name: str, kind=int) -> tuple:
    if not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, (int, float)) for v in value):
        raise RigError(f"rig.json {field_name}: expected [x, y]")
    return tuple(kind(v) for v in value)


def _header(meta: dict) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int, int, int]]:
    if meta.get("format") != FORMAT:
        raise RigError(f"rig.json format: expected {FORMAT!r} (got {meta.get('format')!r})")
    for required in ("name", "size", "layout", "default_box", "parts", "faces"):
        if required not in meta:
            raise RigError(f"rig.json {required}: missing")
    if not isinstance(meta["name"], str) or not meta["name"].strip():
        raise RigError("rig.json name: expected the rig's name as text")
    size = _pair(meta["size"], "size")
    if not all(0 < v <= MAX_SIDE for v in size):
        raise RigError(f"rig.json size: each side must be 1..{MAX_SIDE}")
    layout = _pair(meta["layout"], "layout")
    if layout not in ((1920, 1080), (1080, 1920)):
        raise RigError("rig.json layout: must be [1920, 1080] or [1080, 1920]")
    box = meta["default_box"]
    if not isinstance(box, list) or len(box) != 4 or not all(isinstance(v, int) for v in box) \
            or box[2] <= 0 or box[3] <= 0:
        raise RigError("rig.json default_box: expected [dx, dy, width, height] in whole pixels, width/height > 0")
    return size, layout, tuple(box)


def _parts(archive: zipfile.ZipFile, entries, size: tuple[int, int]) -> dict[str, Part]:
    if not isinstance(entries, list):
        raise RigError("rig.json parts: expected a list")
    parts: dict[str, Part] = {}
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not name or name in parts:
            raise RigError(f"rig.json parts: missing or duplicate name {name!r}")
        group = entry.get("group", "body")
        if group not in ("body", "head", "head_back"):
            raise RigError(f"rig.json parts.{name}.group: must be body, head or head_back")
        image, origin = _png(archive, str(entry.get("image", "")), size)
        parts[name] = Part(name, image, origin, _pair(entry.get("pivot", [0, 0]), f"parts.{name}.pivot", float),
                           entry.get("parent"), _whole(entry.get("z", 0), f"parts.{name}.z"), group)
    for required in REQUIRED_PARTS:
        if required not in parts:
            raise RigError(f"rig.json parts: a part named {required!r} is required")
    for part in parts.values():
        if part.parent is not None and part.parent not in parts:
            raise RigError(f"rig.json parts.{part.name}.parent: no part named {part.parent!r}")
        seen, cursor = {part.name}, part.parent
        while cursor is not None:
            if cursor in seen:
                raise RigError(f"rig.json parts.{part.name}.parent: the parents form a loop")
            seen.add(cursor)
            cursor = parts[cursor].parent
    return parts


def _faces(archive: zipfile.ZipFile, faces, size: tuple[int, int], kind: str, names: tuple[str, ...]) -> dict:
    table = faces.get(kind) if isinstance(faces, dict) else None
    table = table if isinstance(table, dict) else {}
    missing = [name for name in names if not table.get(name)]
    if missing:
        raise RigError(f"rig.json faces.{kind}: missing {', '.join(missing)}")
    return {name: _png(archive, str(table[name]), size) for name in names}


def _clips(actions, parts: dict[str, Part]) -> dict[str, Clip]:
    clips = {}
    for name, clip in _table(actions, "actions").items():
        if not isinstance(clip, dict):
            raise RigError(f"rig.json actions.{name}: expected an object")
        tracks: dict[str, dict[str, list[tuple[float, float]]]] = {}
        try:
            duration = float(clip.get("duration", 1.0))
            for part_name, channels in (clip.get("tracks") or {}).items():
                if part_name not in parts:
                    raise RigError(f"rig.json actions.{name}: no part named {part_name!r}")
                for channel, keys in channels.items():
                    if channel not in CHANNELS:
                        raise RigError(f"rig.json actions.{name}.{part_name}: unknown channel {channel!r} "
                                       f"(use {', '.join(CHANNELS)})")
                    tracks.setdefault(part_name, {})[channel] = sorted((float(t), float(v)) for t, v in keys)
        except (AttributeError, TypeError, ValueError) as exc:
            if isinstance(exc, RigError):
                raise
            raise RigError(f"rig.json actions.{name}: malformed clip ({exc})") from exc
        if not 0 < duration <= 30:
            raise RigError(f"rig.json actions.{name}.duration: must be between 0 and 30 seconds")
        clips[name] = Clip(name, duration, bool(clip.get("semantic", True)), tracks)
    return clips


def load_rig(path: Path) -> Rig:
    """Open and validate a rig zip; layers are decoded once and cropped to their visible boxes."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise RigError(f"not a zip file: {exc}") from exc
    with archive:
        _check_entries(archive)
        if "rig.json" not in archive.namelist():
            raise RigError("rig.json is missing")
        try:
            meta = json.loads(read_entry(archive, "rig.json"))
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            raise RigError(f"rig.json is not valid JSON: {exc}") from exc
        if not isinstance(meta, dict):
            raise RigError("rig.json: expected an object")
        size, layout, box = _header(meta)
        parts = _parts(archive, meta["parts"], size)
        faces = _table(meta["faces"], "faces")
        mouths = _faces(archive, faces, size, "mouths", MOUTH_SHAPES)
        eyes = _faces(archive, faces, size, "eyes", EYE_STATES)
        clips = _clips(meta.get("actions"), parts)
        head_pivot = _pair(meta.get("head_pivot", list(parts["head"].pivot)), "head_pivot", float)
        idle = {k: float(v) for k, v in _table(meta.get("idle"), "idle").items() if isinstance(v, (int, float))}
        return Rig(meta["name"], size, layout, box, parts, mouths, eyes, head_pivot, idle, clips,
                   _whole(faces.get("eyes_z", 31), "faces.eyes_z"), _whole(faces.get("mouth_z", 33), "faces.mouth_z"))


def rig_summary(rig: Rig) -> dict:
    """What an asset's metadata keeps of a rig."""
    return {"name": rig.name, "width": rig.size[0], "height": rig.size[1], "layout_width": rig.layout[0],
            "layout_height": rig.layout[1], "actions": rig.actions, "gestures": rig.gestures,
            "default_box": list(rig.default_box)}
