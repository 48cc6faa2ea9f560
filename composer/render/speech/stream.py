"""A scene's speech made on a thread of its own while the scene's frames are composed.

The text is spoken a sentence at a time (realize.speak_pieces); after each piece the stream publishes its
words, actions and the mouth keys that can no longer change, and how many seconds are known. The samples go to a
sound file on disk, never into memory as a whole. An AUDIO scene's file is decoded and analysed the same way.
Readers take what is published (the lists only grow) and wait for more with wait().
"""
from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from composer.render import pcm
from composer.render.lipsync import MouthTimeline, mouth_timeline_from_audio_file
from composer.render.speech.audio_input import decode_audio_to_file
from composer.render.speech.realize import speak_pieces
from composer.render.speech.track import SAMPLE_RATE


class SpeechStream:
    def __init__(self, make: Callable[[SpeechStream], None], *, after: SpeechStream | None = None,
                 folder: Path | None = None):
        self.sample_rate = SAMPLE_RATE
        self.words: list = []
        self.actions: list = []
        self.mouth: list = []
        self.mouth_settled = 0.0       # the mouth keys are final up to here
        self.known_until = 0.0         # seconds of speech made so far
        self.spoken = 0.0              # share of the text said so far (0..1)
        self.seconds = 0.0             # the speech's length, once done
        self.done = False
        self.error: BaseException | None = None
        self.cancelled = False
        self._changed = threading.Condition()
        self._folder = Path(tempfile.mkdtemp(prefix="speech-", dir=folder))
        self.audio = self._folder / "speech.npy"
        self._after = after
        self._thread = threading.Thread(target=self._run, args=(make,), name="speech", daemon=True)

    def start(self) -> SpeechStream:
        self._thread.start()
        return self

    def _run(self, make) -> None:
        try:
            if self._after is not None:
                self._after.wait_done()
            make(self)
        except BaseException as exc:  # handed to whoever waits on the stream
            self.error = exc
        with self._changed:
            self.done = True
            self._changed.notify_all()

    def publish(self, *, words=(), actions=(), mouth=(), mouth_settled: float, known_until: float,
                spoken: float, seconds: float | None = None) -> None:
        with self._changed:
            self.words += words
            self.actions += actions
            self.mouth += mouth
            self.mouth_settled = mouth_settled
            self.known_until = known_until
            self.spoken = spoken
            if seconds is not None:
                self.seconds = seconds
            self._changed.notify_all()

    def wait(self, timeout: float) -> None:
        """Until something new is published, the stream ends, or `timeout` seconds pass."""
        with self._changed:
            if not self.done:
                self._changed.wait(timeout)
        self.check()

    def wait_done(self) -> SpeechStream:
        with self._changed:
            self._changed.wait_for(lambda: self.done)
        self.check()
        return self

    def check(self) -> None:
        if self.error is not None:
            raise self.error

    def speech_blocks(self) -> Iterator[np.ndarray]:
        """The finished speech, mono at sample_rate, in blocks."""
        self.wait_done()
        return pcm.blocks(self.audio)

    def replay(self) -> SpeechStream:
        """A finished stream's speech again, as a new (finished) stream."""
        self.wait_done()
        return self.copy()

    def copy(self) -> SpeechStream:
        """replay() for the thread making the speech, once it has published it all."""
        def make(stream: SpeechStream) -> None:
            shutil.copyfile(self.audio, stream.audio)
            stream.publish(words=self.words, actions=self.actions, mouth=self.mouth, mouth_settled=float("inf"),
                           known_until=self.seconds, spoken=1.0, seconds=self.seconds)

        return SpeechStream(make).start()

    def close(self) -> None:
        """Stop making speech and remove its file (after the thread has let go of it)."""
        self.cancelled = True
        self._thread.join() if self._thread.is_alive() else None
        shutil.rmtree(self._folder, ignore_errors=True)


def text_speech(nodes, voice, *, speed: int, pitch: int, volume: int,
                together: int = 1) -> Callable[[SpeechStream], None]:
    """What makes a TEXT scene's speech stream: the script spoken piece by piece, the first `together` sentences at
    once (realize.spoken_in_order)."""
    def make(stream: SpeechStream) -> None:
        timeline = MouthTimeline()
        cursor = 0.0
        with pcm.SoundWriter(stream.audio, channels=1) as writer:
            for piece in speak_pieces(nodes, voice, speed=speed, pitch=pitch, volume=volume, together=together):
                if stream.cancelled:
                    return
                writer.write(piece.samples)
                cursor = writer.written / stream.sample_rate
                given = len(timeline.keys)
                timeline.add(piece.phonemes, cursor)
                stream.publish(words=piece.words, actions=piece.actions, mouth=timeline.keys[given:],
                               mouth_settled=timeline.settled, known_until=cursor, spoken=piece.spoken)
        given = len(timeline.keys)
        timeline.finish(cursor)
        stream.publish(mouth=timeline.keys[given:], mouth_settled=float("inf"), known_until=cursor, spoken=1.0,
                       seconds=cursor)

    return make


def audio_speech(path: Path, actions: list) -> Callable[[SpeechStream], None]:
    """What makes an AUDIO scene's speech stream: the file decoded to mono, the mouth following its sound."""
    def make(stream: SpeechStream) -> None:
        frames = decode_audio_to_file(Path(path), stream.audio, stream.sample_rate)
        seconds = frames / stream.sample_rate
        mouth = mouth_timeline_from_audio_file(stream.audio, stream.sample_rate)
        stream.publish(actions=actions, mouth=mouth, mouth_settled=float("inf"), known_until=seconds, spoken=1.0,
                       seconds=seconds)

    return make
