"""Upload checks judge files by their bytes; each bad file is refused with the field and the rule."""
from __future__ import annotations

import pytest
from PIL import Image

from composer.assets import checks
from composer.assets.checks import inspect_file, sniff
from composer.errors import InvalidInput
from tests.support.media import (
    FONT,
    mp4_bytes,
    pixel_bomb_png,
    png_bytes,
    voice_config,
    voice_zip,
    wav_bytes,
    zip_bytes,
)


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(path, asset_type, tmp_path) -> str:
    with pytest.raises(InvalidInput) as caught:
        inspect_file(path, asset_type, tmp_path)
    assert caught.value.error_msg.startswith("file: ")
    return caught.value.error_msg


def test_it_sniffs_kinds_by_magic_numbers():
    assert sniff(png_bytes()[:64]) == "png"
    assert sniff(b"\xff\xd8\xff\xe0" + b"\0" * 20) == "jpeg"
    assert sniff(b"\0\0\0\x20ftypisom") == "mp4"
    assert sniff(b"\0\0\0\x20ftypM4A ") == "m4a"
    assert sniff(b"OTTO\0\0") == "otf"
    assert sniff(b"PK\x03\x04") == "zip"
    assert sniff(b"<html>") is None


def test_it_accepts_an_image_and_makes_a_jpeg_thumbnail(tmp_path):
    found = inspect_file(write(tmp_path, "x", png_bytes((640, 360))), "IMAGE", tmp_path)
    assert (found.kind, found.width, found.height, found.content_type) == ("png", 640, 360, "image/png")
    with Image.open(found.cover) as cover:
        assert cover.format == "JPEG" and cover.size == (320, 180)


def test_it_refuses_a_pixel_bomb_before_decoding(tmp_path):
    message = refused(write(tmp_path, "bomb.png", pixel_bomb_png()), "IMAGE", tmp_path)
    assert "pixels" in message and "at most 40,000,000" in message
    # Just above our limit but below Pillow's own guard: refused by the header check, never decoded.
    message = refused(write(tmp_path, "bomb2.png", pixel_bomb_png(8000, 6000)), "IMAGE", tmp_path)
    assert "is 8000x6000 pixels" in message


def test_it_refuses_a_fake_extension(tmp_path):
    message = refused(write(tmp_path, "photo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "IMAGE", tmp_path)
    assert "not a recognised format" in message and "not the file name" in message
    message = refused(write(tmp_path, "song.mp3", png_bytes()), "MUSIC", tmp_path)
    assert "the content is PNG" in message


def test_it_refuses_a_truncated_image(tmp_path):
    data = png_bytes((200, 200))
    assert "not a readable PNG" in refused(write(tmp_path, "cut.png", data[:60]), "IMAGE", tmp_path)


def test_it_probes_video_with_duration_size_and_thumbnail(tmp_path):
    path = write(tmp_path, "clip", mp4_bytes(tmp_path / "src.mp4", frames=10))
    found = inspect_file(path, "VIDEO", tmp_path)
    assert (found.width, found.height) == (64, 36)
    assert found.duration == pytest.approx(0.4, abs=0.05)
    assert found.meta["video_codec"] == "h264"
    with Image.open(found.cover) as cover:
        assert cover.format == "JPEG" and cover.size == (64, 36)


def test_it_probes_audio(tmp_path):
    found = inspect_file(write(tmp_path, "a", wav_bytes(tmp_path / "src.wav", 0.5)), "AUDIO", tmp_path)
    assert found.kind == "wav" and found.duration == pytest.approx(0.5, abs=0.02)
    assert found.meta["sample_rate"] == 16000 and found.cover is None


def test_it_refuses_corrupted_media(tmp_path):
    good = mp4_bytes(tmp_path / "src.mp4")
    # Keep the container signature, destroy everything after it.
    broken = good[:32] + bytes(len(good) - 32)
    message = refused(write(tmp_path, "broken.mp4", broken), "VIDEO", tmp_path)
    # FFmpeg's own reason, without the server's path to the upload.
    assert message == "file: is not readable media (InvalidDataError: Invalid data found when processing input)"


def test_it_refuses_audio_without_an_audio_stream(tmp_path):
    path = write(tmp_path, "silent.mp4", mp4_bytes(tmp_path / "src.mp4"))
    assert "no audio stream" in refused(path, "AUDIO", tmp_path)


def test_it_stops_a_probe_that_runs_too_long(tmp_path, monkeypatch):
    monkeypatch.setattr(checks, "PROBE_TIMEOUT_SECONDS", 0.001)
    path = write(tmp_path, "clip", mp4_bytes(tmp_path / "src.mp4"))
    assert "within" in refused(path, "VIDEO", tmp_path)


def test_it_refuses_oversized_files(tmp_path, monkeypatch):
    monkeypatch.setitem(checks.SIZE_LIMITS, "IMAGE", 100)
    assert "at most" in refused(write(tmp_path, "big.png", png_bytes()), "IMAGE", tmp_path)


def test_it_accepts_a_font(tmp_path):
    found = inspect_file(write(tmp_path, "f", FONT.read_bytes()), "FONT", tmp_path)
    assert found.kind == "otf" and "Noto" in found.meta["family"]


def test_it_accepts_a_piper_voice_zip_and_unpacks_model_and_config(tmp_path):
    found = inspect_file(write(tmp_path, "v.zip", voice_zip()), "VOICE_MODEL", tmp_path)
    assert found.meta["language"] == "en_GB" and found.meta["sample_rate"] == 22050
    assert found.voice_model.read_bytes()[:1] == b"\x08"
    assert found.voice_config.name.endswith(".onnx.json")


@pytest.mark.parametrize(("entries", "rule"), [
    ({"../../evil.onnx": b"x"}, "points outside the archive"),
    ({"/etc/evil.onnx": b"x"}, "points outside the archive"),
    ({"voice.onnx": b"x", "run.sh": b"echo"}, "is not allowed"),
    ({"voice.onnx.json": b"{}"}, "exactly one Piper model"),
])
def test_it_refuses_bad_voice_zips(tmp_path, entries, rule):
    assert rule in refused(write(tmp_path, "v.zip", zip_bytes(entries)), "VOICE_MODEL", tmp_path)


def test_it_refuses_links_in_zips(tmp_path):
    data = zip_bytes({"voice.onnx": b"/etc/passwd"}, links=("voice.onnx",))
    assert "link" in refused(write(tmp_path, "v.zip", data), "VOICE_MODEL", tmp_path)


def test_it_refuses_a_zip_that_unpacks_too_large(tmp_path, monkeypatch):
    monkeypatch.setitem(checks.ZIP_MAX_UNPACKED, "VOICE_MODEL", 1000)
    data = zip_bytes({"voice.onnx": b"\0" * 5000, "voice.onnx.json": b"{}"})
    assert "unpacks to more than" in refused(write(tmp_path, "v.zip", data), "VOICE_MODEL", tmp_path)


def test_it_checks_the_voice_config_and_model(tmp_path):
    no_map = voice_zip(phoneme_id_map={})
    assert "phoneme_id_map" in refused(write(tmp_path, "a.zip", no_map), "VOICE_MODEL", tmp_path)
    no_rate = voice_zip(audio={})
    assert "sample_rate" in refused(write(tmp_path, "b.zip", no_rate), "VOICE_MODEL", tmp_path)
    fake_model = zip_bytes({"v.onnx": b"not a model", "v.onnx.json": voice_config()})
    assert "not an ONNX model" in refused(write(tmp_path, "c.zip", fake_model), "VOICE_MODEL", tmp_path)


def test_it_validates_avatar_rigs(tmp_path):
    from composer.render.avatar import BUILTIN_RIGS

    rig = BUILTIN_RIGS[0]
    found = inspect_file(write(tmp_path, "rig", rig["path"].read_bytes()), "HUMAN_MODEL_2D", tmp_path)
    assert (found.meta["layout_width"], found.meta["layout_height"]) == rig["layout"]
    broken = zip_bytes({"rig.json": b'{"name": "x"}'})
    assert "not a valid avatar rig" in refused(write(tmp_path, "bad", broken), "HUMAN_MODEL_2D", tmp_path)
