"""Bodies: neck and torso (Maya's blazer over a blouse, Leo's crew-neck sweater over a shirt), and the arms as
upper arm, forearm and hand, each drawn in its rest pose around its joint so the rig can turn it."""
from __future__ import annotations

from dataclasses import replace

from PIL import Image

from composer.render.avatar.artwork.canvas import (
    DESIGN,
    Layer,
    bezier,
    chain,
    limb_frame,
    mirror,
    smooth,
)
from composer.render.avatar.artwork.skeleton import (
    CX,
    FOREARM,
    HAND,
    UPPER_ARM,
    joints,
    rest_angles,
)
from composer.render.avatar.artwork.styles import Style, mix

TORSO_BOX = (CX - 320, 420, CX + 320, DESIGN[1])
HAND_SCALE = 1.1


def _neck(layer: Layer, style: Style) -> None:
    half = style.neck
    neck = layer.fill(smooth([(CX - half, 430), (CX + half, 430), (CX + half + 2, 550), (CX + half + 24, 606),
                              (CX + half + 30, 660), (CX - half - 30, 660), (CX - half - 24, 606),
                              (CX - half - 2, 550)], 8), style.skin)
    layer.shade(neck, -26, 0, style.skin_shade, 150, 10)
    # The head's shadow on the neck, strongest right under the jaw.
    layer.oval((CX - 90, 400, CX + 100, 540), style.skin_deep, alpha=150, blur=16, clip=neck)
    layer.oval((CX - 30, 560, CX + 30, 610), style.skin_shade, alpha=70, blur=8, clip=neck)


def _silhouette(style: Style) -> list[tuple[float, float]]:
    """Outline of the torso garment, shoulders to the bottom of the canvas."""
    w = style.spread
    collar = style.neck + 16
    # The shoulder rounds off into the sleeve cap (radius 48 about the shoulder joint).
    left = chain(bezier((CX - collar, 588), (CX - 120 - w, 594), (CX - 200 - w, 612), (CX - 232 - w, 640)),
                 bezier((CX - 232 - w, 640), (CX - 246 - w, 656), (CX - 250 - w, 680), (CX - 248 - w, 720)),
                 bezier((CX - 248 - w, 720), (CX - 246 - w, 800), (CX - 240 - w, 900), (CX - 236 - w, 960)),
                 bezier((CX - 236 - w, 960), (CX - 230 - w, 1020), (CX - 226 - w, 1060), (CX - 228 - w, 1100)),
                 [(CX - 228 - w, 1100), (CX - 244 - w, DESIGN[1])])
    return left + mirror(left[::-1], CX)


def _cloth_shading(layer: Layer, style: Style, body: Image.Image) -> None:
    layer.gradient(body, (CX - 220, 600), (CX + 200, 1100), style.cloth_light, style.cloth, alpha=230)
    layer.shade(body, -70, 0, style.cloth_shade, 190, 30)
    layer.shade(body, 0, -40, style.cloth_shade, 80, 20)
    # Folds: soft creases running from the chest to the waist and under the arms.
    for side in (-1, 1):
        crease = bezier((CX + side * 150, 820), (CX + side * 140, 900), (CX + side * 130, 980),
                        (CX + side * 136, 1080), 16)
        layer.stroke(crease, style.cloth_deep, 10, taper=True, alpha=80, blur=6, clip=body)
        layer.stroke([(x - 5, y) for x, y in crease], style.cloth_light, 4, taper=True, alpha=60, blur=3, clip=body)
    layer.shade(body, -4, 0, style.rim, 90, 2)


def _blazer(layer: Layer, style: Style) -> None:
    # Back of the collar, seen behind the neck.
    layer.fill(smooth([(CX - 66, 600), (CX - 58, 552), (CX, 540), (CX + 58, 552), (CX + 66, 600)], 8),
               style.cloth_deep)
    _neck(layer, style)
    body = layer.fill(_silhouette(style), style.cloth)
    _cloth_shading(layer, style, body)
    # Blouse in the opening, with a scooped neckline and a fine gold necklace.
    opening = [(CX - 58, 590), (CX - 30, 740), (CX + 4, 906), (CX + 34, 740), (CX + 58, 590)]
    blouse = layer.fill(smooth(opening, 8, closed=False) + [(CX, 590)], style.shirt)
    layer.fill(chain(bezier((CX - 52, 588), (CX - 40, 626), (CX + 40, 626), (CX + 52, 588))), style.skin)
    layer.gradient(blouse, (CX, 600), (CX, 900), style.shirt, style.shirt_shade)
    layer.oval((CX - 40, 610, CX + 40, 650), style.shirt_shade, alpha=120, blur=8, clip=blouse)
    chain_line = bezier((CX - 46, 590), (CX - 34, 640), (CX + 34, 640), (CX + 46, 590), 30)
    layer.stroke(chain_line, style.accent, 1.8)
    layer.oval((CX - 6, 628, CX + 6, 642), style.accent)
    layer.oval((CX - 3, 630, CX + 1, 635), "#FFF4D6", alpha=200)
    # Lapels: lit faces, a darker roll line, and their shadow on the jacket.
    for side in (-1, 1):
        lapel = [(CX + side * 58, 588), (CX + side * 86, 596), (CX + side * 132, 698), (CX + side * 112, 712),
                 (CX + side * 122, 728), (CX + side * 8 * (side > 0) - side * 2, 900)]
        lapel_mask = layer.poly(lapel)
        layer.paint(layer.minus(layer.shift(lapel_mask, side * 8, 6), lapel_mask), style.cloth_deep, alpha=170,
                    blur=5, clip=body)
        layer.paint(lapel_mask, style.cloth)
        layer.gradient(lapel_mask, (CX + side * 60, 600), (CX + side * 40, 880), style.cloth_light, style.cloth)
        layer.shade(lapel_mask, -side * 8, 0, style.cloth_shade, 150, 3)
        layer.stroke([lapel[4], lapel[5]], style.cloth_deep, 2, alpha=160)
    # Front edges below the button part over the blouse; welt pockets; the button.
    hem = [(CX + 4, 906), (CX - 46, DESIGN[1]), (CX + 66, DESIGN[1])]
    gap = layer.fill(hem, style.shirt_shade)
    layer.paint(layer.poly([(CX - 60, 1150), (CX + 80, 1150), (CX + 80, DESIGN[1]), (CX - 60, DESIGN[1])]),
                "#2B2F3A", clip=gap)
    for side, y in ((-1, 1046), (1, 1046)):
        layer.stroke([(CX + side * 110, y + 6), (CX + side * 196, y - 2)], style.cloth_deep, 3, alpha=180)
    layer.stroke([(CX + 112, 766), (CX + 182, 758)], style.cloth_deep, 3, alpha=160)
    button = layer.oval((CX - 5, 896, CX + 15, 916), style.cloth_deep)
    layer.shade(button, 2, 2, style.cloth_light, 160, 1)


def _sweater(layer: Layer, style: Style) -> None:
    _neck(layer, style)
    body = layer.fill(_silhouette(style), style.cloth)
    # Knit texture: faint vertical ribs.
    for x in range(int(CX - 260), int(CX + 260), 12):
        layer.stroke([(x, 620), (x + 2, DESIGN[1])], style.cloth_deep, 1.6, alpha=26, clip=body)
    _cloth_shading(layer, style, body)
    # Ribbed crew neckline, the open shirt collar lying over it.
    rib_outer = smooth([(CX - 104, 596), (CX - 62, 574), (CX, 578), (CX + 62, 574), (CX + 104, 596),
                        (CX + 62, 650), (CX, 660), (CX - 62, 650)], 10)
    rib_inner = smooth([(CX - 84, 594), (CX - 52, 584), (CX, 590), (CX + 52, 584), (CX + 84, 594),
                        (CX + 52, 632), (CX, 640), (CX - 52, 632)], 10)
    inside = layer.poly(rib_inner)
    rib = layer.minus(layer.poly(rib_outer), inside)
    layer.paint(layer.shift(rib, 0, 5), style.cloth_deep, alpha=140, blur=4, clip=body)
    layer.paint(rib, style.cloth_shade)
    for i in range(44):
        x = CX - 100 + 200 * i / 44
        layer.stroke([(x, 580), (x, 680)], style.cloth_deep, 1.4, alpha=60, clip=rib)
    layer.shade(rib, 0, 3, style.cloth_light, 120, 1.5)
    layer.paint(inside, style.shirt_shade)
    neck_v = layer.poly([(CX - 44, 578), (CX + 44, 578), (CX, 640)])
    layer.paint(neck_v, style.skin)
    layer.paint(layer.ellipse((CX - 50, 570, CX + 50, 620)), style.skin_shade, alpha=150, blur=8, clip=neck_v)
    for side in (-1, 1):
        wing = layer.fill([(CX + side * (style.neck - 6), 566), (CX + side * 36, 588), (CX + side * 6, 640),
                           (CX + side * 30, 656), (CX + side * 76, 604)], style.shirt)
        layer.shade(wing, side * 5, -4, style.shirt_shade, 220, 2)
        layer.paint(layer.minus(layer.shift(wing, side * 3, 5), wing), style.cloth_deep, alpha=120, blur=3,
                    clip=layer.union(rib, body))


def _buttons(layer: Layer, style: Style, x: float, ys: list[float], radius: float = 6) -> None:
    for y in ys:
        button = layer.oval((x - radius, y - radius, x + radius, y + radius), style.accent)
        layer.shade(button, 1.5, 1.5, style.cloth_deep, 140, 1)
        layer.oval((x - radius * 0.4, y - radius * 0.5, x, y - radius * 0.1), "#FFFFFF", alpha=120)


def _blouse(layer: Layer, style: Style) -> None:
    _neck(layer, style)
    body = layer.fill(_silhouette(style), style.cloth)
    _cloth_shading(layer, style, body)
    # A soft V neckline with a fine necklace, and gathers falling from the yoke.
    neckline = smooth([(CX - 74, 586), (CX - 40, 640), (CX, 700), (CX + 40, 640), (CX + 74, 586), (CX, 560)], 10)
    skin = layer.both(layer.poly(neckline), body)
    layer.paint(layer.minus(layer.shift(skin, 0, 6), skin), style.cloth_deep, alpha=110, blur=4, clip=body)
    layer.paint(skin, style.skin)
    layer.gradient(skin, (CX, 590), (CX, 700), style.skin_shade, style.skin, alpha=160)
    layer.stroke(bezier((CX - 60, 590), (CX - 40, 650), (CX + 40, 650), (CX + 60, 590), 30), style.accent, 1.8)
    layer.oval((CX - 5, 640, CX + 5, 652), style.accent)
    layer.stroke(bezier((CX - 74, 586), (CX - 40, 640), (CX - 10, 690), (CX, 700), 16), style.cloth_light, 3,
                 alpha=150, clip=body)
    for x in (-90, -50, 50, 90):
        layer.stroke(bezier((CX + x, 700), (CX + x * 1.1, 780), (CX + x * 1.2, 860), (CX + x * 1.25, 940), 16),
                     style.cloth_deep, 5, taper=True, alpha=70, blur=3, clip=body)
        layer.stroke(bezier((CX + x - 5, 700), (CX + x * 1.1 - 5, 780), (CX + x * 1.2 - 5, 860),
                            (CX + x * 1.25 - 5, 940), 16), style.cloth_light, 3, taper=True, alpha=60, blur=2, clip=body)


def _polo(layer: Layer, style: Style) -> None:
    _neck(layer, style)
    body = layer.fill(_silhouette(style), style.cloth)
    _cloth_shading(layer, style, body)
    # Placket open at the throat, two buttons; a flat knit collar lying around the neck.
    opening = layer.poly([(CX - 30, 588), (CX + 30, 588), (CX + 18, 650), (CX, 664), (CX - 18, 650)])
    layer.paint(opening, style.skin)
    layer.paint(layer.ellipse((CX - 40, 570, CX + 40, 630)), style.skin_shade, alpha=150, blur=8, clip=opening)
    placket = layer.poly([(CX - 16, 650), (CX + 16, 650), (CX + 16, 760), (CX - 16, 760)])
    layer.paint(layer.minus(layer.shift(placket, 3, 3), placket), style.cloth_deep, alpha=120, blur=2, clip=body)
    layer.stroke([(CX - 16, 664), (CX - 16, 760), (CX + 16, 760)], style.cloth_deep, 2, alpha=140)
    _buttons(layer, style, CX, [690, 734], 5)
    for side in (-1, 1):
        wing = layer.fill(smooth([(CX + side * (style.neck - 4), 560), (CX + side * 30, 588), (CX + side * 4, 656),
                                  (CX + side * 40, 668), (CX + side * 110, 612), (CX + side * (style.neck + 24), 574)],
                                 6), style.cloth)
        layer.gradient(wing, (CX, 570), (CX + side * 100, 660), style.cloth_light, style.cloth)
        layer.shade(wing, side * 4, -4, style.cloth_shade, 200, 2)
        layer.paint(layer.minus(layer.shift(wing, side * 3, 6), wing), style.cloth_deep, alpha=140, blur=3,
                    clip=body)
        layer.stroke([(CX + side * 6, 652), (CX + side * 40, 664), (CX + side * 106, 612)], style.cloth_light, 1.6,
                     alpha=120)


def _cardigan(layer: Layer, style: Style) -> None:
    _neck(layer, style)
    body = layer.fill(_silhouette(style), style.cloth)
    for x in range(int(CX - 260), int(CX + 260), 12):
        layer.stroke([(x, 620), (x + 2, DESIGN[1])], style.cloth_deep, 1.6, alpha=26, clip=body)
    _cloth_shading(layer, style, body)
    # The top underneath, with a round neck, shows between the open fronts.
    top = layer.fill([(CX - 70, 586), (CX + 70, 586), (CX + 26, DESIGN[1]), (CX - 40, DESIGN[1])], style.shirt)
    layer.gradient(top, (CX, 600), (CX, 1100), style.shirt, style.shirt_shade)
    neck = layer.both(layer.ellipse((CX - 50, 560, CX + 50, 634)), layer.union(top, body))
    layer.paint(neck, style.skin)
    layer.paint(layer.ellipse((CX - 50, 556, CX + 50, 616)), style.skin_shade, alpha=150, blur=8, clip=neck)
    layer.stroke(bezier((CX - 48, 600), (CX - 30, 636), (CX + 30, 636), (CX + 48, 600), 20), style.shirt_shade, 4)
    for side in (-1, 1):
        edge = [(CX + side * 70, 588), (CX + side * 96, 592), (CX + side * (62 if side > 0 else 50), DESIGN[1]),
                (CX + side * (26 if side > 0 else 40), DESIGN[1])]
        band = layer.poly(edge)
        layer.paint(layer.minus(layer.shift(band, -side * 6, 2), band), style.cloth_deep, alpha=130, blur=4, clip=top)
        layer.paint(band, style.cloth_shade)
        layer.gradient(band, (CX, 600), (CX, 1200), style.cloth_light, style.cloth_shade, alpha=140)
        for y in range(600, DESIGN[1], 14):
            layer.stroke([(CX + side * 40, y), (CX + side * 100, y + 2)], style.cloth_deep, 1.2, alpha=40, clip=band)
    _buttons(layer, style, CX + 44, [760, 870, 980], 6)


def _shirt_tie(layer: Layer, style: Style) -> None:
    _neck(layer, style)
    body = layer.fill(_silhouette(style), style.cloth)
    _cloth_shading(layer, style, body)
    layer.stroke([(CX, 640), (CX, DESIGN[1])], style.cloth_deep, 2, alpha=90, clip=body)
    # The tie: knot under the collar, blade widening to a point, a soft diagonal stripe.
    blade = layer.fill(smooth([(CX - 14, 622), (CX + 14, 622), (CX + 36, 900), (CX, 950), (CX - 36, 900)], 4),
                       style.tie)
    layer.paint(layer.minus(layer.shift(blade, 5, 5), blade), style.cloth_deep, alpha=110, blur=4, clip=body)
    layer.gradient(blade, (CX - 30, 640), (CX + 30, 940), mix(style.tie, "#FFFFFF", 0.18), style.tie)
    for i in range(12):
        y = 640 + i * 28
        layer.stroke([(CX - 40, y + 20), (CX + 40, y - 20)], mix(style.tie, "#000000", 0.3), 3, alpha=90,
                     clip=blade)
    layer.shade(blade, -4, 0, mix(style.tie, "#000000", 0.4), 140, 3)
    knot = layer.fill(smooth([(CX - 22, 588), (CX + 22, 588), (CX + 14, 630), (CX - 14, 630)], 4), style.tie)
    layer.gradient(knot, (CX - 10, 590), (CX + 10, 630), mix(style.tie, "#FFFFFF", 0.22), style.tie)
    layer.shade(knot, 0, -4, mix(style.tie, "#000000", 0.35), 160, 2)
    for side in (-1, 1):
        wing = layer.fill([(CX + side * (style.neck - 4), 560), (CX + side * 24, 590), (CX + side * 16, 640),
                           (CX + side * 48, 660), (CX + side * 82, 604)], style.cloth_light)
        layer.shade(wing, side * 5, -4, style.cloth_shade, 220, 2)
        layer.paint(layer.minus(layer.shift(wing, side * 3, 5), wing), style.cloth_deep, alpha=120, blur=3,
                    clip=body)
    layer.stroke([(CX + 90, 760), (CX + 170, 752)], style.cloth_deep, 2.5, alpha=110)


OUTFIT_DRAWINGS = {"blazer": _blazer, "sweater": _sweater, "blouse": _blouse, "polo": _polo, "cardigan": _cardigan,
                   "shirt_tie": _shirt_tie}


def torso(style: Style) -> Image.Image:
    """Neck and torso garment; the breathing motion moves it as a whole."""
    layer = Layer(TORSO_BOX, style.unit, style.supersample)
    OUTFIT_DRAWINGS[style.outfit](layer, style)
    return layer.done()


def _limb_layer(style: Style, joint: tuple[float, float], degrees: float, reach: float):
    margin = reach + 60
    layer = Layer((joint[0] - margin, joint[1] - margin, joint[0] + margin, joint[1] + margin), style.unit, style.supersample)
    return layer, limb_frame(joint, degrees)


def _sleeve(style: Style, side: int, joint, degrees: float, length: float, top: float, bottom: float,
            cap: float, cuff: str | None, folds: bool = True) -> Image.Image:
    layer, at = _limb_layer(style, joint, degrees, length)
    outline = [at(-top, 0), at(-top * 0.96, length * 0.5), at(-bottom, length), at(-bottom * 0.7, length + bottom * 0.7),
               at(0, length + bottom), at(bottom * 0.7, length + bottom * 0.7), at(bottom, length),
               at(top * 0.96, length * 0.5), at(top, 0)]
    if cap:
        outline += [at(cap * 0.7, -cap * 0.7), at(0, -cap), at(-cap * 0.7, -cap * 0.7)]
    else:
        outline += [at(top * 0.7, -top * 0.6), at(0, -top * 0.8), at(-top * 0.7, -top * 0.6)]
    sleeve = layer.fill(smooth(outline, 10), style.cloth)
    # Cylinder shading across the sleeve: lit on the viewer's left, a soft core shadow right, thin rim.
    layer.gradient(sleeve, at(-top, length * 0.3), at(top, length * 0.3), style.cloth_light, style.cloth)
    layer.paint(layer.line([at(top * 0.6, 0), at(bottom * 0.6, length)], top * 0.45), style.cloth_shade,
                alpha=150, blur=9, clip=sleeve)
    layer.stroke([at(-top * 0.45, length * 0.15), at(-bottom * 0.4, length * 0.85)], style.cloth_light, 6,
                 alpha=60, blur=4, clip=sleeve, taper=True)
    # A crisp darker edge where the sleeve lies over the body, so arm and torso read apart.
    inner = -side   # the sleeve's side towards the body
    layer.stroke([at(inner * (top - 1), length * 0.05), at(inner * (top * 0.96 - 1), length * 0.5),
                  at(inner * (bottom - 1), length)], style.cloth_deep, 2.5, alpha=120, blur=1, clip=sleeve)
    # Folds where the arm bends: a few soft creases near the elbow, each with a lit lip.
    elbow_v = length - 34 if cap else 26
    for i, (u0, u1, dv) in enumerate(((-0.75, 0.1, 0), (-0.2, 0.7, 16)) if folds else ()):
        crease = bezier(at(inner * u0 * top, elbow_v + dv), at(inner * (u0 + 0.3) * top, elbow_v + dv + 9),
                        at(inner * (u1 - 0.3) * top, elbow_v + dv + 7), at(inner * u1 * top, elbow_v + dv - 4), 12)
        layer.stroke(crease, style.cloth_deep, 4.5 - i, taper=True, alpha=85, blur=1.8, clip=sleeve)
        layer.stroke([(x - 1.5, y - 2.5) for x, y in crease], style.cloth_light, 2.5, taper=True, alpha=70,
                     blur=1.2, clip=sleeve)
    if cap:
        seam = [at(-cap * 0.98, 4), at(-cap * 0.7, -cap * 0.72), at(0, -cap + 2), at(cap * 0.7, -cap * 0.72),
                at(cap * 0.98, 4)]
        layer.stroke(smooth(seam, 8, closed=False), style.cloth_deep, 2.0, alpha=90, blur=1, clip=sleeve)
    if cuff is not None:
        band = layer.poly([at(-bottom - 2, length - 20), at(bottom + 2, length - 20), at(bottom + 2, length + 30),
                           at(-bottom - 2, length + 30)])
        layer.paint(band, cuff, clip=sleeve)
        layer.stroke([at(-bottom, length - 20), at(bottom, length - 20)], style.cloth_deep, 2, alpha=150)
    return layer.done()


def _hand(style: Style, joint, degrees: float, side: int) -> Image.Image:
    layer, frame = _limb_layer(style, joint, degrees, HAND * HAND_SCALE)

    def at(u: float, v: float) -> tuple[float, float]:
        return frame(u * HAND_SCALE, v * HAND_SCALE)

    thumb_side = -side   # thumbs up when the hands rest together; outward when the hand is raised
    # Four fingers side by side, the middle ones longest; soft bumps at the tips.
    tips = [(25, 86), (23, 94), (18, 100), (13, 96), (12, 91), (11, 100), (6, 107), (1, 102), (0, 96), (-1, 102),
            (-6, 108), (-11, 101), (-12, 95), (-13, 97), (-18, 101), (-23, 95), (-26, 80)]
    palm = layer.fill(smooth([at(-22, -8), at(22, -8), at(27, 30), at(26, 62)] + [at(u, v) for u, v in tips]
                             + [at(-27, 34)], 6), style.skin)
    thumb = layer.fill(smooth([at(thumb_side * 16, 10), at(thumb_side * 34, 28), at(thumb_side * 44, 52),
                               at(thumb_side * 40, 62), at(thumb_side * 26, 50), at(thumb_side * 16, 36)], 8),
                       style.skin)
    hand = layer.union(palm, thumb)
    layer.gradient(hand, at(-26, 0), at(28, 40), style.skin_light, style.skin_shade)
    layer.paint(layer.minus(layer.shift(thumb, 0, 2), thumb), style.skin_deep, alpha=120, blur=1.5, clip=palm)
    for u, end in ((-12, 95), (0, 96), (12, 91)):
        layer.stroke([at(u, 66), at(u, end - 1)], style.skin_deep, 2.0, taper=True, alpha=150, clip=palm)
    layer.stroke([at(-18, 50), at(0, 54), at(18, 50)], style.skin_shade, 2.0, taper=True, alpha=120, clip=palm)
    layer.shade(hand, -3, 0, style.rim, 100, 1.2)
    return layer.done()


def arm(style: Style, side: int) -> dict[str, Image.Image]:
    """Upper arm, forearm and hand of one side (-1: the viewer's left), in the rest pose."""
    angles = rest_angles(side)
    at = joints(side, style.spread)
    cuff = {"blazer": style.shirt, "shirt_tie": style.cloth_light}.get(style.outfit, style.cloth_shade)
    if style.outfit == "polo":
        # Short sleeves: bare arms, the sleeve covering the top of the upper arm.
        bare = replace(style, cloth=style.skin, cloth_light=style.skin_light, cloth_shade=style.skin_shade,
                       cloth_deep=style.skin_deep)
        upper = _sleeve(bare, side, at["upper"], angles["upper"], UPPER_ARM, 36, 30, 40, None, folds=False)
        upper.alpha_composite(_sleeve(style, side, at["upper"], angles["upper"], 118, 47, 44, 48, style.cloth_shade))
        return {"upper": upper,
                "fore": _sleeve(bare, side, at["fore"], angles["fore"], FOREARM, 30, 24, 0, None, folds=False),
                "hand": _hand(style, at["hand"], angles["hand"], side)}
    return {
        "upper": _sleeve(style, side, at["upper"], angles["upper"], UPPER_ARM, 46, 37, 48, None),
        "fore": _sleeve(style, side, at["fore"], angles["fore"], FOREARM, 37, 31, 0, cuff),
        "hand": _hand(style, at["hand"], angles["hand"], side),
    }
