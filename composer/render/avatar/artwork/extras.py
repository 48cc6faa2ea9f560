"""What a builder's extras add to a face: a trimmed beard, the soft lines of an older face, glasses, and the bare
crown of a close-cropped or bald head. Each paints onto a layer the face or hair code already owns."""
from __future__ import annotations

import random

from composer.render.avatar.artwork.canvas import Layer, bezier, mirror, smooth
from composer.render.avatar.artwork.skeleton import CX, EYE_DX, EYE_Y
from composer.render.avatar.artwork.styles import Style, mix


def beard(layer: Layer, style: Style, face) -> None:
    """A short trimmed beard and moustache on the head layer (the mouth layer draws the lips over it)."""
    half = [(128, 326), (130, 380), (122, 420), (104, 462), (70, 506), (30, 524), (0, 528)]
    outline = [(CX + dx, y) for dx, y in half] + mirror([(CX + dx, y) for dx, y in half[-2::-1]])
    cheeks = layer.poly([(CX - 160, 100), (CX + 160, 100), (CX + 160, 338), (CX + 124, 346), (CX + 112, 384),
                         (CX + 92, 414), (CX + 60, 430), (CX + 40, 424), (CX + 18, 421), (CX, 423),
                         (CX - 18, 421), (CX - 40, 424), (CX - 60, 430), (CX - 92, 414), (CX - 112, 384),
                         (CX - 124, 346), (CX - 160, 338)])
    mass = layer.minus(layer.union(face, layer.poly(smooth(outline, 8))), cheeks)
    hair = style.hair
    layer.paint(mass, mix(hair, style.skin, 0.15), alpha=235, blur=1.2)
    layer.gradient(mass, (CX - 60, 420), (CX + 60, 520), style.hair_light, style.hair_shade, alpha=110)
    layer.paint(layer.edge(mass, 0, -10), style.hair_shade, alpha=120, blur=4, clip=mass)
    rng = random.Random(11)
    box = mass.getbbox()
    k = layer.k
    hairs: dict[str, list] = {style.hair_light: [], style.hair_shade: []}
    for _ in range(420):
        x = layer.box[0] + rng.uniform(box[0], box[2]) / k
        y = layer.box[1] + rng.uniform(box[1], box[3]) / k
        dx = (x - CX) / 140
        hairs[rng.choice((style.hair_light, style.hair_shade))].append(((x, y), (x + dx * 5, y + 7)))
    for color, pairs in hairs.items():
        layer.paint(layer.segments(pairs, 1.4), color, alpha=90, clip=mass)
    layer.shade(mass, -3, 0, style.rim, 60, 1.5)


def age_lines(layer: Layer, style: Style, face) -> None:
    """Soft lines of an older face: forehead, crow's feet, under the eyes, nose to mouth."""
    line = style.skin_deep
    for y, w in ((232, 70), (252, 84), (272, 64)):
        layer.stroke(bezier((CX - w, y + 4), (CX - w / 3, y - 3), (CX + w / 3, y - 3), (CX + w, y + 4), 16),
                     line, 2.2, taper=True, alpha=70, blur=1.2, clip=face)
    for side in (-1, 1):
        ex = CX + side * EYE_DX
        layer.stroke(bezier((ex - side * 26, EYE_Y + 20), (ex - side * 8, EYE_Y + 30), (ex + side * 12, EYE_Y + 30),
                            (ex + side * 28, EYE_Y + 20), 14), line, 2.0, taper=True, alpha=80, blur=1.2, clip=face)
        for dy, tilt in ((-8, -6), (2, 0), (11, 7)):
            start = (ex + side * 42, EYE_Y + dy)
            layer.stroke([start, (start[0] + side * 14, start[1] + tilt)], line, 1.8, taper=True, alpha=80,
                         blur=1.0, clip=face)
        fold = bezier((CX + side * 26, 408), (CX + side * 44, 424), (CX + side * 50, 446), (CX + side * 48, 470), 16)
        layer.stroke(fold, line, 3.2, taper=True, alpha=90, blur=2.0, clip=face)
        layer.stroke([(x - side * 3, y - 1) for x, y in fold], style.skin_light, 2.6, taper=True, alpha=80, blur=1.6,
                     clip=face)
    layer.stroke(bezier((CX - 26, 492), (CX - 10, 498), (CX + 10, 498), (CX + 26, 492), 10), line, 1.8, taper=True,
                 alpha=60, blur=1.5, clip=face)


def glasses(layer: Layer, style: Style) -> None:
    """Frames on the front layer (hair falls over their arms); the lenses only catch a faint glare."""
    frame = "#2B2A30" if style.glasses == "square" else "#6A4532"
    lenses = []
    for side in (-1, 1):
        ex = CX + side * EYE_DX
        if style.glasses == "round":
            lens = smooth([(ex + 40 * c, EYE_Y + 2 + 36 * s) for c, s in ((1, 0), (0.7, 0.7), (0, 1), (-0.7, 0.7),
                                                                          (-1, 0), (-0.7, -0.7), (0, -1), (0.7, -0.7))],
                          8)
        else:
            lens = smooth([(ex - 42, EYE_Y - 24), (ex, EYE_Y - 27), (ex + 42, EYE_Y - 24), (ex + 44, EYE_Y + 6),
                           (ex + 36, EYE_Y + 28), (ex, EYE_Y + 30), (ex - 36, EYE_Y + 28), (ex - 44, EYE_Y + 6)], 8)
        lenses.append(lens)
        glass = layer.poly(lens)
        layer.paint(glass, "#DDEBF5", alpha=28)
        layer.stroke([(ex - 30, EYE_Y + 16), (ex - 8, EYE_Y - 20)], "#FFFFFF", 7, alpha=50, blur=2, clip=glass)
        layer.stroke(lens + lens[:1], frame, 4.2)
        layer.stroke(lens[: len(lens) // 2], mix(frame, "#FFFFFF", 0.4), 1.2, alpha=120)
        hinge = (ex + side * 42, EYE_Y - 10)
        layer.stroke([hinge, (CX + side * 118, EYE_Y - 14), (CX + side * 128, EYE_Y - 6)], frame, 3.6)
    bridge = bezier((CX - EYE_DX + 38, EYE_Y - 6), (CX - 10, EYE_Y - 16), (CX + 10, EYE_Y - 16),
                    (CX + EYE_DX - 38, EYE_Y - 6), 10)
    layer.stroke(bridge, frame, 3.8)


def crown(layer: Layer, style: Style) -> object:
    """The bare top of the head (skin), blending into the forehead below; returns its crisp outline mask."""
    outline = smooth([(CX - 134, 300), (CX - 136, 236), (CX - 122, 182), (CX - 84, 144), (CX - 24, 126),
                      (CX + 34, 126), (CX + 92, 146), (CX + 128, 184), (CX + 138, 238), (CX + 134, 300),
                      (CX, 300)], 10)
    skull = layer.poly(outline)
    fade = layer.poly([(CX - 160, 90), (CX + 160, 90), (CX + 160, 262), (CX, 252), (CX - 160, 262)])
    layer.paint(fade, style.skin, blur=8, clip=skull)
    layer.gradient(layer.both(skull, fade), (CX - 70, 140), (CX + 50, 280), style.skin_light, style.skin, alpha=170)
    layer.paint(layer.both(layer.edge(skull, -30, 0), fade), style.skin_shade, alpha=150, blur=12, clip=skull)
    layer.paint(layer.both(layer.edge(skull, 3, 0), fade), style.skin_shade, alpha=60, blur=6, clip=skull)
    layer.oval((CX - 70, 142, CX + 10, 190), "#FFFFFF", alpha=45, blur=10, clip=skull)
    layer.paint(layer.both(layer.edge(skull, -3, 0), fade), style.rim, alpha=100, blur=1.5, clip=skull)
    return skull
