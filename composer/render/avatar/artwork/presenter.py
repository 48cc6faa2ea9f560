"""The built-in presenters, drawn in code: a flat-illustration half-body figure with soft shading.

Everything is measured on a 900x1440 native canvas (the frame usually cuts it near y=1080); the head is drawn around a neck pivot so that it can turn,
the arms around shoulder/elbow/wrist pivots so that they can gesture.
"""
from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from composer.render.avatar.artwork.canvas import Layer, bezier, curve, path

SIZE = (900, 1440)   # the frame usually cuts the figure near y=1080; arms hang below it
CX = 450
NECK_PIVOT = (450, 468)
SHOULDER_L = (222, 655)   # the figure's right arm, on the viewer's left
SHOULDER_R = (678, 655)
UPPER_ARM = 235           # shoulder to elbow
FOREARM = 215             # elbow to wrist


@dataclass(frozen=True)
class Style:
    name: str
    skin: str
    skin_shade: str
    skin_light: str
    blush: str
    hair: str
    hair_shade: str
    hair_light: str
    hair_style: str          # "bob" or "short"
    jacket: str
    jacket_shade: str
    jacket_light: str
    shirt: str
    shirt_shade: str
    iris: str
    lips: str
    lips_shade: str
    brow: str
    accent: str              # a small detail: earrings / lapel pin


MAYA = Style("Maya", skin="#E9B897", skin_shade="#C98E6C", skin_light="#F6D2B8", blush="#E58E7E",
             hair="#2E211C", hair_shade="#1A1210", hair_light="#5A4034", hair_style="bob",
             jacket="#25385E", jacket_shade="#172542", jacket_light="#3A5283", shirt="#F4F1EC",
             shirt_shade="#D9D3CA", iris="#5B3A26", lips="#B85B5B", lips_shade="#8E3F43", brow="#2A1D18",
             accent="#E3B964")
LEO = Style("Leo", skin="#B9825F", skin_shade="#8F5E42", skin_light="#D29F7D", blush="#B46A55",
            hair="#1E1B1A", hair_shade="#0F0D0C", hair_light="#3D3835", hair_style="short",
            jacket="#2F6F6A", jacket_shade="#1F4D49", jacket_light="#43908A", shirt="#EEF2F5",
            shirt_shade="#C9D2DA", iris="#3B2A20", lips="#9A5A4C", lips_shade="#6E3C33", brow="#1B1817",
            accent="#D9DEE3")

FACE = curve([(450, 186), (532, 198), (568, 256), (570, 330), (556, 398), (514, 452), (450, 480), (386, 452),
              (344, 398), (330, 330), (332, 256), (368, 198), (450, 186)], steps=14)


def body(style: Style) -> Image.Image:
    """Torso: neck, shirt, jacket with lapels. Static; breathing moves it as a whole."""
    layer = Layer(SIZE)
    # Neck, with the chin's shadow at its top.
    neck = layer.fill([(398, 420), (502, 420), (510, 560), (512, 640), (388, 640), (390, 560)], style.skin)
    layer.paint(layer.mask(ellipse=(380, 400, 520, 520)), style.skin_shade, alpha=170, blur=14, clip=neck)
    # Shirt in the V of the jacket.
    shirt = layer.fill([(380, 560), (520, 560), (560, 640), (470, 900), (430, 900), (340, 640)], style.shirt)
    layer.paint(layer.mask([(430, 600), (470, 600), (452, 900), (448, 900)]), style.shirt_shade, alpha=120,
                blur=10, clip=shirt)
    # Open collar points.
    layer.fill([(392, 566), (450, 640), (420, 690), (360, 610)], style.shirt)
    layer.fill([(508, 566), (450, 640), (480, 690), (540, 610)], style.shirt)
    layer.stroke([(392, 566), (450, 640), (508, 566)], style.shirt_shade, 3, alpha=160)
    # Jacket body.
    left = path(bezier((400, 590), (330, 596), (262, 606), (214, 630)),
                bezier((214, 630), (170, 650), (150, 720), (146, 800)), [(146, 800), (126, 1440), (450, 1440)])
    right = [(450, 1440), (774, 1440), (754, 800)] + bezier((754, 800), (750, 720), (730, 650), (686, 630)) + \
        bezier((686, 630), (638, 606), (570, 596), (500, 590))
    jacket_outline = left + right + [(540, 640), (466, 960), (434, 960), (360, 640)]
    jacket = layer.fill(jacket_outline, style.jacket)
    layer.gradient(jacket, style.jacket_light, style.jacket, 590, 760)
    layer.paint(layer.mask([(146, 800), (250, 700), (300, 1440), (126, 1440)]), style.jacket_shade, alpha=110,
                blur=30, clip=jacket)
    layer.paint(layer.mask([(754, 800), (650, 700), (600, 1440), (774, 1440)]), style.jacket_shade, alpha=130,
                blur=30, clip=jacket)
    # Lapels, with a darker edge to read as folded cloth.
    for sign in (-1, 1):
        lapel = [(450 + sign * 52, 596), (450 + sign * 118, 640), (450 + sign * 96, 700), (450 + sign * 60, 720),
                 (450 + sign * 16, 940), (450 + sign * 4, 940)]
        mask = layer.fill(lapel, style.jacket)
        layer.gradient(mask, style.jacket_light, style.jacket, 600, 800)
        layer.paint(layer.mask([(450 + sign * 118, 640), (450 + sign * 96, 700), (450 + sign * 60, 720),
                                (450 + sign * 16, 940), (450 + sign * 40, 940), (450 + sign * 90, 740),
                                (450 + sign * 130, 690)]), style.jacket_shade, alpha=150, blur=8, clip=jacket)
        layer.stroke([(450 + sign * 118, 640), (450 + sign * 96, 700), (450 + sign * 60, 720),
                      (450 + sign * 16, 940)], style.jacket_shade, 3, alpha=230)
    # Buttons and a pin.
    for y in (975, 1045, 1115):
        layer.oval((441, y - 9, 459, y + 9), style.jacket_shade)
        layer.oval((444, y - 6, 456, y + 6), style.jacket_light, alpha=120)
    layer.oval((340, 700, 356, 716), style.accent)
    return layer.done()


def arm(style: Style, side: int) -> dict[str, Image.Image]:
    """Upper arm, forearm and hand of one side, hanging straight down from the shoulder (rest pose)."""
    shoulder = SHOULDER_L if side < 0 else SHOULDER_R
    x, y = shoulder
    elbow = (x, y + UPPER_ARM)
    wrist = (x, y + UPPER_ARM + FOREARM)
    upper = Layer(SIZE)
    sleeve = upper.fill(curve([(x - 30, y - 8), (x + 26, y - 12), (x + 44, y + 40), (x + 40, elbow[1] + 10),
                               (x, elbow[1] + 36), (x - 40, elbow[1] + 10), (x - 46, y + 40), (x - 30, y - 8)],
                              steps=10), style.jacket)
    upper.paint(upper.mask(ellipse=(x - 40 + side * 34, y - 30, x + 40 + side * 34, elbow[1] + 50)),
                style.jacket_shade, alpha=120, blur=16, clip=sleeve)
    upper.stroke([(x - side * 40, y + 20), (x - side * 40, elbow[1])], style.jacket_shade, 3, alpha=90, blur=2)
    fore = Layer(SIZE)
    cuff_y = wrist[1] - 18
    forearm = fore.fill(curve([(x - 38, elbow[1] - 20), (x + 38, elbow[1] - 20), (x + 34, cuff_y), (x - 34, cuff_y),
                               (x - 38, elbow[1] - 20)], steps=8), style.jacket)
    fore.paint(fore.mask(ellipse=(x - 50 + side * 40, elbow[1] - 30, x + 50 + side * 40, cuff_y + 20)),
               style.jacket_shade, alpha=130, blur=16, clip=forearm)
    fore.fill([(x - 33, cuff_y - 6), (x + 33, cuff_y - 6), (x + 31, cuff_y + 12), (x - 31, cuff_y + 12)],
              style.shirt)
    hand = Layer(SIZE)
    hx, hy = wrist
    palm = hand.fill(curve([(hx - 30, hy - 10), (hx + 30, hy - 10), (hx + 36, hy + 40), (hx + 30, hy + 78),
                            (hx - 30, hy + 78), (hx - 36, hy + 40), (hx - 30, hy - 10)], steps=8), style.skin)
    for i, (fx, length) in enumerate(((-21, 46), (-7, 54), (7, 52), (21, 42))):
        finger = hand.fill(curve([(hx + fx - 7, hy + 70), (hx + fx - 7, hy + 70 + length),
                                  (hx + fx, hy + 78 + length), (hx + fx + 7, hy + 70 + length),
                                  (hx + fx + 7, hy + 70)], steps=6), style.skin)
        hand.paint(hand.mask(ellipse=(hx + fx + 2, hy + 74, hx + fx + 9, hy + 70 + length)), style.skin_shade,
                   alpha=90, blur=2, clip=finger)
        del i
    thumb_x = hx - side * -34
    hand.fill(curve([(thumb_x - 8, hy + 14), (thumb_x + side * 16, hy + 34), (thumb_x + side * 22, hy + 62),
                     (thumb_x + side * 8, hy + 66), (thumb_x - side * 6, hy + 40)], steps=6), style.skin)
    hand.paint(hand.mask(ellipse=(hx - 36, hy - 10, hx + 36, hy + 20)), style.skin_shade, alpha=120, blur=6,
               clip=palm)
    return {"upper": upper.done(), "forearm": fore.done(), "hand": hand.done()}


def head(style: Style) -> Image.Image:
    """Face, ears and nose, without eyes, brows, mouth or hair (those are separate layers)."""
    layer = Layer(SIZE)
    for sign in (-1, 1):
        ear_x = 450 + sign * 118
        ear = layer.oval((ear_x - 24, 290, ear_x + 24, 378), style.skin)
        layer.paint(layer.mask(ellipse=(ear_x - 10, 306, ear_x + 12, 360)), style.skin_shade, alpha=150, blur=5,
                    clip=ear)
    face = layer.fill(FACE, style.skin)
    layer.gradient(face, style.skin_light, style.skin, 200, 360)
    # Soft form shading: jaw, temples, under the cheekbones; light on the forehead and nose bridge.
    layer.paint(layer.mask([(332, 300), (372, 300), (402, 470), (332, 430)]), style.skin_shade, alpha=110, blur=22,
                clip=face)
    layer.paint(layer.mask([(568, 300), (528, 300), (498, 470), (568, 430)]), style.skin_shade, alpha=130, blur=22,
                clip=face)
    layer.paint(layer.mask(ellipse=(395, 452, 505, 500)), style.skin_shade, alpha=70, blur=12, clip=face)
    for sign in (-1, 1):
        layer.paint(layer.mask(ellipse=(450 + sign * 70 - 30, 372, 450 + sign * 70 + 30, 402)), style.blush,
                    alpha=70, blur=12, clip=face)
    # Nose by shading: a shadow along one side and under the tip, a highlight on the bridge.
    layer.paint(layer.mask([(458, 318), (472, 318), (480, 392), (462, 396)]), style.skin_shade, alpha=110, blur=5,
                clip=face)
    layer.paint(layer.mask(ellipse=(430, 388, 474, 406)), style.skin_shade, alpha=150, blur=4, clip=face)
    layer.paint(layer.mask(ellipse=(441, 330, 453, 384)), style.skin_light, alpha=160, blur=4, clip=face)
    layer.oval((434, 392, 444, 400), style.skin_shade, alpha=140, blur=1)
    layer.oval((456, 392, 466, 400), style.skin_shade, alpha=140, blur=1)
    return layer.done()


def hair_back(style: Style) -> Image.Image:
    layer = Layer(SIZE)
    if style.hair_style == "bob":
        shape = curve([(450, 150), (560, 166), (612, 250), (616, 380), (606, 470), (584, 512), (548, 520),
                       (520, 490), (450, 470), (380, 490), (352, 520), (316, 512), (294, 470), (284, 380),
                       (288, 250), (340, 166), (450, 150)], steps=12)
        mask = layer.fill(shape, style.hair)
        layer.paint(layer.mask(ellipse=(300, 380, 600, 560)), style.hair_shade, alpha=200, blur=26, clip=mask)
    else:
        mask = layer.fill(curve([(450, 160), (548, 172), (584, 240), (584, 300), (316, 300), (316, 240),
                                 (352, 172), (450, 160)], steps=10), style.hair)
        layer.paint(layer.mask(ellipse=(320, 230, 580, 330)), style.hair_shade, alpha=120, blur=16, clip=mask)
    return layer.done()


def hair_front(style: Style) -> Image.Image:
    layer = Layer(SIZE)
    if style.hair_style == "bob":
        fringe = curve([(330, 300), (334, 220), (384, 170), (462, 160), (540, 176), (576, 230), (572, 296),
                        (548, 246), (500, 212), (440, 222), (396, 262), (352, 318), (330, 300)], steps=10)
        mask = layer.fill(fringe, style.hair)
        layer.paint(layer.mask(ellipse=(420, 150, 560, 210)), style.hair_light, alpha=150, blur=12, clip=mask)
        # Side locks framing the face.
        for sign in (-1, 1):
            lock = curve([(450 + sign * 118, 250), (450 + sign * 132, 330), (450 + sign * 126, 430),
                          (450 + sign * 104, 500), (450 + sign * 140, 470), (450 + sign * 160, 380),
                          (450 + sign * 150, 270), (450 + sign * 118, 250)], steps=8)
            lock_mask = layer.fill(lock, style.hair)
            layer.paint(layer.mask(ellipse=(450 + sign * 120 - 14, 300, 450 + sign * 120 + 14, 440)),
                        style.hair_light, alpha=70, blur=8, clip=lock_mask)
        layer.paint(layer.mask(ellipse=(360, 200, 470, 300)), style.hair_shade, alpha=90, blur=14, clip=mask)
        return layer.done()
    cap = curve([(334, 286), (332, 224), (372, 178), (450, 164), (530, 176), (568, 222), (566, 284),
                 (552, 248), (520, 228), (470, 232), (420, 224), (376, 240), (350, 272), (334, 286)], steps=10)
    mask = layer.fill(cap, style.hair)
    layer.paint(layer.mask(ellipse=(380, 160, 540, 212)), style.hair_light, alpha=140, blur=10, clip=mask)
    for x in range(372, 540, 28):
        layer.stroke(bezier((x, 184), (x + 6, 196), (x + 12, 208), (x + 16, 222)), style.hair_light, 2, alpha=60,
                     blur=1)
    for sign in (-1, 1):
        layer.fill([(450 + sign * 116, 250), (450 + sign * 124, 250), (450 + sign * 122, 320),
                    (450 + sign * 114, 322)], style.hair)
    return layer.done()


def eyes(style: Style, state: str) -> Image.Image:
    """Both eyes: "open", "half" (mid-blink) or "closed"."""
    layer = Layer(SIZE)
    for sign in (-1, 1):
        ex, ey = 450 + sign * 52, 318
        if state == "closed":
            layer.stroke(bezier((ex - 24, ey + 2), (ex - 10, ey + 12), (ex + 10, ey + 12), (ex + 24, ey + 2)),
                         style.hair_shade, 4)
            continue
        white = layer.fill(path(bezier((ex - 26, ey + 2), (ex - 12, ey - 16), (ex + 14, ey - 16), (ex + 26, ey)),
                                bezier((ex + 26, ey), (ex + 12, ey + 14), (ex - 12, ey + 14), (ex - 26, ey + 2))),
                           "#FBF8F5")
        iris = layer.oval((ex - 13, ey - 14, ex + 13, ey + 12), style.iris, clip=white)
        layer.paint(layer.mask(ellipse=(ex - 13, ey - 14, ex + 13, ey - 2)), "#000000", alpha=90, blur=3, clip=iris)
        layer.oval((ex - 6, ey - 7, ex + 6, ey + 5), "#120C0A", clip=white)
        layer.oval((ex + 2 - sign * 4, ey - 8, ex + 8 - sign * 4, ey - 2), "#FFFFFF", alpha=230)
        lid_y = ey - 2 if state == "open" else ey + 4
        if state == "half":
            layer.fill(path(bezier((ex - 28, ey + 4), (ex - 12, ey - 20), (ex + 14, ey - 20), (ex + 28, ey)),
                            [(ex + 28, ey), (ex + 28, lid_y), (ex - 28, lid_y + 2)]), style.skin)
        layer.stroke(bezier((ex - 27, lid_y + 4 if state == "half" else ey + 2), (ex - 12, lid_y - 16 + (12 if state == "half" else 0)),
                            (ex + 14, lid_y - 16 + (12 if state == "half" else 0)), (ex + 27, lid_y)),
                     style.hair_shade, 4)
        # Lashes at the outer corner.
        outer = ex + sign * 26
        layer.stroke([(outer, ey - 1), (outer + sign * 8, ey - 8)], style.hair_shade, 3)
        layer.stroke(bezier((ex - 20, ey - 22), (ex - 6, ey - 27), (ex + 8, ey - 27), (ex + 20, ey - 22)),
                     style.skin_shade, 2, alpha=110)
    return layer.done()


def brows(style: Style) -> Image.Image:
    layer = Layer(SIZE)
    for sign in (-1, 1):
        bx = 450 + sign * 54
        points = bezier((bx - sign * 34, 286), (bx - sign * 12, 272), (bx + sign * 12, 270), (bx + sign * 34, 280))
        layer.stroke(points, style.brow, 8)
    return layer.done()


MOUTH_CENTER = (450, 428)


def mouth(style: Style, shape: str) -> Image.Image:
    """One of the Preston Blair shapes A-H and X."""
    layer = Layer(SIZE)
    cx, cy = MOUTH_CENTER
    openings = {  # half-width, opening height, roundness
        "B": (30, 10, 0.2), "C": (32, 20, 0.35), "D": (34, 34, 0.5), "E": (26, 24, 0.8), "F": (16, 16, 1.0),
        "H": (32, 24, 0.4),
    }
    if shape in ("A", "X"):
        width = 32 if shape == "X" else 29
        lower = cy + (16 if shape == "X" else 12)
        lips = layer.fill(path(bezier((cx - width, cy), (cx - 10, cy - 7), (cx + 10, cy - 7), (cx + width, cy)),
                               bezier((cx + width, cy), (cx + 12, lower), (cx - 12, lower), (cx - width, cy))),
                          style.lips)
        layer.paint(layer.mask(ellipse=(cx - 14, cy + 2, cx + 14, cy + 12)), "#FFFFFF", alpha=50, blur=3, clip=lips)
        layer.stroke(bezier((cx - width, cy), (cx - 10, cy + (3 if shape == "X" else 1)),
                            (cx + 10, cy + (3 if shape == "X" else 1)), (cx + width, cy)), style.lips_shade, 3)
        return layer.done()
    if shape == "G":
        upper = layer.fill(path(bezier((cx - 30, cy), (cx - 10, cy - 8), (cx + 10, cy - 8), (cx + 30, cy)),
                                [(cx + 30, cy), (cx - 30, cy)]), style.lips)
        layer.fill([(cx - 22, cy - 1), (cx + 22, cy - 1), (cx + 20, cy + 7), (cx - 20, cy + 7)], "#FBFAF6")
        layer.fill(path(bezier((cx - 28, cy + 6), (cx - 10, cy + 4), (cx + 10, cy + 4), (cx + 28, cy + 6)),
                        bezier((cx + 28, cy + 6), (cx + 10, cy + 20), (cx - 10, cy + 20), (cx - 28, cy + 6))),
                   style.lips)
        del upper
        return layer.done()
    half, height, round_ = openings[shape]
    top, bottom = cy - height * 0.35, cy + height * 0.65
    outline = path(bezier((cx - half, cy), (cx - half * (1 - round_ * 0.5), top - 4), (cx + half * (1 - round_ * 0.5), top - 4), (cx + half, cy)),
                   bezier((cx + half, cy), (cx + half * (1 - round_ * 0.4), bottom + 4), (cx - half * (1 - round_ * 0.4), bottom + 4), (cx - half, cy)))
    lip_outline = path(bezier((cx - half - 6, cy), (cx - half, top - 12), (cx + half, top - 12), (cx + half + 6, cy)),
                       bezier((cx + half + 6, cy), (cx + half, bottom + 14), (cx - half, bottom + 14), (cx - half - 6, cy)))
    lips = layer.fill(lip_outline, style.lips)
    inside = layer.fill(outline, "#4A1E22")
    if shape in ("B", "C", "D", "H"):
        layer.fill([(cx - half, top - 6), (cx + half, top - 6), (cx + half, top + min(8, height * 0.3)),
                    (cx - half, top + min(8, height * 0.3))], "#FBFAF6", clip=inside)
    if shape in ("C", "D", "E"):
        layer.oval((cx - half * 0.7, bottom - height * 0.35, cx + half * 0.7, bottom + height * 0.3), "#C4626A",
                   clip=inside)
    if shape == "H":
        layer.oval((cx - 12, top + 2, cx + 12, top + 18), "#C4626A", clip=inside)
    layer.paint(layer.mask(ellipse=(cx - 12, bottom + 2, cx + 12, bottom + 10)), "#FFFFFF", alpha=45, blur=3,
                clip=lips)
    return layer.done()
