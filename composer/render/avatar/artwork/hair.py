"""Hair: a mass behind the head and a front layer with the fringe, drawn with volume (sheen band, strands,
depth near the face) and a soft shadow cast on the forehead. Maya wears a side-parted lob, Leo a textured crop."""
from __future__ import annotations

from PIL import Image

from composer.render.avatar.artwork import extras
from composer.render.avatar.artwork.canvas import Layer, bezier, chain, smooth
from composer.render.avatar.artwork.face import HEAD_BOX, face_outline
from composer.render.avatar.artwork.skeleton import CX
from composer.render.avatar.artwork.styles import Style

BACK_BOX = (CX - 230, 100, CX + 230, 680)


def _points(offsets: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(CX + dx, y) for dx, y in offsets]


def _strands(layer: Layer, mask: Image.Image, strands: list[list[tuple[float, float]]], color: str,
             alpha: int, width: float) -> None:
    for strand in strands:
        layer.stroke(bezier(*(( CX + dx, y) for dx, y in strand), 18), color, width, taper=True, alpha=alpha,
                     clip=mask)


def hair_back(style: Style) -> Image.Image:
    layer = Layer(BOXES.get(style.hair_style, BACK_BOX), style.unit, style.supersample)
    if style.hair_style == "lob":
        outline = _points([(0, 138), (80, 146), (138, 192), (164, 266), (170, 356), (174, 446), (184, 530),
                           (196, 598), (178, 628), (126, 616), (80, 586), (40, 552), (0, 540), (-40, 552),
                           (-80, 586), (-126, 616), (-178, 628), (-196, 598), (-184, 530), (-174, 446),
                           (-170, 356), (-164, 266), (-138, 192), (-80, 146)])
        mask = layer.fill(smooth(outline, 10), style.hair)
        layer.gradient(mask, (CX, 300), (CX, 640), style.hair, style.hair_shade)
        # The inside of the hair, behind the neck, is in deep shadow.
        layer.oval((CX - 150, 380, CX + 150, 680), style.hair_shade, alpha=230, blur=30, clip=mask)
        _strands(layer, mask, [[(-150, 380), (-166, 460), (-170, 540), (-182, 610)],
                               [(-120, 420), (-136, 500), (-140, 560), (-150, 612)],
                               [(150, 380), (166, 460), (172, 540), (184, 610)],
                               [(124, 420), (140, 500), (146, 560), (156, 612)]], style.hair_light, 70, 3)
        layer.shade(mask, -5, 0, style.rim, 60, 2)
    elif style.hair_style in BACKS:
        BACKS[style.hair_style](layer, style)
    else:
        outline = _points([(0, 132), (84, 142), (132, 184), (146, 250), (140, 330), (122, 400), (80, 430),
                           (0, 436), (-80, 430), (-122, 400), (-140, 330), (-146, 250), (-132, 184), (-84, 142)])
        bare = style.hair_style in ("buzz", "bald")
        mask = layer.fill(smooth(outline, 10), style.skin_shade if bare else style.hair_shade)
        if bare:
            # The back of a shaved or bald head: skin, with the short hair that is left low at the back.
            low = layer.poly(_points([(-160, 250), (160, 250), (160, 460), (-160, 460)]))
            layer.paint(mask if style.hair_style == "buzz" else low, style.hair_shade, alpha=170, blur=8, clip=mask)
        layer.oval((CX - 120, 300, CX + 120, 460), "#000000", alpha=90, blur=20, clip=mask)
    return layer.done()


def _forehead_shadow(layer: Layer, style: Style, hair: Image.Image) -> None:
    """The fringe's soft shadow on the skin below it, kept on the face."""
    face = layer.poly(face_outline(style))
    shadow = layer.minus(layer.shift(hair, 3, 9), hair)
    layer.paint(shadow, style.skin_deep, alpha=120, blur=6, clip=face)


def _lob_front(layer: Layer, style: Style) -> None:
    outline = _points([
        (-150, 430), (-160, 340), (-152, 254), (-124, 192), (-72, 152), (0, 138), (82, 146), (138, 190), (162, 262),
        (168, 350), (172, 440), (178, 520), (188, 590), (172, 614),
        (146, 586), (128, 508), (120, 424), (114, 344), (100, 280), (72, 238), (30, 214), (-12, 206), (-40, 204),
        (-64, 218), (-94, 252), (-112, 304), (-120, 364), (-124, 426), (-130, 490), (-142, 548), (-156, 590),
        (-166, 532)])
    hair = layer.poly(smooth(outline, 10))
    _forehead_shadow(layer, style, hair)
    layer.paint(hair, style.hair)
    layer.gradient(hair, (CX - 40, 150), (CX + 60, 420), style.hair_light, style.hair, alpha=150)
    # Depth: the hair turning away next to the face and under the sweep.
    layer.shade(hair, 10, -4, style.hair_shade, 200, 8)
    layer.oval((CX + 92, 300, CX + 150, 600), style.hair_shade, alpha=150, blur=14, clip=hair)
    # Sheen: a broken band of light following the skull.
    sheen = layer.line(bezier((CX - 120, 226), (CX - 86, 168), (CX + 20, 150), (CX + 100, 180), 24), 16)
    layer.paint(sheen, style.hair_light, alpha=170, blur=5, clip=hair)
    layer.paint(layer.line(bezier((CX - 104, 214), (CX - 70, 176), (CX - 10, 164), (CX + 40, 168), 20), 5),
                style.hair_glint, alpha=120, blur=2, clip=hair)
    # Strands from the parting sweep over to the right side and down.
    sweep = [[(-40, 204), (10, 170), (90, 180), (140, 260)], [(-36, 206), (30, 196), (96, 230), (128, 330)],
             [(-30, 210), (40, 214), (100, 268), (116, 400)], [(-44, 200), (40, 156), (120, 180), (156, 300)],
             [(140, 280), (158, 360), (162, 460), (176, 580)], [(120, 360), (132, 440), (140, 520), (160, 590)]]
    _strands(layer, hair, sweep, style.hair_light, 90, 2.4)
    _strands(layer, hair, [[(-32, 212), (36, 222), (84, 250), (108, 300)], [(150, 300), (164, 400), (166, 480),
                                                                            (180, 560)]], style.hair_shade, 140, 3)
    layer.stroke(bezier((CX - 40, 206), (CX - 38, 186), (CX - 34, 166), (CX - 26, 146), 12), style.hair_shade, 4,
                 taper=True, alpha=200, clip=hair)
    left = [[(-46, 204), (-90, 220), (-126, 290), (-134, 380)], [(-56, 210), (-110, 260), (-140, 380),
                                                                 (-148, 520)], [(-60, 160), (-130, 220),
                                                                                (-152, 330), (-160, 420)]]
    _strands(layer, hair, left, style.hair_light, 80, 2.2)
    layer.shade(hair, -4, 0, style.rim, 90, 1.5)


def _crop_front(layer: Layer, style: Style) -> None:
    outline = _points([
        (-130, 340), (-136, 250), (-124, 190), (-88, 150), (-30, 128), (34, 122), (94, 134), (132, 172),
        (142, 234), (134, 342), (120, 344), (114, 270), (92, 236), (50, 226), (6, 230), (-44, 224), (-90, 236),
        (-114, 268), (-120, 344)])
    hair = layer.poly(smooth(outline, 10))
    _forehead_shadow(layer, style, hair)
    layer.paint(hair, style.hair)
    # Short, faded sides: skin shows through above the ears.
    sides = layer.minus(hair, layer.poly(_points([(-150, 100), (150, 100), (150, 262), (0, 250), (-150, 262)])))
    layer.paint(sides, style.skin_shade, alpha=120, blur=6, clip=hair)
    layer.gradient(hair, (CX - 20, 130), (CX + 20, 240), style.hair_light, style.hair, alpha=140)
    layer.shade(hair, 8, -6, style.hair_shade, 190, 7)
    sheen = layer.line(bezier((CX - 96, 190), (CX - 60, 150), (CX + 20, 136), (CX + 90, 156), 20), 14)
    layer.paint(sheen, style.hair_light, alpha=160, blur=5, clip=hair)
    # Sculpted tufts combed up and to the right: lit upper faces, a dark groove under each.
    for i in range(9):
        x = -100 + i * 24
        base = 232 if abs(x) < 80 else 246
        lift = 64 + 20 * (1 - abs(x + 10) / 110)
        tip = (CX + x + 40, base - lift - 8)
        tuft = chain(bezier((CX + x - 6, base), (CX + x - 4, base - lift * 0.5), (CX + x + 14, base - lift),
                            tip, 10),
                     bezier(tip, (CX + x + 22, base - lift * 0.62), (CX + x + 16, base - lift * 0.3),
                            (CX + x + 14, base - 4), 10))
        face = layer.both(layer.poly(tuft), hair)
        layer.paint(face, style.hair_light, alpha=70, blur=2)
        layer.paint(layer.line(tuft[:11], 2.4, taper=True), style.hair_shade, alpha=170, blur=0.6, clip=hair)
    _strands(layer, hair, [[(x, 214), (x + 10, 186), (x + 26, 162), (x + 44, 146)] for x in (-70, -30, 10, 50)],
             style.hair_glint, 70, 1.6)
    layer.shade(hair, -4, 0, style.rim, 90, 1.5)





# --- the builder's other styles --------------------------------------------------------------------------------
def _volume(layer: Layer, style: Style, hair: Image.Image, light_from: tuple, light_to: tuple) -> None:
    """Base colour, a light-to-dark sweep, depth on the side away from the light and a thin rim."""
    layer.paint(hair, style.hair)
    layer.gradient(hair, light_from, light_to, style.hair_light, style.hair, alpha=150)
    layer.shade(hair, 10, -4, style.hair_shade, 190, 8)


def _sheen(layer: Layer, style: Style, hair: Image.Image, points: list, width: float = 16) -> None:
    layer.paint(layer.line(bezier(*points, 24), width), style.hair_light, alpha=150, blur=5, clip=hair)


def _long_back(layer: Layer, style: Style) -> None:
    outline = _points([(0, 136), (84, 144), (142, 190), (168, 262), (176, 356), (184, 460), (196, 560),
                       (208, 660), (214, 760), (190, 800), (120, 780), (60, 720), (0, 700), (-60, 720),
                       (-120, 780), (-190, 800), (-214, 760), (-208, 660), (-196, 560), (-184, 460), (-176, 356),
                       (-168, 262), (-142, 190), (-84, 144)])
    mask = layer.fill(smooth(outline, 10), style.hair)
    layer.gradient(mask, (CX, 300), (CX, 700), style.hair, style.hair_shade)
    layer.oval((CX - 150, 380, CX + 150, 760), style.hair_shade, alpha=230, blur=30, clip=mask)
    layer.shade(mask, -5, 0, style.rim, 60, 2)


def _long_front(layer: Layer, style: Style) -> None:
    half = [(4, 140), (70, 150), (128, 196), (156, 262), (166, 350), (172, 450), (180, 560), (192, 680),
            (202, 780), (188, 812), (156, 820), (130, 800), (120, 700), (116, 600), (116, 500), (120, 420),
            (122, 350), (114, 290), (92, 238), (52, 200), (8, 184)]
    hair = layer.blank()
    for side in (-1, 1):
        pts = [(CX + side * dx * (1.0 if side > 0 else 1.02), y) for dx, y in half]
        hair = layer.union(hair, layer.poly(smooth(pts, 10)))
    _forehead_shadow(layer, style, hair)
    _volume(layer, style, hair, (CX - 60, 150), (CX + 60, 520))
    layer.oval((CX + 100, 300, CX + 180, 820), style.hair_shade, alpha=120, blur=16, clip=hair)
    _sheen(layer, style, hair, [(CX - 140, 250), (CX - 100, 170), (CX - 30, 146), (CX - 4, 146)])
    _sheen(layer, style, hair, [(CX + 8, 146), (CX + 40, 148), (CX + 100, 172), (CX + 136, 240)], 12)
    for side in (-1, 1):
        strands = [[(side * 10, 190), (side * 80, 214), (side * 126, 300), (side * 136, 440)],
                   [(side * 20, 150), (side * 120, 200), (side * 158, 340), (side * 168, 520)],
                   [(side * 140, 380), (side * 150, 520), (side * 160, 650), (side * 180, 790)],
                   [(side * 124, 460), (side * 128, 580), (side * 140, 700), (side * 150, 800)]]
        _strands(layer, hair, strands, style.hair_light, 80, 2.2)
        _strands(layer, hair, [[(side * 130, 420), (side * 138, 540), (side * 150, 660), (side * 166, 800)]],
                 style.hair_shade, 130, 3)
    layer.stroke([(CX, 184), (CX + 1, 160), (CX + 2, 140)], style.hair_shade, 4, taper=True, alpha=200, clip=hair)
    layer.shade(hair, -4, 0, style.rim, 90, 1.5)


def _bob_back(layer: Layer, style: Style) -> None:
    outline = _points([(0, 130), (90, 140), (150, 186), (174, 262), (180, 350), (182, 440), (176, 500), (150, 520),
                       (100, 512), (0, 500), (-100, 512), (-150, 520), (-176, 500), (-182, 440), (-180, 350),
                       (-174, 262), (-150, 186), (-90, 140)])
    mask = layer.fill(smooth(outline, 10), style.hair)
    layer.oval((CX - 140, 340, CX + 140, 560), style.hair_shade, alpha=230, blur=24, clip=mask)


def _bob_front(layer: Layer, style: Style) -> None:
    outline = _points([(0, 128), (90, 138), (150, 184), (174, 260), (180, 350), (182, 440), (178, 498), (160, 516),
                       (136, 508), (124, 470), (122, 400), (124, 330), (120, 292), (112, 278), (80, 283), (40, 279),
                       (0, 282), (-40, 278), (-80, 282), (-112, 277), (-120, 292), (-124, 330), (-122, 400),
                       (-124, 470), (-136, 508), (-160, 516), (-178, 498), (-182, 440), (-180, 350), (-174, 260),
                       (-150, 184), (-90, 138)])
    hair = layer.poly(smooth(outline, 10))
    _forehead_shadow(layer, style, hair)
    _volume(layer, style, hair, (CX - 60, 140), (CX + 60, 460))
    # The ends turn under: darker just above the hem.
    layer.paint(layer.edge(hair, 0, -14), style.hair_shade, alpha=120, blur=5, clip=hair)
    _sheen(layer, style, hair, [(CX - 150, 260), (CX - 110, 172), (CX + 20, 150), (CX + 130, 200)], 18)
    fringe = [[(x, 150), (x + 4, 200), (x + 6, 240), (x + 4, 278)] for x in range(-100, 110, 26)]
    _strands(layer, hair, fringe, style.hair_shade, 110, 2.6)
    _strands(layer, hair, [[(x + 10, 160), (x + 14, 200), (x + 14, 240), (x + 12, 272)] for x in range(-96, 100, 40)],
             style.hair_light, 80, 2)
    for side in (-1, 1):
        _strands(layer, hair, [[(side * 150, 240), (side * 164, 330), (side * 168, 420), (side * 160, 500)],
                               [(side * 130, 300), (side * 140, 380), (side * 142, 440), (side * 140, 500)]],
                 style.hair_light, 70, 2.2)
    layer.shade(hair, -4, 0, style.rim, 90, 1.5)


def _bun_back(layer: Layer, style: Style) -> None:
    outline = _points([(0, 132), (84, 142), (134, 184), (148, 250), (142, 330), (124, 400), (80, 430),
                       (0, 436), (-80, 430), (-124, 400), (-142, 330), (-148, 250), (-134, 184), (-84, 142)])
    layer.fill(smooth(outline, 10), style.hair_shade)
    bun = layer.oval((CX - 70, 46, CX + 62, 164), style.hair)
    layer.gradient(bun, (CX - 40, 60), (CX + 40, 150), style.hair_light, style.hair_shade, alpha=200)
    for i in range(7):
        a = -60 + i * 18
        layer.stroke(bezier((CX - 58, 110 + a * 0.2), (CX - 30, 60 + i * 6), (CX + 30, 56 + i * 8),
                            (CX + 56, 100 + i * 4), 16), style.hair_shade if i % 2 else style.hair_light, 2.2,
                     taper=True, alpha=110, clip=bun)
    layer.shade(bun, -4, 0, style.rim, 90, 1.5)


def _bun_front(layer: Layer, style: Style) -> None:
    outline = _points([(-128, 318), (-136, 246), (-124, 186), (-86, 146), (-22, 126), (40, 124), (98, 140),
                       (132, 182), (142, 244), (134, 318), (124, 322), (120, 272), (104, 236), (60, 212),
                       (10, 204), (-40, 208), (-90, 228), (-116, 266), (-120, 322)])
    hair = layer.poly(smooth(outline, 10))
    _forehead_shadow(layer, style, hair)
    _volume(layer, style, hair, (CX - 50, 130), (CX + 40, 260))
    _sheen(layer, style, hair, [(CX - 118, 230), (CX - 86, 160), (CX + 10, 140), (CX + 100, 162)], 14)
    # Combed back from the hairline towards the bun.
    for x in range(-110, 121, 22):
        start_y = 214 + abs(x) * 0.35
        _strands(layer, hair, [[(x, start_y), (x * 0.8, start_y - 30), (x * 0.5, 150), (x * 0.25, 124)]],
                 style.hair_light if x % 44 else style.hair_shade, 90, 2.0)
    layer.shade(hair, -4, 0, style.rim, 90, 1.5)


def _afro_outline(scale: float = 1.0) -> list[tuple[float, float]]:
    import math

    points = []
    for i in range(48):
        a = 2 * math.pi * i / 48
        bump = 1 + 0.03 * math.sin(a * 9 + 0.7) + 0.015 * math.sin(a * 17)
        points.append((CX + 222 * scale * bump * math.cos(a), 272 + 200 * scale * bump * math.sin(a)))
    return points


def _curls(layer: Layer, style: Style, hair: Image.Image, count: int, seed: int) -> None:
    import random

    rng = random.Random(seed)
    box = hair.getbbox()
    for _ in range(count):
        x = layer.box[0] + rng.uniform(box[0], box[2]) / layer.k
        y = layer.box[1] + rng.uniform(box[1], box[3]) / layer.k
        r = rng.uniform(5, 10)
        light = y < 240 and x < CX + 60
        color = style.hair_light if (light or rng.random() < 0.35) else style.hair_shade
        arc = [(x + r * c, y + r * s) for c, s in ((-1, 0), (-0.7, -0.7), (0, -1), (0.7, -0.7), (1, 0))]
        layer.stroke(arc, color, 2.0, taper=True, alpha=90 if color == style.hair_light else 120, clip=hair)


def _afro_back(layer: Layer, style: Style) -> None:
    mask = layer.fill(smooth(_afro_outline(), 6), style.hair)
    layer.gradient(mask, (CX - 120, 100), (CX + 120, 460), style.hair_light, style.hair_shade, alpha=140)
    layer.oval((CX - 150, 330, CX + 150, 520), style.hair_shade, alpha=220, blur=26, clip=mask)
    _curls(layer, style, mask, 260, 3)
    layer.shade(mask, -5, 0, style.rim, 70, 2)


def _afro_front(layer: Layer, style: Style) -> None:
    whole = layer.poly(smooth(_afro_outline(), 6))
    window = layer.poly(smooth(_points([(-118, 560), (-122, 330), (-118, 266), (-96, 222), (-50, 200), (0, 196),
                                        (50, 200), (96, 222), (118, 266), (122, 330), (118, 560)]), 8, closed=True))
    hair = layer.minus(whole, window)
    _forehead_shadow(layer, style, hair)
    layer.paint(hair, style.hair)
    layer.gradient(hair, (CX - 120, 90), (CX + 140, 440), style.hair_light, style.hair, alpha=160)
    layer.shade(hair, -40, 10, style.hair_shade, 150, 24)
    layer.shade(hair, 6, 6, style.hair_shade, 160, 5)   # the hairline's inner edge turns in
    _curls(layer, style, hair, 700, 5)
    layer.paint(layer.line(bezier((CX - 190, 200), (CX - 140, 100), (CX - 40, 76), (CX + 60, 82), 24), 30),
                style.hair_light, alpha=70, blur=12, clip=hair)
    layer.shade(hair, -4, 0, style.rim, 90, 1.5)


def _side_part_front(layer: Layer, style: Style) -> None:
    outline = _points([(-128, 332), (-134, 250), (-124, 188), (-90, 146), (-30, 124), (40, 114), (100, 128),
                       (136, 172), (144, 236), (136, 332), (122, 336), (118, 272), (100, 234), (60, 216),
                       (10, 212), (-40, 214), (-84, 226), (-112, 262), (-120, 334)])
    hair = layer.poly(smooth(outline, 10))
    _forehead_shadow(layer, style, hair)
    layer.paint(hair, style.hair)
    sides = layer.minus(hair, layer.poly(_points([(-150, 100), (150, 100), (150, 268), (0, 256), (-150, 268)])))
    layer.paint(sides, style.skin_shade, alpha=90, blur=6, clip=hair)
    layer.gradient(hair, (CX - 40, 120), (CX + 40, 240), style.hair_light, style.hair, alpha=140)
    layer.shade(hair, 8, -6, style.hair_shade, 190, 7)
    _sheen(layer, style, hair, [(CX - 30, 150), (CX + 10, 130), (CX + 70, 132), (CX + 120, 170)], 14)
    # The parting on the left; the hair combed across to the right and a little up at the front.
    _strands(layer, hair, [[(-48, 214 - i * 12), (-10, 190 - i * 16), (60, 180 - i * 14), (130, 200 - i * 10)]
                           for i in range(5)], style.hair_light, 90, 2.2)
    _strands(layer, hair, [[(-46, 208 - i * 14), (0, 200 - i * 14), (70, 196 - i * 12), (128, 230 - i * 12)]
                           for i in range(0, 5, 2)], style.hair_shade, 120, 2.4)
    _strands(layer, hair, [[(-56, 212 - i * 14), (-84, 210 - i * 10), (-112, 230 - i * 6), (-126, 270 - i * 4)]
                           for i in range(4)], style.hair_light, 70, 2.0)
    layer.stroke(bezier((CX - 52, 214), (CX - 50, 190), (CX - 46, 160), (CX - 40, 132), 12), style.hair_shade, 3.5,
                 taper=True, alpha=220, clip=hair)
    layer.shade(hair, -4, 0, style.rim, 90, 1.5)


def _stipple(layer: Layer, style: Style, mask: Image.Image, count: int, seed: int) -> None:
    import random

    rng = random.Random(seed)
    box = mask.getbbox()
    dots: dict[str, list] = {style.hair_shade: [], style.hair_light: []}
    for _ in range(count):
        x = layer.box[0] + rng.uniform(box[0], box[2]) / layer.k
        y = layer.box[1] + rng.uniform(box[1], box[3]) / layer.k
        dots[rng.choice((style.hair_shade, style.hair_light))].append(((x, y), (x + 2, y - 3)))
    for color, pairs in dots.items():
        layer.paint(layer.segments(pairs, 1.4), color, alpha=110, clip=mask)


def _buzz_front(layer: Layer, style: Style) -> None:
    skull = extras.crown(layer, style)
    cap = layer.both(skull, layer.poly(smooth(_points([(-138, 330), (-140, 240), (-126, 170), (-60, 110), (60, 110),
                                                       (126, 170), (140, 240), (138, 330), (122, 330), (118, 268),
                                                       (96, 230), (50, 214), (0, 212), (-50, 214), (-96, 230),
                                                       (-118, 268), (-122, 330)]), 8)))
    layer.paint(cap, style.hair, alpha=200, blur=1.5)
    layer.gradient(cap, (CX - 60, 130), (CX + 60, 260), style.hair_light, style.hair_shade, alpha=70)
    _stipple(layer, style, cap, 900, 9)
    layer.oval((CX - 70, 140, CX + 10, 186), "#FFFFFF", alpha=25, blur=10, clip=cap)


def _bald_front(layer: Layer, style: Style) -> None:
    extras.crown(layer, style)
    for side in (-1, 1):
        patch = layer.poly(smooth(_points([(side * 112, 236), (side * 130, 218), (side * 146, 250),
                                           (side * 144, 316), (side * 132, 344), (side * 120, 330),
                                           (side * 118, 280)]), 8))
        layer.paint(patch, style.hair, blur=1.5)
        layer.shade(patch, side * 6, 0, style.hair_shade, 140, 4)
        _strands(layer, patch, [[(side * 118, 240 + i * 18), (side * 128, 250 + i * 18), (side * 136, 270 + i * 18),
                                 (side * 140, 290 + i * 18)] for i in range(4)], style.hair_light, 110, 2.0)


BACKS = {"lob": None, "long": _long_back, "bob": _bob_back, "bun": _bun_back, "afro": _afro_back}
FRONTS = {"long": _long_front, "bob": _bob_front, "bun": _bun_front, "afro": _afro_front,
          "side_part": _side_part_front, "buzz": _buzz_front, "bald": _bald_front}
BOXES = {"long": (CX - 240, 90, CX + 240, 840), "afro": (CX - 250, 40, CX + 250, 580), "bun": (CX - 170, 30, CX + 170, 560)}


def hair_front(style: Style) -> Image.Image:
    """The hair in front of the face (and glasses, which the hair may fall over)."""
    box = BOXES.get(style.hair_style, HEAD_BOX if style.hair_style in ("crop", "side_part", "buzz", "bald")
                    else BACK_BOX)
    layer = Layer(box, style.unit, style.supersample)
    if style.glasses != "none":
        extras.glasses(layer, style)
    if style.hair_style == "lob":
        _lob_front(layer, style)
    elif style.hair_style in FRONTS:
        FRONTS[style.hair_style](layer, style)
    else:
        _crop_front(layer, style)
    return layer.done()
