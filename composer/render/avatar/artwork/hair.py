"""Hair: a mass behind the head and a front layer with the fringe, drawn with volume (sheen band, strands,
depth near the face) and a soft shadow cast on the forehead. Maya wears a side-parted lob, Leo a textured crop."""
from __future__ import annotations

from PIL import Image

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
    layer = Layer(BACK_BOX, style.unit, style.supersample)
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
    else:
        outline = _points([(0, 132), (84, 142), (132, 184), (146, 250), (140, 330), (122, 400), (80, 430),
                           (0, 436), (-80, 430), (-122, 400), (-140, 330), (-146, 250), (-132, 184), (-84, 142)])
        mask = layer.fill(smooth(outline, 10), style.hair_shade)
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


def hair_front(style: Style) -> Image.Image:
    layer = Layer(HEAD_BOX if style.hair_style == "crop" else BACK_BOX, style.unit, style.supersample)
    if style.hair_style == "lob":
        _lob_front(layer, style)
    else:
        _crop_front(layer, style)
    return layer.done()
