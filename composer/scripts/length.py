"""How long a scene and a video will last, known before anything is rendered, checked against the limits.

A scene lasts as long as the longest of: its speech (the editor's estimate: words at the voice's measured rate,
every pause and <break> exactly) or its audio file, plus the renderer's tail; and each VIDEO layer that plays
its clip entirely, from its start time. The reference bounds a script by characters only (10,000 without the
tags), so pauses could make a scene of any length; here a scene may last COMPOSER_MAX_SCENE_SECONDS and a video
COMPOSER_MAX_VIDEO_SECONDS (length_rules). The same numbers refuse a body at submit, mark the editor's script
check, plan the job's frames and stop a render that grows past them (composer.jobs.limits).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from composer.assets.services import find_asset
from composer.scripts.length_rules import clock, max_video_seconds, scene_rule
from composer.scripts.speech import estimate_seconds, voice_language
from composer.spec import SpecError
from composer.teams.models import Project


@dataclass(frozen=True)
class SceneLength:
    seconds: float      # the whole scene
    field: str          # what makes it that long, as a path inside the scene ("text_config.text", ...)


def _asset_seconds(project: Project | None, asset_id: str, asset_type: str) -> float:
    found = find_asset(project, asset_id, asset_type)
    if found is None:
        return 0.0
    if isinstance(found, dict):
        return float(found.get("duration") or (found.get("meta") or {}).get("duration") or 0.0)
    return float(found.duration or 0.0)


def speech_seconds(project: Project | None, spec: dict[str, Any], scene: dict[str, Any]) -> float:
    """The scene's speech (TEXT, estimated) or audio (AUDIO: the asset's length, or the declared
    audio_duration of a file still to be downloaded) in seconds, without the tail."""
    if scene.get("script_type", "TEXT") == "TEXT":
        voice = spec.get("voice_config") or {}
        engine, _ = voice_language(project, voice.get("voice_asset_id"))
        return estimate_seconds((scene.get("text_config") or {}).get("text", ""), speed=voice.get("speed", 100),
                                engine=engine)
    if scene.get("audio_asset_id"):
        return _asset_seconds(project, scene["audio_asset_id"], "AUDIO")
    return float(scene.get("audio_duration") or 0.0)


def scene_length(project: Project | None, spec: dict[str, Any], scene: dict[str, Any]) -> SceneLength:
    """How long the scene (a shoot_script) will last, and which of its fields decides it."""
    from composer.render.pace import MIN_SECONDS, TAIL_SECONDS  # the engine loads on first use
    speech_field = "text_config.text" if scene.get("script_type", "TEXT") == "TEXT" else \
        "audio_asset_id" if scene.get("audio_asset_id") else "audio_duration"
    longest = SceneLength(max(MIN_SECONDS, speech_seconds(project, spec, scene) + TAIL_SECONDS), speech_field)
    for i, layer in enumerate(scene.get("layer_config") or []):
        video = layer.get("video_config") or {}
        loops = video.get("loop_count", -1)
        if layer.get("layer_type") != "VIDEO" or not video.get("is_play_the_entire_video") or loops == 0 \
                or not layer.get("asset_id"):
            continue
        plays = _asset_seconds(project, layer["asset_id"], "VIDEO") * max(1, loops)
        seconds = plays + float((layer.get("timing") or {}).get("start", 0.0))
        if seconds > longest.seconds:
            longest = SceneLength(seconds, f"layer_config[{i}].video_config.loop_count")
    return longest


def check_lengths(project: Project | None, spec: dict[str, Any]) -> list[float]:
    """Each scene's length (in shoot_scripts order); SpecError naming the field when a scene or the whole video
    would last longer than the limits."""
    lengths = []
    for i, item in enumerate(spec.get("shoot_scripts") or []):
        length = scene_length(project, spec, item["shoot_script"])
        rule = scene_rule(length.seconds)
        if rule:
            raise SpecError(f"shoot_scripts[{i}].shoot_script.{length.field}", rule)
        lengths.append(length.seconds)
    total, limit = sum(lengths), max_video_seconds()
    if total > limit:
        raise SpecError("shoot_scripts", f"the video would last about {clock(total)} in all (pauses and breaks "
                                         f"included); a video may last at most {clock(limit)}")
    return lengths
