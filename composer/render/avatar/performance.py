"""A scene's choreography for one rig: idle motion, breathing, blinks, mouth shapes and action clips, sampled
per frame. Deterministic for a seed. Composed pieces are cached by pose, so most frames cost a few pastes."""
from __future__ import annotations

import math
import threading
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass

from PIL import Image

from composer.render.avatar.choreography import FPS, Choreography
from composer.render.avatar.rig import Part, Rig
from composer.render.avatar.transform import (
    IDENTITY,
    Matrix,
    compose,
    paste_over,
    rotation_about,
    transform_image,
    translation,
)

ANGLE_STEP = 0.2
# A frame at t is on screen from t to t + 1/FPS and shows the mouth shape that is sounding by the end of that
# time: a sound's shape is up no later than the sound (animators lead by up to a frame; sound before picture is
# noticed from ~45 ms, picture before sound hardly at all). The epsilon keeps a key starting exactly on the next
# frame's time for that frame.
MOUTH_LEAD = 1 / FPS - 1e-6
# What each cache of drawn pieces may hold, in bytes of RGBA pixels, so that a long scene's caches stop growing
# where a short one's do. Sized from a 60-second 1080p scene's uses (171 distinct head poses, 428 arm and torso
# turns, 520 small pieces), these budgets hold 65 MB where the former fixed counts (48, 80, 80 and 512 pieces)
# held 108 MB, for 88% of head poses found instead of 92% and 82% of small pieces instead of 88%; a 30-second
# scene took the same CPU time (29.8-30.3 against 29.7-30.8 s).
GROUP_BYTES = 12 << 20         # composed head groups and mouths (21 distinct in that scene: all kept)
PLACED_BYTES = 16 << 20        # the big single parts placed (arms, torso)
PLACED_GROUP_BYTES = 32 << 20  # the composed head groups placed
SMALL_PIECE = 160 * 160
SMALL_BYTES = 8 << 20          # small pieces placed (mouths, hands): cheap to make again
SCALED_MAX_BYTES = 128 * 1024 * 1024
REDUCING_GAP = 3.0
Sprite = tuple[Image.Image, tuple[int, int]]


@dataclass(frozen=True)
class MouthPose:
    """One whole mouth shape: never a blend of two (two half-transparent pairs of lips read as a glitch; the
    timeline puts real in-between shapes where a change is big)."""

    shape: str


class Performance:
    """Build once per scene, then call frame(t) (or sprites(t)) for each video frame.

    `scale` pre-scales the rig once, so frames come out at the size they are composited at. `duration` may be
    changed after construction (the scene's final length); the plan of blinks and gestures follows it.
    """

    def __init__(self, rig: Rig, mouth, actions, duration: float, *, action_interval: float | None = None,
                 end_at_first_frame: bool = False, seed: int = 0, scale: float = 1.0):
        self.rig = rig
        self.scale = scale
        self.parts, self.faces = scaled(rig, scale)
        self.size = (max(1, round(rig.size[0] * scale)), max(1, round(rig.size[1] * scale)))
        self.offset = (0, 0)           # where the compositor places the frame; not used here
        self.clip = None               # the compositor's visible (left, top, right, bottom), output px
        self.pivot = None              # where the compositor turns a rotated layer, output px
        self.mouth = sorted(mouth, key=lambda key: key.start)
        self._mouth_starts = [key.start for key in self.mouth]
        self._actions = list(actions)
        self._interval = action_interval
        self._seed = seed
        self._known: float | None = None
        self.end_at_first_frame = end_at_first_frame
        self._duration = duration
        self.plan = Choreography(rig, self._actions, duration, action_interval=action_interval,
                                 end_at_first_frame=end_at_first_frame, seed=seed, mouth=self.mouth)
        self.body_order = sorted((p for p in self.parts.values() if p.group == "body"), key=lambda p: p.z)
        self.group_parts = {group: sorted((p for p in self.parts.values() if p.group == group), key=lambda p: p.z)
                            for group in ("head", "head_back")}
        self._group_box = {group: self._box(group) for group, parts in self.group_parts.items() if parts}
        self._mouth_box = _bounds(list(self.faces["mouths"].values()), 0)
        self._groups = _SpriteCache(GROUP_BYTES)
        self._placed = _SpriteCache(PLACED_BYTES)
        self._placed_groups = _SpriteCache(PLACED_GROUP_BYTES)
        self._placed_small = _SpriteCache(SMALL_BYTES)

    @property
    def duration(self) -> float:
        return self._duration

    @duration.setter
    def duration(self, value: float) -> None:
        self._duration = value
        self.plan = Choreography(self.rig, self._actions, value, action_interval=self._interval,
                                 end_at_first_frame=self.end_at_first_frame, seed=self._seed, mouth=self.mouth,
                                 known=self._known)

    def replan(self, mouth, actions, duration: float, known: float | None) -> None:
        """The scene's speech as far as it is known: its mouth keys and actions, the least the scene will last,
        and how many seconds of speech they cover (None: all of it). plan.settled says how far the plan is
        final."""
        self.mouth = sorted(mouth, key=lambda key: key.start)
        self._mouth_starts = [key.start for key in self.mouth]
        self._actions = list(actions)
        self._known = known
        self.duration = duration

    # --- what the face does -----------------------------------------------------------------------------------
    def mouth_pose(self, t: float) -> MouthPose:
        """The mouth on the frame that starts at t (see MOUTH_LEAD)."""
        if self.end_at_first_frame and t >= self._duration - 1.5 / FPS:
            t = 0.0
        t += MOUTH_LEAD
        index = bisect_right(self._mouth_starts, t) - 1
        if index < 0 or t >= self.mouth[index].end:
            return MouthPose("X")
        return MouthPose(self.mouth[index].shape)

    # --- drawing --------------------------------------------------------------------------------------------
    def _local(self, part: Part, channel: dict[str, float]) -> Matrix:
        # Angles in steps of ANGLE_STEP: below a pixel of travel at the crown, and poses repeat, so the cache hits.
        angle = round(round(channel.get("rotate", 0.0) / ANGLE_STEP) * ANGLE_STEP, 2)
        grow = round(channel.get("scale", 0.0), 3)
        # Offsets are authored in native pixels; whole output pixels keep unrotated parts on the fast path.
        dx = round(channel.get("dx", 0.0) * self.scale)
        dy = round(channel.get("dy", 0.0) * self.scale)
        if not angle and not grow:
            return IDENTITY if not dx and not dy else translation(dx, dy)
        matrix = rotation_about(part.pivot, angle, dx, dy)
        if grow:
            factor = 1.0 + grow
            px, py = part.pivot
            matrix = compose(matrix, (factor, 0.0, px * (1 - factor), 0.0, factor, py * (1 - factor)))
        return matrix

    def _world(self, part: Part, channels: dict, cache: dict) -> Matrix:
        if part.name in cache:
            return cache[part.name]
        local = self._local(part, channels.get(part.name, {}))
        parent = self.parts.get(part.parent) if part.parent else None
        matrix = local if parent is None else compose(self._world(parent, channels, cache), local)
        cache[part.name] = matrix
        return matrix

    def _box(self, group: str) -> tuple[int, int, int, int]:
        """A fixed box for a composed group (every eye state fits), so cached pieces line up."""
        pieces = [(p.image, p.origin) for p in self.group_parts[group]]
        if group == "head":
            pieces += list(self.faces["eyes"].values())
        return _bounds(pieces, round(12 * self.scale) + 1)   # room for features shifting inside (brows)

    def _compose_group(self, group: str, eyes: str, shifts: tuple) -> Image.Image:
        left, top, right, bottom = self._group_box[group]
        canvas = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
        layers = [(p.z, p.image, p.origin, p.name) for p in self.group_parts[group]]
        if group == "head":
            layers.append((self.rig.eyes_z, *self.faces["eyes"][eyes], "eyes"))
        moved = dict(shifts)
        for _, image, origin, name in sorted(layers, key=lambda item: item[0]):
            dx, dy = moved.get(name, (0, 0))
            paste_over(canvas, image, (origin[0] - left + dx, origin[1] - top + dy))
        return canvas

    def _group(self, group: str, eyes: str, shifts: tuple) -> Sprite:
        """A head group's layers (the head: face, eyes, brows, front hair) composed once per pose."""
        return self._groups.get((group, eyes, shifts),
                                lambda: (self._compose_group(group, eyes, shifts), self._group_box[group][:2]))

    def _mouth(self, pose: MouthPose) -> Sprite:
        """The mouth shape on a box shared by all shapes, so every shape moves with the head the same way."""
        def make() -> Sprite:
            left, top, right, bottom = self._mouth_box
            image = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
            shape, origin = self.faces["mouths"][pose.shape]
            image.paste(shape, (origin[0] - left, origin[1] - top))
            return image, (left, top)

        return self._groups.get(("mouth", pose), make)

    def _place(self, key, image: Image.Image, origin: tuple[int, int], matrix: Matrix) -> Sprite:
        """transform_image with a bounded cache. Whole-pixel parts of the translation only move the result, so
        a pose that repeats at another place (a sway, a breath) is still a hit."""
        a, b, c, d, e, f = matrix
        whole_x, whole_y = math.floor(c), math.floor(f)
        rest = (round(a, 6), round(b, 6), round(c - whole_x, 3), round(d, 6), round(e, 6), round(f - whole_y, 3))
        # Small pieces (mouths, hands) get a cache of their own, so they never push out the big head poses; so do
        # the composed head groups (keys are tuples), whose few poses repeat, from the arms, whose turns rarely do.
        if image.size[0] * image.size[1] < SMALL_PIECE:
            cache = self._placed_small
        else:
            cache = self._placed_groups if isinstance(key, tuple) else self._placed
        placed, (x, y) = cache.get((key, rest), lambda: transform_image(image, origin, rest))
        return placed, (x + whole_x, y + whole_y)

    def _shifts(self, group: str, channels: dict) -> tuple:
        """Whole-pixel offsets of features inside a group (e.g. raised brows), part of the cache key."""
        shifts = []
        for part in self.group_parts[group]:
            channel = channels.get(part.name)
            if part.name != "head" and channel:
                dx, dy = round(channel.get("dx", 0.0) * self.scale), round(channel.get("dy", 0.0) * self.scale)
                if dx or dy:
                    shifts.append((part.name, (dx, dy)))
        return tuple(shifts)

    def sprites(self, t: float) -> list[Sprite]:
        """The avatar at time t as positioned RGBA pieces, back to front, in (scaled) rig pixels."""
        channels = self.plan.channels(t)
        cache: dict[str, Matrix] = {}
        head = self._world(self.parts["head"], channels, cache)
        out = []
        if self.group_parts["head_back"]:
            shifts = self._shifts("head_back", channels)
            out.append(self._place(("head_back", shifts), *self._group("head_back", "open", shifts), head))
        for part in self.body_order:
            out.append(self._place(part.name, part.image, part.origin, self._world(part, channels, cache)))
        eyes = self.plan.eye_state(t)
        shifts = self._shifts("head", channels)
        out.append(self._place(("head", eyes, shifts), *self._group("head", eyes, shifts), head))
        mouth = self.mouth_pose(t)
        out.append(self._place(("mouth", mouth), *self._mouth(mouth), head))
        return out

    def frame(self, t: float) -> Image.Image:
        """The avatar at time t, flattened: RGBA at the (scaled) rig size."""
        canvas = Image.new("RGBA", self.size, (0, 0, 0, 0))
        for image, at in self.sprites(t):
            paste_over(canvas, image, at)
        return canvas


class _SpriteCache:
    """Sprites by key, least recently used dropped first once they hold more than `budget` bytes of pixels."""

    def __init__(self, budget: int):
        self.budget = budget
        self.used = 0
        self._entries: OrderedDict = OrderedDict()

    def get(self, key, make) -> Sprite:
        hit = self._entries.get(key)
        if hit is not None:
            self._entries.move_to_end(key)
            return hit
        sprite = self._entries[key] = make()
        self.used += _pixel_bytes(sprite[0])
        while self.used > self.budget and len(self._entries) > 1:
            _, (image, _) = self._entries.popitem(last=False)
            self.used -= _pixel_bytes(image)
        return sprite

    def __len__(self) -> int:
        return len(self._entries)


def _pixel_bytes(image: Image.Image) -> int:
    return image.size[0] * image.size[1] * len(image.getbands())


_SCALED: OrderedDict = OrderedDict()
_SCALED_LOCK = threading.Lock()
_SCALED_BYTES = 0


def _bounds(pieces: list[Sprite], margin: int) -> tuple[int, int, int, int]:
    left = min(o[0] for _, o in pieces) - margin
    top = min(o[1] for _, o in pieces) - margin
    right = max(o[0] + i.size[0] for i, o in pieces) + margin
    bottom = max(o[1] + i.size[1] for i, o in pieces) + margin
    return left, top, right, bottom


def _resize(image: Image.Image, origin: tuple[int, int], scale: float) -> Sprite:
    if scale == 1.0:
        return image, origin
    left, top = math.floor(origin[0] * scale), math.floor(origin[1] * scale)
    width = max(1, round((origin[0] + image.size[0]) * scale) - left)
    height = max(1, round((origin[1] + image.size[1]) * scale) - top)
    # A strong reduction (thumbnails) first shrinks by a whole factor, then filters the last three times or more
    # with LANCZOS: the same picture to the eye, a third of the time. Video-size scales are unaffected.
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP), (left, top)


def _scale(rig: Rig, scale: float) -> tuple[dict[str, Part], dict[str, dict[str, Sprite]], int]:
    parts = {}
    for name, part in rig.parts.items():
        image, origin = _resize(part.image, part.origin, scale)
        parts[name] = Part(name, image, origin, (part.pivot[0] * scale, part.pivot[1] * scale), part.parent,
                           part.z, part.group)
    faces = {"eyes": {k: _resize(*v, scale) for k, v in rig.eyes.items()},
             "mouths": {k: _resize(*v, scale) for k, v in rig.mouths.items()}}
    images = [part.image for part in parts.values()] + [image for kind in faces.values() for image, _ in kind.values()]
    return parts, faces, sum(_pixel_bytes(image) for image in images)


def scaled(rig: Rig, scale: float) -> tuple[dict[str, Part], dict[str, dict[str, Sprite]]]:
    """The rig's parts and faces resized once per (rig, scale), kept per process up to SCALED_MAX_BYTES (the
    least recently used go first). Safe to call from several threads."""
    global _SCALED_BYTES
    key = (id(rig), round(scale, 4))
    with _SCALED_LOCK:
        hit = _SCALED.get(key)
        if hit is not None:
            _SCALED.move_to_end(key)
            return hit[1], hit[2]
    parts, faces, size = _scale(rig, scale)
    with _SCALED_LOCK:
        if key not in _SCALED:
            _SCALED[key] = (rig, parts, faces, size)   # holding the rig keeps its id from being reused
            _SCALED_BYTES += size
            while _SCALED_BYTES > SCALED_MAX_BYTES and len(_SCALED) > 1:
                _SCALED_BYTES -= _SCALED.popitem(last=False)[1][3]
    return parts, faces
