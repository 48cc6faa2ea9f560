"""The frame path against plain references: frames composed in place (plates, boxes of moving sprites, reused
buffers) against a straightforward Pillow composition of the same sprites, and the per-box conversion to the
encoder's pixel format against converting whole frames."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from composer.render.avatar import open_rig
from composer.render.canvas import Canvas
from composer.render.compositor import AvatarPlan, SceneCompositor
from composer.render.convert import Converter, wrap
from composer.render.encode import ThreadedWriter
from composer.render.geometry import geometry_for
from composer.render.pipeline import model_rig_path
from composer.render.subtitles import CaptionPainter, Cue
from tests.support.render import b64, spec

DURATION = 4.0
CUES = [Cue(0.3, 1.5, "The first caption\nover two lines"), Cue(1.5, 3.2, "and a second one")]


def gradient(tmp_path, name: str, alpha: int) -> str:
    """A picture whose every pixel differs, so a misplaced or mis-blended pixel shows."""
    y, x = np.mgrid[0:270, 0:480]
    pixels = np.dstack([x * 255 // 479, y * 255 // 269, (x + y) % 256, np.full_like(x, alpha)]).astype(np.uint8)
    path = tmp_path / f"{name}.png"
    Image.fromarray(pixels, "RGBA").save(path)
    return str(path)


def scene_compositor(tmp_path, resolver, *, background: bool):
    photo = resolver.add("photo", gradient(tmp_path, "photo", 255))
    veil = resolver.add("veil", gradient(tmp_path, "veil", 140))
    layers = [
        {"layer_type": "IMAGE", "asset_id": veil, "position": {"dx": 900, "dy": 500, "layer_index": 1},
         "size": {"width": 700, "height": 400}},
        {"layer_type": "HUMAN", "position": {"dx": 1000, "dy": 80, "layer_index": 2},
         "size": {"width": 720, "height": 1000}},
        {"layer_type": "TEXT", "position": {"dx": 1100, "dy": 300, "layer_index": 3},
         "text_config": {"text_context": b64("Over the presenter"), "font_size": 64, "font_color": "#F0A020"}},
        {"layer_type": "IMAGE", "asset_id": veil, "position": {"dx": 1250, "dy": 600, "layer_index": 4},
         "size": {"width": 500, "height": 300}, "rotation": {"angle": 12},
         "timing": {"start": 0.8, "end": 3.0, "fade_in": 0.5, "fade_out": 0.4}},
    ]
    backdrop = [{"background_type": "IMAGE", "background_asset_id": photo}] if background else []
    body = spec("Hello.", width=1280, height=720, codec="H264" if background else "VP8", layers=layers,
                background=backdrop, subtitles=True)
    rig_path = model_rig_path(body, resolver)
    geometry = geometry_for(body["video_config"], open_rig(rig_path).layout)
    plan = AvatarPlan(rig_path, [], [], DURATION, 1.0, False, seed=7)   # idle motion and a gesture every second
    compositor = SceneCompositor(body, body["shoot_scripts"][0]["shoot_script"], geometry, resolver, plan, DURATION,
                                 transparent=not background)
    captions = CaptionPainter({"font_size": 54}, geometry.layout, geometry.rect_float)
    return compositor, captions


def reference(compositor: SceneCompositor, sprites: list) -> np.ndarray:
    """The frame composed the plain way: the plate, then every sprite over the whole frame with alpha_composite."""
    frame = compositor.plate.copy()
    for image, at in sprites:
        layer = Image.new("RGBA", frame.size, (0, 0, 0, 0))
        layer.paste(image, at)
        frame = Image.alpha_composite(frame, layer)
    return np.asarray(frame, np.int16)


@pytest.mark.parametrize("background", [True, False], ids=["opaque", "transparent"])
def test_frames_composed_in_place_match_a_plain_composition(tmp_path, resolver, background):
    """Opaque frames may differ by 1 level: over an opaque pixel the sprite is pasted through its alpha, which
    rounds s*a + d*(255-a) over 255 with Pillow's exact DIV255, while alpha_composite divides with a 7-bit
    fixed-point coefficient; each is within half a level of the true value. Transparent frames go through
    alpha_composite both ways, pixel for pixel, so they must be identical."""
    compositor, captions = scene_compositor(tmp_path, resolver, background=background)
    canvases = [Canvas(compositor.geometry.output) for _ in range(3)]   # reused in turn, as the render does
    worst = 0
    moving_boxes = 0
    for index in range(0, int(DURATION * 25), 3):
        t = index / 25
        cue = next((cue for cue in CUES if cue.start <= t < cue.end), None)
        caption = captions.sprite_at(cue, t) if cue else None
        canvas = compositor.paint(canvases[index % 3], t, caption)
        want = reference(compositor, compositor.sprites(t) + ([caption] if caption else []))
        worst = max(worst, int(np.abs(np.asarray(canvas.array, np.int16) - want).max()))
        moving_boxes += len(canvas.dirty)
        assert canvas.dirty, "the presenter moves on every frame"
    assert worst <= (1 if background else 0), worst
    # Plates were switched (captions and the timed layer come and go) and kept for a few switches.
    assert len(compositor.painter._plates) >= 2


def test_a_frame_of_its_own_is_the_same_as_one_in_a_reused_buffer(tmp_path, resolver):
    compositor, _ = scene_compositor(tmp_path, resolver, background=True)
    reused = Canvas(compositor.geometry.output)
    for t in (0.0, 1.0, 2.0, 1.04):
        compositor.paint(reused, t)
        assert np.array_equal(np.asarray(compositor.frame(t)), reused.array)


@pytest.mark.parametrize("background", [True, False], ids=["opaque", "transparent"])
def test_a_canvas_holding_the_frame_before_is_painted_again_only_where_its_sprites_differ(tmp_path, resolver,
                                                                                          monkeypatch, background):
    """Frame after frame in one canvas, as the render paints them: only where a sprite differs from the frame the
    canvas holds is composed again, and every frame equals one composed in a canvas of its own, bit for bit."""
    from composer.render import canvas as canvas_module

    compositor, captions = scene_compositor(tmp_path, resolver, background=background)
    redrawn = []
    blend = canvas_module.blend
    monkeypatch.setattr(canvas_module, "blend", lambda canvas, sprite, clip, opaque:
                        (redrawn.append(clip), blend(canvas, sprite, clip, opaque)))
    reused = Canvas(compositor.geometry.output)
    moving = smaller = 0
    for index in range(int(DURATION * 25)):
        t = index / 25
        cue = next((cue for cue in CUES if cue.start <= t < cue.end), None)
        caption = captions.sprite_at(cue, t) if cue else None
        redrawn.clear()
        compositor.paint(reused, t, caption)
        painted = canvas_module.area(sorted(set(redrawn)))
        moving += 1
        smaller += painted < canvas_module.area(reused.dirty)
        alone = compositor.paint(Canvas(compositor.geometry.output), t, caption)
        assert np.array_equal(alone.array, reused.array), t
    # The presenter's arms, torso and mouth keep still for stretches while the head sways.
    assert smaller >= moving // 4, (smaller, moving)


def test_changed_between_names_the_sprites_that_differ_position_by_position():
    from composer.render.canvas import changed_between

    a, b, c = (Image.new("RGBA", (10, 10)) for _ in range(3))
    whole = (0, 0, 100, 100)
    assert changed_between([(a, (0, 0)), (b, (50, 50))], [(a, (0, 0)), (b, (50, 50))], whole) == []
    assert changed_between([(a, (0, 0)), (b, (50, 50))], [(a, (0, 0)), (b, (52, 50))], whole) == [(50, 50, 62, 60)]
    # The same sprites in another order: both places may look different.
    assert sorted(changed_between([(a, (0, 0)), (b, (5, 5))], [(b, (5, 5)), (a, (0, 0))], whole)) == [(0, 0, 15, 15)]
    assert changed_between([(a, (0, 0))], [(a, (0, 0)), (c, (1, 1))], whole) is None
    assert changed_between(None, [(a, (0, 0))], whole) is None
    assert changed_between([(a, (95, 95))], [(c, (95, 95))], whole) == [(95, 95, 100, 100)]


@pytest.mark.parametrize("fmt", ["yuv420p", "yuva420p", "argb"])
@pytest.mark.parametrize("frames", [1, 4])
def test_converting_only_what_differs_from_the_frame_held_equals_converting_whole_frames(fmt, frames, monkeypatch):
    """With the sprites each frame shows, a working frame that holds an earlier frame over the same plate is
    converted again only where the sprites differ; bit for bit the same as converting every frame whole."""
    from composer.render import canvas as canvas_module
    from composer.render import convert as convert_module

    taken = []

    def fewer_boxes(old, new, whole, boxes):
        differs = canvas_module.fewer_boxes(old, new, whole, boxes)
        taken.append(differs is not None)
        return differs

    monkeypatch.setattr(convert_module, "fewer_boxes", fewer_boxes)
    rng = np.random.default_rng(9)
    width, height = 642, 362
    plates = [rng.integers(0, 256, (height, width, 4), dtype=np.uint8) for _ in range(2)]
    pool = [Image.fromarray(rng.integers(0, 256, (int(rng.integers(8, 90)), int(rng.integers(8, 120)), 4),
                                         dtype=np.uint8), "RGBA") for _ in range(12)]
    shown = [(pool[i], (int(rng.integers(-20, width - 10)), int(rng.integers(-20, height - 10)))) for i in range(5)]
    converter = Converter(fmt, frames)
    out: list = []
    for step in range(60):
        plate = plates[step // 15 % 2]
        shown = list(shown)     # (the converter holds the list it was given)
        if step % 4:      # most frames move one or two sprites; every fourth shows the same sprites again
            for _ in range(int(rng.integers(1, 3))):
                slot = int(rng.integers(0, len(shown)))
                image = pool[int(rng.integers(0, len(pool)))]
                shown[slot] = (image, (int(rng.integers(-20, width - 10)), int(rng.integers(-20, height - 10))))
        frame = plate.copy()
        boxes = []
        for image, (x, y) in shown:
            box = (max(0, x), max(0, y), min(width, x + image.size[0]), min(height, y + image.size[1]))
            frame[box[1]:box[3], box[0]:box[2]] = np.asarray(image)[box[1] - y:box[3] - y, box[0] - x:box[2] - x]
            boxes.append(box)
        got = converter.convert(frame, plate, boxes, shown)
        want = wrap(frame).reformat(format=fmt)
        for mine, theirs in zip(pixels(got), pixels(want), strict=True):
            assert np.array_equal(mine, theirs), step
        out.append(got)
        if len(out) == frames:
            converter.release(out.pop(0))
    assert sum(taken) >= 5, f"{sum(taken)} frames converted only where they differ from the one held"


@pytest.mark.parametrize("size", [(1920, 1080), (642, 362), (641, 359)])
@pytest.mark.parametrize("fmt", ["yuv420p", "yuva420p", "argb"])
@pytest.mark.parametrize("frames", [1, 3])
def test_converting_changed_boxes_equals_converting_whole_frames(size, fmt, frames):
    """Bit for bit: a box is converted with its surroundings and copied back on the chroma grid; odd sizes,
    whose chroma grid does not halve the frame, are converted whole. With several working frames (converted on
    the composing thread while earlier ones wait for the encoder), each holds another earlier frame."""
    rng = np.random.default_rng(5)
    width, height = size
    plates = [rng.integers(0, 256, (height, width, 4), dtype=np.uint8) for _ in range(2)]
    converter = Converter(fmt, frames)
    out: list = []
    for step in range(24):
        plate = plates[step // 8 % 2]
        frame = plate.copy()
        boxes = []
        for _ in range(step % 3 + (step == 0)):
            left, top = int(rng.integers(0, width - 1)), int(rng.integers(0, height - 1))
            right, bottom = int(rng.integers(left + 1, width + 1)), int(rng.integers(top + 1, height + 1))
            frame[top:bottom, left:right] = rng.integers(0, 256, (bottom - top, right - left, 4), dtype=np.uint8)
            boxes.append((left, top, right, bottom))
        got = converter.convert(frame, plate, boxes)
        want = wrap(frame).reformat(format=fmt)
        for mine, theirs in zip(pixels(got), pixels(want), strict=True):
            assert np.array_equal(mine, theirs), (step, boxes)
        out.append(got)
        if len(out) == frames:     # all out: the oldest is encoded and handed back (released in turn)
            converter.release(out.pop(0))


def pixels(frame) -> list[np.ndarray]:
    """Each plane's pixels, without the padding at the ends of its rows."""
    width = 1 if frame.format.is_planar else len(frame.format.components)
    return [np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)[:, :plane.width * width]
            for plane in frame.planes]


def test_the_encoder_hands_every_buffer_back_even_after_an_error():
    class Failing:
        def write(self, frame, plate=None, changed=()):
            raise OSError("disk full")

    returned, queued = [], 0
    writer = ThreadedWriter(Failing())
    with pytest.raises(OSError, match="disk full"):
        for _ in range(10):
            writer.write(np.zeros((2, 2, 4), np.uint8), lambda: returned.append(1))
            queued += 1
    with pytest.raises(OSError, match="disk full"):
        writer.finish()
    assert queued >= 1 and len(returned) == queued, "a buffer the encoder never gives back stalls the render"


def test_a_finished_scenes_compositor_is_freed_without_waiting_for_a_garbage_collection(tmp_path, resolver):
    """A scene's compositor holds the avatar's cached poses (some 100 MB at 1080p). Held in a reference cycle, it
    lived on after its scene until a full garbage collection, which comes rarely in a long render: every later
    scene peaked higher. Dropping the last reference must free it at once."""
    import gc
    import weakref

    compositor, _ = scene_compositor(tmp_path, resolver, background=True)
    for index in range(10):
        compositor.frame(index / 25)
    gone = weakref.ref(compositor)
    performances = [weakref.ref(item.performance) for kind, item in compositor.steps
                    if kind == "dynamic" and hasattr(item, "performance")]
    assert performances
    gc.disable()
    try:
        del compositor
        assert gone() is None and all(performance() is None for performance in performances)
    finally:
        gc.enable()


def test_a_sprite_pasted_in_pieces_is_pasted_bit_for_bit_as_a_whole():
    """A sprite pasted again is cut into transparent (skipped), opaque (copied) and blended pieces; over an opaque
    canvas the result must equal the paste of the whole sprite through its alpha, in every channel, whatever
    part of it the clip keeps."""
    from composer.render import canvas as canvas_module

    rng = np.random.default_rng(11)
    height, width = 301, 257
    alpha = np.zeros((height, width), np.uint8)
    alpha[40:260, 30:220] = 255                                             # an opaque body
    alpha[20:60, 10:240] = rng.integers(0, 256, (40, 230), dtype=np.uint8)  # a soft edge
    alpha[150:153, 5:250] = rng.integers(1, 255, (3, 245), dtype=np.uint8)  # a thin line through it
    alpha[200:230, 100:104] = 0                                             # a narrow hole
    alpha[256:301, 20:200] = 200                                            # a translucent panel
    colour = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    sprite = Image.fromarray(np.dstack([colour, alpha]), "RGBA")
    pieces = canvas_module.cut_into_pieces(sprite)
    assert any(masked for *_, masked in pieces) and any(not masked for *_, masked in pieces)
    assert sum(p.size[0] * p.size[1] for _, _, p, _ in pieces) < 0.9 * width * height, "transparency is skipped"
    background = np.dstack([rng.integers(0, 256, (400, 500, 3), dtype=np.uint8), np.full((400, 500), 255, np.uint8)])
    for clip in [(0, 0, 500, 400), (60, 90, 230, 300), (200, 30, 260, 170)]:
        whole, cut = Canvas((500, 400), background), Canvas((500, 400), background)
        box = canvas_module.intersect(clip, (17, 33, 17 + width, 33 + height))
        part = sprite.crop((box[0] - 17, box[1] - 33, box[2] - 17, box[3] - 33))
        whole.image.paste(part, box[:2], part)
        for left, top, piece, masked in pieces:
            canvas_module._paste(cut, piece, (17 + left, 33 + top), clip, masked)
        assert np.array_equal(whole.array, cut.array), clip


def test_a_sprite_is_cut_on_its_second_paste_and_its_pieces_go_with_it():
    import gc

    from composer.render.canvas import PIECES, blend

    sprite = Image.new("RGBA", (300, 200), (200, 10, 10, 255))
    canvas = Canvas((400, 300), np.zeros((300, 400, 4), np.uint8))
    blend(canvas, (sprite, (5, 5)), (0, 0, 400, 300), True)
    assert PIECES.pieces(sprite) is not None     # the second use cuts it
    before = len(PIECES)
    del sprite
    gc.collect()
    assert len(PIECES) == before - 1


def test_a_sprite_collected_while_its_cache_is_busy_does_not_stall_the_thread():
    """A garbage collection can start inside the piece cache (any allocation may start one) and free a sprite
    kept in a reference cycle: its pieces are then forgotten on the same thread, which must not wait for itself."""
    import gc
    import threading

    from composer.render.canvas import PIECES

    def collect_inside() -> None:
        sprite = Image.new("RGBA", (300, 200), (0, 0, 0, 255))
        PIECES.pieces(sprite)
        cycle: list = [sprite]
        cycle.append(cycle)
        del sprite, cycle
        with PIECES._lock:
            gc.collect()

    worker = threading.Thread(target=collect_inside, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "the thread waits for a lock it holds"
