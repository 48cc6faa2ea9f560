"""Differences between two compositions: changed JSON paths and a unified text diff for API clients, and the
same compositions described in words (readable_changes) for people."""
from __future__ import annotations

import base64
import binascii
import difflib
import json
import re
from typing import Any

from composer.spec.layers import LAYER_TYPES
from composer.spec.ssml import (
    Action,
    Break,
    Paragraph,
    SayAs,
    SsmlError,
    Sub,
    Text,
    parse_script_text,
)

MISSING = None


def _child(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def json_changes(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """Every leaf that differs, as {"path", "before", "after"}; an added or removed part has null on one side.

    Paths use the spec's own notation (shoot_scripts[0].shoot_script.text_config.text), so a change reads the
    same as a validation error about the same field."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[dict[str, Any]] = []
        for key in sorted(set(before) | set(after)):
            if key not in after:
                changes.append({"path": _child(path, key), "before": before[key], "after": MISSING})
            elif key not in before:
                changes.append({"path": _child(path, key), "before": MISSING, "after": after[key]})
            else:
                changes.extend(json_changes(before[key], after[key], _child(path, key)))
        return changes
    if isinstance(before, list) and isinstance(after, list):
        changes = []
        for index in range(max(len(before), len(after))):
            if index >= len(after):
                changes.append({"path": _child(path, index), "before": before[index], "after": MISSING})
            elif index >= len(before):
                changes.append({"path": _child(path, index), "before": MISSING, "after": after[index]})
            else:
                changes.extend(json_changes(before[index], after[index], _child(path, index)))
        return changes
    if before == after and type(before) is type(after):
        return []
    return [{"path": path, "before": before, "after": after}]


def pretty(document: Any) -> list[str]:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).splitlines()


def unified_text(before: Any, after: Any, *, before_label: str, after_label: str) -> str:
    """The compositions as indented JSON, compared line by line (unified format, three lines of context)."""
    lines = difflib.unified_diff(pretty(before), pretty(after), fromfile=before_label, tofile=after_label,
                                 lineterm="")
    return "\n".join(lines)


# --- the readable diff: what a marketer sees on the approval page and in the History tab ------------------------
# Each composition is described as lines of words ("Background music: Bright pulse, volume 100"), each with a stable
# key; two descriptions are compared line by line. Asset ids are shown by name (`names` maps id -> name).

VIDEO_GROUP = "Video, presenter and voice"
CODECS = {"H264": "MP4 (H.264)", "VP8": "WebM with transparency (VP8)", "QTRLE": "MOV with transparency (QuickTime)"}
FRAMING = {"RESIZE": "whole presenter (resize)", "CROP": "cropped"}


def asset_ids(composition: dict[str, Any]) -> set[str]:
    """Every asset id a composition names: presenter, voice, music, backgrounds, layers, scene audio."""
    ids = {composition.get("model_asset_id"), (composition.get("voice_config") or {}).get("voice_asset_id"),
           (composition.get("background_music_config") or {}).get("music_asset_id")}
    for item in composition.get("shoot_scripts") or []:
        scene = (item or {}).get("shoot_script") or {}
        ids.add(scene.get("audio_asset_id"))
        ids.update((b or {}).get("background_asset_id") for b in scene.get("background_config") or [])
        ids.update((layer or {}).get("asset_id") for layer in scene.get("layer_config") or [])
    for variable in (composition.get("template") or {}).get("variables") or []:
        ids.update(variable.get("allowed") or [])
    return {i for i in ids if isinstance(i, str) and i}


def spoken_text(text: str) -> str:
    """Script text as it is spoken: SSML tags dropped, pauses as "(pause 0.5 s)", gestures as "(wave)"."""
    def walk(nodes) -> str:
        out = []
        for node in nodes:
            if isinstance(node, Text):
                out.append(node.text)
            elif isinstance(node, Break):
                out.append(f" (pause {node.seconds:g} s) ")
            elif isinstance(node, Action):
                out.append(f" ({node.name}) ")
            elif isinstance(node, Sub):
                out.append(node.alias)
            elif isinstance(node, SayAs):
                out.append(node.text)
            elif isinstance(node, Paragraph):
                out.append(walk(node.children) + " ")
            elif hasattr(node, "children"):
                out.append(walk(node.children))
            else:
                out.append(getattr(node, "text", ""))
        return "".join(out)

    try:
        spoken = walk(parse_script_text(text))
    except SsmlError:
        spoken = re.sub(r"<[^>]*>", " ", text)
    return re.sub(r"\s+", " ", spoken).replace(" .", ".").replace(" ,", ",").strip()


def _name(names: dict[str, str], asset_id: Any, fallback: str = "") -> str:
    return names.get(asset_id, asset_id) if isinstance(asset_id, str) and asset_id else fallback


def _named(names: dict[str, str], asset_id: Any, fallback: str = "") -> str:
    name = _name(names, asset_id)
    return f"“{name}”" if name else fallback


def _from_url(url: Any) -> str:
    if not isinstance(url, str) or not url:
        return ""
    return f"from {url.rsplit('/', 1)[-1] or url}"


def _decoded(encoded: Any) -> str:
    if not isinstance(encoded, str):
        return ""
    try:
        return base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return encoded


def _box(layer: dict[str, Any]) -> str:
    position, size = layer.get("position") or {}, layer.get("size") or {}
    words = [f"at x {position.get('dx', 0)}, y {position.get('dy', 0)}"]
    if size.get("width") and size.get("height"):
        words.append(f"{size['width']} × {size['height']} px")
    angle = (layer.get("rotation") or {}).get("angle") or 0
    if angle:
        words.append(f"turned {angle}°")
    if position.get("layer_index") is not None:
        words.append(f"stacking order {position['layer_index']}")
    return ", ".join(words)


def describe_layer(layer: dict[str, Any], names: dict[str, str]) -> str:
    kind = layer.get("layer_type", "")
    label = LAYER_TYPES[kind].label if kind in LAYER_TYPES else kind.title()
    if kind == "TEXT":
        text = layer.get("text_config") or {}
        what = (f"Text “{_decoded(text.get('text_context'))}”, font size {text.get('font_size', 16)}, "
                f"colour {text.get('font_color', '#FFFFFF')}")
    elif kind == "HUMAN":
        what = "Presenter"
    elif kind == "VIDEO":
        video = layer.get("video_config") or {}
        loops = video.get("loop_count", -1)
        plays = "in a loop" if loops == -1 else "once" if loops in (0, 1) else f"{loops} times"
        source = _named(names, layer.get("asset_id"), _from_url(video.get("video_url")))
        what = f"{label} {source}, plays {plays}, its sound at {video.get('video_sound', 0)}%"
    else:
        source = _named(names, layer.get("asset_id"), _from_url((layer.get("image_config") or {}).get("image_url")))
        what = f"{label} {source}".strip()
    return f"{what}, {_box(layer)}"


def describe_background(background: dict[str, Any], names: dict[str, str]) -> str:
    if background.get("background_type") == "COLOR":
        return f"Colour {background.get('background_color_config', '#FFFFFF')}"
    source = _named(names, background.get("background_asset_id"), _from_url(background.get("background_config")))
    return f"Picture {source}".strip()


def describe_video(video: dict[str, Any]) -> str:
    width, height = video.get("width"), video.get("height")
    shape = "portrait" if (height or 0) > (width or 0) else "landscape"
    words = [f"{width} × {height} ({shape})", CODECS.get(video.get("codec", "H264"), video.get("codec", "H264")),
             f"{video.get('bitrate')} kbit/s", f"framing: {FRAMING.get(video.get('clip_mode', 'RESIZE'), 'resize')}"]
    if video.get("is_end_at_first_frame"):
        words.append("ends on its first frame")
    if video.get("is_enable_super_resolution"):
        words.append("sharpened (super resolution)")
    return ", ".join(words)


def describe_subtitles(video: dict[str, Any]) -> str:
    if not video.get("is_subtitle_enable"):
        return "Not burnt in (SRT and VTT files only)"
    style = video.get("subtitle_config") or {}
    return (f"Burnt into the video, font size {style.get('font_size', 54)}, "
            f"text colour {style.get('font_color', '#FFFFFF')}")


def describe_gestures(interval: Any) -> str:
    if interval in (None, 0, 0.0):
        return "Automatic, about every 4 s"
    if interval >= 255:
        return "None"
    return f"About every {interval:g} s"


def describe_composition(composition: dict[str, Any], names: dict[str, str]) -> list[dict[str, str]]:
    """The composition in words, one line per setting, scene and layer: {"key", "group", "what", "text"}."""
    lines: list[dict[str, str]] = []

    def add(key: str, group: str, what: str, text: str) -> None:
        lines.append({"key": key, "group": group, "what": what, "text": text})

    voice = composition.get("voice_config") or {}
    music = composition.get("background_music_config") or {}
    video = composition.get("video_config") or {}
    add("presenter", VIDEO_GROUP, "Presenter", _name(names, composition.get("model_asset_id"), "None"))
    add("voice", VIDEO_GROUP, "Voice",
        f"{_name(names, voice.get('voice_asset_id'), 'Default')}, speed {voice.get('speed', 100)}, "
        f"pitch {voice.get('pitch', 100)}, volume {voice.get('volume', 140)}")
    add("music", VIDEO_GROUP, "Background music",
        f"{_name(names, music.get('music_asset_id'))}, volume {music.get('volume', 100)}"
        if music.get("music_asset_id") else "None")
    add("video", VIDEO_GROUP, "Video", describe_video(video))
    add("subtitles", VIDEO_GROUP, "Subtitles", describe_subtitles(video))
    add("gestures", VIDEO_GROUP, "Gestures",
        describe_gestures((composition.get("action_config") or {}).get("action_interval")))
    for index, item in enumerate(composition.get("shoot_scripts") or []):
        scene = (item or {}).get("shoot_script") or {}
        group, key = f"Scene {index + 1}", f"scene{index}"
        if scene.get("script_type") == "AUDIO":
            said = (f"Plays the recording {_named(names, scene.get('audio_asset_id'))}".strip()
                    if scene.get("audio_asset_id") else
                    f"Plays a recording {_from_url(scene.get('audio_drive_file_external_url'))}".strip())
        else:
            said = spoken_text((scene.get("text_config") or {}).get("text", "")) or "(nothing to say)"
        add(f"{key}.text", group, "Script text", said)
        for background in scene.get("background_config") or []:
            add(f"{key}.background", group, "Background", describe_background(background or {}, names))
        for number, layer in enumerate(scene.get("layer_config") or [], start=1):
            add(f"{key}.layer{number}", group, f"Layer {number}", describe_layer(layer or {}, names))
    describe_template(composition.get("template"), names, add)
    return lines


TEMPLATE_GROUP = "Template"


def variable_rule(variable: dict[str, Any], names: dict[str, str]) -> str:
    """A template variable's rule for values in words: its longest text, or the assets a row may choose."""
    if variable.get("kind", "text") == "text":
        return f"text of at most {variable.get('max_length')} characters"
    choices = ", ".join(_name(names, asset_id) for asset_id in variable.get("allowed") or [])
    return f"{variable.get('kind')} slot, one of: {choices}"


def describe_template(template: dict[str, Any] | None, names: dict[str, str], add) -> None:
    """The rules for values an approval covers: each variable's kind, limit or allow-list, and sample."""
    if not template:
        return
    for variable in template.get("variables") or []:
        name = variable.get("name", "")
        add(f"template.{name}", TEMPLATE_GROUP, "{{" + name + "}}",
            f"{variable_rule(variable, names)}; sample {variable.get('sample')!r}")
    if template.get("output_name"):
        add("template.output_name", TEMPLATE_GROUP, "Video name", template["output_name"])


def readable_changes(before: dict[str, Any] | None, after: dict[str, Any],
                     names: dict[str, str]) -> list[dict[str, Any]]:
    """Lines that differ between two compositions, in words: {"group", "what", "kind", "before", "after"} with
    kind "added", "removed" or "changed". With no `before`, every line of `after` is added."""
    old = {line["key"]: line for line in describe_composition(before, names)} if before is not None else {}
    new = describe_composition(after, names)
    changes = []
    for line in new:
        previous = old.pop(line["key"], None)
        if previous is None:
            changes.append({"group": line["group"], "what": line["what"], "kind": "added", "before": None,
                            "after": line["text"]})
        elif previous["text"] != line["text"]:
            changes.append({"group": line["group"], "what": line["what"], "kind": "changed",
                            "before": previous["text"], "after": line["text"]})
    changes.extend({"group": line["group"], "what": line["what"], "kind": "removed", "before": line["text"],
                    "after": None} for line in old.values())
    return changes
