"""Encoding with PyAV: H.264/AAC in MP4, VP8/Opus in WebM (alpha when there is no background), QTRLE in MOV.

Scenes are encoded to video-only segments (in the output's own container, which keeps decode timestamps)
with identical settings, then joined by remuxing packets (no re-encode) while the soundtrack is encoded once.
"""
from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from composer.capacity import available_cpus, derive_capacity
from composer.render.convert import Converter

FPS = 25
TIME_BASE = Fraction(1, FPS)
CONTAINERS = {"H264": "mp4", "VP8": "webm", "QTRLE": "mov"}


def pixel_format(codec: str, alpha: bool) -> str:
    if codec == "QTRLE":
        return "argb"
    if codec == "VP8" and alpha:
        return "yuva420p"
    return "yuv420p"


def default_encoder_threads() -> int:
    """Encoder threads of a render that has the machine to itself: one per core it may use (a render worker
    passes its share of the machine instead, see composer/capacity.py)."""
    return derive_capacity(available_cpus(), render_threads=1).encoder_threads


class SegmentWriter:
    """Encode frames (RGBA/RGB arrays or Pillow images) of one scene to a video-only segment."""

    def __init__(self, path: Path, codec: str, size: tuple[int, int], bitrate_kbps: int, alpha: bool, *,
                 preset: str = "veryfast", threads: int | None = None, converted_frames: int = 1):
        self.path = path
        self.codec = codec
        self.alpha = alpha and codec in ("VP8", "QTRLE")
        self.container = av.open(str(path), mode="w", format=CONTAINERS[codec])
        name = {"H264": "libx264", "VP8": "libvpx", "QTRLE": "qtrle"}[codec]
        threads = str(threads or default_encoder_threads())
        options: dict[str, str] = {}
        if codec == "H264":
            options = {"preset": preset, "tune": "animation", "threads": threads,
                       "maxrate": f"{bitrate_kbps * 3 // 2}k", "bufsize": f"{bitrate_kbps * 2}k",
                       "x264-params": "keyint=50:min-keyint=25:scenecut=0"}
        elif codec == "VP8":
            options = {"deadline": "realtime", "cpu-used": "8", "threads": threads, "auto-alt-ref": "0",
                       "lag-in-frames": "0", "g": "50"}
        stream = self.container.add_stream(name, rate=FPS, options=options)
        stream.width, stream.height = size
        stream.pix_fmt = pixel_format(codec, self.alpha)
        stream.time_base = TIME_BASE
        if codec != "QTRLE":
            stream.bit_rate = bitrate_kbps * 1000
        self.stream = stream
        # A caller converting frames itself, on its own thread (see Converter), gets this many working frames.
        self.converter = Converter(stream.pix_fmt, converted_frames)
        self.frames = 0

    def write(self, frame: np.ndarray | Image.Image, plate: np.ndarray | None = None, changed: list = ()) -> None:
        """Encode one frame: an RGBA (or RGB) uint8 array of the output size, read in place, or a Pillow image.
        With `plate`: the frame equals that array outside the boxes `changed`, and only those are converted to
        the encoder's pixel format (see composer.render.convert)."""
        if isinstance(frame, Image.Image):
            frame = np.asarray(frame if frame.mode in ("RGBA", "RGB") else frame.convert("RGBA"))
        video_frame = self.converter.convert(frame, plate, changed)
        try:
            self.encode(video_frame)
        finally:
            self.converter.release(video_frame)

    def encode(self, video_frame: av.VideoFrame) -> None:
        """Encode one frame already in the encoder's pixel format (from self.converter)."""
        video_frame.pts = self.frames
        video_frame.time_base = TIME_BASE
        for packet in self.stream.encode(video_frame):
            self.container.mux(packet)
        self.frames += 1

    def close(self) -> None:
        for packet in self.stream.encode(None):
            self.container.mux(packet)
        self.container.close()


class ThreadedWriter:
    """Encodes on a second thread so that composing the next frame overlaps with encoding this one
    (x264/libvpx, swscale and most Pillow operations release the GIL). write(frame, done): `frame` is an RGBA
    array or a Pillow image (converted here, see SegmentWriter.write) or a VideoFrame the caller converted with
    the writer's converter; `done` is called on the encoding thread once the frame's memory is no longer needed
    (after it is encoded, or skipped after an error), so the caller can reuse it."""

    def __init__(self, writer: SegmentWriter, depth: int = 3):
        import queue
        import threading

        self.writer = writer
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="segment-encoder", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            frame, plate, changed, done = item
            if self.error is None:
                try:
                    if isinstance(frame, av.VideoFrame):
                        self.writer.encode(frame)
                    else:
                        self.writer.write(frame, plate, changed)
                except BaseException as exc:  # reported to the composing thread on its next write
                    self.error = exc
            if done is not None:
                done()

    def write(self, frame: np.ndarray | Image.Image | av.VideoFrame, done: Callable[[], None] | None = None, *,
              plate: np.ndarray | None = None, changed: list = ()) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((frame, plate, changed, done))

    def finish(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.finish()
        self.writer.close()

    def abort(self) -> None:
        self.finish_quietly()
        self.writer.container.close()

    def finish_quietly(self) -> None:
        try:
            self.finish()
        except BaseException:
            pass


def join_segments(segments: list[Path], sound: Path, codec: str, output: Path) -> int:
    """Remux the scenes' video packets one after another and the encoded soundtrack's packets beside them (no
    re-encode); returns the frame count."""
    out = av.open(str(output), mode="w", format=CONTAINERS[codec],
                  options={"movflags": "+faststart"} if codec == "H264" else {})
    first = av.open(str(segments[0]))
    template = first.streams.video[0]
    video = out.add_stream_from_template(template)
    video.time_base = TIME_BASE
    first.close()
    audio_source = av.open(str(sound))
    audio = out.add_stream_from_template(audio_source.streams.audio[0])
    offset_seconds = 0.0
    frames = 0
    for segment in segments:
        with av.open(str(segment)) as source:
            stream = source.streams.video[0]
            count = 0
            last_end = 0.0
            for packet in source.demux(stream):
                if packet.dts is None and packet.pts is None:
                    continue
                shift = int(round(offset_seconds / stream.time_base))
                if packet.pts is not None:
                    packet.pts += shift
                    end = float((packet.pts - shift + (packet.duration or 0)) * stream.time_base)
                    last_end = max(last_end, end)
                if packet.dts is not None:
                    packet.dts += shift
                packet.stream = video
                out.mux(packet)
                count += 1
            frames += count
            offset_seconds += round(last_end * FPS) / FPS
    for packet in audio_source.demux(audio_source.streams.audio[0]):
        if packet.dts is None and packet.pts is None:
            continue
        packet.stream = audio
        out.mux(packet)
    audio_source.close()
    out.close()
    return frames
