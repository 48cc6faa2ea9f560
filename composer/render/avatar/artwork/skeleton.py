"""Where the presenters' joints are (design units) and their rest pose, shared by the drawings and the rig."""
from __future__ import annotations

import math

from composer.render.avatar.artwork.canvas import DESIGN, Point

CX = DESIGN[0] / 2
NECK_PIVOT: Point = (CX, 520)         # the head turns and nods about the top of the neck
EYE_Y = 352
EYE_DX = 56
MOUTH: Point = (CX, 452)
SHOULDER_DX = 200
SHOULDER_Y = 676
UPPER_ARM = 240
FOREARM = 190
HAND = 105

# Rest pose of the figure's arms, in degrees from hanging straight down, counter-clockwise as seen, for the arm
# on the viewer's left (side -1); the other arm mirrors it. Hands meet loosely in front of the waist.
REST = {"upper": -7.0, "fore": 62.0, "hand": 78.0}


def shoulder(side: int, spread: float = 0.0) -> Point:
    """The shoulder joint; `spread` widens a broader-built presenter."""
    return (CX + side * (SHOULDER_DX + spread), SHOULDER_Y)


def along(start: Point, degrees: float, length: float) -> Point:
    r = math.radians(degrees)
    return start[0] + length * math.sin(r), start[1] + length * math.cos(r)


def rest_angles(side: int) -> dict[str, float]:
    """Absolute rest angles of one arm's segments (mirrored for the viewer-right arm)."""
    return {segment: -angle for segment, angle in REST.items()} if side > 0 else dict(REST)


def joints(side: int, spread: float = 0.0) -> dict[str, Point]:
    """Shoulder, elbow and wrist of one arm in the rest pose."""
    angles = rest_angles(side)
    top = shoulder(side, spread)
    elbow = along(top, angles["upper"], UPPER_ARM)
    wrist = along(elbow, angles["fore"], FOREARM)
    return {"upper": top, "fore": elbow, "hand": wrist}
