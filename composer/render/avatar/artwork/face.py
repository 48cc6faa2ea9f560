"""The presenters' faces: head with ears and a nose made of shading, eyes (open, half, closed), brows, and the
nine Preston Blair mouth shapes. Light comes from the upper left; a cool rim light catches the right edge."""
from __future__ import annotations

from PIL import Image

from composer.render.avatar.artwork import extras
from composer.render.avatar.artwork.canvas import Layer, bezier, chain, ribbon, smooth
from composer.render.avatar.artwork.skeleton import CX, EYE_DX, EYE_Y, MOUTH
from composer.render.avatar.artwork.styles import Style

HEAD_BOX = (CX - 170, 120, CX + 170, 560)
FACE_BOX = (CX - 140, 150, CX + 140, 540)


def face_outline(style: Style) -> list[tuple[float, float]]:
    """The face's silhouette; Leo's jaw is a little wider and squarer."""
    jaw = style.jaw
    half = [(0, 180), (66, 190), (110, 226), (126, 290), (126, 352), (118 + jaw * 0.5, 404),
            (98 + jaw, 452), (60 + jaw, 490), (0, 510)]
    right = [(CX + dx, y) for dx, y in half]
    left = [(CX - dx, y) for dx, y in reversed(half[1:-1])]
    return smooth(right + left, steps=10)


def head(style: Style) -> Image.Image:
    """Face and ears without eyes, brows, mouth or hair (those are their own layers)."""
    layer = Layer(HEAD_BOX, style.unit, style.supersample)
    for side in (-1, 1):
        ear_x = CX + side * 124
        ear = layer.oval((ear_x - 17, 322, ear_x + 17, 402), style.skin)
        layer.shade(ear, -side * 8, 0, style.skin_shade, 200, 3)
        layer.oval((ear_x - 7 + side * 2, 336, ear_x + 7 + side * 2, 388), style.skin_deep, alpha=110, blur=3)
    face = layer.poly(face_outline(style))
    layer.paint(face, style.skin)
    layer.gradient(face, (CX - 60, 190), (CX + 40, 360), style.skin_light, style.skin, alpha=200)
    # Form: the far (right) side turns away from the light; the jaw and chin are underlit.
    layer.shade(face, -34, 0, style.skin_shade, 170, 16)
    layer.shade(face, 16, 0, style.skin_shade, 70, 10)
    layer.shade(face, 0, -26, style.skin_shade, 110, 12)
    layer.shade(face, -3, 0, style.rim, 110, 1.5)
    # Eye sockets, cheekbones and blush.
    for side in (-1, 1):
        ex = CX + side * EYE_DX
        layer.oval((ex - 36, EYE_Y - 30, ex + 36, EYE_Y + 16), style.skin_shade, alpha=60, blur=9, clip=face)
        layer.oval((ex - 30 + side * 10, 392, ex + 30 + side * 10, 428), style.blush, alpha=75, blur=12, clip=face)
    layer.oval((CX - 92, 362, CX - 40, 392), style.skin_light, alpha=110, blur=9, clip=face)
    # Nose, by shading only: the shadowed side of the bridge, the wing, the soft shadow under the tip,
    # nostrils, and a highlight on the bridge and tip.
    layer.fill(chain(bezier((CX + 4, 350), (CX + 12, 370), (CX + 16, 392), (CX + 18, 408)),
                     bezier((CX + 18, 408), (CX + 12, 412), (CX + 8, 408), (CX + 6, 404)),
                     bezier((CX + 6, 404), (CX + 6, 390), (CX + 2, 370), (CX - 4, 350))),
               style.skin_shade, alpha=150, blur=5, clip=face)
    layer.oval((CX - 20, 402, CX + 22, 424), style.skin_shade, alpha=150, blur=4, clip=face)
    layer.oval((CX + 12, 398, CX + 28, 418), style.skin_shade, alpha=150, blur=3, clip=face)
    layer.oval((CX - 26, 400, CX - 12, 416), style.skin_shade, alpha=90, blur=3, clip=face)
    for side in (-1, 1):
        layer.oval((CX + side * 10 - 5, 410, CX + side * 10 + 5, 417), style.skin_deep, alpha=150, blur=1.5)
    layer.oval((CX - 8, 356, CX + 1, 394), style.skin_light, alpha=150, blur=4, clip=face)
    layer.oval((CX - 8, 396, CX + 4, 406), "#FFFFFF", alpha=70, blur=2.5, clip=face)
    # Philtrum and chin.
    layer.oval((CX - 7, 422, CX + 7, 436), style.skin_shade, alpha=60, blur=3, clip=face)
    layer.oval((CX - 22, 476, CX + 18, 496), style.skin_light, alpha=90, blur=6, clip=face)
    if style.beard == "stubble":
        # A clean-shaven man's jaw carries a faint cool shadow of stubble.
        jaw = layer.minus(face, layer.poly([(CX - 140, 150), (CX + 140, 150), (CX + 140, 420), (CX + 60, 434),
                                            (CX, 440), (CX - 60, 434), (CX - 140, 420)]))
        layer.paint(jaw, "#5E4A45", alpha=45, blur=10, clip=face)
    if style.age == "older":
        extras.age_lines(layer, style, face)
    if style.beard == "short":
        extras.beard(layer, style, face)
    return layer.done()


def _eye_outline(ex: float, side: int) -> tuple[list, list, tuple, tuple]:
    """Upper and lower lid curves of one eye (side -1 is the viewer-left eye), inner to outer corner."""
    inner = (ex - side * 28, EYE_Y + 3)
    outer = (ex + side * 30, EYE_Y - 3)
    upper = bezier(inner, (ex - side * 15, EYE_Y - 17), (ex + side * 14, EYE_Y - 20), outer, 20)
    lower = bezier(outer, (ex + side * 15, EYE_Y + 14), (ex - side * 13, EYE_Y + 15), inner, 20)
    return upper, lower, inner, outer


def eyes(style: Style, state: str) -> Image.Image:
    """Both eyes: "open", "half" (mid-blink) or "closed"."""
    layer = Layer(FACE_BOX, style.unit, style.supersample)
    for side in (-1, 1):
        ex = CX + side * EYE_DX
        upper, lower, inner, outer = _eye_outline(ex, side)
        crease = bezier((ex - side * 24, EYE_Y - 17), (ex - side * 8, EYE_Y - 31), (ex + side * 16, EYE_Y - 32),
                        (ex + side * 31, EYE_Y - 14), 16)
        if style.lashes:
            # Soft eyeshadow on the lid, deepest at the outer corner.
            lid_area = layer.poly(upper + crease[::-1])
            layer.paint(lid_area, "#A8705F", alpha=70, blur=4)
            layer.oval((ex + side * 10 - 14, EYE_Y - 30, ex + side * 10 + 14, EYE_Y - 8), "#8E5A4C", alpha=60, blur=5)
        if state == "closed":
            lid = bezier(inner, (ex - side * 12, EYE_Y + 9), (ex + side * 12, EYE_Y + 8), outer, 20)
            layer.fill(upper + lid[::-1], style.skin)
            layer.stroke(lid, style.lash, 4.2, taper=True)
            layer.stroke(crease, style.skin_deep, 2.0, alpha=110, taper=True)
            if style.lashes:
                ox, oy = lid[-1]
                layer.stroke([(ox - side * 6, oy + 2), (ox + side * 4, oy - 1), (ox + side * 9, oy - 5)], style.lash, 2.6,
                             taper=True)
            continue
        white = layer.poly(upper + lower)
        layer.paint(white, "#FBF7F3")
        layer.shade(white, 0, 7, "#C9B4AA", 170, 3)     # the lid's shadow on the eyeball
        iris_box = (ex - 16, EYE_Y - 18, ex + 16, EYE_Y + 14)
        iris = layer.both(layer.ellipse(iris_box), white)
        layer.paint(iris, style.iris)
        layer.gradient(iris, (ex, EYE_Y + 10), (ex, EYE_Y - 8), style.iris_light, style.iris)
        layer.paint(layer.minus(layer.ellipse(iris_box), layer.ellipse((ex - 14, EYE_Y - 16, ex + 14, EYE_Y + 12))),
                    style.lash, alpha=150, clip=white)
        layer.oval((ex - 7.5, EYE_Y - 9.5, ex + 7.5, EYE_Y + 5.5), "#120B08", clip=white)
        layer.paint(layer.ellipse((ex - 16, EYE_Y - 20, ex + 16, EYE_Y - 4)), "#000000", alpha=80, blur=2, clip=iris)
        layer.oval((ex - 9, EYE_Y - 11, ex - 1, EYE_Y - 3), "#FFFFFF", alpha=245)
        layer.oval((ex + 4, EYE_Y + 2, ex + 8, EYE_Y + 6), "#FFFFFF", alpha=150)
        if state == "half":
            lid_line = bezier(inner, (ex - side * 12, EYE_Y - 3), (ex + side * 12, EYE_Y - 5), outer, 20)
            lid = layer.fill(upper + lid_line[::-1], style.skin)
            layer.gradient(lid, (ex, EYE_Y - 16), (ex, EYE_Y), style.skin, style.skin_shade)
            upper = lid_line
        layer.stroke(upper, style.lash, 4.6, taper=False)
        layer.stroke(upper[10:], style.lash, 6.0, taper=True)
        layer.stroke(lower[4:18], style.skin_deep, 1.6, alpha=120, taper=True)
        layer.stroke(crease, style.skin_deep, 2.0, alpha=100, taper=True)
        if style.lashes:
            ox, oy = upper[-1]
            layer.fill(chain(bezier(upper[14], (ox - side * 4, oy - 6), (ox + side * 4, oy - 8), (ox + side * 10, oy - 11)),
                             bezier((ox + side * 10, oy - 11), (ox + side * 6, oy - 4), (ox + side * 2, oy + 1), (ox, oy + 1.5))),
                       style.lash)
    return layer.done()


def brows(style: Style) -> Image.Image:
    layer = Layer(FACE_BOX, style.unit, style.supersample)
    for side in (-1, 1):
        ex = CX + side * EYE_DX
        arch = -4 if style.lashes else 0
        centre = bezier((ex - side * 30, 312), (ex - side * 10, 300 + arch), (ex + side * 12, 296 + arch),
                        (ex + side * 34, 308), 20)
        mask = layer.fill(ribbon(centre, style.brow_width * 1.15, style.brow_width, style.brow_width * 0.35),
                          style.brow)
        layer.gradient(mask, (ex - side * 30, 300), (ex + side * 34, 300), style.brow, style.hair_light, alpha=90)
    return layer.done()


# Mouth shapes: half width, opening, upper and lower lip thickness, roundness (0 wide .. 1 round), corner lift,
# and what shows inside.
MOUTHS = {
    "X": dict(w=33, h=0, tu=7.5, tl=10.0, r=0.0, lift=4.5),
    "A": dict(w=28, h=0, tu=4.0, tl=5.0, r=0.0, lift=1.5),
    "B": dict(w=32, h=10, tu=7.0, tl=9.0, r=0.1, lift=2.5, teeth=("upper", "lower")),
    "C": dict(w=33, h=22, tu=6.5, tl=9.0, r=0.3, lift=0.5, teeth=("upper",), tongue=0.45),
    "D": dict(w=34, h=40, tu=6.0, tl=8.5, r=0.45, lift=0.0, teeth=("upper", "lower"), tongue=0.6),
    "E": dict(w=24, h=28, tu=7.5, tl=9.5, r=0.8, lift=-1.0, teeth=("upper",), tongue=0.4),
    "F": dict(w=16, h=11, tu=9.5, tl=11.0, r=1.0, lift=-1.0),
    "G": dict(w=31, h=5, tu=7.0, tl=6.0, r=0.1, lift=0.5, teeth=("bite",)),
    "H": dict(w=31, h=26, tu=6.5, tl=9.0, r=0.35, lift=0.5, teeth=("upper",), tongue_up=True),
}


def mouth(style: Style, shape: str) -> Image.Image:
    """One of the Preston Blair shapes A-H and X."""
    p = MOUTHS[shape]
    layer = Layer((CX - 80, 380, CX + 80, 530), style.unit, style.supersample)
    cx, cy = MOUTH
    w, h, tu, tl, r = p["w"], p["h"], p["tu"], p["tl"], p["r"]
    top, bottom = cy - h * 0.3, cy + h * 0.7
    left, right = (cx - w, cy - p["lift"]), (cx + w, cy - p["lift"])
    k = 0.55 + 0.35 * r
    inner_top = bezier(left, (cx - w * k, top), (cx + w * k, top), right, 24)
    inner_bottom = bezier(right, (cx + w * k, bottom), (cx - w * k, bottom), left, 24)
    outer_l, outer_r = (left[0] - 3, left[1] + 0.5), (right[0] + 3, right[1] + 0.5)
    bow, peak = tu * 0.4, min(9.0, w * 0.38)
    upper = chain(bezier(outer_l, (cx - w * 0.7, top - tu * 0.5), (cx - peak - 4, top - tu - 1), (cx - peak, top - tu)),
                  bezier((cx - peak, top - tu), (cx - peak * 0.5, top - tu), (cx - 2, top - tu + bow), (cx, top - tu + bow)),
                  bezier((cx, top - tu + bow), (cx + 2, top - tu + bow), (cx + peak * 0.5, top - tu), (cx + peak, top - tu)),
                  bezier((cx + peak, top - tu), (cx + peak + 4, top - tu - 1), (cx + w * 0.7, top - tu * 0.5), outer_r))
    lower = bezier(outer_r, (cx + w * 0.75, bottom + tl + 2), (cx - w * 0.75, bottom + tl + 2), outer_l, 24)
    # A soft shadow under the lower lip falls on the chin.
    layer.oval((cx - w * 0.6, bottom + tl - 2, cx + w * 0.6, bottom + tl + 12), style.skin_shade, alpha=120, blur=4)
    lips = layer.fill(upper + lower, style.lips)
    upper_lip = layer.both(lips, layer.poly(upper + inner_top[::-1]))
    layer.paint(upper_lip, style.lips_upper)
    layer.shade(lips, 0, -3, style.lips_upper, 120, 1.5)
    layer.oval((cx - w * 0.45, bottom + tl * 0.15, cx + w * 0.3, bottom + tl * 0.75), style.lips_light,
               alpha=170, blur=2.5, clip=lips)
    if h <= 0:
        layer.stroke(inner_top, style.lips_upper, 3.0, taper=True)
        layer.stroke(inner_top[3:-3], "#5A2A2C", 1.8, taper=True)
    else:
        opening = layer.poly(inner_top + inner_bottom)
        layer.paint(opening, "#4B1D21")
        layer.gradient(opening, (cx, top), (cx, bottom), "#3A1417", "#6D2C31")
        teeth = p.get("teeth", ())
        if "upper" in teeth:
            band = layer.poly([(cx - w - 4, top - 6), (cx + w + 4, top - 6), (cx + w + 4, top + min(9, h * 0.42)),
                               (cx, top + min(10.5, h * 0.48)), (cx - w - 4, top + min(9, h * 0.42))])
            upper_teeth = layer.both(band, opening)
            layer.paint(upper_teeth, "#FAF6EF")
            layer.shade(upper_teeth, 0, 4, "#D9CCC2", 150, 2.0)
        if "lower" in teeth:
            band = layer.poly([(cx - w * 0.8, bottom + 6), (cx + w * 0.8, bottom + 6),
                               (cx + w * 0.8, bottom - min(6, h * 0.3)), (cx - w * 0.8, bottom - min(6, h * 0.3))])
            lower_teeth = layer.both(band, opening)
            layer.paint(lower_teeth, "#EEE7DD")
        if p.get("tongue"):
            tongue = layer.both(layer.ellipse((cx - w * 0.75, bottom - h * p["tongue"], cx + w * 0.75,
                                               bottom + h * 0.5)), opening)
            layer.paint(tongue, "#C0606A")
            layer.gradient(tongue, (cx, bottom - h * p["tongue"]), (cx, bottom), "#D77F86", "#A84E58")
        if p.get("tongue_up"):
            tongue = layer.both(layer.ellipse((cx - 13, top + 4, cx + 13, bottom + 10)), opening)
            layer.paint(tongue, "#C8666F")
            layer.gradient(tongue, (cx, top + 4), (cx, bottom), "#DA858B", "#A9505A")
        if "bite" in teeth:
            # F and V: the upper teeth rest on the tucked-in lower lip.
            bite = layer.fill(smooth([(cx - w * 0.62, cy - 1), (cx, cy - 2), (cx + w * 0.62, cy - 1),
                                      (cx + w * 0.56, cy + 4.5), (cx, cy + 5.5), (cx - w * 0.56, cy + 4.5)], 8),
                              "#FAF6EF")
            layer.shade(bite, 0, 2.5, "#D9CCC2", 150, 1.5)
        layer.shade(opening, 0, 3, "#2A0E10", 140, 1.5)
    for corner, side in ((left, -1), (right, 1)):
        layer.oval((corner[0] - 4 + side * 2, corner[1] - 3, corner[0] + 4 + side * 2, corner[1] + 3),
                   style.skin_deep, alpha=110, blur=2)
        if p["lift"] >= 4:
            # A resting smile: the corners tuck up into soft dimples.
            layer.stroke(bezier((corner[0] - side * 2, corner[1] + 1), (corner[0] + side * 4, corner[1] - 1),
                                (corner[0] + side * 6, corner[1] - 4), (corner[0] + side * 6, corner[1] - 8), 8),
                         style.skin_deep, 2.0, taper=True, alpha=120, blur=0.8)
    return layer.done()
