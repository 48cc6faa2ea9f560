"""The built-in presenters' action clips. Arm poses are authored as absolute segment angles (degrees from
hanging down, counter-clockwise as seen, for the arm on the viewer's left; the other arm mirrors them) and
turned into the rig's per-part rotation offsets from the rest pose."""
from __future__ import annotations

from composer.render.avatar.artwork.skeleton import REST

Pose = tuple[float, float, float]   # upper arm, forearm, hand
REST_POSE: Pose = (REST["upper"], REST["fore"], REST["hand"])


def _wrap(degrees: float) -> float:
    return (degrees + 180.0) % 360.0 - 180.0


def offsets(pose: Pose) -> tuple[float, float, float]:
    """Rotation offsets of (upper, fore, hand) parts that put a viewer-left arm in `pose`."""
    upper, fore, hand = pose
    rest_upper, rest_fore, rest_hand = REST_POSE
    return (upper - rest_upper, _wrap((fore - upper) - (rest_fore - rest_upper)),
            _wrap((hand - fore) - (rest_hand - rest_fore)))


def arm_tracks(side: int, keys: list[tuple[float, Pose]]) -> dict[str, dict[str, list[list[float]]]]:
    """Keyframed rotation tracks for one arm (-1 viewer-left, 1 viewer-right) through poses."""
    prefix = "arm_l" if side < 0 else "arm_r"
    tracks: dict[str, dict[str, list[list[float]]]] = {f"{prefix}_{p}": {"rotate": []} for p in ("upper", "fore", "hand")}
    for t, pose in keys:
        for piece, value in zip(("upper", "fore", "hand"), offsets(pose), strict=True):
            tracks[f"{prefix}_{piece}"]["rotate"].append([t, round(-value if side > 0 else value, 2)])
    return tracks


def track(*keys: tuple[float, float]) -> list[list[float]]:
    return [[t, v] for t, v in keys]


def clip(duration: float, semantic: bool, *groups: dict) -> dict:
    tracks: dict = {}
    for group in groups:
        for part, channels in group.items():
            tracks.setdefault(part, {}).update(channels)
    return {"semantic": semantic, "duration": duration, "tracks": tracks}


def _wave(narrow: bool) -> dict:
    # In a narrow (portrait) frame the elbow stays closer to the body so the hand stays in the picture.
    upper, fore = (-40.0, -176.0) if narrow else (-72.0, -172.0)
    up: Pose = (upper, fore, fore)
    keys: list[tuple[float, Pose]] = [(0.0, REST_POSE), (0.6, up)]
    for i, t in enumerate((0.85, 1.1, 1.35, 1.6, 1.85, 2.1)):
        swing = 1 if i % 2 == 0 else -1
        keys.append((t, (upper, fore + 7 * swing, fore + 16 * swing)))
    keys += [(2.35, up), (3.0, REST_POSE)]
    return clip(3.0, True, arm_tracks(-1, keys),
                {"head": {"rotate": track((0, 0), (0.6, -3), (2.35, -3), (3.0, 0))},
                 "brows": {"dy": track((0, 0), (0.5, -4), (2.4, -4), (3.0, 0))}})


def _point(narrow: bool) -> dict:
    # Landscape: an open hand presenting what is beside the presenter; portrait: towards what is above.
    aim: Pose = (-26.0, -166.0, -154.0) if narrow else (-44.0, -98.0, -84.0)
    keys = [(0.0, REST_POSE), (0.55, aim), (2.0, aim), (2.6, REST_POSE)]
    return clip(2.6, True, arm_tracks(-1, keys),
                {"head": {"rotate": track((0, 0), (0.6, 4), (2.0, 4), (2.6, 0))},
                 "brows": {"dy": track((0, 0), (0.5, -3), (2.0, -3), (2.6, 0))}})


def _nod() -> dict:
    return clip(1.3, True, {
        "head": {"dy": track((0, 0), (0.3, 9), (0.6, 0), (0.9, 6), (1.3, 0)),
                 "rotate": track((0, 0), (0.3, -1.5), (0.6, 0), (0.9, -1), (1.3, 0))},
        "brows": {"dy": track((0, 0), (0.3, -3), (1.0, -3), (1.3, 0))}})


def _open_palms() -> dict:
    raised: Pose = (-14.0, 140.0, 152.0)
    spread: Pose = (-18.0, 126.0, 140.0)
    keys = [(0.0, REST_POSE), (0.55, raised), (1.3, spread), (1.9, spread), (2.5, REST_POSE)]
    return clip(2.5, False, arm_tracks(-1, keys), arm_tracks(1, keys))


def _explain() -> dict:
    lifted: Pose = (-10.0, 128.0, 150.0)
    tilted: Pose = (-12.0, 120.0, 136.0)
    keys = [(0.0, REST_POSE), (0.55, lifted), (1.2, tilted), (1.8, lifted), (2.4, REST_POSE)]
    return clip(2.4, False, arm_tracks(1, keys), {"head": {"rotate": track((0, 0), (0.6, 2), (1.8, 2), (2.4, 0))}})


def _shrug() -> dict:
    out: Pose = (-12.0, 48.0, 62.0)
    keys = [(0.0, REST_POSE), (0.5, out), (1.3, out), (1.9, REST_POSE)]
    return clip(1.9, False, arm_tracks(-1, keys), arm_tracks(1, keys), {
        "torso": {"dy": track((0, 0), (0.5, -5), (1.3, -5), (1.9, 0))},
        "head": {"rotate": track((0, 0), (0.5, 3), (1.3, 3), (1.9, 0))},
        "brows": {"dy": track((0, 0), (0.45, -5), (1.3, -5), (1.9, 0))}})


def _head_tilt() -> dict:
    return clip(2.2, False, {"head": {"rotate": track((0, 0), (0.6, -4.5), (1.5, -4.5), (2.2, 0)),
                                      "dx": track((0, 0), (0.6, -4), (1.5, -4), (2.2, 0))},
                             "brows": {"dy": track((0, 0), (0.5, -3), (1.6, -3), (2.2, 0))}})


def clips_for(*, narrow: bool) -> dict[str, dict]:
    """All clips of a built-in presenter (`narrow`: for a portrait frame): semantic (wave, point, nod) and the
    automatic gestures."""
    return {"wave": _wave(narrow), "point": _point(narrow), "nod": _nod(), "open_palms": _open_palms(),
            "explain": _explain(), "shrug": _shrug(), "head_tilt": _head_tilt()}
