"""The avatar rig: built-in presenters, frames, blinks, mouth shapes, actions, loops, and rig validation."""
from __future__ import annotations

import json
import logging
import stat
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from composer.render.avatar import (
    BUILTIN_RIGS,
    Performance,
    RigError,
    load_rig,
    open_rig,
    validate_rig_zip,
)
from composer.render.avatar import rig as rig_module
from composer.render.avatar.rig import MOUTH_SHAPES
from composer.render.lipsync import MouthKey as Key
from composer.render.speech import TimedAction as Action
from tests.support.rigs import minimal_meta, png_bytes, write_rig

SMALL = 0.25   # most checks run on quarter-size frames: same choreography, a sixteenth of the pixels


@pytest.fixture(scope="module", params=[entry["path"] for entry in BUILTIN_RIGS], ids=lambda p: Path(p).stem)
def rig(request):
    return open_rig(request.param)


def pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.int16)


def region(rig, layers, scale: float) -> tuple[int, int, int, int]:
    """The box covering these cropped layers on the scaled canvas, with a small margin."""
    boxes = [(o[0], o[1], o[0] + i.size[0], o[1] + i.size[1]) for i, o in layers]
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return int(left * scale) - 4, int(top * scale) - 4, int(right * scale) + 4, int(bottom * scale) + 4


def talking(shape: str) -> list[Key]:
    return [Key(0.0, 30.0, shape)]


def test_builtin_rigs_validate_with_their_layouts():
    layouts = set()
    for entry in BUILTIN_RIGS:
        summary = validate_rig_zip(entry["path"])
        layouts.add((summary["layout_width"], summary["layout_height"]))
        assert tuple(entry["layout"]) == (summary["layout_width"], summary["layout_height"])
        assert {"wave", "nod", "point"} <= set(summary["actions"])
        assert len(summary["gestures"]) >= 2
    assert layouts == {(1920, 1080), (1080, 1920)}


def test_frame_is_rgba_at_rig_size_with_transparent_corners_and_opaque_body(rig):
    frame = Performance(rig, [], [], 5.0).frame(0.0)
    assert frame.mode == "RGBA" and frame.size == rig.size
    alpha = np.asarray(frame.getchannel("A"))
    w, h = rig.size
    assert alpha[0, 0] == alpha[0, w - 1] == alpha[h - 1, 0] == alpha[h - 1, w - 1] == 0
    torso = rig.parts["torso"]
    centre_x = torso.origin[0] + torso.image.size[0] // 2
    assert alpha[int(h * 0.6), centre_x] == 255            # the chest
    head_x, head_y = rig.head_pivot
    assert alpha[int(head_y) - 60, int(head_x)] == 255      # the face


@pytest.mark.parametrize("first, second", [("A", "D"), ("X", "C")])
def test_mouth_region_differs_between_shapes(rig, first, second):
    box = region(rig, rig.mouths.values(), SMALL)
    one = Performance(rig, talking(first), [], 30.0, action_interval=255, scale=SMALL).frame(0.5).crop(box)
    two = Performance(rig, talking(second), [], 30.0, action_interval=255, scale=SMALL).frame(0.5).crop(box)
    changed = np.abs(pixels(one) - pixels(two)).max(axis=2) > 40
    assert changed.sum() > 20


def test_every_mouth_shape_is_distinct(rig):
    box = region(rig, rig.mouths.values(), 1.0)
    crops = {s: pixels(Performance(rig, talking(s), [], 30.0, action_interval=255).frame(0.5).crop(box))
             for s in MOUTH_SHAPES}
    for i, a in enumerate(MOUTH_SHAPES):
        for b in MOUTH_SHAPES[i + 1:]:
            assert (np.abs(crops[a] - crops[b]).max(axis=2) > 40).sum() > 30, (a, b)


def test_blinks_happen_at_human_intervals_and_change_the_eyes(rig):
    performance = Performance(rig, [], [], 60.0, action_interval=255, seed=3, scale=SMALL)
    times = [i / 25 for i in range(60 * 25)]
    states = [performance.plan.eye_state(t) for t in times]
    assert "closed" in states and "half" in states
    starts = [t for t, before, now in zip(times[1:], states, states[1:], strict=False) if before == "open" and now != "open"]
    groups = [starts[0]] + [b for a, b in zip(starts, starts[1:], strict=False) if b - a > 0.6]   # double blinks count once
    gaps = np.diff(groups)
    assert len(groups) >= 9 and gaps.min() >= 2.0 - 0.05 and gaps.max() <= 6.0 + 0.4
    closed_at = times[states.index("closed")]
    box = region(rig, rig.eyes.values(), SMALL)
    open_eyes = pixels(performance.frame(closed_at - 0.3).crop(box))
    shut = pixels(performance.frame(closed_at).crop(box))
    assert (np.abs(open_eyes - shut).max(axis=2) > 40).sum() > 10


def test_eyes_are_open_between_blinks(rig):
    performance = Performance(rig, [], [], 20.0, seed=9)
    for t in [i / 25 for i in range(20 * 25)]:
        blinking = any(start <= t < start + 0.15 for start in performance.plan.blinks)
        assert (performance.plan.eye_state(t) == "open") != blinking


def test_wave_raises_an_arm(rig):
    idle = Performance(rig, [], [], 6.0, action_interval=255, scale=SMALL)
    waving = Performance(rig, [], [Action(0.5, "wave")], 6.0, action_interval=255, scale=SMALL)
    before, during = pixels(idle.frame(1.8)), pixels(waving.frame(1.8))
    changed = np.abs(before - during).max(axis=2) > 40
    ys, xs = np.nonzero(changed)
    assert changed.sum() > 400
    head_y = rig.head_pivot[1] * SMALL
    assert ys.min() < head_y           # the hand goes up beside the head
    assert np.array_equal(pixels(idle.frame(5.9)), pixels(waving.frame(5.9)))   # and comes back down


@pytest.mark.parametrize("name", ["nod", "point"])
def test_semantic_actions_move_the_figure(rig, name):
    clip = rig.clips[name]
    idle = Performance(rig, [], [], 6.0, action_interval=255, scale=SMALL)
    acting = Performance(rig, [], [Action(1.0, name)], 6.0, action_interval=255, scale=SMALL)
    t = 1.0 + clip.duration / 2
    # A nod moves dark hair over dark skin on some presenters (Amara) and white hair over pale skin on others
    # (Grace): the moved pixels change by less there, so count changes of a twelfth of the range.
    assert (np.abs(pixels(idle.frame(t)) - pixels(acting.frame(t))).max(axis=2) > 20).sum() > 50


def test_unknown_actions_are_ignored_and_logged(rig, caplog):
    with caplog.at_level(logging.INFO, logger="composer.render.avatar.choreography"):
        performance = Performance(rig, [], [Action(1.0, "somersault")], 6.0, action_interval=255, scale=SMALL)
    assert "somersault" in caplog.text
    assert performance.plan.schedule == []


def test_end_at_first_frame_loops_pixel_exactly(rig):
    duration = 7.0
    mouth = [Key(0.0, 0.4, "X"), Key(0.4, 3.0, "D"), Key(3.0, 6.96, "C"), Key(6.96, 7.0, "X")]
    performance = Performance(rig, mouth, [Action(5.5, "wave")], duration, action_interval=2,
                              end_at_first_frame=True, seed=5, scale=SMALL)
    first, last = performance.frame(0.0), performance.frame(duration - 1 / 25)
    assert np.array_equal(pixels(first), pixels(last))
    assert not np.array_equal(pixels(first), pixels(performance.frame(duration / 2)))


def test_changing_duration_replans_the_loop(rig):
    performance = Performance(rig, [], [], 3.0, end_at_first_frame=True, seed=1, scale=SMALL)
    performance.duration = 9.0
    assert np.array_equal(pixels(performance.frame(0.0)), pixels(performance.frame(9.0 - 1 / 25)))


def test_interval_255_means_no_gestures(rig):
    still = Performance(rig, [], [], 30.0, action_interval=255, scale=SMALL)
    assert still.plan.schedule == []
    arms = [name for name in rig.parts if name.startswith("arm")]
    assert arms
    for t in (1.0, 5.3, 11.7, 22.2):
        assert not set(still.plan.channels(t)) & set(arms)
    lively = Performance(rig, [], [], 30.0, action_interval=None, scale=SMALL)
    starts = [item.start for item in lively.plan.schedule]
    assert len(starts) >= 4 and all(not item.clip.semantic for item in lively.plan.schedule)
    assert max(np.diff(starts)) < 9.5


def test_gestures_do_not_overlap_semantic_actions(rig):
    performance = Performance(rig, [], [Action(4.0, "wave")], 30.0, action_interval=2, scale=SMALL)
    wave = next(item for item in performance.plan.schedule if item.clip.name == "wave")
    for item in performance.plan.schedule:
        if item is not wave:
            assert item.end <= wave.start or item.start >= wave.end


def test_frames_are_deterministic(rig):
    keys = [Key(0.0, 1.0, "C"), Key(1.0, 2.0, "A"), Key(2.0, 4.0, "E")]
    one = Performance(rig, keys, [Action(1.0, "nod")], 4.0, seed=2, scale=SMALL)
    two = Performance(rig, keys, [Action(1.0, "nod")], 4.0, seed=2, scale=SMALL)
    for t in (0.0, 1.3, 2.02, 3.5):
        assert np.array_equal(pixels(one.frame(t)), pixels(two.frame(t)))


# --- rig validation ---------------------------------------------------------------------------------------------

def huge_png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge image (a pixel bomb); its data is a few bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + \
        chunk(b"IEND", b"")


def test_minimal_rig_loads_and_plays(tmp_path):
    rig = load_rig(write_rig(tmp_path / "ok.zip"))
    assert rig.size == (8, 8) and rig.actions == ["wave"]
    assert Performance(rig, [], [Action(0.0, "wave")], 2.0).frame(0.5).size == (8, 8)


def bad_meta(change) -> dict:
    meta = minimal_meta()
    change(meta)
    return meta


@pytest.mark.parametrize("meta, message", [
    (bad_meta(lambda m: m.update(format="composer-rig/9")), "format"),
    (bad_meta(lambda m: m.pop("size")), "size"),
    (bad_meta(lambda m: m.pop("default_box")), "default_box"),
    (bad_meta(lambda m: m.update(layout=[800, 600])), "layout"),
    (bad_meta(lambda m: m["faces"]["mouths"].pop("G")), "faces.mouths: missing G"),
    (bad_meta(lambda m: m["faces"]["eyes"].pop("half")), "faces.eyes: missing half"),
    (bad_meta(lambda m: m["parts"].pop(1)), "'head' is required"),
    (bad_meta(lambda m: m["parts"][1].update(parent="neck")), "no part named 'neck'"),
    (bad_meta(lambda m: m["actions"]["wave"]["tracks"]["head"].update(wobble=[[0, 1]])), "unknown channel"),
    (bad_meta(lambda m: m["parts"][0].update(image="torso.jpg")), "torso.jpg"),
])
def test_bad_rig_json_is_refused_naming_the_field(tmp_path, meta, message):
    with pytest.raises(RigError, match=message.replace(".", r"\.").replace("(", r"\(")):
        load_rig(write_rig(tmp_path / "bad.zip", meta))


def test_missing_rig_json_and_bad_json(tmp_path):
    with pytest.raises(RigError, match="rig.json is missing"):
        load_rig(write_rig(tmp_path / "a.zip", skip=("rig.json",)))
    with pytest.raises(RigError, match="not valid JSON"):
        load_rig(write_rig(tmp_path / "b.zip", extra={"rig.json": b"{nope"}))
    (tmp_path / "c.zip").write_bytes(b"not a zip")
    with pytest.raises(RigError, match="not a zip"):
        load_rig(tmp_path / "c.zip")


@pytest.mark.parametrize("name", ["../evil.png", "/abs.png", "layers/../../x.png", "C:/x.png"])
def test_path_traversal_is_refused(tmp_path, name):
    with pytest.raises(RigError, match="inside the rig"):
        load_rig(write_rig(tmp_path / "bad.zip", extra={name: png_bytes()}))


def test_symlinks_are_refused(tmp_path):
    path = write_rig(tmp_path / "link.zip")
    with zipfile.ZipFile(path, "a") as archive:
        info = zipfile.ZipInfo("head_link.png")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(RigError, match="head_link.png: links"):
        load_rig(path)


def test_too_many_entries_are_refused(tmp_path):
    extra = {f"notes/{i}.txt": b"x" for i in range(500)}
    with pytest.raises(RigError, match="entries"):
        load_rig(write_rig(tmp_path / "many.zip", extra=extra))


def test_unpacked_size_is_limited(tmp_path, monkeypatch):
    monkeypatch.setattr(rig_module, "MAX_UNPACKED", 2000)
    with pytest.raises(RigError, match="unpacks to more than"):
        load_rig(write_rig(tmp_path / "big.zip", extra={"notes/big.txt": b"\0" * 5000}))


def test_non_png_entries_and_layers_are_refused(tmp_path):
    with pytest.raises(RigError, match="script.py"):
        load_rig(write_rig(tmp_path / "a.zip", extra={"script.py": b"print(1)"}))
    with pytest.raises(RigError, match="head.png: layers must be PNG"):
        load_rig(write_rig(tmp_path / "b.zip", extra={"head.png": b"GIF89a not a png"}))


def test_layer_size_must_match(tmp_path):
    with pytest.raises(RigError, match="mouth_D.png: is 9x8"):
        load_rig(write_rig(tmp_path / "a.zip", extra={"mouth_D.png": png_bytes((9, 8))}))


def test_pixel_bombs_are_refused_before_decoding(tmp_path):
    with pytest.raises(RigError, match="eyes_open.png: is 60000x60000"):
        load_rig(write_rig(tmp_path / "bomb.zip", extra={"eyes_open.png": huge_png_header(60000, 60000)}))


def test_mouth_changes_show_whole_shapes_on_the_frame_of_the_sound(rig):
    keys = [Key(0.0, 1.0, "D"), Key(1.0, 2.0, "F"), Key(2.01, 3.0, "A")]
    performance = Performance(rig, keys, [], 3.0, action_interval=255, scale=SMALL)
    # The frame starting at t is on screen until t + 40 ms: it shows what sounds by then, never a blend.
    assert [performance.mouth_pose(t).shape for t in (0.96, 1.0, 1.96, 1.98)] == ["D", "F", "F", "A"]
    box = region(rig, rig.mouths.values(), SMALL)
    changed, before, after = (pixels(performance.frame(t).crop(box)) for t in (1.0, 0.96, 1.04))
    assert not np.array_equal(changed, before)
    # One frame later the head has barely moved: the mouth pixels are the same whole shape.
    assert np.abs(changed - after).mean() < np.abs(changed - before).mean() / 4


def test_committed_rigs_match_the_build_code():
    from composer.render.avatar import build

    for which, (style, layout, box_scale, centre_x, filename) in build.PRESENTERS.items():
        with zipfile.ZipFile(build.OUT_DIR / filename) as archive:
            committed = json.loads(archive.read("rig.json"))
        expected = json.loads(json.dumps(build.rig_json(style, layout, box_scale, centre_x)))
        assert committed == expected, f"{filename} is stale: run python -m composer.render.avatar.build {which}"


def test_phrase_starts_lift_the_brows(rig):
    keys = [Key(0.0, 1.0, "X"), Key(1.0, 1.5, "C"), Key(1.5, 2.0, "D"), Key(2.0, 3.0, "X"), Key(3.0, 3.6, "B")]
    plan = Performance(rig, keys, [], 5.0, action_interval=255, scale=SMALL).plan
    assert plan.accents == [1.0, 3.0]
    assert plan.channels(1.4)["brows"]["dy"] < -2 and "brows" not in plan.channels(2.5)


def test_drawn_pieces_stay_within_their_byte_budgets_and_look_the_same(monkeypatch):
    """The caches of drawn pieces hold at most their budget of pixels (so a long scene's stop growing), and a
    piece dropped and drawn again is the same: a performance with tiny budgets draws every frame as one with the
    defaults does."""
    from composer.render.avatar import performance as module

    rig = open_rig(BUILTIN_RIGS[0]["path"])
    shapes = "ABCDEFGHX"
    mouth = [Key(i * 0.12, (i + 1) * 0.12, shapes[i % len(shapes)]) for i in range(150)]
    actions = [Action(1.0, "wave"), Action(9.0, "nod")]
    times = [i * 0.16 for i in range(110)]
    roomy = Performance(rig, mouth, actions, 18.0, seed=5, scale=SMALL)
    expected = [pixels(roomy.frame(t)) for t in times]
    for name in ("GROUP_BYTES", "PLACED_BYTES", "PLACED_GROUP_BYTES", "SMALL_BYTES"):
        monkeypatch.setattr(module, name, 96 * 1024)
    tight = Performance(rig, mouth, actions, 18.0, seed=5, scale=SMALL)
    for t, frame in zip(times, expected, strict=True):
        assert np.array_equal(pixels(tight.frame(t)), frame), t
    caches = [tight._groups, tight._placed, tight._placed_groups, tight._placed_small]
    for cache in caches:
        held = sum(module._pixel_bytes(image) for image, _ in cache._entries.values())
        assert cache.used == held and (held <= cache.budget or len(cache) == 1)
    # The tiny budgets did drop pieces: the roomy caches hold more of them.
    roomy_caches = [roomy._groups, roomy._placed, roomy._placed_groups, roomy._placed_small]
    assert sum(map(len, roomy_caches)) > sum(map(len, caches))


@pytest.mark.parametrize("degrees", [0.6, -3.2, 17.0])
def test_a_turned_part_resamples_only_its_visible_part_and_keeps_no_transparent_rim(degrees):
    """A part (or composed head) with room around it is cropped to what is visible before it is turned, and the
    result to what is visible after: pasted, the same pixels as turning the whole image, bit for bit."""
    import math

    from composer.render.avatar.transform import compose, invert, rotation_about, transform_image

    rng = np.random.default_rng(3)
    image = np.zeros((160, 140, 4), np.uint8)
    image[30:120, 25:100] = rng.integers(0, 256, (90, 75, 4), dtype=np.uint8)
    image[30:120, 25:100, 3] = np.maximum(image[30:120, 25:100, 3], 1)
    part = Image.fromarray(image, "RGBA")
    origin = (400, 300)
    matrix = compose((1.0, 0.0, 0.37, 0.0, 1.0, -0.61), rotation_about((470.0, 380.0), degrees))
    turned, at = transform_image(part, origin, matrix)
    assert turned.getchannel("A").getbbox() == (0, 0, *turned.size), "no transparent rim is kept"
    # The whole image turned the plain way, into the same place.
    a, b, c, d, e, f = matrix
    corners = [(origin[0] + x, origin[1] + y) for x in (0, part.size[0]) for y in (0, part.size[1])]
    left = math.floor(min(a * x + b * y + c for x, y in corners))
    top = math.floor(min(d * x + e * y + f for x, y in corners))
    width = math.ceil(max(a * x + b * y + c for x, y in corners)) - left
    height = math.ceil(max(d * x + e * y + f for x, y in corners)) - top
    ia, ib, ic, id_, ie, if_ = invert(matrix)
    data = (ia, ib, ia * left + ib * top + ic - origin[0], id_, ie, id_ * left + ie * top + if_ - origin[1])
    plain = part.convert("RGBa").transform((width, height), Image.Transform.AFFINE, data,
                                           resample=Image.Resampling.BILINEAR).convert("RGBA")
    assert turned.size[0] * turned.size[1] < 0.6 * width * height
    want = Image.new("RGBA", (1000, 800), (0, 0, 0, 0))
    want.paste(plain, (left, top))
    got = Image.new("RGBA", (1000, 800), (0, 0, 0, 0))
    got.paste(turned, at)
    assert np.array_equal(np.asarray(got), np.asarray(want))
