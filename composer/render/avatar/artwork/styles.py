"""The two built-in presenters' looks: palettes and a few shape choices. Drawing lives in face/hair/body."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    name: str
    unit: float              # native pixels per design unit
    skin: str
    skin_shade: str
    skin_deep: str           # creases, nostrils, the darkest skin shadows
    skin_light: str
    blush: str
    rim: str                 # cool rim light from behind, on the shadow side
    hair: str
    hair_shade: str
    hair_light: str
    hair_style: str          # "lob" (shoulder-length) or "crop" (short, textured)
    outfit: str              # "blazer" or "sweater"
    cloth: str               # jacket / sweater
    cloth_shade: str
    cloth_deep: str
    cloth_light: str
    shirt: str
    shirt_shade: str
    iris: str
    iris_light: str
    lash: str
    lips: str
    lips_upper: str          # the upper lip sits in shadow, a little darker
    lips_light: str
    brow: str
    accent: str              # jewellery / buttons
    lashes: bool             # drawn lashes flick at the outer corners
    brow_width: float
    spread: float            # extra shoulder half-width for a broader build
    neck: float              # neck half-width


MAYA = Style(
    "Maya", unit=1.0,
    skin="#EDBB98", skin_shade="#D49775", skin_deep="#B0704F", skin_light="#F8D6BD", blush="#EE9A86",
    rim="#FFE9DA",
    hair="#3A2620", hair_shade="#23160F", hair_light="#6B4636", hair_style="lob",
    outfit="blazer", cloth="#1F5B6E", cloth_shade="#174655", cloth_deep="#0F3340", cloth_light="#2E7488",
    shirt="#FBF7F1", shirt_shade="#E2D9CC",
    iris="#6A4128", iris_light="#A8744C", lash="#22140F",
    lips="#C8666A", lips_upper="#AE5058", lips_light="#E49A98",
    brow="#3A2620", accent="#E6BE6A", lashes=True, brow_width=7.5, spread=0.0, neck=48.0,
)

LEO = Style(
    "Leo", unit=1.2,
    skin="#B77D5B", skin_shade="#9A6244", skin_deep="#774631", skin_light="#CF9C7B", blush="#C07A62",
    rim="#F3DCCB",
    hair="#221B18", hair_shade="#110D0B", hair_light="#4A3C35", hair_style="crop",
    outfit="sweater", cloth="#3E5B8A", cloth_shade="#314A72", cloth_deep="#233757", cloth_light="#5475A8",
    shirt="#F4F7FA", shirt_shade="#CFD8E2",
    iris="#3F2A1D", iris_light="#7A553A", lash="#18110E",
    lips="#A2605A", lips_upper="#8A4C47", lips_light="#BF827A",
    brow="#231B17", accent="#DADFE6", lashes=False, brow_width=10.0, spread=16.0, neck=60.0,
)
