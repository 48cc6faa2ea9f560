"""Encoding with PyAV: H.264/AAC in MP4, VP8/Opus in WebM (alpha when there is no background), QTRLE in MOV.

Scenes are encoded to video-only segments (in the output's own container, which keeps decode timestamps)
with identical settings, then joined by remuxing packets (no re-encode) while the soundtrack is encoded once.
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

FPS = 25
TIME_BASE = Fraction(1, FPS)
CONTAINERS = {"H264": "mp4", "VP8": "webm", "QTRLE": "mov"}


def pixel_format(codec: str, alpha: bool) -> str:
    if codec == "QTRLE":
        return "argb"
    if codec == "VP8" and alpha:
        return "yuva420p"
    return "yuv420p"


class SegmentWriter:
    """Encode frames (PIL RGBA or RGB) of one scene to a video-only segment."""

    def __init__(self, path: Path, codec: str, size: tuple[int, int], bitrate_kbps: int, alpha: bool, *,
                 preset: str = "veryfast"):
        self.path = path
        self.codec = codec
        self.alpha = alpha and codec in ("VP8", "QTRLE")
        self.container = av.open(str(path), mode="w", format=CONTAINERS[codec])
        name = {"H264": "libx264", "VP8": "libvpx", "QTRLE": "qtrle"}[codec]
        options: dict[str, str] = {}
        if codec == "H264":
            options = {"preset": preset, "tune": "animation", "threads": "2",
                       "maxrate": f"{bitrate_kbps * 3 // 2}k", "bufsize": f"{bitrate_kbps * 2}k",
                       "x264-params": "keyint=50:min-keyint=25:scenecut=0"}
        elif codec == "VP8":
            options = {"deadline": "realtime", "cpu-used": "8", "threads": "2", "auto-alt-ref": "0",
                       "lag-in-frames": "0", "g": "50"}
        stream = self.container.add_stream(name, rate=FPS, options=options)
        stream.width, stream.height = size
        stream.pix_fmt = pixel_format(codec, self.alpha)
        stream.time_base = TIME_BASE
        if codec != "QTRLE":
            stream.bit_rate = bitrate_kbps * 1000
        self.stream = stream
        self.frames = 0

    def write(self, image: Image.Image) -> None:
        # RGBA goes straight to swscale, which drops alpha for yuv420p: no separate RGB conversion pass.
        if image.mode not in ("RGBA", "RGB"):
            image = image.convert("RGBA")
        frame = av.VideoFrame.from_ndarray(np.asarray(image), format="rgba" if image.mode == "RGBA" else "rgb24")
        frame.pts = self.frames
        frame.time_base = TIME_BASE
        for packet in self.stream.encode(frame):
            self.container.mux(packet)
        self.frames += 1

    def close(self) -> None:
        for packet in self.stream.encode(None):
            self.container.mux(packet)
        self.container.close()


class ThreadedWriter:
    """Encodes on a second thread so that composing the next frame overlaps with encoding this one
    (x264/libvpx and most Pillow operations release the GIL)."""

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
            image = self.queue.get()
            if image is None:
                return
            if self.error is None:
                try:
                    self.writer.write(image)
                except BaseException as exc:  # reported to the composing thread on its next write
                    self.error = exc

    def write(self, image: Image.Image) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(image)

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
