"""When things happen in a scene: action clips at their times, automatic gestures, blinks and the idle motion
(breathing, sway, head micro-motion). Pure timing maths, no pixels; deterministic for a seed."""
from __future__ import annotations

import functools
import heapq
import logging
import math
import random
from bisect import bisect_left
from collections import deque
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


class Window:
    """Items a generator makes in time order (by `start_of`), kept only while they may still be on screen.

    A frame loop asks for times that only grow: items are made as the times reach them and forgotten once they
    ended (by `end_of`), so what a plan holds does not grow with the scene's length. Asking for an earlier time
    starts the generator again (it is deterministic)."""

    def __init__(self, make, start_of, end_of):
        self._make, self._start_of, self._end_of = make, start_of, end_of
        self._rewind()

    def _rewind(self) -> None:
        self._source = self._make()
        self._items: deque = deque()
        self._asked = float("-inf")
        self._next = next(self._source, None)

    def at(self, t: float) -> deque:
        """The items that started by t and had not ended before it (and perhaps a few that had)."""
        if t < self._asked:
            self._rewind()
        self._asked = t
        while self._next is not None and self._start_of(self._next) <= t:
            if self._end_of(self._next) >= t:       # one that ended already is never kept
                self._items.append(self._next)
            self._next = next(self._source, None)
        while self._items and self._end_of(self._items[0]) < t:
            self._items.popleft()
        return self._items

    def all(self) -> list:
        """Every item, from a generator of their own (for inspection; a render never needs them all at once)."""
        return list(self._make())


def _busy(semantic: list[Scheduled], starts: list[float], longest: float, start: float, end: float) -> bool:
    """Whether a semantic action (sorted by start) plays within GESTURE_MARGIN of start..end."""
    index = bisect_left(starts, end + GESTURE_MARGIN)
    while index > 0:
        index -= 1
        item = semantic[index]
        if item.start < start - longest - GESTURE_MARGIN:
            break
        if item.start - GESTURE_MARGIN < end and start < item.end + GESTURE_MARGIN:
            return True
    return False


def _gesture_tries(gestures: list[Clip], every: float, seed: int, duration: float, last: float,
                   semantic: list[Scheduled], longest: float):
    """(time, clip, placed) for every automatic gesture tried, in time order."""
    if not gestures or every >= NO_GESTURES:
        return
    starts = [item.start for item in semantic]
    rng = random.Random(f"{seed}:gestures")
    t = min(1.5, every)
    previous = None
    while t < duration:
        choices = [clip for clip in gestures if clip is not previous] or gestures
        clip = choices[rng.randrange(len(choices))]
        placed = t + clip.duration <= last - 0.5 and not _busy(semantic, starts, longest, t, t + clip.duration)
        yield t, clip, placed
        if placed:
            previous = clip
        t += every * rng.uniform(0.85, 1.15)


def _scheduled(semantic: list[Scheduled], tries):
    gestures = (Scheduled(t, clip) for t, clip, placed in tries() if placed)
    return heapq.merge(iter(semantic), gestures, key=_start)


def _blink_times(seed: int, duration: float, last: float, looping: bool):
    rng = random.Random(f"{seed}:blinks")
    t = rng.uniform(0.8, 3.0)
    while t < duration:
        pair = [t, t + BLINK + DOUBLE_BLINK_GAP] if rng.random() < 0.15 else [t]
        for blink in pair:
            if not looping or 0.3 < blink and blink + 2 * BLINK + DOUBLE_BLINK_GAP < last - 0.2:
                yield blink
        t += rng.uniform(2.0, 6.0)


def _accent_times(mouth):
    """(time, number) where a phrase starts after a rest: the face lifts a little there, as people's do."""
    rest_since = 0.0
    count = 0
    for key in mouth:
        if key.shape == "X":
            continue
        if key.start - rest_since >= PHRASE_REST or not count and key.start <= PHRASE_REST:
            yield key.start, count
            count += 1
        rest_since = key.end


def _start(item: Scheduled) -> float:
    return item.start


def _end(item: Scheduled) -> float:
    return item.end


def _same(t: float) -> float:
    return t


def _blink_end(t: float) -> float:
    return t + BLINK


def _first(accent: tuple[float, int]) -> float:
    return accent[0]


def _accent_end(accent: tuple[float, int]) -> float:
    return accent[0] + ACCENT


class Choreography:
    """The plan of one scene: which clip plays when, when the eyes blink, and the idle motion.

    A plan can be made before the scene's speech is all known: with `known` (seconds of speech whose actions are
    known) and `duration` the least the scene will last, `settled` is how far this plan is already the final
    one. Gestures, blinks and the idle motion draw on random streams of their own, so a longer plan starts with
    the shorter one. Gestures, blinks and phrase accents are made as the frames reach them (see Window): making
    or re-making the plan of a long scene costs no more memory than a short one's."""

    def __init__(self, rig: Rig, actions, duration: float, *, action_interval: float | None,
                 end_at_first_frame: bool, seed: int = 0, mouth=(), known: float | None = None):
        self.rig = rig
        self.duration = duration
        self.last = max(0.0, duration - 1 / FPS)
        self.looping = end_at_first_frame
        self.known = known
        self.settled = float("inf") if known is None else known
        self._seed = seed
        rng = random.Random(seed)
        self.noise = [SmoothNoise(rng, period) for period in (2.9, 4.3, 3.7, 6.1)]
        self._semantic_items = sorted(self._semantic(actions), key=lambda s: s.start)
        gestures = [self.rig.clips[name] for name in self.rig.gestures]
        self._gesture_clips = gestures
        self._every = DEFAULT_INTERVAL if not action_interval else float(action_interval)
        self._longest = max((clip.duration for clip in rig.clips.values()), default=0.0)
        # The windows' generators get the plain values they need, not the plan (no cycle: an old plan goes at once).
        tries = functools.partial(_gesture_tries, self._gesture_clips, self._every, seed, duration, self.last,
                                  self._semantic_items, self._longest)
        self._tries = tries
        self._schedule = Window(functools.partial(_scheduled, self._semantic_items, tries), _start, _end)
        self._blinks = Window(functools.partial(_blink_times, seed, duration, self.last, self.looping), _same,
                              _blink_end)
        self._accents = Window(functools.partial(_accent_times, mouth), _first, _accent_end)
        if known is not None:
            self._settle_gestures()
        if known is not None and self.looping:
            # A loop's last seconds bend towards its first frame: they wait for the real end.
            self.settled = min(self.settled, self.last - max(self._longest, LOOP_EASE, 2 * BLINK + DOUBLE_BLINK_GAP) - 0.5)

    # --- what is planned ------------------------------------------------------------------------------------
    @property
    def schedule(self) -> list[Scheduled]:
        return self._schedule.all()

    @property
    def blinks(self) -> list[float]:
        return self._blinks.all()

    @blinks.setter
    def blinks(self, times: list[float]) -> None:
        """Blinks at these times instead (the contact sheet shows one)."""
        self._blinks = Window(functools.partial(iter, sorted(times)), _same, _blink_end)

    @property
    def accents(self) -> list[float]:
        return [start for start, _ in self._accents.all()]

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

    def _settle_gestures(self) -> None:
        # Whether a gesture fits depends on speech not known yet: the plan is final up to the first such one.
        for t, clip, _ in self._tries():
            end = t + clip.duration
            if end > self.last - 0.5 or end + GESTURE_MARGIN > self.known:
                self.settled = min(self.settled, t)
                return

    def eye_state(self, t: float) -> str:
        for start in self._blinks.at(t):
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

        for item in self._schedule.at(t):
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
        for start, index in self._accents.at(t):
            if start <= t < start + ACCENT:
                bump = math.sin(math.pi * (t - start) / ACCENT) * envelope
                add("brows", "dy", -3.5 * bump)
                add("head", "dy", 2.0 * bump)
                add("head", "rotate", (0.7 if index % 2 else -0.7) * bump)
        add("head", "dy", 0.6 * head * self.noise[2](t))
        return values
