"""The soundtrack: speech and video-layer sound per scene, background music looped, ducked and faded, and
the master that makes every output broadcast-ready. Everything runs in blocks over files on disk (see pcm.py):
a ten-minute soundtrack costs the same memory as a ten-second one.

Loudness (ITU-R BS.1770-4, composer.render.loudness): every output plays at TARGET_LUFS integrated with its
true peak (4x oversampled) at most -1 dBTP, whatever the voice, the voice_config volume, the music or the codec.
It happens in two steps so that scenes sound alike and stay cacheable:

1. scene_sound (render_scene, per scene): the scene's sound gets the one gain that brings its speech to
   TARGET_LUFS (plus the voice_config volume as an offset, which now sets the voice against the music).
   It depends only on the scene, so a cached segment's audio stays valid, and two scenes of different voices
   or prosody volumes meet at the same level instead of jumping at the cut.
2. master (the join, whole programme): speech, video sound and the ducked music together are measured
   once and given one gain to TARGET_LUFS (a small correction: the music adds a little), then a look-ahead
   limiter on the 4x oversampled peaks keeps them under LIMITER_CEILING; the loudness the limiter takes off is
   measured and given back (another pass). One gain for the programme keeps the scenes' balance.

Normalising each scene's finished mix instead would make the music step at every cut; measuring only at the
join would keep a soft scene soft next to a loud one. Sound quieter than SILENT_LUFS (silence, a noise floor)
is never raised.
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from composer.render import pcm
from composer.render.loudness import (
    OVERSAMPLE,  # noqa: F401  (part of this module's interface)
    SILENT_LUFS,  # noqa: F401
    Limiter,
    LoudnessMeter,
    limiter_gain,
    true_peaks,
    with_true_peaks,
)
from composer.render.loudness import (
    integrated_loudness as _integrated_loudness,
)

MIX_RATE = 48000
FADE_OUT = 2.0
DUCK_DB = -12.0
DUCK_LOOKAHEAD = 0.2     # seconds: the music starts going down this long before the voice comes in
HOP = MIX_RATE // 100    # the ducking envelope's resolution (10 ms)
TAIL = 0.3
TARGET_LUFS = -16.0      # integrated loudness of every output (web video); the render's loudness setting
TRUE_PEAK_MAX = -1.0     # dBTP the decoded output may reach
# The limiter aims lower than TRUE_PEAK_MAX: AAC and Opus rebuild peaks up to about a dB above the input's.
LIMITER_CEILING = -2.0
DELIVERY_TRIES = 3       # masterings at most, each with a lower ceiling, until the decoded peaks keep TRUE_PEAK_MAX
DELIVERY_MARGIN_DB = 0.5
MAX_DECODE_SECONDS = 3600
Source = Callable[[int, int], np.ndarray]     # frames [start, stop) of a stereo sound at MIX_RATE


def load_filters() -> None:
    """Import the filters the sound is made with (SciPy's signal and ndimage: about 0.7 CPU seconds of imports,
    a process's first time). Each scene's sound calls this as the scene starts, so a process's first render
    imports them while its frames wait for the first sentence anyway: imported later, beside the frames, the
    import held the GIL for half a second and the frames stalled behind it (a 30 s render took 0.45 s longer).
    A serving process imports them with the engine at start-up (composer/jobs/warmup.py)."""
    import scipy.ndimage  # noqa: F401
    import scipy.signal  # noqa: F401


def integrated_loudness(samples: np.ndarray, sample_rate: int = MIX_RATE, chunk: int = 1 << 16) -> float | None:
    return _integrated_loudness(samples, sample_rate, chunk)


def decode_to_file(path: Path, out: Path, sample_rate: int = MIX_RATE, max_seconds: float = MAX_DECODE_SECONDS,
                   channels: int = 2) -> int:
    """Any audio (or a video's audio), file protocol only, -> a float32 sound file (stereo, or mono when
    channels=1: the channels averaged). Returns its frames; ValueError when there is no audio stream."""
    with av.open(str(path), options={"protocol_whitelist": "file"}) as container, \
            pcm.SoundWriter(out, channels=channels) as writer:
        if not container.streams.audio:
            raise ValueError(f"{Path(path).name}: no audio stream")
        resampler = av.AudioResampler(format="fltp", layout="stereo" if channels == 2 else None, rate=sample_rate)
        limit = int(max_seconds * sample_rate)

        def put(frames) -> None:
            for frame in frames:
                block = frame.to_ndarray()
                writer.write(block.T if channels == 2 else block.mean(axis=0))

        for frame in container.decode(audio=0):
            put(resampler.resample(frame))
            if writer.written > limit:
                break
        put(resampler.resample(None))
        return writer.written


def decode_stereo(path: Path, sample_rate: int = MIX_RATE, max_seconds: float = MAX_DECODE_SECONDS) -> np.ndarray:
    """Any audio (or a video's audio) -> stereo float32 (n, 2) in memory: for short sounds only."""
    with tempfile.TemporaryDirectory(prefix="decode-") as folder:
        decode_to_file(path, Path(folder) / "sound.npy", sample_rate, max_seconds)
        return np.load(Path(folder) / "sound.npy")


def resampled_to_mix_rate(pieces: Iterable[np.ndarray], sample_rate: int) -> Iterator[np.ndarray]:
    """Mono pieces at `sample_rate` -> stereo blocks at MIX_RATE (PyAV's resampler: band-limited, good quality;
    its state carries across pieces, so the result is that of the whole sound at once)."""
    resampler = av.AudioResampler(format="fltp", layout="stereo", rate=MIX_RATE)
    pts = 0
    for piece in pieces:
        if not piece.size:
            continue
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(piece, np.float32).reshape(1, -1), format="flt",
                                           layout="mono")
        frame.sample_rate = sample_rate
        frame.pts = pts
        pts += piece.size
        for out in resampler.resample(frame):
            yield out.to_ndarray().T.astype(np.float32)
    for out in resampler.resample(None):
        yield out.to_ndarray().T.astype(np.float32)


def to_stereo_mix_rate(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """Mono speech -> stereo at the mix rate, as long as the speech."""
    wanted = int(round(samples.size / sample_rate * MIX_RATE))
    blocks = list(resampled_to_mix_rate([samples], sample_rate))
    return fit_length(np.concatenate(blocks) if blocks else np.zeros((0, 2), np.float32), wanted)


def fit_length(samples: np.ndarray, frames: int) -> np.ndarray:
    if samples.shape[0] >= frames:
        return samples[:frames]
    return np.pad(samples, ((0, frames - samples.shape[0]), (0, 0)))


def fitted(blocks: Iterable[np.ndarray], frames: int) -> Iterator[np.ndarray]:
    """Blocks cut or padded with silence to exactly `frames` frames, in blocks of pcm.BLOCK."""
    given = 0
    for block in pcm.rechunk(blocks):
        block = block[:frames - given]
        if block.shape[0]:
            given += block.shape[0]
            yield block
    while given < frames:
        count = min(pcm.BLOCK, frames - given)
        given += count
        yield np.zeros((count, 2), np.float32)


# --- the scene ----------------------------------------------------------------------------------------------

@dataclass
class LayerSound:
    """A video layer's sound in the scene: its clip (a sound file at MIX_RATE) played `plays` times at `volume`,
    from frame `lead`, times `fade(times)` (the layer's opacity over scene seconds) when it has one."""

    clip: Path
    volume: float
    plays: int
    lead: int
    fade: Callable[[np.ndarray], np.ndarray] | None = None

    def block(self, start: int, stop: int) -> np.ndarray:
        out = np.zeros((stop - start, 2), np.float32)
        length = pcm.frames_of(self.clip)
        first, last = max(start, self.lead), min(stop, self.lead + length * self.plays)
        at = first
        while at < last:
            offset = (at - self.lead) % length
            count = min(last - at, length - offset)
            out[at - start:at - start + count] = pcm.read(self.clip, offset, offset + count)
            at += count
        out *= np.float32(self.volume)
        if self.fade is not None:
            out *= self.fade(np.arange(start, stop) / MIX_RATE).astype(np.float32)[:, None]
        return out


def scene_sound(speech: Iterable[np.ndarray], speech_rate: int, frames: int, layers: list[LayerSound],
                offset_db: float, out: Path) -> Path:
    """The scene's sound file at MIX_RATE: its speech (mono pieces at `speech_rate`) and its video layers' sound,
    with the one gain that puts the speech (or, when it has none, the whole sound) at TARGET_LUFS + offset_db.
    Peaks may pass 1.0 here: the master limits the programme."""
    speech_meter, sound_meter = LoudnessMeter(MIX_RATE), LoudnessMeter(MIX_RATE)
    with pcm.SoundWriter(out, frames) as writer:
        for block in fitted(resampled_to_mix_rate(speech, speech_rate), frames):
            speech_meter.add(block)
            start = writer.position
            for layer in layers:
                block = block + layer.block(start, start + block.shape[0])
            if layers:
                sound_meter.add(block)
            writer.write(block)
    loudness = speech_meter.result()
    if loudness is None:
        loudness, offset_db = (sound_meter.result() if layers else None), 0.0
    if loudness is not None:
        pcm.scale_in_place(out, 10 ** ((TARGET_LUFS + offset_db - loudness) / 20))
    return out


# --- the programme --------------------------------------------------------------------------------------------

def hop_levels(blocks: Iterable[np.ndarray]) -> np.ndarray:
    """The loudest |sample| of every whole 10 ms hop (blocks of a multiple of HOP frames, the last any length)."""
    levels = []
    for block in blocks:
        level = np.abs(block).max(axis=1) if block.ndim == 2 else np.abs(block)
        whole = level.size // HOP
        if whole:
            levels.append(level[:whole * HOP].reshape(whole, HOP).max(axis=1))
    return np.concatenate(levels) if levels else np.zeros(0, np.float32)


def ducking_envelope(levels: np.ndarray, *, attack: float = 0.05, release: float = 0.35,
                     lookahead: float = DUCK_LOOKAHEAD) -> np.ndarray:
    """0..1 per 10 ms hop: how much speech is present, smoothed (fast attack, slow release).

    It looks ahead: speech counts as present from `lookahead` seconds before it starts, so the attack (four
    time constants in the default 0.2 s) is over when the voice comes in, and gaps shorter than that between
    words do not let the music swell. The release starts when the speech ends."""
    active = (levels > 0.02).astype(np.float32) if levels.size else np.zeros(1, np.float32)
    ahead = int(round(lookahead * 100))
    if ahead:
        from scipy.ndimage import maximum_filter1d

        # Hop i is active when any of hops i..i+ahead is (a window reaching forward only).
        active = maximum_filter1d(active, ahead + 1, origin=-(ahead // 2) - (ahead % 2), mode="constant")
    smoothed = np.zeros_like(active)
    up, down = 1 - np.exp(-0.01 / attack), 1 - np.exp(-0.01 / release)
    value = 0.0
    for i, target in enumerate(active):
        value += (target - value) * (up if target > value else down)
        smoothed[i] = value
    return smoothed


def speech_envelope(speech: np.ndarray, **shape) -> np.ndarray:
    """ducking_envelope per sample of a sound held in memory (0 over a last, partial hop)."""
    smoothed = ducking_envelope(hop_levels([speech]), **shape)
    envelope = np.repeat(smoothed, HOP)
    return np.pad(envelope, (0, max(0, speech.shape[0] - envelope.size)))[:speech.shape[0]]


class MusicBed:
    """The music looped or trimmed to `frames`, at volume %, ducked under speech (an envelope per hop), faded out
    at the end; the music is a sound file at MIX_RATE."""

    def __init__(self, music: Path, frames: int, volume: int, envelope: np.ndarray):
        self.music = music
        self.length = pcm.frames_of(music)
        self.frames = frames
        self.gain = np.float32(volume / 100.0)
        self.duck = 10 ** (DUCK_DB / 20)
        self.envelope = envelope
        self.fade = min(frames, int(FADE_OUT * MIX_RATE))

    def block(self, start: int, stop: int) -> np.ndarray:
        if not self.length:
            return np.zeros((stop - start, 2), np.float32)
        pieces, at = [], start
        while at < stop:
            offset = at % self.length
            count = min(stop - at, self.length - offset)
            pieces.append(pcm.read(self.music, offset, offset + count))
            at += count
        bed = (np.concatenate(pieces) if len(pieces) > 1 else pieces[0]) * self.gain
        hops = np.repeat(self.envelope[start // HOP:(stop + HOP - 1) // HOP], HOP)[start % HOP:]
        hops = np.pad(hops, (0, max(0, stop - start - hops.size)))[:stop - start]
        bed *= (1 - (1 - self.duck) * hops)[:, None]
        fade_from = self.frames - self.fade
        if stop > fade_from and self.fade:
            index = np.arange(max(start, fade_from), stop) - fade_from
            ramp = np.float32(1) - index.astype(np.float32) / np.float32(max(1, self.fade - 1))
            bed[max(start, fade_from) - start:] *= ramp[:, None]
        return bed.astype(np.float32)


def music_bed(path: Path, frames: int, volume: int, speech: np.ndarray) -> np.ndarray:
    """MusicBed over a sound held in memory."""
    with tempfile.TemporaryDirectory(prefix="music-") as folder:
        music = Path(folder) / "music.npy"
        decode_to_file(path, music)
        if pcm.frames_of(music) == 0 or frames == 0:
            return np.zeros((frames, 2), np.float32)
        speech = np.zeros((frames, 2), np.float32) if speech is None else speech
        bed = MusicBed(music, frames, volume, ducking_envelope(hop_levels([speech])))
        return np.concatenate([bed.block(at, min(at + pcm.BLOCK, frames)) for at in range(0, frames, pcm.BLOCK)])


def limit_true_peak(mix: np.ndarray, gain_db: float = 0.0, ceiling_db: float = LIMITER_CEILING, *,
                    peaks: np.ndarray | None = None) -> np.ndarray:
    """The mix times gain_db with a look-ahead limiter on its oversampled peaks: nothing above ceiling_db
    dBTP. `peaks` (true_peaks of the mix) may be passed in: peaks scale with the gain."""
    gain = np.float32(10 ** (gain_db / 20))
    peaks = true_peaks(mix) if peaks is None else peaks
    limited = limiter_gain(peaks * gain, 10 ** (ceiling_db / 20), MIX_RATE)
    limited *= gain
    return mix * limited[:, None]


def _limited(mix: Path, peaks: Path, gain_db: float, ceiling_db: float = LIMITER_CEILING) -> Iterator[np.ndarray]:
    """The mix (a sound file) times gain_db through the limiter, in blocks (its true peaks in `peaks`)."""
    gain = np.float32(10 ** (gain_db / 20))
    limiter = Limiter(10 ** (ceiling_db / 20), MIX_RATE)
    waiting: list[np.ndarray] = []
    for block, block_peaks in zip(pcm.blocks(mix), pcm.blocks(peaks), strict=True):
        waiting.append(block)
        gains = limiter.push(block_peaks * gain)
        while gains.size:
            head = waiting[0]
            count = min(gains.size, head.shape[0])
            yield head[:count] * (gains[:count] * gain)[:, None]
            gains = gains[count:]
            waiting[0] = head[count:]
            if not waiting[0].shape[0]:
                waiting.pop(0)
    rest = limiter.finish()
    if waiting:
        held = np.concatenate(waiting)
        yield held * (rest * gain)[:, None]


def master(source: Source, frames: int, work: Path, target_lufs: float = TARGET_LUFS,
           ceiling_db: float = LIMITER_CEILING) -> Iterator[np.ndarray]:
    """The programme (frames [start, stop) from `source`) at `target_lufs` integrated with true peaks under
    `ceiling_db`, as blocks: one gain for the whole, then the look-ahead limiter, then once more the gain the
    limiter's work cost (see above). The programme and its true peaks are kept in `work` between passes."""
    mix, peaks = work / "programme.npy", work / "programme-peaks.npy"
    meter = LoudnessMeter(MIX_RATE)
    highest = 0.0
    with pcm.SoundWriter(mix, frames) as sound, pcm.SoundWriter(peaks, frames, channels=1) as peak_file:
        blocks = (source(at, min(at + pcm.BLOCK, frames)) for at in range(0, frames, pcm.BLOCK))
        for block, block_peaks in with_true_peaks(blocks):
            meter.add(block)
            sound.write(block)
            peak_file.write(block_peaks)
            highest = max(highest, float(block_peaks.max()))
    loudness = meter.result()
    gain_db = 0.0 if loudness is None else target_lufs - loudness
    ceiling = 10 ** (ceiling_db / 20)
    if loudness is not None and highest * 10 ** (gain_db / 20) > ceiling:
        for _ in range(3):
            check = LoudnessMeter(MIX_RATE)
            for block in _limited(mix, peaks, gain_db, ceiling_db):
                check.add(block)
            error = target_lufs - (check.result() or target_lufs)
            if abs(error) < 0.05:
                break
            gain_db += error
    if highest * 10 ** (gain_db / 20) <= ceiling:       # nothing to limit (the usual case): one gain
        gain = np.float32(10 ** (gain_db / 20))
        for block in pcm.blocks(mix):
            yield block * gain
    else:
        yield from _limited(mix, peaks, gain_db, ceiling_db)


def programme_sound(scene_audio: list[Path], music: tuple[Path, int] | None, work: Path, *,
                    under: tuple[int, int] | None = None) -> tuple[Source, int]:
    """The join's mix before mastering: the scenes' sound files one after another, plus the music bed (path of
    the music asset and its volume %) ducked under them. `under` is the [first, last) range of the sound files the
    bed plays under (all of them when None; a brand kit's intro and outro are heard with their own sound only): it
    starts with the first of them and fades out at the end of the last. Returns (source, frames)."""
    lengths = [pcm.frames_of(path) for path in scene_audio]
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(int)
    frames = int(starts[-1])

    def scenes(start: int, stop: int) -> np.ndarray:
        out = np.zeros((stop - start, 2), np.float32)
        for path, first, last in zip(scene_audio, starts[:-1], starts[1:], strict=True):
            lo, hi = max(start, first), min(stop, last)
            if lo < hi:
                out[lo - start:hi - start] = pcm.read(path, lo - first, hi - first)
        return out

    if music is None:
        return scenes, frames
    first, last = under if under is not None else (0, len(scene_audio))
    bed_start, bed_stop = int(starts[first]), int(starts[last])
    bed_frames = bed_stop - bed_start
    music_file = work / "music.npy"
    decode_to_file(music[0], music_file)
    if pcm.frames_of(music_file) == 0 or bed_frames <= 0:
        return scenes, frames
    levels = hop_levels(scenes(at, min(at + pcm.BLOCK, bed_stop)) for at in range(bed_start, bed_stop, pcm.BLOCK))
    bed = MusicBed(music_file, bed_frames, music[1], ducking_envelope(levels))

    def with_music(start: int, stop: int) -> np.ndarray:
        out = scenes(start, stop)
        lo, hi = max(start, bed_start), min(stop, bed_stop)
        if lo < hi:
            out[lo - start:hi - start] += bed.block(lo - bed_start, hi - bed_start)
        return out

    return with_music, frames


AUDIO_CODECS = {"H264": ("mp4", "aac", 128_000), "VP8": ("webm", "libopus", 128_000),
                "QTRLE": ("mov", "pcm_s16le", None)}


def encode_sound(blocks: Iterable[np.ndarray], codec: str, out: Path) -> Path:
    """Stereo blocks at MIX_RATE -> an audio-only file in the video codec's container and audio codec, whose
    packets the join muxes beside the picture."""
    container_format, name, bit_rate = AUDIO_CODECS[codec]
    with av.open(str(out), mode="w", format=container_format) as container:
        stream = container.add_stream(name, rate=MIX_RATE, layout="stereo")
        if bit_rate:
            stream.bit_rate = bit_rate
        frame_size = stream.codec_context.frame_size or 1024
        fmt = stream.codec_context.format.name
        pts = 0
        for chunk in pcm.rechunk(blocks, frame_size):
            if fmt.startswith("s16"):
                data = (np.clip(chunk, -1, 1) * 32767).astype(np.int16)
                frame = av.AudioFrame.from_ndarray(data.reshape(1, -1) if fmt == "s16" else data.T.copy(),
                                                   format=fmt, layout="stereo")
            else:
                chunk = chunk.astype(np.float32)
                frame = av.AudioFrame.from_ndarray(chunk.T.copy() if fmt.endswith("p") else chunk.reshape(1, -1),
                                                   format=fmt, layout="stereo")
            frame.sample_rate = MIX_RATE
            frame.pts = pts
            pts += chunk.shape[0]
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out


def decoded_true_peak_db(path: Path, work: Path) -> float:
    """The highest true peak (dBTP) of an encoded sound file as a player decodes it, read in blocks."""
    decoded = work / "decoded.npy"
    decode_to_file(path, decoded)
    highest = max((float(peaks.max()) for _, peaks in with_true_peaks(pcm.blocks(decoded))), default=0.0)
    decoded.unlink()
    return 20 * np.log10(max(highest, 1e-12))


def programme(scene_audio: list[Path], music: tuple[Path, int] | None, codec: str, out: Path, *,
              under: tuple[int, int] | None = None) -> Path:
    """The finished soundtrack of a video: the scenes' sound and the music (under the sound files `under` says, see
    programme_sound) mixed, mastered and encoded to `out`.

    The encoder rebuilds peaks its own way (AAC and Opus overshoot by up to a dB or two, depending on the sound),
    so the encoded file is decoded and measured: where it passes TRUE_PEAK_MAX, it is mastered again with the
    limiter's ceiling lowered by the excess (and a margin), at the same loudness."""
    with tempfile.TemporaryDirectory(prefix="programme-", dir=out.parent) as folder:
        work = Path(folder)
        source, frames = programme_sound(scene_audio, music, work, under=under)
        ceiling = LIMITER_CEILING
        for _ in range(DELIVERY_TRIES):
            encode_sound(master(source, frames, work, ceiling_db=ceiling), codec, out)
            excess = decoded_true_peak_db(out, work) - TRUE_PEAK_MAX
            if excess <= 0:
                break
            ceiling -= excess + DELIVERY_MARGIN_DB
        return out
