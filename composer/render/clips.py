"""A brand kit's intro or outro clip as one more scene of the join: its picture fitted into the output size (black
bars where the shapes differ) and encoded like a scene's segment, at 25 fps; its own sound, as long as the picture.

The join (composer.render.pipeline.join_scenes) then treats it like any scene: the segments are remuxed one after
another and the sound files mixed in order; the music bed plays under the scenes only (a clip says `music=False`), so
the intro and outro are heard with their own sound."""
from __future__ import annotations

import tempfile
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageOps

from composer.render.audio import MIX_RATE, decode_to_file, fit_length
from composer.render.encode import CONTAINERS, FPS, SegmentWriter
from composer.render.types import SceneResult
from composer.spec.transparency import video_has_alpha

#: the longest clip taken; later frames are dropped
MAX_CLIP_SECONDS = 60.0


def _fitted(frame: av.VideoFrame, size: tuple[int, int]) -> Image.Image:
    picture = frame.to_image()
    if picture.size == size:
        return picture
    canvas = Image.new("RGB", size, (0, 0, 0))
    inner = ImageOps.contain(picture, size, Image.Resampling.LANCZOS)
    canvas.paste(inner, ((size[0] - inner.width) // 2, (size[1] - inner.height) // 2))
    return canvas


def _write_picture(source: Path, writer: SegmentWriter, size: tuple[int, int]) -> int:
    """Each output frame k (at k/25 s) shows the last source frame that started by then. Returns frames written."""
    limit = int(MAX_CLIP_SECONDS * FPS)
    written = 0
    shown: Image.Image | None = None
    end = 0.0
    with av.open(str(source), options={"protocol_whitelist": "file"}) as container:
        stream = container.streams.video[0]
        step = float(1 / stream.average_rate) if stream.average_rate else 1 / FPS
        for frame in container.decode(stream):
            at = float(frame.time) if frame.time is not None else end
            while shown is not None and written < limit and written / FPS < at:
                writer.write(shown)
                written += 1
            shown, end = _fitted(frame, size), at + step
            if writer.alpha:
                shown = shown.convert("RGBA")
            if written >= limit:
                break
    while shown is not None and written < limit and written / FPS < end - 1e-6:
        writer.write(shown)
        written += 1
    return written


def _write_sound(source: Path, out: Path, frames: int) -> None:
    """The clip's sound at the mix rate, cut or padded with silence to `frames` video frames; silence without."""
    wanted = int(round(frames / FPS * MIX_RATE))
    with tempfile.TemporaryDirectory(prefix="clip-sound-", dir=out.parent) as folder:
        decoded = Path(folder) / "sound.npy"
        try:
            decode_to_file(source, decoded, max_seconds=MAX_CLIP_SECONDS)
            samples = np.load(decoded)
        except ValueError:                       # no audio stream: the clip is silent
            samples = np.zeros((0, 2), np.float32)
    np.save(out, fit_length(samples.astype(np.float32).reshape(-1, 2), wanted))


def clip_scene(source: Path, index: int, spec: dict, size: tuple[int, int], work: Path, *,
               cover: str | None = None) -> SceneResult:
    """Encode the clip at `source` as scene `index` of a video of `spec` whose frames are `size`."""
    video = spec["video_config"]
    codec = video.get("codec", "H264")
    work.mkdir(parents=True, exist_ok=True)
    segment = work / f"clip-{index}.{CONTAINERS[codec]}"
    writer = SegmentWriter(segment, codec, size, video["bitrate"], video_has_alpha(spec))
    try:
        frames = _write_picture(source, writer, size)
    finally:
        writer.close()
    if frames == 0:
        raise ValueError(f"{source.name}: the clip has no picture")
    audio = work / f"clip-{index}.audio.npy"
    _write_sound(source, audio, frames)
    return SceneResult(index=index, segment=str(segment), audio=str(audio), duration=frames / FPS, frames=frames,
                       width=size[0], height=size[1], codec=codec, cover=cover, music=False)
