"""A scene without a background: see-through in WebM (VP8) and MOV (QTRLE), filled with white in MP4 (H.264),
over a checkerboard in the pictures people look at (thumbnails, the cover). Decoded with PyAV."""
from __future__ import annotations

import av
import numpy as np
import pytest
from PIL import Image

from composer.render import render, render_preview
from composer.spec import validate_create_body
from composer.spec.transparency import FLAT_FILL, video_has_alpha
from tests.support.render import is_checkerboard, rgb, spec

# A window of Maya's landscape layout: its top-left corner is empty, FACE (window pixels) is her cheek.
WINDOW = {"clip_mode": "CROP", "width": 480, "height": 360, "crop": (1100, 400)}
FACE = (100, 340)           # (row, column)
CORNER = (4, 4)
BLUE = {"background_type": "COLOR", "background_color_config": "#2050C0"}


def decode_rgba(path, codec: str) -> list[np.ndarray]:
    """Every frame as RGBA. FFmpeg's own VP8 decoder drops the alpha that libvpx stores beside each frame, so
    WebM goes through the libvpx decoder."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if codec == "VP8":
            decoder = av.CodecContext.create("libvpx", "r")
            frames = [f for packet in container.demux(stream) if packet.size for f in decoder.decode(packet)]
        else:
            frames = list(container.decode(stream))
    return [frame.to_ndarray(format="rgba") for frame in frames]


def test_a_body_without_background_config_is_valid_as_the_reference_allows():
    body = spec("Hi.", background=[])
    assert "background_config" not in body["shoot_scripts"][0]["shoot_script"]
    body["shoot_scripts"][0]["shoot_script"]["background_config"] = []
    assert validate_create_body(body)["shoot_scripts"][0]["shoot_script"]["background_config"] == []


@pytest.mark.parametrize("codec, has_alpha", [("VP8", True), ("QTRLE", True), ("H264", False)])
def test_a_video_has_alpha_only_with_a_scene_without_background_and_a_codec_with_alpha(codec, has_alpha):
    assert video_has_alpha(spec("Hi.", codec=codec, background=[])) is has_alpha
    assert video_has_alpha(spec("Hi.", codec=codec)) is False


def test_webm_keeps_alpha_around_an_opaque_avatar(tmp_path, resolver):
    result = render(spec("Hi.", codec="VP8", background=[], **WINDOW), resolver, tmp_path / "t.webm")
    frames = decode_rgba(result.output, "VP8")
    assert frames and frames[0].shape == (360, 480, 4)
    for frame in (frames[0], frames[len(frames) // 2]):
        assert frame[CORNER][3] == 0
        assert frame[FACE][3] == 255


def test_mov_keeps_alpha(tmp_path, resolver):
    result = render(spec("Hi.", codec="QTRLE", background=[], **WINDOW), resolver, tmp_path / "t.mov")
    with av.open(str(result.output)) as container:
        assert container.streams.video[0].codec_context.pix_fmt in ("argb", "rgba", "bgra")
    frame = decode_rgba(result.output, "QTRLE")[0]
    assert frame[CORNER][3] == 0 and frame[FACE][3] == 255


def test_mp4_fills_the_empty_parts_with_the_documented_white(tmp_path, resolver):
    result = render(spec("Hi.", codec="H264", background=[], **WINDOW), resolver, tmp_path / "t.mp4")
    frame = decode_rgba(result.output, "H264")[0]
    assert FLAT_FILL == "#FFFFFF"
    assert np.abs(frame[CORNER][:3].astype(int) - rgb(FLAT_FILL)).max() <= 6
    assert frame[FACE][:3].mean() < 240           # the avatar is still drawn


def test_scenes_with_and_without_background_join_into_one_video_with_alpha(tmp_path, resolver):
    scenes = [{"text": "First.", "background": [BLUE]}, {"text": "Second.", "background": []}]
    result = render(spec(codec="VP8", scenes=scenes, **WINDOW), resolver, tmp_path / "two.webm")
    frames = decode_rgba(result.output, "VP8")
    assert len(frames) == result.frames
    first, last = frames[2], frames[-2]
    assert first[CORNER][3] >= 250 and first[CORNER][2] > 150      # the blue background, opaque
    assert last[CORNER][3] == 0 and last[FACE][3] == 255


def test_thumbnails_of_a_transparent_scene_show_a_checkerboard(resolver):
    webm = render_preview(spec("Hi.", codec="VP8", background=[]), 0, 0.0, resolver, max_width=480)
    assert webm.mode == "RGB" and is_checkerboard(webm, (0, 0, 200, 120))
    # MP4 cannot be transparent: its thumbnail shows the white the render will have.
    mp4 = np.asarray(render_preview(spec("Hi.", codec="H264", background=[]), 0, 0.0, resolver, max_width=480))
    assert (mp4[:120, :200] >= 250).all()


def test_the_cover_of_a_transparent_video_shows_the_checkerboard(tmp_path, resolver):
    result = render(spec("Hi.", codec="VP8", background=[], **WINDOW), resolver, tmp_path / "t.webm")
    with Image.open(result.cover) as cover:
        assert cover.format == "JPEG"
        assert is_checkerboard(cover, (0, 0, 160, 100))
