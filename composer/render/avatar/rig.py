"""The avatar rig format (composer-rig/1): a zip with rig.json and transparent PNG layers. See FORMAT.md."""
from __future__ import annotations

import io
import json
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from PIL import Image

FORMAT = "composer-rig/1"
MOUTH_SHAPES = ("A", "B", "C", "D", "E", "F", "G", "H", "X")
EYE_STATES = ("open", "half", "closed")
MAX_ENTRIES = 500
MAX_UNPACKED = 200 * 1024 * 1024
MAX_SIDE = 4096


class RigError(ValueError):
    """The rig zip is not acceptable; the message names the entry or field."""


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
        if name.is_absolute() or ".." in name.parts or "\\" in info.filename:
            raise RigError(f"{info.filename}: paths must stay inside the rig (no '..' or absolute names)")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise RigError(f"{info.filename}: links are not allowed")
        total += info.file_size
        if total > MAX_UNPACKED:
            raise RigError(f"the rig unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB")


def _png(archive: zipfile.ZipFile, name: str, size: tuple[int, int]) -> tuple[Image.Image, tuple[int, int]]:
    try:
        data = archive.read(name)
    except KeyError as exc:
        raise RigError(f"{name}: named in rig.json but missing from the zip") from exc
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise RigError(f"{name}: layers must be PNG files")
    with Image.open(io.BytesIO(data), formats=["PNG"]) as probe:
        if probe.size != size:
            raise RigError(f"{name}: is {probe.size[0]}x{probe.size[1]}, every layer must be {size[0]}x{size[1]}")
        image = probe.convert("RGBA")
    box = image.getchannel("A").getbbox()
    if box is None:
        return Image.new("RGBA", (1, 1), (0, 0, 0, 0)), (0, 0)
    return image.crop(box), (box[0], box[1])


def _pair(value, field_name: str, kind=int) -> tuple:
    if not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, (int, float)) for v in value):
        raise RigError(f"rig.json {field_name}: expected [x, y]")
    return tuple(kind(v) for v in value)


def load_rig(path: Path) -> Rig:
    """Open and validate a rig zip."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise RigError(f"not a zip file: {exc}") from exc
    with archive:
        _check_entries(archive)
        try:
            meta = json.loads(archive.read("rig.json"))
        except KeyError as exc:
            raise RigError("rig.json is missing") from exc
        except json.JSONDecodeError as exc:
            raise RigError(f"rig.json is not valid JSON: {exc}") from exc
        if meta.get("format") != FORMAT:
            raise RigError(f"rig.json format: expected {FORMAT!r} (got {meta.get('format')!r})")
        size = _pair(meta.get("size"), "size")
        if not all(0 < v <= MAX_SIDE for v in size):
            raise RigError(f"rig.json size: each side must be 1..{MAX_SIDE}")
        layout = _pair(meta.get("layout"), "layout")
        if layout not in ((1920, 1080), (1080, 1920)):
            raise RigError("rig.json layout: must be [1920, 1080] or [1080, 1920]")
        box = meta.get("default_box")
        if not isinstance(box, list) or len(box) != 4 or not all(isinstance(v, int) for v in box):
            raise RigError("rig.json default_box: expected [dx, dy, width, height]")
        parts: dict[str, Part] = {}
        for entry in meta.get("parts", []):
            name = entry.get("name")
            if not name or name in parts:
                raise RigError(f"rig.json parts: missing or duplicate name {name!r}")
            image, origin = _png(archive, entry.get("image", ""), size)
            parts[name] = Part(name, image, origin, _pair(entry.get("pivot", [0, 0]), f"parts.{name}.pivot", float),
                               entry.get("parent"), int(entry.get("z", 0)), entry.get("group", "body"))
        for part in parts.values():
            if part.parent is not None and part.parent not in parts:
                raise RigError(f"rig.json parts.{part.name}.parent: no part named {part.parent!r}")
        faces = meta.get("faces", {})
        mouths = {shape: _png(archive, (faces.get("mouths") or {}).get(shape, ""), size)
                  for shape in MOUTH_SHAPES if (faces.get("mouths") or {}).get(shape)}
        missing = [s for s in MOUTH_SHAPES if s not in mouths]
        if missing:
            raise RigError(f"rig.json faces.mouths: missing shapes {', '.join(missing)}")
        eyes = {state: _png(archive, (faces.get("eyes") or {}).get(state, ""), size)
                for state in EYE_STATES if (faces.get("eyes") or {}).get(state)}
        missing = [s for s in EYE_STATES if s not in eyes]
        if missing:
            raise RigError(f"rig.json faces.eyes: missing states {', '.join(missing)}")
        clips = {}
        for name, clip in (meta.get("actions") or {}).items():
            tracks = {}
            for part_name, channels in (clip.get("tracks") or {}).items():
                if part_name not in parts:
                    raise RigError(f"rig.json actions.{name}: no part named {part_name!r}")
                tracks[part_name] = {channel: [(float(t), float(v)) for t, v in keys]
                                     for channel, keys in channels.items()}
            clips[name] = Clip(name, float(clip.get("duration", 1.0)), bool(clip.get("semantic", True)), tracks)
        head_pivot = _pair(meta.get("head_pivot", [size[0] / 2, size[1] / 2]), "head_pivot", float)
        return Rig(meta.get("name", "Avatar"), size, layout, tuple(box), parts, mouths, eyes, head_pivot,
                   {k: float(v) for k, v in (meta.get("idle") or {}).items()}, clips)


def validate_rig_zip(path: Path) -> dict:
    """Validate an uploaded rig; returns a summary for the asset's metadata. Raises RigError."""
    rig = load_rig(path)
    return {"name": rig.name, "width": rig.size[0], "height": rig.size[1], "layout_width": rig.layout[0],
            "layout_height": rig.layout[1], "actions": rig.actions, "default_box": list(rig.default_box)}
