"""Styled text layers (box, shadow, alignment, weight) in a rendered video, judged on decoded pixels."""
from __future__ import annotations

import av
import numpy as np

from composer.render import render
from tests.support.render import b64, spec


def text_layer(text: str, dx: int, dy: int, index: int, width: int | None = None, **style) -> dict:
    layer = {"layer_type": "TEXT", "position": {"dx": dx, "dy": dy, "layer_index": index},
             "text_config": {"text_context": b64(text), **style}}
    if width:
        layer["size"] = {"width": width}
    return layer


def bbox(mask: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(mask)
    assert xs.size, "nothing of that colour was drawn"
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def test_a_styled_text_layer_is_drawn_as_styled(tmp_path, resolver):
    layers = [
        # Bold, centred, on a dark blue box with 20 px padding.
        text_layer("Hi", 40, 40, 2, 600, font_size=40, font_color="#FFFF00", font_weight="BOLD",
                   text_align="CENTER", box_color="#1E3A8A", box_padding=20),
        # A black shadow 12 px right and 8 px down, unblurred.
        text_layer("Hi", 40, 200, 3, font_size=60, font_color="#FF0000", shadow_color="#000000",
                   shadow_offset_x=12, shadow_offset_y=8, shadow_blur=0),
        # Right-aligned in a 600 px wide layer.
        text_layer("Hi", 40, 360, 4, 600, font_size=40, font_color="#00C000", text_align="RIGHT"),
        # The same word regular and bold.
        text_layer("Hello", 700, 40, 5, font_size=60, font_color="#FF00FF", font_weight="REGULAR"),
        text_layer("Hello", 700, 200, 6, font_size=60, font_color="#FF00FF", font_weight="BOLD"),
    ]
    body = spec("Hi.", clip_mode="CROP", width=960, height=540, crop=(0, 0), layers=layers)
    result = render(body, resolver, tmp_path / "styled.mp4")
    with av.open(str(result.output)) as container:
        frame = next(container.decode(video=0)).to_ndarray(format="rgb24").astype(int)
    r, g, b = frame[..., 0], frame[..., 1], frame[..., 2]

    # The box: 600 wide, text height + 2 x 20 padding, blue behind the text (the background is #DDE6F2).
    blue = (r < 70) & (g < 90) & (b > 100) & (b < 170)
    left, top, right, bottom = bbox(blue[:180, :700])
    assert abs(left - 40) <= 2 and abs(top - 40) <= 2 and abs(right - 640) <= 2
    assert abs((bottom - top) - round(40 * 1.3 + 40)) <= 3
    yellow = (r > 180) & (g > 180) & (b < 90)
    y_left, y_top, y_right, y_bottom = bbox(yellow[:180, :700])
    assert abs((y_left + y_right) / 2 - 340) <= 4, (y_left, y_right)          # centred in the 600 px box
    assert top + 20 <= y_top and y_bottom <= bottom - 20                      # inside the padding
    assert blue[top + 5, left + 5] and blue[bottom - 5, right - 5]

    # The shadow: the same letters, 12 px right and 8 px down.
    red = (r > 180) & (g < 80) & (b < 80)
    black = (r < 60) & (g < 60) & (b < 60)
    region = (slice(180, 340), slice(0, 400))
    red_box, shadow_box = bbox(red[region]), bbox(black[region])
    assert abs(shadow_box[0] - red_box[0] - 12) <= 2 and abs(shadow_box[1] - red_box[1] - 8) <= 2
    assert abs(shadow_box[2] - red_box[2] - 12) <= 2 and abs(shadow_box[3] - red_box[3] - 8) <= 2

    # Right-aligned: the letters end at the layer's right edge (640), not its left.
    green = (r < 90) & (g > 140) & (b < 90)
    g_left, _, g_right, _ = bbox(green[340:460, :700])
    assert 620 <= g_right <= 642 and g_left > 500

    # Bold letters cover clearly more pixels than regular ones.
    magenta = (r > 180) & (g < 90) & (b > 180)
    regular, bold = magenta[30:160, 680:960].sum(), magenta[190:320, 680:960].sum()
    assert bold > 1.2 * regular, (regular, bold)
