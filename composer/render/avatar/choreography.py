"""When things happen in a scene: action clips at their times, automatic gestures, blinks and the idle motion
(breathing, sway, head micro-motion). Pure timing maths, no pixels; deterministic for a seed."""
from __future__ import annotations

import logging
import math
import random
from dataclasses import dataclass

from composer.render.avatar.rig import Clip, Rig

log = logging.getLogger(__name__)

FPS = 25
DEFAULT_INTERVAL = 4.0
NO_GESTURES = 255
BLINK = 0.15
DOUBLE_BLINK_GAP = 0.1
CLIP_BLEND = 0.2
LOOP_EASE = 0.6          # seconds over which idle motion eases to the neutral pose at the ends of a loop
GESTURE_MARGIN = 0.4     # quiet time kept between an automatic gesture and any other action
PHRASE_REST = 0.35       # a rest this long before speech makes the next phrase start with an accent
ACCENT = 0.8             # seconds an accent (brows up, a small head dip) lasts


def smoothstep(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def sample(keys: list[tuple[float, float]], t: float) -> float:
    """A keyframe track at time t, eased (smoothstep) between keys."""
    if not keys:
        return 0.0
    if t <= keys[0][0]:
        return keys[0][1]
    for (t0, v0), (t1, v1) in zip(keys, keys[1:], strict=False):
        if t <= t1:
            return v0 + (v1 - v0) * smoothstep((t - t0) / (t1 - t0) if t1 > t0 else 1.0)
    return keys[-1][1]


class SmoothNoise:
    """1D value noise with smooth interpolation: wandering, never repeating, deterministic for a seed."""

    def __init__(self, rng: random.Random, period: float):
        self.values = [rng.uniform(-1.0, 1.0) for _ in range(64)]
        self.period = period

    def __call__(self, t: float) -> float:
        x = t / self.period
        i = math.floor(x)
        a, b = self.values[i % 64], self.values[(i + 1) % 64]
        return a + (b - a) * smoothstep(x - i)


@dataclass(frozen=True)
class Scheduled:
    start: float
    clip: Clip

    @property
    def end(self) -> float:
        return self.start + self.clip.duration


class Choreography:
    """The plan of one scene: which clip plays when, when the eyes blink, and the idle motion.

    A plan can be made before the scene's speech is all known: with `known` (seconds of speech whose actions are
    known) and `duration` the least the scene will last, `settled` is how far this plan is already the final
    one. Gestures, blinks and the idle motion draw on random streams of their own, so a longer plan starts with
    the shorter one."""

    def __init__(self, rig: Rig, actions, duration: float, *, action_interval: float | None,
                 end_at_first_frame: bool, seed: int = 0, mouth=(), known: float | None = None):
        self.rig = rig
        self.duration = duration
        self.last = max(0.0, duration - 1 / FPS)
        self.looping = end_at_first_frame
        self.known = known
        self.settled = float("inf") if known is None else known
        rng = random.Random(seed)
        self.noise = [SmoothNoise(rng, period) for period in (2.9, 4.3, 3.7, 6.1)]
        self.schedule = self._semantic(actions)
        self.schedule = sorted(self.schedule + self._gestures(action_interval, random.Random(f"{seed}:gestures")),
                               key=lambda s: s.start)
        self.blinks = self._blinks(random.Random(f"{seed}:blinks"))
        self.accents = self._accents(mouth)
        if known is not None and self.looping:
            # A loop's last seconds bend towards its first frame: they wait for the real end.
            longest = max((clip.duration for clip in rig.clips.values()), default=0.0)
            self.settled = min(self.settled, self.last - max(longest, LOOP_EASE, 2 * BLINK + DOUBLE_BLINK_GAP) - 0.5)

    def _semantic(self, actions) -> list[Scheduled]:
        scheduled = []
        for action in actions:
            clip = self.rig.clips.get(action.name)
            if clip is None:
                log.info("avatar %s has no action %r; ignored", self.rig.name, action.name)
                continue
            start = max(0.0, float(action.time))
            if self.looping and start + clip.duration > self.last:
                # A loop must end on its first frame: finish the action in time rather than cut it.
                start = max(0.0, self.last - clip.duration - 0.1)
            scheduled.append(Scheduled(start, clip))
        return scheduled

    def _gestures(self, interval: float | None, rng: random.Random) -> list[Scheduled]:
        gestures = [self.rig.clips[name] for name in self.rig.gestures]
        every = DEFAULT_INTERVAL if not interval else float(interval)
        if not gestures or every >= NO_GESTURES:
            return []
        out: list[Scheduled] = []
        t = min(1.5, every)
        previous = None
        while t < self.duration:
            choices = [clip for clip in gestures if clip is not previous] or gestures
            clip = choices[rng.randrange(len(choices))]
            end = t + clip.duration
            if self.known is not None and (end > self.last - 0.5 or end + GESTURE_MARGIN > self.known):
                # Whether this gesture fits depends on speech not known yet: the plan is final up to here.
                self.settled = min(self.settled, t)
            busy = any(s.start - GESTURE_MARGIN < end and t < s.end + GESTURE_MARGIN for s in self.schedule)
            if end <= self.last - 0.5 and not busy:
                out.append(Scheduled(t, clip))
                previous = clip
            t += every * rng.uniform(0.85, 1.15)
        return out

    def _blinks(self, rng: random.Random) -> list[float]:
        blinks: list[float] = []
        t = rng.uniform(0.8, 3.0)
        while t < self.duration:
            blinks.append(t)
            if rng.random() < 0.15:
                blinks.append(t + BLINK + DOUBLE_BLINK_GAP)
            t += rng.uniform(2.0, 6.0)
        if self.looping:
            blinks = [b for b in blinks if 0.3 < b and b + 2 * BLINK + DOUBLE_BLINK_GAP < self.last - 0.2]
        return blinks

    @staticmethod
    def _accents(mouth) -> list[float]:
        """Where a phrase starts after a rest: the face lifts a little there, as people's do."""
        accents: list[float] = []
        rest_since = 0.0
        for key in mouth:
            if key.shape == "X":
                continue
            if key.start - rest_since >= PHRASE_REST or not accents and key.start <= PHRASE_REST:
                accents.append(key.start)
            rest_since = key.end
        return accents

    def eye_state(self, t: float) -> str:
        for start in self.blinks:
            if start <= t < start + BLINK:
                phase = (t - start) / BLINK
                return "closed" if 0.25 <= phase < 0.75 else "half"
        return "open"

    def envelope(self, t: float) -> float:
        """1 in the middle; eases idle motion to the neutral pose at both ends when the video must loop."""
        if not self.looping:
            return 1.0
        return smoothstep(t / LOOP_EASE) * smoothstep((self.last - t) / LOOP_EASE)

    def channels(self, t: float) -> dict[str, dict[str, float]]:
        """Per part, the offsets from the rest pose at time t: rotate (degrees), dx, dy (native px), scale."""
        values: dict[str, dict[str, float]] = {}

        def add(part: str, channel: str, amount: float) -> None:
            if part in self.rig.parts:
                target = values.setdefault(part, {})
                target[channel] = target.get(channel, 0.0) + amount

        for item in self.schedule:
            local = t - item.start
            if 0.0 <= local <= item.clip.duration:
                weight = smoothstep(local / CLIP_BLEND) * smoothstep((item.clip.duration - local) / CLIP_BLEND)
                for part, tracks in item.clip.tracks.items():
                    for channel, keys in tracks.items():
                        add(part, channel, weight * sample(keys, local))
        envelope = self.envelope(t)
        if envelope <= 0.0:
            return values
        idle = self.rig.idle
        breath = (1 - math.cos(2 * math.pi * t / idle.get("breath_period", 4.0))) / 2
        add("torso", "dy", -idle.get("breath_pixels", 3.0) * breath * envelope)
        sway = idle.get("sway_pixels", 3.0) * envelope
        add("torso", "dx", sway * self.noise[3](t))
        head = idle.get("head_degrees", 1.5) * envelope
        add("head", "rotate", head * self.noise[0](t))
        add("head", "dx", 0.8 * head * self.noise[1](t))
        for index, start in enumerate(self.accents):
            if start <= t < start + ACCENT:
                bump = math.sin(math.pi * (t - start) / ACCENT) * envelope
                add("brows", "dy", -3.5 * bump)
                add("head", "dy", 2.0 * bump)
                add("head", "rotate", (0.7 if index % 2 else -0.7) * bump)
        add("head", "dy", 0.6 * head * self.noise[2](t))
        return values
