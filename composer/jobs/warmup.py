"""Warm-up of a serving process: the render engine imported and every presenter's rig decoded ahead of need.

A web server or render worker that has just started would otherwise pay, on the first thumbnail, editor page or
render of each presenter, the engine's imports and about a second of PNG decoding per rig. Right after start-up a
background thread does that work instead: it imports the engine, then, at the lowest CPU priority, decodes the
built-in cast and the rigs uploaded to any project (most recently changed first) while they fit in the rig cache.
A process that renders (a render worker, or a web process with the embedded worker) also loads the built-in neural
voice, which its first render would otherwise wait for before its first frame.
The server answers from its first moment; a request for a rig not decoded yet decodes it itself rather than wait
behind the low-priority thread. A rig uploaded later is decoded by its upload's checks and kept by the process
that accepted it. Only serving processes warm up (composer/asgi.py and the worker start signals), so
manage.py commands and tests do not; COMPOSER_WARMUP=0 turns it off.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections

from composer.assets.models import Asset, AssetState, AssetType
from composer.assets.resolver import ProjectAssetResolver
from composer.jobs.scene_cache import engine_version

# The engine (PyAV, Pillow, the voices) is imported inside the functions below: by the warm-up thread, not by
# the server's start-up that imports this module.
log = logging.getLogger(__name__)
LOWEST_PRIORITY = 19

_lock = threading.Lock()
_started_in: int | None = None          # the pid that started it: a forked child starts its own
done = threading.Event()


def configure_cache() -> None:
    from composer.render.avatar.cache import RIGS

    RIGS.resize(settings.COMPOSER_RIG_CACHE_MB * 1024 * 1024)


def rig_paths() -> list[Path]:
    """Every rig worth having decoded: the built-in cast, then uploaded rigs, most recently changed first."""
    from composer.render.avatar import BUILTIN_RIGS

    paths = [Path(entry["path"]) for entry in BUILTIN_RIGS]
    try:
        uploaded = Asset.objects.filter(asset_type=AssetType.HUMAN_MODEL_2D, state=AssetState.ACTIVED) \
            .exclude(file="").order_by("-updated_at").values_list("file", flat=True)
        paths += [Path(settings.MEDIA_ROOT) / name for name in uploaded]
    finally:
        close_old_connections()
    return paths


def warm_up(paths: list[Path] | None = None, *, voices: bool = False) -> dict:
    """Import the engine (and with `voices` load the built-in neural voices), then decode `paths` (default:
    rig_paths()) into this process's rig cache, stopping when one more rig as large as the largest so far would
    not fit (it would push out one just warmed). Returns what it did."""
    started = time.monotonic()
    import_engine()
    loaded = load_voices() if voices else 0
    from composer.assets.rigs import avatar_still, rig_facts
    from composer.render.avatar import RigError
    from composer.render.avatar.cache import RIGS, rig_bytes

    paths = rig_paths() if paths is None else paths
    warmed: list[Path] = []
    largest = 0
    for path in paths:
        stats = RIGS.stats()
        if warmed and stats["bytes"] + largest > stats["max_bytes"]:
            # One more would push out a rig warmed a moment ago: the rest decode on first use.
            log.info("warm-up: the rig cache is full (COMPOSER_RIG_CACHE_MB=%s)", settings.COMPOSER_RIG_CACHE_MB)
            break
        try:
            largest = max(largest, rig_bytes(RIGS.get(path, background=True)))
            rig_facts(path)      # what the editor page needs of each presenter, and the still its cards show
            avatar_still(path)
        except (OSError, RigError) as exc:
            log.warning("warm-up: rig %s skipped: %s", path, exc)
            continue
        warmed.append(path)
        if warmed[0] not in RIGS:                      # it was larger than foreseen: stop here all the same
            break
    try:
        _compose_once()
    except Exception:
        log.warning("warm-up: the trial thumbnail failed (thumbnails pay their first-use costs themselves)",
                    exc_info=True)
    report = {"warmed": len(warmed), "of": len(paths), "voices": loaded,
              "seconds": round(time.monotonic() - started, 2), **RIGS.stats()}
    log.info("warm-up: %(warmed)s of %(of)s presenter rigs decoded, neural voices loaded: %(voices)s, in %(seconds)s s "
             "(%(bytes)s bytes of rigs cached)", report)
    return report


def import_engine() -> None:
    """The engine's modules (the first preview pays no import). Done at the thread's normal priority: a request
    importing the same module waits for the import lock, and must not wait behind a starved low-priority thread."""
    from PIL import Image

    Image.init()                    # every image plugin, imported once here rather than by a first Image.open
    import composer.render  # noqa: F401
    import composer.render.avatar.cache  # noqa: F401
    import composer.spec  # noqa: F401
    from composer.render.audio import load_filters

    load_filters()


def load_voices() -> int:
    """The built-in neural voices loaded into this process (a voice that fails to load is loaded again, and its
    error reported, by the render that needs it)."""
    from composer.render.speech.voices import load_neural_voices

    try:
        return load_neural_voices()
    except Exception:
        log.warning("warm-up: the built-in voices did not load (renders load them themselves)", exc_info=True)
        return 0


def _compose_once() -> None:
    """One thumbnail of a built-in scene with a picture and a title, thrown away: the compositor's first-use costs
    (fonts, image plugins) and the engine's version digest the render cache keys carry are paid here instead of
    by a person."""
    from composer.render import render_preview
    from composer.render.avatar import BUILTIN_RIGS
    from composer.spec import validate_create_body

    engine_version()
    scene = {"script_type": "TEXT", "text_config": {"text": "Hello."},
             "background_config": [{"background_type": "IMAGE", "background_asset_id": "bg-studio-blue-landscape"}],
             "layer_config": [{"layer_type": "TEXT", "position": {"dx": 120, "dy": 140, "layer_index": 4},
                               "text_config": {"text_context": "V2FybQ==", "font_size": 72}}]}
    spec = validate_create_body({
        "model_asset_id": BUILTIN_RIGS[0]["asset_id"], "voice_config": {"voice_asset_id": "voice-en-us-joe"},
        "video_config": {"codec": "H264", "bitrate": 4000, "width": 1920, "height": 1080},
        "shoot_scripts": [{"sequence_no": 0, "shoot_script": scene}], "output_asset_config": {"asset_name": "warm"}})
    render_preview(spec, 0, 0.0, ProjectAssetResolver(None, Path(settings.COMPOSER_DATA_DIR)), max_width=320)


def _lower_priority() -> None:
    """This thread only (Linux keeps a nice value per thread): the process's requests keep the CPU."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOWEST_PRIORITY)
    except (AttributeError, OSError):
        pass


def _run(renders: bool) -> None:
    try:
        import_engine()
        _lower_priority()
        warm_up(voices=renders)
    except Exception:
        log.exception("warm-up failed (nothing is lost: rigs decode on first use)")
    finally:
        done.set()


def start_warmup(*, renders: bool = False) -> threading.Thread | None:
    """Start this process's warm-up in a background thread, once per process; None when already started or off.
    `renders`: this process renders videos (its voices are loaded too)."""
    global _started_in
    if not settings.COMPOSER_WARMUP:
        return None
    with _lock:
        if _started_in == os.getpid():
            return None
        _started_in = os.getpid()
        done.clear()
    configure_cache()
    thread = threading.Thread(target=_run, args=(renders,), name="composer-warmup", daemon=True)
    thread.start()
    return thread
