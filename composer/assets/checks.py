"""Upload checks: every file is judged by its bytes before the library accepts it.

A file is sniffed by its magic numbers (the name and the client's content type are never trusted), held to a
size limit per asset type, and then opened by the one reader that type needs: Pillow with an explicit format
list and a pixel limit read from the header, PyAV in a child process limited to the local file and a time
limit, FreeType through Pillow for fonts, zip archives checked entry by entry before anything is unpacked.
Each refusal raises InvalidInput naming the field "file" and the rule.
"""
from __future__ import annotations

import json
import stat
import subprocess
import sys
import uuid
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from PIL import Image, ImageFont

from composer.errors import InvalidInput

MB = 1024 * 1024
SIZE_LIMITS = {
    "HUMAN_MODEL_2D": 200 * MB, "VOICE_MODEL": 200 * MB, "IMAGE": 20 * MB, "VIDEO": 500 * MB,
    "MUSIC": 50 * MB, "AUDIO": 100 * MB, "FONT": 40 * MB,
}
MAX_UPLOAD_BYTES = max(SIZE_LIMITS.values())
MAX_IMAGE_PIXELS = 40_000_000
MAX_VIDEO_EDGE = 7680
MAX_MEDIA_SECONDS = 3 * 3600
PROBE_TIMEOUT_SECONDS = 30
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_UNPACKED = {"HUMAN_MODEL_2D": 300 * MB, "VOICE_MODEL": 400 * MB}
VOICE_CONFIG_MAX_BYTES = 5 * MB
THUMBNAIL_EDGE = 320
PROBE_SCRIPT = Path(__file__).with_name("probe.py")

# kind -> (stored extension, content type, label)
KINDS: dict[str, tuple[str, str, str]] = {
    "png": ("png", "image/png", "PNG"), "jpeg": ("jpg", "image/jpeg", "JPEG"), "webp": ("webp", "image/webp", "WebP"),
    "zip": ("zip", "application/zip", "ZIP"),
    "mp4": ("mp4", "video/mp4", "MP4"), "mov": ("mov", "video/quicktime", "QuickTime MOV"),
    "m4a": ("m4a", "audio/mp4", "M4A"), "webm": ("webm", "video/webm", "WebM"),
    "mkv": ("mkv", "video/x-matroska", "Matroska"),
    "mp3": ("mp3", "audio/mpeg", "MP3"), "aac": ("aac", "audio/aac", "AAC"), "wav": ("wav", "audio/wav", "WAV"),
    "ogg": ("ogg", "audio/ogg", "Ogg"), "flac": ("flac", "audio/flac", "FLAC"),
    "ttf": ("ttf", "font/ttf", "TrueType"), "otf": ("otf", "font/otf", "OpenType"),
    "ttc": ("ttc", "font/collection", "TrueType collection"),
}
_AUDIO_KINDS = {"mp3", "aac", "m4a", "mp4", "wav", "ogg", "flac", "webm", "mkv"}
ACCEPTED_KINDS: dict[str, set[str]] = {
    "IMAGE": {"png", "jpeg", "webp"}, "VIDEO": {"mp4", "mov", "webm", "mkv"},
    "MUSIC": _AUDIO_KINDS, "AUDIO": _AUDIO_KINDS,
    "HUMAN_MODEL_2D": {"zip"}, "VOICE_MODEL": {"zip"}, "FONT": {"ttf", "otf", "ttc"},
}
PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}


def reject(rule: str) -> InvalidInput:
    return InvalidInput(f"file: {rule}")


@dataclass
class Inspection:
    """What the checks learned about an accepted file; paths point into the caller's work directory."""

    kind: str
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    cover: Path | None = None
    # VOICE_MODEL: the unpacked model and config, to be stored instead of the zip.
    voice_model: Path | None = None
    voice_config: Path | None = None

    @property
    def extension(self) -> str:
        return KINDS[self.kind][0]

    @property
    def content_type(self) -> str:
        return KINDS[self.kind][1]


def sniff(head: bytes) -> str | None:
    """The file's kind from its first bytes, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE"):
        return "webp" if head[8:12] == b"WEBP" else "wav"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "mov" if brand == b"qt  " else "m4a" if brand in (b"M4A ", b"M4B ") else "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm" if b"webm" in head[:64] else "mkv"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"ID3"):
        return "mp3"
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return "aac"
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "mp3"
    if head[:4] in (b"\x00\x01\x00\x00", b"true"):
        return "ttf"
    if head.startswith(b"OTTO"):
        return "otf"
    if head.startswith(b"ttcf"):
        return "ttc"
    return None


def check_kind(path: Path, asset_type: str) -> str:
    """The sniffed kind, if `asset_type` accepts it."""
    with open(path, "rb") as handle:
        kind = sniff(handle.read(64))
    accepted = ACCEPTED_KINDS[asset_type]
    if kind not in accepted:
        found = KINDS[kind][2] if kind else "not a recognised format"
        names = ", ".join(sorted({KINDS[k][2] for k in accepted}))
        raise reject(f"the content is {found}; a {asset_type} asset takes {names} "
                     "(judged by the bytes, not the file name)")
    return kind


def check_size(size: int, asset_type: str) -> None:
    limit = SIZE_LIMITS[asset_type]
    if size > limit:
        raise reject(f"is {size / MB:.1f} MB; a {asset_type} asset may have at most {limit // MB} MB")
    if size == 0:
        raise reject("is empty")


def save_thumbnail(image: Image.Image, out: Path) -> Path:
    """A JPEG no larger than THUMBNAIL_EDGE on either side; transparency lands on white."""
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
    if thumb.mode in ("RGBA", "LA", "P"):
        thumb = thumb.convert("RGBA")
        plate = Image.new("RGB", thumb.size, (255, 255, 255))
        plate.paste(thumb, mask=thumb.getchannel("A"))
        thumb = plate
    thumb.convert("RGB").save(out, "JPEG", quality=82)
    return out


def inspect_image(path: Path, kind: str, work_dir: Path) -> Inspection:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=[PILLOW_FORMATS[kind]]) as image:
                # The header's size is known before any pixel is decoded: refuse bombs here.
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise reject(f"is {width}x{height} pixels; images may have at most {MAX_IMAGE_PIXELS:,} pixels")
                image.load()
                cover = save_thumbnail(image, work_dir / "cover.jpg")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own guard at open time, for headers far beyond ours.
        raise reject(f"has too many pixels; images may have at most {MAX_IMAGE_PIXELS:,} pixels ({exc})") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise reject(f"is not a readable {KINDS[kind][2]} image ({exc})") from exc
    return Inspection(kind, width=width, height=height, cover=cover, meta={"mode": image.mode, "format": kind})


def probe_media(path: Path, thumbnail: Path | None) -> dict[str, Any]:
    """Ask a child process (PyAV, local file only) what the media holds; it is killed after the time limit."""
    try:
        done = subprocess.run([sys.executable, str(PROBE_SCRIPT), str(path), str(thumbnail) if thumbnail else "-"],
                              capture_output=True, timeout=PROBE_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        raise reject(f"could not be read within {PROBE_TIMEOUT_SECONDS} s") from exc
    try:
        info = json.loads(done.stdout or b"{}")
    except json.JSONDecodeError:
        info = {}
    if not info or done.returncode != 0:
        raise reject("could not be read as media (the reader stopped)")
    if "error" in info:
        raise reject(f"is not readable media ({info['error']})")
    return info


def inspect_media(path: Path, kind: str, asset_type: str, work_dir: Path) -> Inspection:
    wants_video = asset_type == "VIDEO"
    cover = work_dir / "cover.jpg" if wants_video else None
    info = probe_media(path, cover)
    if wants_video and not info.get("has_video"):
        raise reject("has no video stream")
    if not wants_video and not info.get("has_audio"):
        raise reject("has no audio stream")
    if not info.get("decodes"):
        raise reject("is damaged: its stream does not decode")
    duration = info.get("duration")
    if duration is not None and duration > MAX_MEDIA_SECONDS:
        raise reject(f"lasts {duration:.0f} s; at most {MAX_MEDIA_SECONDS} s")
    width, height = info.get("width") if wants_video else None, info.get("height") if wants_video else None
    if width and height and max(width, height) > MAX_VIDEO_EDGE:
        raise reject(f"is {width}x{height}; videos may be at most {MAX_VIDEO_EDGE} pixels on a side")
    keep = ("format", "video_codec", "frame_rate", "video_bit_rate", "audio_codec", "sample_rate", "channels",
            "audio_bit_rate")
    meta = {key: info[key] for key in keep if key in info and (wants_video or not key.startswith(("video", "frame")))}
    return Inspection(kind, width=width, height=height, duration=duration, meta=meta,
                      cover=cover if cover and cover.exists() else None)


def inspect_font(path: Path, kind: str) -> Inspection:
    try:
        font = ImageFont.truetype(str(path), 24)
        family, style = font.getname()
    except (OSError, ValueError) as exc:
        raise reject(f"is not a readable {KINDS[kind][2]} font ({exc})") from exc
    return Inspection(kind, meta={"family": family or "", "style": style or ""})


def check_zip(archive: zipfile.ZipFile, asset_type: str, suffixes: tuple[str, ...]) -> list[zipfile.ZipInfo]:
    """The archive's file entries, after refusing escapes, links, encryption, too many entries or bytes."""
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_ENTRIES:
        raise reject(f"the zip has {len(infos)} entries (at most {ZIP_MAX_ENTRIES})")
    total = 0
    files = []
    for info in infos:
        name = PurePosixPath(info.filename)
        if (name.is_absolute() or ".." in name.parts or "\\" in info.filename or ":" in info.filename
                or "\x00" in info.filename):
            raise reject(f"zip entry {info.filename!r} points outside the archive")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise reject(f"zip entry {info.filename!r} is a link; links are not allowed")
        if info.flag_bits & 0x1:
            raise reject(f"zip entry {info.filename!r} is encrypted")
        if info.is_dir():
            continue
        if not info.filename.lower().endswith(suffixes):
            raise reject(f"zip entry {info.filename!r} is not allowed in a {asset_type} zip "
                         f"(only {', '.join(suffixes)})")
        total += info.file_size
        if total > ZIP_MAX_UNPACKED[asset_type]:
            raise reject(f"the zip unpacks to more than {ZIP_MAX_UNPACKED[asset_type] // MB} MB")
        files.append(info)
    return files


def open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise reject(f"is not a readable zip ({exc})") from exc


def inspect_rig(path: Path) -> Inspection:
    # The engine (PyAV, the voices) loads on first use, not with every web process.
    from composer.render.avatar import RigError, validate_rig_zip

    with open_zip(path) as archive:
        check_zip(archive, "HUMAN_MODEL_2D", (".json", ".png", ".txt", ".md"))
    try:
        summary = validate_rig_zip(path)
    except RigError as exc:
        raise reject(f"is not a valid avatar rig: {exc}") from exc
    return Inspection("zip", width=summary["width"], height=summary["height"], meta=summary)


def _read_voice_config(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[str, Any]:
    if info.file_size > VOICE_CONFIG_MAX_BYTES:
        raise reject(f"{info.filename}: the voice config may have at most {VOICE_CONFIG_MAX_BYTES // MB} MB")
    try:
        config = json.loads(_read(archive, info))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise reject(f"{info.filename}: not valid JSON ({exc})") from exc
    rate = (config.get("audio") or {}).get("sample_rate") if isinstance(config, dict) else None
    if not isinstance(rate, int) or isinstance(rate, bool) or not 8000 <= rate <= 96000:
        raise reject(f"{info.filename}: audio.sample_rate must be a sample rate between 8000 and 96000")
    if not isinstance(config.get("phoneme_id_map"), dict) or not config["phoneme_id_map"]:
        raise reject(f"{info.filename}: phoneme_id_map must be a non-empty object")
    return config


def _unreadable(info: zipfile.ZipInfo, exc: Exception) -> InvalidInput:
    return reject(f"{info.filename}: cannot be read from the zip ({exc})")


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    from composer.render.avatar.rig import ZIP_READ_ERRORS

    try:
        return archive.read(info)
    except ZIP_READ_ERRORS as exc:
        raise _unreadable(info, exc) from exc


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> Path:
    # zipfile stops each entry at its declared size and checks its CRC, so the total checked above holds; an
    # entry whose sizes or CRC lie, or whose stream is broken, is refused naming it.
    from composer.render.avatar.rig import ZIP_READ_ERRORS

    try:
        with archive.open(info) as source, open(target, "wb") as out:
            while chunk := source.read(1024 * 1024):
                out.write(chunk)
    except ZIP_READ_ERRORS as exc:
        target.unlink(missing_ok=True)
        raise _unreadable(info, exc) from exc
    return target


def _check_onnx(model_path: Path, entry: str) -> None:
    with open(model_path, "rb") as handle:
        # An ONNX ModelProto starts with field 1 (ir_version) as a varint: tag byte 0x08.
        if handle.read(1) != b"\x08":
            raise reject(f"{entry}: not an ONNX model")
    import onnx
    from google.protobuf.message import DecodeError

    try:
        model = onnx.load_model(str(model_path), load_external_data=False)
    except (DecodeError, ValueError, OSError) as exc:
        raise reject(f"{entry}: not an ONNX model ({exc})") from exc
    if model.ir_version <= 0 or not model.graph.node or not model.graph.input or not model.graph.output:
        raise reject(f"{entry}: the ONNX model has no graph")


def inspect_voice(path: Path, work_dir: Path) -> Inspection:
    with open_zip(path) as archive:
        files = check_zip(archive, "VOICE_MODEL", (".onnx", ".json", ".txt", ".md"))
        models = [info for info in files if info.filename.lower().endswith(".onnx")]
        configs = [info for info in files if info.filename.lower().endswith(".onnx.json")]
        if len(models) != 1 or len(configs) != 1:
            raise reject("a voice zip holds exactly one Piper model (.onnx) and its config (.onnx.json); found "
                         f"{len(models)} .onnx and {len(configs)} .onnx.json")
        config = _read_voice_config(archive, configs[0])
        stem = uuid.uuid4().hex
        model_path = _extract(archive, models[0], work_dir / f"{stem}.onnx")
        config_path = _extract(archive, configs[0], work_dir / f"{stem}.onnx.json")
    _check_onnx(model_path, models[0].filename)
    language = (config.get("language") or {}).get("code") or (config.get("espeak") or {}).get("voice") or ""
    meta = {"language": str(language), "sample_rate": config["audio"]["sample_rate"], "engine": "piper"}
    return Inspection("zip", meta=meta, voice_model=model_path, voice_config=config_path)


def inspect_file(path: Path, asset_type: str, work_dir: Path) -> Inspection:
    """Check a staged upload for `asset_type`; returns what was learned or raises InvalidInput ("file: ...")."""
    check_size(path.stat().st_size, asset_type)
    kind = check_kind(path, asset_type)
    if asset_type == "IMAGE":
        return inspect_image(path, kind, work_dir)
    if asset_type in ("VIDEO", "MUSIC", "AUDIO"):
        return inspect_media(path, kind, asset_type, work_dir)
    if asset_type == "FONT":
        return inspect_font(path, kind)
    if asset_type == "HUMAN_MODEL_2D":
        return inspect_rig(path)
    return inspect_voice(path, work_dir)
