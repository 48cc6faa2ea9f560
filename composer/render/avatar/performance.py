"""A scene's choreography for one rig: idle motion, breathing, blinks, mouth shapes and action clips, sampled
per frame. Deterministic for a seed. Composed parts are cached, so a frame costs a few small transforms."""
from __future__ import annotations

import logging
import math
import random
from collections import OrderedDict
from dataclasses import dataclass

from PIL import Image

from composer.render.avatar.rig import Clip, Part, Rig

log = logging.getLogger(__name__)

FPS = 25
DEFAULT_INTERVAL = 4.0
NO_GESTURES = 255
BLINK = 0.16
EASE_SECONDS = 0.5
Matrix = tuple[float, float, float, float, float, float]   # x' = a x + b y + c ; y' = d x + e y + f

IDENTITY: Matrix = (1, 0, 0, 0, 1, 0)


def rotation_about(pivot: tuple[float, float], degrees: float, dx: float = 0, dy: float = 0) -> Matrix:
    """Counter-clockwise (as seen on screen) rotation about pivot, then a translation."""
    r = math.radians(degrees)
    cos, sin = math.cos(r), math.sin(r)
    px, py = pivot
    # Screen y points down, so a visually counter-clockwise turn is x' = x cos + y sin, y' = -x sin + y cos.
    return (cos, sin, px - cos * px - sin * py + dx, -sin, cos, py + sin * px - cos * py + dy)


def compose(outer: Matrix, inner: Matrix) -> Matrix:
    a1, b1, c1, d1, e1, f1 = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (a1 * a2 + b1 * d2, a1 * b2 + b1 * e2, a1 * c2 + b1 * f2 + c1,
            d1 * a2 + e1 * d2, d1 * b2 + e1 * e2, d1 * c2 + e1 * f2 + f1)


def invert(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * e - b * d
    return (e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det)


def transform_image(image: Image.Image, origin: tuple[int, int], matrix: Matrix) -> tuple[Image.Image, tuple[int, int]]:
    """Apply a canvas-space affine matrix to a cropped image; returns the result and its top-left."""
    if matrix == IDENTITY:
        return image, origin
    a, b, c, d, e, f = matrix
    if abs(a - 1) < 1e-9 and abs(e - 1) < 1e-9 and abs(b) < 1e-9 and abs(d) < 1e-9 \
            and float(c).is_integer() and float(f).is_integer():
        return image, (origin[0] + int(c), origin[1] + int(f))
    w, h = image.size
    ox, oy = origin
    corners = [(ox, oy), (ox + w, oy), (ox, oy + h), (ox + w, oy + h)]
    xs = [a * x + b * y + c for x, y in corners]
    ys = [d * x + e * y + f for x, y in corners]
    left, top = math.floor(min(xs)), math.floor(min(ys))
    width, height = math.ceil(max(xs)) - left, math.ceil(max(ys)) - top
    ia, ib, ic, id_, ie, if_ = invert(matrix)
    # Output pixel (u, v) is canvas (u + left, v + top); map back to the crop's own pixel coordinates.
    data = (ia, ib, ia * left + ib * top + ic - ox, id_, ie, id_ * left + ie * top + if_ - oy)
    return image.transform((width, height), Image.AFFINE, data, resample=Image.BICUBIC), (left, top)


def smoothstep(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def sample(keys: list[tuple[float, float]], t: float) -> float:
    if not keys or t <= keys[0][0]:
        return keys[0][1] if keys else 0.0
    for (t0, v0), (t1, v1) in zip(keys, keys[1:]):
        if t <= t1:
            return v0 + (v1 - v0) * smoothstep((t - t0) / (t1 - t0) if t1 > t0 else 1.0)
    return keys[-1][1]


@dataclass(frozen=True)
class Scheduled:
    start: float
    clip: Clip


class Performance:
    """Build once per scene, then call sprites(t) (or frame(t)) for each video frame.

    `scale` pre-scales the rig once, so frames come out at the size they are composited at.
    """

    def __init__(self, rig: Rig, mouth, actions, duration: float, *, action_interval: float | None = None,
                 end_at_first_frame: bool = False, seed: int = 0, scale: float = 1.0):
        self.rig = rig
        self.scale = scale
        self.parts = scaled_parts(rig, scale)
        self.faces = scaled_faces(rig, scale)
        self.size = (max(1, round(rig.size[0] * scale)), max(1, round(rig.size[1] * scale)))
        self.mouth = list(mouth)
        self.duration = duration
        self.end_at_first_frame = end_at_first_frame
        self.random = random.Random(seed)
        self.phases = [self.random.uniform(0, 2 * math.pi) for _ in range(4)]
        self.schedule = self._schedule(actions, action_interval)
        self.blinks = self._blinks()
        self.order = sorted((p for p in self.parts.values() if p.group == "body"), key=lambda p: p.z)
        self._groups: OrderedDict = OrderedDict()
        self._placed: OrderedDict = OrderedDict()
        self._mouth_starts = [k.start for k in self.mouth]

    # --- choreography -------------------------------------------------------------------------------------
    def _schedule(self, actions, interval: float | None) -> list[Scheduled]:
        scheduled: list[Scheduled] = []
        for action in actions:
            clip = self.rig.clips.get(action.name)
            if clip is None:
                log.info("rig %s has no action %r; ignored", self.rig.name, action.name)
                continue
            scheduled.append(Scheduled(max(0.0, action.time), clip))
        gestures = self.rig.gestures
        every = DEFAULT_INTERVAL if not interval else interval
        if gestures and every < NO_GESTURES:
            t, turn = 1.0, 0
            while t < self.duration:
                clip = self.rig.clips[gestures[turn % len(gestures)]]
                end = t + clip.duration
                busy = any(s.start - 0.3 < end and t < s.start + s.clip.duration + 0.3 for s in scheduled)
                if end <= self.duration - 0.5 and not busy:
                    scheduled.append(Scheduled(t, clip))
                    turn += 1
                t += every
        return sorted(scheduled, key=lambda s: s.start)

    def _blinks(self) -> list[float]:
        blinks, t = [], self.random.uniform(1.0, 3.0)
        while t < self.duration:
            blinks.append(t)
            if self.random.random() < 0.12:
                blinks.append(t + BLINK + 0.12)
            t += self.random.uniform(2.0, 6.0)
        if self.end_at_first_frame:
            blinks = [b for b in blinks if 0.3 < b < self.duration - 0.5]
        return blinks

    def envelope(self, t: float) -> float:
        """1 in the middle; eases idle motion to the neutral pose at both ends when the video must loop."""
        if not self.end_at_first_frame:
            return 1.0
        last = self.duration - 1 / FPS
        return smoothstep(t / EASE_SECONDS) * smoothstep((last - t) / EASE_SECONDS)

    def eye_state(self, t: float) -> str:
        for start in self.blinks:
            if start <= t < start + BLINK:
                phase = (t - start) / BLINK
                return "closed" if 0.3 <= phase < 0.7 else "half"
        return "open"

    def mouth_shape(self, t: float) -> str:
        from bisect import bisect_right

        index = bisect_right(self._mouth_starts, t) - 1
        if index < 0:
            return "X"
        key = self.mouth[index]
        return key.shape if t < key.end else "X"

    def channels(self, t: float) -> dict[str, dict[str, float]]:
        values: dict[str, dict[str, float]] = {}
        for item in self.schedule:
            local = t - item.start
            if 0 <= local <= item.clip.duration:
                for part, tracks in item.clip.tracks.items():
                    target = values.setdefault(part, {})
                    for channel, keys in tracks.items():
                        target[channel] = target.get(channel, 0.0) + sample(keys, local)
        envelope = self.envelope(t)
        idle = self.rig.idle
        breath = (1 - math.cos(2 * math.pi * t / idle.get("breath_period", 4.2))) / 2
        lift = -idle.get("breath_pixels", 3.0) * breath * envelope
        values.setdefault("torso", {})["dy"] = values.get("torso", {}).get("dy", 0.0) + lift
        p = self.phases
        sway = idle.get("head_degrees", 1.5) * envelope * (
            0.6 * math.sin(2 * math.pi * 0.11 * t + p[0]) + 0.4 * math.sin(2 * math.pi * 0.27 * t + p[1]))
        drift = 2.0 * envelope * math.sin(2 * math.pi * 0.07 * t + p[2])
        head = values.setdefault("head", {})
        head["rotate"] = head.get("rotate", 0.0) + sway
        head["dx"] = head.get("dx", 0.0) + drift
        head["dy"] = head.get("dy", 0.0) + lift * 1.3
        return values

    # --- drawing ----------------------------------------------------------------------------------------------
    def _local(self, part: Part, channel: dict[str, float]) -> Matrix:
        angle = round(channel.get("rotate", 0.0), 1)
        # Offsets are authored in native pixels; whole output pixels keep static parts on the fast path.
        dx = round(channel.get("dx", 0.0) * self.scale)
        dy = round(channel.get("dy", 0.0) * self.scale)
        if not angle:
            return IDENTITY if not dx and not dy else (1, 0, dx, 0, 1, dy)
        return rotation_about(part.pivot, angle, dx, dy)

    def _world(self, part: Part, channels: dict, cache: dict) -> Matrix:
        if part.name in cache:
            return cache[part.name]
        local = self._local(part, channels.get(part.name, {}))
        matrix = local if part.parent is None else compose(self._world(self.parts[part.parent], channels, cache),
                                                           local)
        cache[part.name] = matrix
        return matrix

    def _group(self, group: str, eyes: str, mouth: str) -> tuple[Image.Image, tuple[int, int]]:
        """A head group's layers composed once per (eyes, mouth), cropped to their box."""
        key = (group, eyes, mouth)
        if key in self._groups:
            self._groups.move_to_end(key)
            return self._groups[key]
        layers = [(p.z, p.image, p.origin) for p in self.parts.values() if p.group == group]
        if group == "head":
            layers.append((31, *self.faces["eyes"][eyes]))
            layers.append((33, *self.faces["mouths"][mouth]))
        layers.sort(key=lambda item: item[0])
        left = min(o[0] for _, _, o in layers)
        top = min(o[1] for _, _, o in layers)
        right = max(o[0] + i.size[0] for _, i, o in layers)
        bottom = max(o[1] + i.size[1] for _, i, o in layers)
        canvas = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
        for _, image, origin in layers:
            canvas.alpha_composite(image, (origin[0] - left, origin[1] - top))
        self._groups[key] = (canvas, (left, top))
        if len(self._groups) > 64:
            self._groups.popitem(last=False)
        return self._groups[key]

    def _place(self, key, image: Image.Image, origin: tuple[int, int], matrix: Matrix):
        """transform_image with a small cache: poses repeat (rest arms, held gestures, quantised sway)."""
        cache_key = (key, matrix)
        hit = self._placed.get(cache_key)
        if hit is not None:
            self._placed.move_to_end(cache_key)
            return hit
        placed = transform_image(image, origin, matrix)
        self._placed[cache_key] = placed
        if len(self._placed) > 256:
            self._placed.popitem(last=False)
        return placed

    def sprites(self, t: float) -> list[tuple[Image.Image, tuple[int, int]]]:
        """The avatar at time t as positioned RGBA pieces, back to front, in (scaled) rig pixels."""
        channels = self.channels(t)
        cache: dict[str, Matrix] = {}
        head = self._local(self.parts["head"], channels.get("head", {}))
        out = []
        back = self._group("head_back", "open", "X")
        out.append(self._place("head_back", *back, head))
        for part in self.order:
            out.append(self._place(part.name, part.image, part.origin, self._world(part, channels, cache)))
        eyes, mouth = self.eye_state(t), self.mouth_shape(t)
        out.append(self._place(("head", eyes, mouth), *self._group("head", eyes, mouth), head))
        return out

    def frame(self, t: float) -> Image.Image:
        """The avatar at time t, flattened: RGBA at the (scaled) rig size."""
        canvas = Image.new("RGBA", self.size, (0, 0, 0, 0))
        for image, at in self.sprites(t):
            paste_over(canvas, image, at)
        return canvas


_SCALED: OrderedDict = OrderedDict()


def _scaled(rig: Rig, scale: float):
    key = (id(rig), round(scale, 4))
    if key not in _SCALED:
        def resize(image: Image.Image, origin: tuple[int, int]):
            if scale == 1.0:
                return image, origin
            left, top = origin[0] * scale, origin[1] * scale
            width = max(1, round((origin[0] + image.size[0]) * scale) - math.floor(left))
            height = max(1, round((origin[1] + image.size[1]) * scale) - math.floor(top))
            return image.resize((width, height), Image.LANCZOS), (math.floor(left), math.floor(top))

        parts = {}
        for name, part in rig.parts.items():
            image, origin = resize(part.image, part.origin)
            parts[name] = Part(name, image, origin, (part.pivot[0] * scale, part.pivot[1] * scale), part.parent,
                               part.z, part.group)
        faces = {"eyes": {k: resize(*v) for k, v in rig.eyes.items()},
                 "mouths": {k: resize(*v) for k, v in rig.mouths.items()}}
        _SCALED[key] = (parts, faces)
        if len(_SCALED) > 8:
            _SCALED.popitem(last=False)
    return _SCALED[key]


def scaled_parts(rig: Rig, scale: float) -> dict[str, Part]:
    return _scaled(rig, scale)[0]


def scaled_faces(rig: Rig, scale: float) -> dict:
    return _scaled(rig, scale)[1]


def paste_over(canvas: Image.Image, image: Image.Image, at: tuple[int, int]) -> None:
    """alpha_composite that tolerates parts reaching past the canvas edge."""
    x, y = at
    if x >= 0 and y >= 0 and x + image.size[0] <= canvas.size[0] and y + image.size[1] <= canvas.size[1]:
        canvas.alpha_composite(image, (x, y))
        return
    left, top = max(0, -x), max(0, -y)
    right = min(image.size[0], canvas.size[0] - x)
    bottom = min(image.size[1], canvas.size[1] - y)
    if right > left and bottom > top:
        canvas.alpha_composite(image.crop((left, top, right, bottom)), (x + left, y + top))
