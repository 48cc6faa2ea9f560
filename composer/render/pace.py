"""How far a scene's frame loop may go while its speech is still being made.

A frame is composed only once everything it shows is final: the mouth keys (the stream settles them), the
avatar's plan of gestures and blinks (Choreography.settled), the subtitle cues (CueBuilder.settled), the fades of
layers that run to the scene's end, and which frame is the cover. Until the speech is done, the scene lasts at
least its speech so far plus the tail; once it is done, its length and frame count are known.
"""
from __future__ import annotations

from collections.abc import Callable

from composer.render.encode import FPS
from composer.render.types import RenderCancelled

TAIL_SECONDS = 0.3
MIN_SECONDS = 1.0
COVER_SECONDS = 1.0      # the cover is the frame at this time (at half the scene when that is shorter)
WAIT_SECONDS = 0.25      # how often waiting for speech asks whether the render was cancelled


class ScenePace:
    def __init__(self, stream, compositor, cues):
        self.stream = stream
        self.compositor = compositor
        self.cues = cues
        self.wanted = compositor.wanted_seconds()
        self.frames: int | None = None
        self.duration: float | None = None
        self.horizon = 0.0
        self._seen: tuple | None = None
        self._words = 0

    def final_duration(self, speech_seconds: float) -> float:
        """The scene's length for speech of this length (whole frames)."""
        seconds = max(MIN_SECONDS, speech_seconds + TAIL_SECONDS, self.wanted)
        return max(1, int(round(seconds * FPS))) / FPS

    def least_duration(self) -> float:
        return self.duration if self.duration is not None else \
            max(MIN_SECONDS, self.stream.known_until + TAIL_SECONDS, self.wanted)

    def frames_estimate(self) -> int:
        """The frame count, or until it is known an estimate from the share of the text spoken so far."""
        if self.frames is not None:
            return self.frames
        stream = self.stream
        guess = stream.known_until / stream.spoken + TAIL_SECONDS if stream.spoken > 0.05 else 0.0
        return max(1, int(round(max(guess, self.least_duration()) * FPS)))

    def cover_index(self) -> int | None:
        least = self.least_duration()
        if self.duration is None and least < 2 * COVER_SECONDS:
            return None
        return int(min(COVER_SECONDS, least / 2) * FPS)

    def wait_for(self, t: float, should_cancel: Callable[[], bool] | None = None) -> None:
        """Until the frame at t may be composed (or the scene is known to end before it)."""
        self.update()
        while self.frames is None and t >= self.horizon:
            self.stream.wait(WAIT_SECONDS)
            if should_cancel and should_cancel():
                raise RenderCancelled()
            self.update()

    def update(self) -> None:
        stream = self.stream
        with stream._changed:
            seen = (len(stream.words), len(stream.actions), len(stream.mouth), stream.mouth_settled,
                    stream.known_until, stream.done)
        stream.check()
        if seen == self._seen:
            return
        self._seen = seen
        words, actions, mouth, mouth_settled, known, done = seen
        if self.cues is not None:
            self.cues.add(stream.words[self._words:words], known)
            self._words = words
        if done:
            self.duration = self.final_duration(stream.seconds)
            self.compositor.replan(stream.mouth[:mouth], stream.actions[:actions], self.duration, None)
            if self.cues is not None:
                self.cues.finish(self.duration)
            self.frames = int(round(self.duration * FPS))
            return
        least = self.least_duration()
        horizon = min(mouth_settled - 1 / FPS,
                      self.compositor.replan(stream.mouth[:mouth], stream.actions[:actions], least, known))
        if self.cues is not None:
            horizon = min(horizon, self.cues.settled)
        for timed in self.compositor.timed:
            window = timed.window
            if window.end is None or window.end > least:
                # A fade to the scene's end (or one that would be squeezed into it) waits for the real end.
                fits = least - window.start >= window.fade_in + window.fade_out
                horizon = min(horizon, least - window.fade_out if fits else window.start)
        if least < 2 * COVER_SECONDS:
            horizon = min(horizon, least / 2 - 1 / FPS)
        self.horizon = horizon
