"""Media probing in a child process: `python probe.py <media> <thumbnail.jpg or ->` prints one JSON object.

Run as a separate process (see checks.probe_media) so that a hostile file that makes FFmpeg spin or crash costs
one killed child, never the server. Plain PyAV and Pillow only: this file is executed by path, outside Django.
FFmpeg may read nothing but the named local file (protocol whitelist "file"), and only from these demuxers.
"""
from __future__ import annotations

import json
import sys

ALLOWED_FORMATS = {"mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm", "mp3", "wav", "ogg", "flac", "aac"}
THUMBNAIL_EDGE = 320
MAX_DECODE_PACKETS = 600


def _thumbnail(container, stream, out: str) -> bool:
    """Save the first decodable frame (seeking a second in, when the video is that long) as a small JPEG."""
    if container.duration and container.duration > 2_000_000:
        try:
            container.seek(1_000_000)
        except Exception:  # noqa: BLE001 - an unseekable file still has a first frame
            container.seek(0)
    # The caller's time limit bounds a stream that never yields a frame.
    for frame in container.decode(stream):
        image = frame.to_image()
        image.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
        image.convert("RGB").save(out, "JPEG", quality=82)
        return True
    return False


def _decodes(container, stream) -> bool:
    """True when at least one packet of the stream decodes: a header alone does not make a playable file."""
    for index, packet in enumerate(container.demux(stream)):
        if packet.size and packet.decode():
            return True
        if index > MAX_DECODE_PACKETS:
            break
    return False


def probe(path: str, thumbnail: str | None) -> dict:
    import av

    with av.open(path, options={"protocol_whitelist": "file"}) as container:
        formats = set(container.format.name.split(","))
        if not formats & ALLOWED_FORMATS:
            return {"error": f"container {container.format.name!r} is not accepted"}
        video = next(iter(container.streams.video), None)
        audio = next(iter(container.streams.audio), None)
        info: dict = {"format": container.format.name,
                      "duration": container.duration / 1_000_000 if container.duration else None,
                      "has_video": video is not None, "has_audio": audio is not None}
        if audio is not None:
            info.update(audio_codec=audio.codec_context.name, sample_rate=audio.codec_context.sample_rate,
                        channels=audio.codec_context.channels, audio_bit_rate=audio.codec_context.bit_rate or 0)
        if video is not None:
            info.update(video_codec=video.codec_context.name, width=video.codec_context.width,
                        height=video.codec_context.height,
                        frame_rate=str(video.average_rate) if video.average_rate else "",
                        video_bit_rate=video.codec_context.bit_rate or 0)
            info["decodes"] = _thumbnail(container, video, thumbnail) if thumbnail else _decodes(container, video)
        elif audio is not None:
            info["decodes"] = _decodes(container, audio)
        return info


def main(argv: list[str]) -> int:
    path, thumbnail = argv[1], argv[2]
    try:
        info = probe(path, None if thumbnail == "-" else thumbnail)
    except Exception as exc:  # noqa: BLE001 - any decoder failure is a verdict about the file, reported as data
        # FFmpeg's errors name the file; the message goes back to the uploader, who must not see server paths.
        reason = (getattr(exc, "strerror", None) or str(exc)).replace(path, "the file")
        info = {"error": f"{type(exc).__name__}: {reason}"}
    sys.stdout.write(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
