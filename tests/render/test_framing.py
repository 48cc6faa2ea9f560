"""Framing a presenter like a camera (composer.spec.framing), judged on rendered pixels: the figure stands on
its box's lower edge, fills the box's height, shows no cut inside the box, and the editor's transcription of the
rule (static/composer/editor/framing.js) gives the same figure box."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from composer.render.avatar import BUILTIN_RIGS, open_rig
from composer.render.compositor import figure_metrics
from composer.render.pipeline import render_preview
from composer.spec.framing import box_for_canvas, frame_figure, human_box
from tests.support.render import FileResolver, spec

ROOT = Path(__file__).resolve().parents[2]
FRAMING_JS = ROOT / "static" / "composer" / "editor" / "framing.js"
MODELS = {"avatar-maya": BUILTIN_RIGS[0]["path"], "avatar-leo": BUILTIN_RIGS[1]["path"]}
SHOTS = {
    # The MetaStudio reference's own example, and two portrait boxes: full width, and narrow and tall.
    "reference": ((1920, 1080), (656, 0, 607, 1080)),
    "portrait-wide": ((1080, 1920), (0, 640, 1080, 1280)),
    "portrait-narrow": ((1080, 1920), (300, 900, 480, 1020)),
}
OPAQUE = 128


def human(box, **extra) -> dict:
    x, y, w, h = box
    return {"layer_type": "HUMAN", "position": {"dx": x, "dy": y, "layer_index": 1},
            "size": {"width": w, "height": h}, **extra}


KEY = (0, 255, 0)   # a keying green: no presenter wears it, so the figure is every pixel far from it


def figure_alpha(image) -> np.ndarray:
    """The figure's coverage of a frame rendered over KEY: 255 where a pixel is mostly figure."""
    distance = np.abs(np.asarray(image.convert("RGB"), dtype=np.int16) - np.array(KEY)).max(axis=2)
    return np.where(distance > 90, 255, 0).astype(np.uint8)


def keyed(frame: tuple[int, int], model: str, layers=None) -> dict:
    background = [{"background_type": "COLOR", "background_color_config": "#00FF00"}]
    return spec(width=frame[0], height=frame[1], model=model, background=background, layers=layers)


def render_alpha(model: str, frame: tuple[int, int], layer: dict, t: float = 0.5) -> np.ndarray:
    """One frame at full size over the keying green: the figure's coverage."""
    image = render_preview(keyed(frame, model, [layer]), 0, t, FileResolver(), max_width=frame[0])
    assert image.size == frame
    return figure_alpha(image)


def rows_of(alpha: np.ndarray) -> np.ndarray:
    return np.flatnonzero((alpha >= OPAQUE).any(axis=1))


@pytest.fixture(scope="module", params=sorted(SHOTS))
def shot(request):
    return request.param


@pytest.fixture(scope="module", params=sorted(MODELS))
def rendered(request, shot):
    model = request.param
    frame, box = SHOTS[shot]
    return model, frame, box, render_alpha(model, frame, human(box))


def test_it_stands_on_the_box_lower_edge(rendered):
    _, frame, (x, y, w, h), alpha = rendered
    rows = rows_of(alpha)
    bottom = min(y + h, frame[1])
    assert abs((rows[-1] + 1) - bottom) <= 2, f"the figure ends at row {rows[-1] + 1}, the box at {bottom}"
    # The box's lower edge clips the rig: nothing of it shows below.
    assert not (alpha[y + h:] >= OPAQUE).any()
    # At its lower edge the figure is a body, not a sliver: wide coverage in the box's last row.
    assert (alpha[bottom - 1, x:x + w] >= OPAQUE).sum() >= 0.3 * w


def test_it_fills_the_box_height(rendered):
    _, _, (x, y, w, h), alpha = rendered
    head_top = rows_of(alpha)[0]
    assert y <= head_top <= y + 0.2 * h, f"head top at {head_top - y} px into a {h} px box"


def test_it_shows_no_cut_inside_the_box(rendered):
    """No row where the figure's coverage drops from wide to nothing above the box's lower edge."""
    _, frame, (x, y, w, h), alpha = rendered
    coverage = (alpha[y:min(y + h, frame[1]), max(0, x):x + w] >= OPAQUE).sum(axis=1)
    wide = 0.25 * coverage.max()
    for row in range(len(coverage) - 1):
        assert not (coverage[row] >= wide and coverage[row + 1:row + 4].max() == 0), \
            f"a horizontal cut at row {y + row} inside the box {y}..{y + h}"


def test_it_stays_in_its_figure_box(rendered):
    """At rest the rendered figure lies inside the figure box the editor selects."""
    model, _, box, alpha = rendered
    fx, fy, fw, fh = frame_figure(box, figure_metrics(open_rig(MODELS[model]))).figure
    rows = rows_of(alpha)
    columns = np.flatnonzero((alpha >= OPAQUE).any(axis=0))
    assert fx - 2 <= columns[0] and columns[-1] + 1 <= fx + fw + 2
    assert fy - 2 <= rows[0] and rows[-1] + 1 <= fy + fh + 2


@pytest.mark.parametrize("model", sorted(MODELS))
def test_it_keeps_the_rig_default_placement(model):
    """The implicit avatar and a width-only layer (the older meaning) still show the rig's own shot."""
    rig = open_rig(MODELS[model])
    figure = figure_metrics(rig)
    framing = frame_figure(human_box(None, figure, rig.layout), figure)
    dx, dy, box_w, _ = rig.default_box
    assert framing.scale == pytest.approx(box_w / rig.size[0])
    assert framing.offset == pytest.approx((dx, dy))
    # The default cut line is the layout's bottom edge.
    assert framing.clip[1] + framing.clip[3] == pytest.approx(rig.layout[1])
    legacy = {"position": {"dx": 100, "dy": 50}, "size": {"width": 800}}
    framing = frame_figure(human_box(legacy, figure, rig.layout), figure)
    assert framing.scale == pytest.approx(800 / rig.size[0])
    assert framing.offset == pytest.approx((100, 50))


BOXES = [(656, 0, 607, 1080), (0, 640, 1080, 1280), (300, 900, 480, 1020), (0, 0, 1920, 1080), (10, 20, 200, 1900),
         (-300, 500, 900, 300), (1100, 80, 720, 1000), (90, 520, 900, 1400), (5.5, 7.25, 333.3, 777.7)]


@pytest.mark.parametrize("model", sorted(MODELS))
def test_framing_the_figure_box_gives_the_same_picture(model):
    """The editor writes the figure box back as the layer's box: the rule must be idempotent."""
    figure = figure_metrics(open_rig(MODELS[model]))
    for box in BOXES:
        first = frame_figure(box, figure)
        again = frame_figure(first.figure, figure)
        assert again.scale == pytest.approx(first.scale)
        assert again.offset == pytest.approx(first.offset)
        assert again.clip == pytest.approx(first.clip)
        assert again.figure == pytest.approx(first.figure)


LAYERS = [None, {"position": {"dx": 656, "dy": 0}, "size": {"width": 607, "height": 1080}},
          {"position": {"dx": 100, "dy": 50}, "size": {"width": 800}}, {"size": {"height": 900}},
          {"position": {"dx": -40, "dy": 300}}, {"size": {"width": 500, "height": 700}}]


def test_the_editor_transcription_gives_identical_results(tmp_path):
    """framing.js (what the editor selects and draws) against composer.spec.framing, on a table of boxes and
    layers for both rigs in both layouts."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run the editor's framing.js")
    figures = {model: figure_metrics(open_rig(path)) for model, path in MODELS.items()}
    module = tmp_path / "framing.mjs"
    module.write_text(FRAMING_JS.read_text())
    cases = {"figures": {m: f.as_json() for m, f in figures.items()}, "boxes": BOXES, "layers": LAYERS,
             "layouts": [[1920, 1080], [1080, 1920]]}
    script = (f"import * as f from {json.dumps(str(module))};\n"
              f"const c = {json.dumps(cases)};\n"
              "const out = {};\n"
              "for (const [m, fig] of Object.entries(c.figures)) {\n"
              "  out[m] = { frames: c.boxes.map((b) => f.frameFigure(b, fig)),\n"
              "             boxes: c.layouts.map((l) => c.layers.map((layer) => f.humanBox(layer, fig, l))),\n"
              "             canvas: f.boxForCanvas(12.5, -40, 0.77, fig) };\n"
              "}\n"
              "console.log(JSON.stringify(out));\n")
    result = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60,
                            check=True)
    answer = json.loads(result.stdout)
    for model, figure in figures.items():
        for box, js in zip(BOXES, answer[model]["frames"], strict=True):
            framing = frame_figure(box, figure)
            assert js["scale"] == framing.scale
            assert tuple(js["offset"]) == framing.offset
            assert tuple(js["clip"]) == framing.clip
            assert tuple(js["figure"]) == framing.figure, (model, box)
        for layout, row in zip(cases["layouts"], answer[model]["boxes"], strict=True):
            for layer, js in zip(LAYERS, row, strict=True):
                assert tuple(js) == human_box(layer, figure, tuple(layout)), (model, layout, layer)
        assert tuple(answer[model]["canvas"]) == box_for_canvas(12.5, -40, 0.77, figure)


def test_the_editor_page_carries_each_rig_figure():
    from composer.assets.rigs import rig_facts

    for path in MODELS.values():
        info = rig_facts(path)
        assert info["figure"] == figure_metrics(open_rig(path)).as_json()


@pytest.mark.parametrize("model", sorted(MODELS))
def test_a_turned_avatar_is_cut_before_it_turns(model):
    """Upside down (180 degrees about the figure box's centre) the cut edge is the figure box's top: nothing
    shows above it, and the body reaches it wide."""
    frame, box = SHOTS["portrait-narrow"]
    alpha = render_alpha(model, frame, human(box, rotation={"angle": 180}))
    _, fy, _, _ = frame_figure(box, figure_metrics(open_rig(MODELS[model]))).figure
    rows = rows_of(alpha)
    assert abs(rows[0] - fy) <= 2, f"the turned figure starts at row {rows[0]}, its cut edge is at {fy:.0f}"
    assert (alpha[rows[0] + 1] >= OPAQUE).sum() >= 0.3 * box[2]


@pytest.mark.parametrize("rig", BUILTIN_RIGS, ids=lambda rig: rig["asset_id"])
def test_every_presenter_is_a_full_shot_in_the_orientation_it_was_not_drawn_for(rig):
    """No HUMAN layer: a landscape presenter in a portrait video (and the other way round) stands on the frame's
    bottom edge at the size of that orientation's own presenters, not as a small figure in a corner."""
    frame = (1080, 1920) if rig["orientation"] == "landscape" else (1920, 1080)
    alpha = figure_alpha(render_preview(keyed(frame, rig["asset_id"]), 0, 0.5, FileResolver(), max_width=frame[0]))
    rows = rows_of(alpha)
    columns = np.flatnonzero((alpha >= OPAQUE).any(axis=0))
    assert rows.max() >= frame[1] - 2                                # standing on the frame's bottom edge
    assert rows.max() - rows.min() >= 0.5 * frame[1]                 # at least half the frame's height
    assert rows.min() >= 0.05 * frame[1]                             # with the head inside the frame
    if frame[0] > frame[1]:
        assert columns.mean() > frame[0] / 2                         # at the right third, as landscape shots are
    else:
        assert abs(columns.mean() - frame[0] / 2) < 0.1 * frame[0]   # centred in a portrait frame
