"""Framing a presenter like a camera: where a HUMAN layer's box puts the avatar rig, and what of it shows.

The one rule, used by the compositor (final frames and thumbnails) and, transcribed line for line in
static/composer/editor/framing.js, by the editor (tests/render/test_framing.py checks both agree).

The box is a camera frame in layout pixels. The figure's *shot* is the rig's rest pose from a little above the
head (HEADROOM) down to the rig's own cut line (where its default placement meets the frame's bottom edge, e.g.
the waist), as wide as the body plus SIDE_ROOM on each side.

* The shot is scaled to fit the box: height-driven when the box is wider than the shot (the figure fills the
  box's height, centred, free space at the sides), width-driven when the box is narrower.
* The figure is bottom-anchored: the box's lower edge is a camera edge. A box taller than the shot shows more
  of the body downward, as far as the art reaches under every pose; beyond that the extra height becomes
  headroom. The art's own end therefore never shows inside the box.
* Whatever of the rig lies below the box's lower edge is clipped there, so the figure ends exactly at that edge.
  The sides and the top are not clipped: a gesture may reach past them, as the figure's background is the
  scene itself.
* The figure's box (what the editor selects) is the shot's width centred in the box, from the top of the
  headroom to the box's lower edge. Framing the figure's box gives the same picture (the rule is idempotent),
  so the editor can write it back as the layer's box.
* A layer without a full size keeps the older meaning (the rig canvas placed at its top-left at the scale its
  width or height gives, the rig's default placement when it says nothing) and is shown as the rig's own shot
  at that placement: clipped at the rig's cut line.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

Box = tuple[float, float, float, float]   # x, y, width, height

HEADROOM = 0.08    # above the head top, as a share of the head-top-to-cut height
SIDE_ROOM = 0.08   # at each side of the body, as a share of the body's width


@dataclass(frozen=True)
class FigureMetrics:
    """The figure on its rig canvas (rig pixels, rest pose), and the rig's own placement."""
    canvas: tuple[int, int]                     # the rig's size
    layout: tuple[int, int]                     # the rig's layout
    default_box: tuple[int, int, int, int]      # where the whole canvas sits in that layout by default
    top: float                                  # the head's top (highest opaque row)
    cut: float                                  # the default cut line (the layout's bottom under default_box)
    bottom: float                               # the lowest row the art covers under every pose
    left: float                                 # the body's extent at rest
    right: float

    def as_json(self) -> dict:
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}


@dataclass(frozen=True)
class Framing:
    """Where the rig canvas goes and what of it shows, in layout pixels."""
    scale: float                     # layout pixels per rig pixel
    offset: tuple[float, float]      # the rig canvas's top-left
    clip: Box                        # the visible part of the placed canvas (cut at the box's lower edge)
    figure: Box                      # the figure's box (the editor's selection)


def shot(figure: FigureMetrics) -> tuple[float, float, float]:
    """The rest shot in rig pixels: its top row, its height (down to the cut line) and its width."""
    shot_top = figure.top - HEADROOM * (figure.cut - figure.top)
    width = (figure.right - figure.left) * (1 + 2 * SIDE_ROOM)
    return shot_top, figure.cut - shot_top, width


def frame_figure(box: Box, figure: FigureMetrics) -> Framing:
    """The camera rule (see the module docstring): a box in layout pixels -> scale, offset, clip, figure box."""
    x, y, w, h = box
    shot_top, shot_height, shot_width = shot(figure)
    scale = min(h / shot_height, w / shot_width)
    # The lowest rig row at the box's lower edge: the shot's, or deeper for a tall box while the art lasts.
    lowest = min(shot_top + h / scale, max(figure.bottom, figure.cut))
    left = x + w / 2 - (figure.left + figure.right) / 2 * scale
    top = y + h - lowest * scale
    canvas_w, canvas_h = figure.canvas[0] * scale, figure.canvas[1] * scale
    clip = (left, top, canvas_w, min(top + canvas_h, y + h) - top)
    figure_top = max(y, top + shot_top * scale)
    figure_w = min(w, shot_width * scale)
    return Framing(scale, (left, top), clip, (x + (w - figure_w) / 2, figure_top, figure_w, y + h - figure_top))


def box_for_canvas(left: float, top: float, scale: float, figure: FigureMetrics) -> Box:
    """The box whose framing is the rig canvas at (left, top) and `scale`, clipped at the rig's cut line."""
    shot_top, shot_height, shot_width = shot(figure)
    centre = (figure.left + figure.right) / 2
    return (left + (centre - shot_width / 2) * scale, top + shot_top * scale, shot_width * scale,
            shot_height * scale)


# The camera box a presenter gets in the orientation it was not drawn for, as shares of the layout: a landscape
# frame shows it at the right third, like the landscape presenters' own placement; a portrait frame fills its
# lower part, like the portrait presenters'. Keeping the rig's relative size instead would leave a landscape
# presenter a small figure in the corner of a portrait video.
OTHER_ORIENTATION_BOX = {"landscape": (0.55, 0.12, 0.40, 0.88), "portrait": (0.08, 0.36, 0.84, 0.64)}


def orientation(size: tuple[int, int]) -> str:
    return "portrait" if size[1] > size[0] else "landscape"


def default_box(figure: FigureMetrics, layout: tuple[int, int]) -> Box:
    """The implicit avatar's camera box in `layout`: the rig's own default shot in its orientation, the standard
    presenter shot of the other orientation otherwise."""
    if orientation(layout) == orientation(figure.layout):
        return box_for_canvas(*default_canvas(figure, layout), figure)
    fx, fy, fw, fh = OTHER_ORIENTATION_BOX[orientation(layout)]
    return fx * layout[0], fy * layout[1], fw * layout[0], fh * layout[1]


def default_canvas(figure: FigureMetrics, layout: tuple[int, int]) -> tuple[float, float, float]:
    """The rig's default placement (left, top, scale) in `layout`: its default_box in its own orientation (kept
    in relative size and bottom edge for another size of it), the framing of default_box() in the other."""
    if orientation(layout) != orientation(figure.layout):
        framing = frame_figure(default_box(figure, layout), figure)
        return framing.offset[0], framing.offset[1], framing.scale
    dx, dy, box_w, _ = figure.default_box
    rig_w, rig_h = figure.layout
    if tuple(layout) != tuple(figure.layout):
        ratio = min(layout[0] / rig_w, layout[1] / rig_h)
        dx = (layout[0] - box_w * ratio) / 2 + (dx + box_w / 2 - rig_w / 2) * ratio
        dy = layout[1] - (rig_h - dy) * ratio
        box_w = box_w * ratio
    return dx, dy, box_w / figure.canvas[0]


def human_box(layer: dict | None, figure: FigureMetrics, layout: tuple[int, int]) -> Box:
    """A HUMAN layer's camera box in layout pixels (the implicit avatar when `layer` is None).

    position + width + height: that box. Without a position the box keeps the default shot's bottom centre.
    Only width or only height, or no size: the older meaning, the rig canvas at the scale that side gives (the
    default scale otherwise) with its top-left at the position (the default placement otherwise).
    """
    position = (layer or {}).get("position") or {}
    size = (layer or {}).get("size") or {}
    width, height = size.get("width"), size.get("height")
    if width and height:
        if "dx" in position:
            return position["dx"], position["dy"], width, height
        x, y, w, h = default_box(figure, layout)
        return x + (w - width) / 2, y + h - height, width, height
    if not width and not height and "dx" not in position:
        return default_box(figure, layout)
    left, top, scale = default_canvas(figure, layout)
    if "dx" in position:
        left, top = position["dx"], position["dy"]
    if width:
        scale = width / figure.canvas[0]
    elif height:
        scale = height / figure.canvas[1]
    return box_for_canvas(left, top, scale, figure)
