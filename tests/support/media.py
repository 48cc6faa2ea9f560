"""Tiny real (and deliberately broken) files for upload tests."""
from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import av
import numpy as np
from PIL import Image

FONT = Path(__file__).resolve().parents[2] / "composer" / "render" / "fonts" / "NotoSansCJKsc-Regular-subset.otf"


def png_bytes(size=(64, 36)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def pixel_bomb_png(width: int = 60_000, height: int = 60_000) -> bytes:
    """A valid-looking PNG whose header claims billions of pixels; the file itself is tiny."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + \
        chunk(b"IEND", b"")


def mp4_bytes(path: Path, frames: int = 5, with_audio: bool = False) -> bytes:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 64, 36, "yuv420p"
        audio = container.add_stream("aac", rate=16000) if with_audio else None
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(np.full((36, 64, 3), (i * 20) % 256, np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
        if audio is not None:
            samples = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
            samples.sample_rate = 16000
            for _ in range(4):
                for packet in audio.encode(samples):
                    container.mux(packet)
            for packet in audio.encode():
                container.mux(packet)
    return path.read_bytes()


def wav_bytes(path: Path, seconds: float = 0.3) -> bytes:
    with av.open(str(path), "w", format="wav") as container:
        stream = container.add_stream("pcm_s16le", rate=16000, layout="mono")
        samples = (np.sin(np.arange(int(16000 * seconds)) / 5) * 8000).astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate = 16000
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path.read_bytes()


def zip_bytes(entries: dict[str, bytes], *, links: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            if name in links:
                info.external_attr = (0o120777 << 16)
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def onnx_bytes() -> bytes:
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "voice",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
    return helper.make_model(graph).SerializeToString() if onnx else b""


def voice_config(**changes) -> bytes:
    config = {"audio": {"sample_rate": 22050}, "phoneme_id_map": {"a": [1]}, "language": {"code": "en_GB"}}
    config.update(changes)
    return json.dumps(config).encode()


def voice_zip(**config_changes) -> bytes:
    return zip_bytes({"voice/en_GB-test.onnx": onnx_bytes(),
                      "voice/en_GB-test.onnx.json": voice_config(**config_changes)})


def with_declared_size(data: bytes, name: str, size: int) -> bytes:
    """`data` (a zip) whose central directory declares `size` uncompressed bytes for entry `name`: a zip whose
    sizes lie, so that reading the entry fails its CRC check."""
    encoded = name.encode()
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        name_length = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + name_length] == encoded:
            return data[:at + 24] + size.to_bytes(4, "little") + data[at + 28:]
        at += 46
