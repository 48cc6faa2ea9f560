"""Bodies: neck and torso (Maya's blazer over a blouse, Leo's crew-neck sweater over a shirt), and the arms as
upper arm, forearm and hand, each drawn in its rest pose around its joint so the rig can turn it."""
from __future__ import annotations

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
from composer.render.avatar.artwork.styles import Style

TORSO_BOX = (CX - 300, 420, CX + 300, DESIGN[1])


def _neck(layer: Layer, style: Style) -> None:
    half = 46 if style.outfit == "blazer" else 54
    neck = layer.fill(smooth([(CX - half, 430), (CX + half, 430), (CX + half + 2, 560), (CX + half + 22, 612),
                              (CX + 70, 660), (CX - 70, 660), (CX - half - 22, 612), (CX - half - 2, 560)], 8),
                      style.skin)
    layer.shade(neck, -26, 0, style.skin_shade, 150, 10)
    # The head's shadow on the neck, strongest right under the jaw.
    layer.oval((CX - 90, 400, CX + 100, 540), style.skin_deep, alpha=150, blur=16, clip=neck)
    layer.oval((CX - 30, 560, CX + 30, 610), style.skin_shade, alpha=70, blur=8, clip=neck)


def _silhouette(style: Style) -> list[tuple[float, float]]:
    """Outline of the torso garment, shoulders to the bottom of the canvas."""
    drop = 8 if style.outfit == "sweater" else 0
    left = chain(bezier((CX - 62, 588), (CX - 120, 594), (CX - 196, 606 + drop), (CX - 238, 652 + drop)),
                 bezier((CX - 238, 652 + drop), (CX - 266, 690), (CX - 256, 800), (CX - 246, 900)),
                 bezier((CX - 246, 900), (CX - 238, 980), (CX - 226, 1040), (CX - 228, 1100)),
                 [(CX - 228, 1100), (CX - 244, DESIGN[1])])
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
    # Shirt collar under the crew neck, its points lying on the sweater.
    layer.fill(smooth([(CX - 64, 598), (CX - 58, 560), (CX, 572), (CX + 58, 560), (CX + 64, 598), (CX, 620)], 8),
               style.shirt)
    for side in (-1, 1):
        point = layer.fill([(CX + side * 4, 616), (CX + side * 62, 566), (CX + side * 80, 600),
                            (CX + side * 40, 650)], style.shirt)
        layer.shade(point, side * 4, -3, style.shirt_shade, 200, 2)
        layer.stroke([(CX + side * 4, 616), (CX + side * 40, 650)], style.shirt_shade, 1.5, alpha=200)
    # Ribbed crew neckline.
    rib_outer = smooth([(CX - 104, 608), (CX - 60, 584), (CX, 590), (CX + 60, 584), (CX + 104, 608),
                        (CX + 60, 664), (CX, 672), (CX - 60, 664)], 10)
    rib_inner = smooth([(CX - 84, 606), (CX - 50, 596), (CX, 612), (CX + 50, 596), (CX + 84, 606),
                        (CX + 50, 646), (CX, 654), (CX - 50, 646)], 10)
    rib = layer.minus(layer.poly(rib_outer), layer.poly(rib_inner))
    layer.paint(layer.shift(rib, 0, 5), style.cloth_deep, alpha=140, blur=4, clip=body)
    layer.paint(rib, style.cloth_shade)
    for i in range(40):
        t = i / 40
        x = CX - 94 + 188 * t
        layer.stroke([(x, 590), (x, 680)], style.cloth_deep, 1.4, alpha=60, clip=rib)
    layer.shade(rib, 0, 3, style.cloth_light, 120, 1.5)
    layer.paint(layer.poly(rib_inner), style.shirt)
    layer.oval((CX - 50, 600, CX + 50, 660), style.shirt_shade, alpha=160, blur=10, clip=layer.poly(rib_inner))
    layer.paint(layer.poly(rib_inner), style.skin, clip=layer.poly([(CX - 20, 590), (CX + 20, 590), (CX, 640)]))


def torso(style: Style) -> Image.Image:
    """Neck and torso garment; the breathing motion moves it as a whole."""
    layer = Layer(TORSO_BOX, style.unit)
    if style.outfit == "blazer":
        _blazer(layer, style)
    else:
        _sweater(layer, style)
    return layer.done()


def _limb_layer(style: Style, joint: tuple[float, float], degrees: float, reach: float):
    margin = reach + 60
    layer = Layer((joint[0] - margin, joint[1] - margin, joint[0] + margin, joint[1] + margin), style.unit)
    return layer, limb_frame(joint, degrees)


def _sleeve(style: Style, joint, degrees: float, length: float, top: float, bottom: float, cap: float,
            cuff: str | None) -> Image.Image:
    layer, at = _limb_layer(style, joint, degrees, length)
    outline = [at(-top, 0), at(-top * 0.96, length * 0.5), at(-bottom, length), at(-bottom * 0.7, length + bottom * 0.7),
               at(0, length + bottom), at(bottom * 0.7, length + bottom * 0.7), at(bottom, length),
               at(top * 0.96, length * 0.5), at(top, 0)]
    if cap:
        outline += [at(cap * 0.7, -cap * 0.7), at(0, -cap), at(-cap * 0.7, -cap * 0.7)]
    else:
        outline += [at(top * 0.7, -top * 0.6), at(0, -top * 0.8), at(-top * 0.7, -top * 0.6)]
    sleeve = layer.fill(smooth(outline, 10), style.cloth)
    # Cylinder shading across the sleeve: lit on the viewer's left, shadowed right, thin rim.
    layer.gradient(sleeve, at(-top, length * 0.3), at(top, length * 0.3), style.cloth_light, style.cloth_shade)
    layer.paint(layer.line([at(top * 0.55, 0), at(bottom * 0.55, length)], top * 0.5), style.cloth_deep,
                alpha=90, blur=8, clip=sleeve)
    layer.stroke([at(-top * 0.45, length * 0.15), at(-bottom * 0.4, length * 0.85)], style.cloth_light, 6,
                 alpha=70, blur=4, clip=sleeve, taper=True)
    if cuff is not None:
        band = layer.poly([at(-bottom - 2, length - 20), at(bottom + 2, length - 20), at(bottom + 2, length + 30),
                           at(-bottom - 2, length + 30)])
        layer.paint(band, cuff, clip=sleeve)
        layer.stroke([at(-bottom, length - 20), at(bottom, length - 20)], style.cloth_deep, 2, alpha=150)
    return layer.done()


def _hand(style: Style, joint, degrees: float, side: int) -> Image.Image:
    layer, at = _limb_layer(style, joint, degrees, HAND)
    thumb_side = -side   # thumbs up when the hands rest together; outward when the hand is raised
    palm = layer.fill(smooth([at(-22, -8), at(22, -8), at(27, 30), at(26, 62), at(21, 92), at(12, HAND),
                              at(-2, HAND + 3), at(-16, 98), at(-25, 70), at(-27, 34)], 10), style.skin)
    thumb = layer.fill(smooth([at(thumb_side * 16, 10), at(thumb_side * 34, 28), at(thumb_side * 44, 52),
                               at(thumb_side * 40, 62), at(thumb_side * 26, 50), at(thumb_side * 16, 36)], 8),
                       style.skin)
    hand = layer.union(palm, thumb)
    layer.gradient(hand, at(-26, 0), at(28, 40), style.skin_light, style.skin_shade)
    layer.paint(layer.minus(layer.shift(thumb, 0, 2), thumb), style.skin_deep, alpha=120, blur=1.5, clip=palm)
    for u in (-12, 0, 12):
        layer.stroke([at(u, 64), at(u + 1, 94 - abs(u) * 0.6)], style.skin_shade, 2.2, taper=True, alpha=180,
                     clip=palm)
    layer.stroke([at(-18, 50), at(0, 54), at(18, 50)], style.skin_shade, 2.0, taper=True, alpha=120, clip=palm)
    layer.shade(hand, -3, 0, style.rim, 100, 1.2)
    return layer.done()


def arm(style: Style, side: int) -> dict[str, Image.Image]:
    """Upper arm, forearm and hand of one side (-1: the viewer's left), in the rest pose."""
    angles = rest_angles(side)
    at = joints(side)
    cuff = style.shirt if style.outfit == "blazer" else style.cloth_shade
    return {
        "upper": _sleeve(style, at["upper"], angles["upper"], UPPER_ARM, 46, 37, 50, None),
        "fore": _sleeve(style, at["fore"], angles["fore"], FOREARM, 37, 31, 0, cuff),
        "hand": _hand(style, at["hand"], angles["hand"], side),
    }
