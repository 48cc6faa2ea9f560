"""render(spec, resolver, output_path, on_progress): a validated create body to a finished video.

Scenes render independently (render_scene) so that workers can share a job; join_scenes remuxes their
segments, mixes the soundtrack (speech, video sound, music) and writes the cover and subtitle files.
Super resolution: when the output is larger than the 1920x1080/1080x1920 layout (4K), every source is scaled
straight to output size with LANCZOS and given a mild unsharp mask, rather than upscaling finished frames.
"""
from __future__ import annotations

import functools
import io
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from composer.render import audio as mix
from composer.render import heap
from composer.render.avatar import open_rig
from composer.render.canvas import CanvasRing
from composer.render.compositor import AvatarPlan, SceneCompositor, on_checkerboard
from composer.render.encode import CONTAINERS, FPS, SegmentWriter, ThreadedWriter, join_segments
from composer.render.geometry import geometry_for, scaled_to_width
from composer.render.pace import MIN_SECONDS, TAIL_SECONDS, ScenePace  # noqa: F401  (part of the interface)
from composer.render.speech.realize import SPOKEN_TOGETHER
from composer.render.speech.stream import SpeechStream, audio_speech, text_speech
from composer.render.speech.track import TimedAction
from composer.render.subtitles import CaptionPainter, Cue, CueBuilder, write_srt, write_vtt
from composer.render.types import Progress, RenderCancelled, RenderResult, SceneResult
from composer.spec import ordered_scenes
from composer.spec.ssml import parse_script_text
from composer.spec.transparency import scene_is_transparent, video_has_alpha

PREVIEW_EVERY = 1.0
PREVIEW_WIDTH = 800   # the live preview: readable on the video page (a 320 px frame was a blur), ~50 KB a second
PREVIEW_QUALITY = 72
CANCEL_EVERY = 5
PREVIEW_KBPS = 600
# Frames are composed into a few canvases and converted to the encoder's pixel format on the composing thread, into
# a few working frames that wait for or are in the encoder: the encoding thread only encodes. (Converting there
# too, the encoder was fed a frame only after converting it: x264 waited, and ran at 70 fps where it can 90.)
# A frame converted here frees its canvas at once, so one canvas does, and it always holds the frame before: the
# next is composed again only where it differs from that one (see composer.render.canvas). A canvas the encoder
# takes (a transparent preview's) comes back once encoded: then there are FRAME_BUFFERS.
FRAME_BUFFERS = 2
CONVERTED_FRAMES = 4
ProgressFn = Callable[[Progress], None] | None


class Reporter:
    """Stage-weighted, monotonic progress with an ETA from the measured frame rate."""

    def __init__(self, on_progress: ProgressFn):
        self.on_progress = on_progress
        self.percent = 0.0
        self.started = time.monotonic()
        self.compose_started: float | None = None

    def __call__(self, stage: str, done: int, total: int, percent: float, preview: bytes | None = None) -> None:
        self.percent = max(self.percent, min(100.0, percent))
        eta = None
        if stage in ("compose", "encode") and done and self.compose_started is not None:
            rate = done / max(1e-6, time.monotonic() - self.compose_started)
            eta = (total - done) / rate + 0.5
        if self.on_progress:
            self.on_progress(Progress(stage, done, total, round(self.percent, 2), eta, preview))


def model_rig_path(spec: dict, resolver) -> Path:
    return resolver.asset_path(spec["model_asset_id"], "HUMAN_MODEL_2D")


_spoken: OrderedDict = OrderedDict()
_spoken_lock = threading.Lock()
SPOKEN_KEPT = 8
SPOKEN_SECONDS = 120.0     # longer speech is not kept: what the cache holds stays small


def _remember(key, stream) -> None:
    if stream.seconds > SPOKEN_SECONDS:
        return
    with _spoken_lock:
        _spoken[key] = stream.copy()
        while len(_spoken) > SPOKEN_KEPT:
            _spoken.popitem(last=False)[1].close()


def scene_speech(scene: dict, spec: dict, resolver, *, after=None):
    """The scene's speech as a started SpeechStream (composer.render.speech.stream), made after `after` (another
    stream) is done. The last few spoken scripts are kept in this process (by text and voice settings): playing a
    scene again after moving or timing its layers does not speak it again."""
    if scene.get("script_type", "TEXT") == "TEXT":
        voice_config = spec.get("voice_config") or {}
        voice = resolver.voice(voice_config["voice_asset_id"])
        settings = {name: voice_config.get(name, default) for name, default in (("speed", 100), ("pitch", 100),
                                                                                 ("volume", 140))}
        key = (scene["text_config"]["text"], repr(voice), tuple(settings.values()))
        with _spoken_lock:
            if key in _spoken:
                _spoken.move_to_end(key)
                return _spoken[key].replay()
        # A scene spoken ahead of another's frames is spoken a sentence at a time (see realize.SPOKEN_TOGETHER).
        speak = text_speech(parse_script_text(scene["text_config"]["text"]), voice, **settings,
                            together=SPOKEN_TOGETHER if after is None else 1)

        def make(stream) -> None:
            speak(stream)
            if not stream.cancelled:
                _remember(key, stream)

        return SpeechStream(make, after=after).start()
    if scene.get("audio_asset_id"):
        path = resolver.asset_path(scene["audio_asset_id"], "AUDIO")
    else:
        path = resolver.url_path(scene["audio_drive_file_external_url"])
    actions = [TimedAction(float(a["action_start_time"]), a.get("action_name") or a["action_tag"])
               for a in sorted(scene.get("audio_drive_action_config") or [], key=lambda a: a["action_start_time"])]
    return SpeechStream(audio_speech(path, actions), after=after).start()


def jpeg(image: Image.Image, max_width: int, quality: int = 80) -> bytes:
    """`image` as a JPEG at most `max_width` wide. A much wider image is first reduced by a whole factor (a box
    filter, cheap on RGB) before the bilinear scaling: a live frame of a 1080p render costs a third less."""
    preview = image.convert("RGB")
    if preview.size[0] > max_width:
        height = round(image.size[1] * max_width / image.size[0])
        if image.size[0] // max_width > 1:
            preview = preview.reduce(image.size[0] // max_width)
        if preview.size[0] != max_width:
            preview = preview.resize((max_width, height), Image.BILINEAR)
    buffer = io.BytesIO()
    preview.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _layer_sounds(compositor: SceneCompositor, duration: float, folder: Path) -> list:
    """The scene's video layers' sound (see mix.LayerSound), their clips decoded into `folder`."""
    sounds = []
    for number, drawer in enumerate(compositor.video_drawers):
        if not drawer.sound or drawer.loops == 0:
            continue
        clip = folder / f"layer-{number}.npy"
        try:
            if mix.decode_to_file(drawer.path, clip) == 0:
                continue
        except ValueError:     # a video without sound
            continue
        timed = compositor.video_starts.get(id(drawer))
        window = timed.window if timed else None
        fade = (lambda times, window=window: window.alpha(times, duration)) if window else None
        sounds.append(mix.LayerSound(clip, drawer.sound / 100, min(drawer.loops if drawer.loops > 0 else 1000, 1000),
                                     int(round(window.start * mix.MIX_RATE)) if window else 0, fade))
    return sounds


class SceneSound:
    """Makes the scene's sound file on a thread beside the frame loop, once its speech is all known."""

    def __init__(self, stream, compositor: SceneCompositor, pace: ScenePace, volume_db: float, path: Path):
        self.path = path
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(stream, compositor, pace, volume_db), daemon=True,
                                       name="scene-sound")
        self.thread.start()

    def _run(self, stream, compositor, pace, volume_db) -> None:
        try:
            mix.load_filters()     # now, while the frames wait for the first sentence anyway (see there)
            stream.wait_done()
            if stream.cancelled:
                return
            duration = pace.final_duration(stream.seconds)
            layers = _layer_sounds(compositor, duration, self.path.parent)
            mix.scene_sound(stream.speech_blocks(), stream.sample_rate, int(duration * mix.MIX_RATE), layers,
                            volume_db, self.path)
        except BaseException as exc:  # handed to the frame loop when it asks for the result
            self.error = exc

    def result(self) -> Path:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.path


def render_scene(spec: dict, scene_index: int, resolver, segment_path: Path, on_progress: ProgressFn = None, *,
                 should_cancel: Callable[[], bool] | None = None, preview_width: int | None = None,
                 speech=None, on_sound: Callable[[int, Path], None] | None = None,
                 encoder_threads: int | None = None) -> SceneResult:
    """Render shoot_scripts[scene_index] (in sequence_no order) to a video-only segment plus its sound file.

    The scene's speech is made on a thread (`speech`: a stream already started, else one is) and the frames are
    composed as soon as what they show is known (see ScenePace); the scene's sound is made beside them once the
    speech is done, and handed to `on_sound(scene_index, path)` as soon as it is ready.
    `preview_width`: a quick look rather than the deliverable: the same frames scaled to at most that width, as
    H.264 with the fastest encoder preset at a low bitrate whatever the output codec (see render_scene_preview)."""
    heap.settle()
    report = Reporter(on_progress)
    item = ordered_scenes(spec)[scene_index]
    scene = item["shoot_script"]
    video = spec["video_config"]
    codec = "H264" if preview_width else video.get("codec", "H264")
    segment_path = Path(segment_path).with_suffix("." + CONTAINERS[codec])
    segment_path.parent.mkdir(parents=True, exist_ok=True)
    report("speech", 0, 0, 1)
    stream = speech or scene_speech(scene, spec, resolver)
    try:
        return _render_scene(spec, scene_index, scene, resolver, segment_path, report, stream, should_cancel,
                             preview_width, on_sound, encoder_threads)
    finally:
        stream.close()
        heap.give_back(collect=True)    # the scene's frames, sprites and encoder are freed: let the system have them


def _render_scene(spec, scene_index, scene, resolver, segment_path, report, stream, should_cancel, preview_width,
                  on_sound, encoder_threads) -> SceneResult:
    video = spec["video_config"]
    codec = "H264" if preview_width else video.get("codec", "H264")
    rig_path = model_rig_path(spec, resolver)
    rig = open_rig(rig_path)
    geometry = geometry_for(video, rig.layout)
    if preview_width:
        geometry = scaled_to_width(geometry, preview_width)
    transparent = scene_is_transparent(scene, video)
    action = spec.get("action_config") or {}
    plan = AvatarPlan(rig_path, [], [], MIN_SECONDS, action.get("action_interval"),
                      bool(video.get("is_end_at_first_frame")), seed=scene_index + 7)
    compositor = SceneCompositor(spec, scene, geometry, resolver, plan, MIN_SECONDS, transparent=transparent)
    is_text = scene.get("script_type", "TEXT") == "TEXT"
    subtitle_config = video.get("subtitle_config") or {}
    cues = CueBuilder(font_size=subtitle_config.get("font_size", 54), canvas_width=geometry.layout[0],
                      font_name=subtitle_config.get("font_name")) \
        if is_text and (video.get("is_subtitle_enable") or not preview_width) else None
    painter = CaptionPainter(subtitle_config, geometry.layout, geometry.rect_float) \
        if video.get("is_subtitle_enable") and cues else None
    pace = ScenePace(stream, compositor, cues)
    # Speech at the fixed target (see composer.render.audio): scenes match and a cached scene stays valid.
    volume_db = 20 * np.log10((spec.get("voice_config") or {}).get("volume", 140) / 140) if is_text else 0.0
    sound = SceneSound(stream, compositor, pace, volume_db, segment_path.with_suffix(".audio.npy"))
    if on_sound is not None:
        threading.Thread(target=lambda: on_sound(scene_index, sound.result()), daemon=True).start()

    writer = ThreadedWriter(SegmentWriter(segment_path, codec, geometry.output,
                                          PREVIEW_KBPS if preview_width else video["bitrate"], video_has_alpha(spec),
                                          preset="ultrafast" if preview_width else "veryfast",
                                          threads=encoder_threads, converted_frames=CONVERTED_FRAMES))
    converter = writer.writer.converter
    # A transparent preview's frames go to the encoder as pictures on the checkerboard, which it converts itself
    # and then hands their canvas back; every other frame is converted here and its canvas is free at once.
    encoder_takes_canvas = bool(preview_width and transparent)
    canvases = CanvasRing(geometry.output, FRAME_BUFFERS if encoder_takes_canvas else 1)
    # Pictures for people (the cover, live frames) show a transparent scene over the editor's checkerboard.
    for_people = (lambda image: on_checkerboard(image, geometry.scale)) if transparent else (lambda image: image)
    cover_path = segment_path.with_suffix(".cover.jpg")
    last_preview = float("-inf")  # the first composed frame of every scene is shown at once
    index = 0
    try:
        while True:
            t = index / FPS
            pace.wait_for(t, should_cancel)
            if report.compose_started is None:
                report("lipsync", 0, 0, 10)
                report.compose_started = time.monotonic()
            if pace.frames is not None and index >= pace.frames:
                break
            if should_cancel and index % CANCEL_EVERY == 0 and should_cancel():
                raise RenderCancelled()
            if index % heap.EVERY_FRAMES == heap.EVERY_FRAMES - 1:
                heap.give_back()
            cue = cues.caption_at(t) if painter else None
            canvas = compositor.paint(canvases.take(), t, painter.sprite_at(cue, t) if cue else None)
            image = canvas.image
            if encoder_takes_canvas:
                writer.write(for_people(image), functools.partial(canvases.give, canvas))
            else:
                converted = converter.convert(canvas.array, canvas.plate.array, canvas.dirty, canvas.shown)
                writer.write(converted, functools.partial(converter.release, converted))
            if index == pace.cover_index():
                for_people(image).convert("RGB").save(cover_path, "JPEG", quality=90)
            preview = None
            if report.on_progress and time.monotonic() - last_preview >= PREVIEW_EVERY:   # (only if watched)
                preview = jpeg(for_people(image), PREVIEW_WIDTH, PREVIEW_QUALITY)
                last_preview = time.monotonic()
            if not encoder_takes_canvas:
                canvases.give(canvas)
            total = pace.frames_estimate()
            report("compose", index + 1, total if pace.frames else 0, 12 + 86 * (index + 1) / total, preview)
            index += 1
        report("encode", pace.frames, pace.frames, 99)
        writer.close()
        audio_path = sound.result()
    except BaseException:
        writer.abort()
        stream.cancelled = True
        sound.thread.join()
        for path in (segment_path, cover_path, segment_path.with_suffix(".audio.npy")):
            path.unlink(missing_ok=True)
        raise
    report("encode", pace.frames, pace.frames, 100)
    return SceneResult(scene_index, str(segment_path), str(audio_path), pace.duration, pace.frames,
                       geometry.output[0], geometry.output[1], codec, [[c.start, c.end, c.text] for c in cues.cues]
                       if cues else [], str(cover_path), is_text)


def _field(result, name):
    return result[name] if isinstance(result, dict) else getattr(result, name)


def music_span(results: list) -> tuple[int, int]:
    """The [first, last) range of the joined results the music bed plays under: from the first that takes music
    to the last that does (a brand kit's intro and outro, `music` False, are outside it); empty when none does."""
    scored = [i for i, r in enumerate(results) if (r.get("music", True) if isinstance(r, dict) else r.music)]
    return (scored[0], scored[-1] + 1) if scored else (0, 0)


def soundtrack(spec: dict, scene_audio: list[Path], codec: str, out: Path, resolver=None, *,
               under: tuple[int, int] | None = None) -> Path:
    """The video's finished soundtrack, encoded to `out`: the scenes' sound and the music under the sound files
    `under` says (all when None; see audio.programme)."""
    music_config = spec.get("background_music_config") or {}
    music = None
    if music_config.get("music_asset_id") and resolver is not None:
        music = (resolver.asset_path(music_config["music_asset_id"], "MUSIC"), music_config.get("volume", 100))
    return mix.programme(scene_audio, music, codec, out, under=under)


def join_scenes(spec: dict, scene_results: list, output_path: Path, resolver=None, *,
                sound: Callable[[], Path] | None = None) -> RenderResult:
    """Join scene segments in order: remux the video beside the soundtrack (`sound()` gives it already encoded;
    otherwise it is mixed and encoded here), write cover and subtitles."""
    started = time.monotonic()
    results = sorted(scene_results, key=lambda r: _field(r, "index"))
    codec = _field(results[0], "codec")
    output_path = Path(output_path)
    if sound is not None:
        encoded = sound()
    else:
        encoded = soundtrack(spec, [Path(_field(r, "audio")) for r in results], codec,
                             output_path.with_name(f".{output_path.stem}.sound.{CONTAINERS[codec]}"), resolver,
                             under=music_span(results))
    try:
        frames = join_segments([Path(_field(r, "segment")) for r in results], encoded, codec, output_path)
    finally:
        if sound is None:
            encoded.unlink(missing_ok=True)
    cover = output_path.with_suffix(".jpg")
    shutil.copyfile(_field(results[0], "cover"), cover)
    srt = vtt = None
    if any(_field(r, "has_text") for r in results):
        cues, offset = [], 0.0
        for r in results:
            cues += [Cue(start + offset, end + offset, text) for start, end, text in _field(r, "cues")]
            offset += _field(r, "duration")
        srt = write_srt(cues, output_path.with_suffix(".srt"))
        vtt = write_vtt(cues, output_path.with_suffix(".vtt"))
    duration = sum(_field(r, "duration") for r in results)
    return RenderResult(output_path, cover, srt, vtt, duration, _field(results[0], "width"),
                        _field(results[0], "height"), codec, frames, time.monotonic() - started)


def render_scene_preview(spec: dict, scene_index: int, resolver, output_path: Path, *,
                         width: int = 480) -> RenderResult:
    """Scene `scene_index` alone as a quick MP4 to play in the editor: the same engine, speech, timing and music as
    the final render, at most `width` pixels wide, 25 fps, H.264 (fastest preset)/AAC with faststart."""
    started = time.monotonic()
    output_path = Path(output_path)
    work = output_path.parent / f".{output_path.stem}.parts"
    work.mkdir(parents=True, exist_ok=True)
    try:
        scene = render_scene(spec, scene_index, resolver, work / "scene", preview_width=width)
        result = join_scenes(spec, [scene], output_path, resolver)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result.seconds = time.monotonic() - started
    return result


class _Soundtrack:
    """render()'s soundtrack, mixed and encoded on a thread as soon as every scene's sound is made, beside the
    frames still being composed."""

    def __init__(self, spec: dict, codec: str, count: int, out: Path, resolver):
        self.spec, self.codec, self.count, self.out, self.resolver = spec, codec, count, out, resolver
        self.scene_audio: dict[int, Path] = {}
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.error: BaseException | None = None

    def scene_ready(self, index: int, path: Path) -> None:
        with self.lock:
            self.scene_audio[index] = path
            if len(self.scene_audio) < self.count:
                return
        try:
            soundtrack(self.spec, [self.scene_audio[i] for i in range(self.count)], self.codec, self.out,
                       self.resolver)
        except BaseException as exc:  # handed to the join
            self.error = exc
        finally:
            self.done.set()

    def result(self) -> Path:
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.out


def render(spec: dict, resolver, output_path: Path, on_progress: ProgressFn = None, *,
           should_cancel: Callable[[], bool] | None = None) -> RenderResult:
    """Render every scene in sequence_no order in this process and join them into `output_path`. Speech is made
    scene after scene on a thread ahead of the frames (one scene ahead at most), and the soundtrack is encoded as
    soon as it is known."""
    started = time.monotonic()
    heap.settle()      # before the speech threads start allocating
    output_path = Path(output_path)
    work = output_path.parent / f".{output_path.stem}.parts"
    work.mkdir(parents=True, exist_ok=True)
    scenes = ordered_scenes(spec)
    codec = spec["video_config"].get("codec", "H264")
    sound = _Soundtrack(spec, codec, len(scenes), work / f"soundtrack.{CONTAINERS[codec]}", resolver)
    streams: list = []
    results = []
    try:
        def speech_of(index: int):
            # Speech runs at most one scene ahead of the frames: the next scene is spoken once this scene's speech is
            # done and its frames have started, not the whole programme during the first scene (whose frames would
            # then share the process with all of the speech: a ten-scene render peaked 180 MB above one scene).
            while len(streams) <= min(index, len(scenes) - 1):
                streams.append(scene_speech(scenes[len(streams)]["shoot_script"], spec, resolver,
                                            after=streams[-1] if streams else None))
            return streams[index] if index < len(scenes) else None

        for index in range(len(scenes)):
            speech = speech_of(index)
            speech_of(index + 1)
            def scene_progress(progress: Progress, index=index) -> None:
                if on_progress:
                    share = 100 / len(scenes)
                    on_progress(Progress(progress.stage, progress.frames_done, progress.frames_total,
                                         round(min(99.0, index * share + progress.percent * share / 100), 2),
                                         progress.eta_seconds, progress.preview_jpeg))
            results.append(render_scene(spec, index, resolver, work / f"scene-{index}",
                                        scene_progress if on_progress else None,
                                        should_cancel=should_cancel, speech=speech,
                                        on_sound=sound.scene_ready))
        if on_progress:
            on_progress(Progress("upload", sum(r.frames for r in results), sum(r.frames for r in results), 99.5))
        result = join_scenes(spec, results, output_path, resolver, sound=sound.result)
    except RenderCancelled:
        output_path.unlink(missing_ok=True)
        raise
    finally:
        for stream in streams:
            stream.close()
        if len(sound.scene_audio) == len(scenes):
            sound.done.wait()
        shutil.rmtree(work, ignore_errors=True)
    result.seconds = time.monotonic() - started
    if on_progress:
        on_progress(Progress("done", result.frames, result.frames, 100.0, 0.0))
    return result


def render_preview(spec: dict, scene_index: int, t: float, resolver, *, max_width: int = 480) -> Image.Image:
    """A thumbnail of scene `scene_index` at time t through the same compositor (no speech: mouth at rest).

    A transparent scene (no background, a codec with alpha) is shown over the editor's checkerboard; with H.264
    its empty parts show the fill colour the render gives them."""
    item = ordered_scenes(spec)[scene_index]
    scene = item["shoot_script"]
    video = spec["video_config"]
    rig_path = model_rig_path(spec, resolver)
    # Composed straight at the thumbnail's size: every source is scaled once, to what the picture shows.
    geometry = scaled_to_width(geometry_for(video, open_rig(rig_path).layout), max_width, even=False)
    duration = max(t + 1.0, 4.0)
    plan = AvatarPlan(rig_path, [], [], duration, 255, False, seed=scene_index + 7)
    transparent = scene_is_transparent(scene, video)
    compositor = SceneCompositor(spec, scene, geometry, resolver, plan, duration, transparent=transparent)
    image = compositor.frame(t)
    return on_checkerboard(image, geometry.scale) if transparent else image
