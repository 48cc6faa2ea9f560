"""Layer timing on decoded frames: a timed layer is absent before its start, fades in, shows, and is gone after its
end; a video's clock starts at its start; untimed layers stay on the plate (the compositor's steps, not time)."""
from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from composer.render import render, render_preview
from composer.render.avatar import open_rig
from composer.render.compositor import AvatarPlan, SceneCompositor, TimedDrawer
from composer.render.geometry import geometry_for
from composer.render.pipeline import model_rig_path
from tests.support.render import solid_image, spec

TEXT = "A timed image appears, fades in, stays a moment and is gone while the presenter keeps on talking."
BACKGROUND = (0xDD, 0xE6, 0xF2)
RED = (230, 20, 20, 255)


def image_layer(asset_id: str, x: int, index: int, timing: dict | None = None) -> dict:
    layer = {"layer_type": "IMAGE", "asset_id": asset_id, "position": {"dx": x, "dy": 0, "layer_index": index},
             "size": {"width": 32, "height": 32}}
    if timing:
        layer["timing"] = timing
    return layer


def small(layers: list[dict], text: str = TEXT) -> dict:
    return spec(text, clip_mode="CROP", width=64, height=64, crop=(0, 0), layers=layers)


def frames_of(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24").astype(int) for frame in container.decode(video=0)]


def test_a_timed_image_is_absent_fades_in_shows_and_is_gone(tmp_path, resolver):
    red = resolver.add("red", solid_image(tmp_path, "red", RED))
    blue = resolver.add("blue", solid_image(tmp_path, "blue", (20, 40, 230, 255)))
    layers = [image_layer(red, 0, 2, {"start": 1.0, "end": 2.0, "fade_in": 0.4, "fade_out": 0.2}),
              image_layer(blue, 32, 3)]
    result = render(small(layers), resolver, tmp_path / "timed.mp4")
    frames = frames_of(result.output)
    assert len(frames) > 70, "the scene must outlast the window"

    def red_spot(t: float) -> np.ndarray:
        return frames[int(round(t * 25))][12:20, 12:20].reshape(-1, 3).mean(axis=0)

    before, middle_of_fade, shown, fading_out_end, after = (red_spot(t) for t in (0.5, 1.2, 1.6, 1.96, 2.5))
    assert np.abs(before - BACKGROUND).max() < 12, before
    # Half way through the fade-in the red sits half way between the background and itself (green: 230 -> 20).
    assert 95 < middle_of_fade[1] < 155 and 95 < middle_of_fade[2] < 165, middle_of_fade
    assert np.abs(shown - RED[:3]).max() < 16, shown
    assert fading_out_end[1] > shown[1] + 60, "near its end the fade-out has mostly cleared it"
    assert np.abs(after - BACKGROUND).max() < 12, after
    for frame in frames[::10]:  # the untimed layer is there throughout
        blue_spot = frame[12:20, 44:52].reshape(-1, 3).mean(axis=0)
        assert blue_spot[2] > 200 and blue_spot[0] < 50, blue_spot


def test_the_thumbnail_at_t_shows_what_the_frame_at_t_shows(tmp_path, resolver):
    red = resolver.add("red", solid_image(tmp_path, "red", RED))
    body = small([image_layer(red, 0, 2, {"start": 1.0, "end": 2.0})])
    spots = [np.asarray(render_preview(body, 0, t, resolver, max_width=64).convert("RGB"))[16, 16] for t in
             (0.5, 1.5, 2.5)]
    assert spots[0][1] > 200 and spots[1][1] < 40 and spots[2][1] > 200, spots


def test_a_video_layers_clock_starts_at_its_start(tmp_path, resolver):
    clip = tmp_path / "clip.mp4"
    with av.open(str(clip), "w") as container:  # 0.4 s: red for 0.2 s, then green
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for i in range(10):
            color = (230, 20, 20) if i < 5 else (20, 200, 20)
            frame = av.VideoFrame.from_ndarray(np.full((64, 64, 3), color, np.uint8), format="rgb24")
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    resolver.add("clip", clip)
    layer = {"layer_type": "VIDEO", "asset_id": "clip", "position": {"dx": 0, "dy": 0, "layer_index": 2},
             "size": {"width": 32, "height": 32}, "video_config": {"loop_count": 1}, "timing": {"start": 1.0}}
    frames = frames_of(render(small([layer]), resolver, tmp_path / "video.mp4").output)

    def spot(t: float) -> np.ndarray:
        return frames[int(round(t * 25))][12:20, 12:20].reshape(-1, 3).mean(axis=0)

    assert np.abs(spot(0.5) - BACKGROUND).max() < 12      # not yet started
    assert spot(1.04)[0] > 180 and spot(1.04)[1] < 60     # its first (red) frames, though the scene is 1 s in
    assert spot(1.32)[1] > 150 and spot(1.32)[0] < 60     # then green
    assert np.abs(spot(1.8) - BACKGROUND).max() < 12      # played once, gone


def compositor_for(body: dict, resolver) -> SceneCompositor:
    rig_path = model_rig_path(body, resolver)
    geometry = geometry_for(body["video_config"], open_rig(rig_path).layout)
    plan = AvatarPlan(rig_path, [], [], 4.0, 255, False, seed=7)
    return SceneCompositor(body, body["shoot_scripts"][0]["shoot_script"], geometry, resolver, plan, 4.0,
                           transparent=False)


def test_untimed_layers_stay_on_the_plate_and_only_timed_ones_are_drawn_per_frame(tmp_path, resolver):
    blue = resolver.add("blue", solid_image(tmp_path, "blue", (20, 40, 230, 255)))
    red = resolver.add("red", solid_image(tmp_path, "red", RED))
    green = resolver.add("green", solid_image(tmp_path, "green", (20, 200, 20, 255)))
    human = {"layer_type": "HUMAN", "position": {"dx": 1100, "dy": 80, "layer_index": 9},
             "size": {"width": 720, "height": 1000}}
    untimed = small([image_layer(blue, 0, 1), image_layer(red, 32, 2), image_layer(green, 0, 3), human])
    plain = compositor_for(untimed, resolver)
    assert [kind for kind, _ in plain.steps] == ["dynamic"], "all three images flattened into the plate"

    timed = small([image_layer(blue, 0, 1), image_layer(red, 32, 2, {"start": 1.0}), image_layer(green, 0, 3),
                   human])
    compositor = compositor_for(timed, resolver)
    kinds = [(kind, type(item).__name__) for kind, item in compositor.steps]
    # The blue image below the timed one is still on the plate; the green one above it is one static overlay.
    assert kinds == [("dynamic", "TimedDrawer"), ("static", "tuple"), ("dynamic", "HumanDrawer")]
    assert isinstance(compositor.steps[0][1], TimedDrawer)
    assert tuple(compositor.plate.getpixel((40, 16)))[:3] != (20, 40, 230)
    assert tuple(compositor.plate.getpixel((16, 16)))[:3] == (20, 40, 230), "blue is part of the plate"
    assert compositor.sprites(0.5)[:1] == [compositor.steps[1][1]], "before its start the timed layer draws nothing"
