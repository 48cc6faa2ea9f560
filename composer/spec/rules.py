"""Cross-field rules of the reference that a single field cannot check on its own."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from composer.spec.errors import SpecError
from composer.spec.layers import LAYER_TYPES
from composer.spec.ssml import SsmlError, count_spoken_characters, parse_script_text

RESIZE_SIZES = {(1920, 1080), (1080, 1920), (1280, 720), (720, 1280), (3840, 2160), (2160, 3840)}
AVATAR_BITRATE = (1000, 8000)
MAX_SPOKEN_CHARACTERS = 10_000
QTRLE_MAX_CHARACTERS = 1_500
QTRLE_MAX_AUDIO_SECONDS = 300
FIXED_FRAME_RATE = "25"
LANDSCAPE = (1920, 1080)
PORTRAIT = (1080, 1920)

AssetChecker = Callable[[str, str, str], "dict | None"]


def orientation(width: int, height: int) -> str:
    return "portrait" if height > width else "landscape"


def canvas_size(video_config: dict, model_layout: tuple[int, int] | None = None) -> tuple[int, int]:
    """The layout every position is measured in: 1920x1080 or 1080x1920 by the output orientation (RESIZE), or
    the model resolution (CROP; by orientation when the model does not say)."""
    if video_config.get("clip_mode") == "CROP":
        if model_layout:
            return model_layout
    width, height = video_config.get("width", 1920), video_config.get("height", 1080)
    return PORTRAIT if orientation(width, height) == "portrait" else LANDSCAPE


def check_video_config(video: dict, model_layout: tuple[int, int] | None, qtrle_allowed: bool) -> None:
    low, high = AVATAR_BITRATE
    if not low <= video["bitrate"] <= high:
        raise SpecError("video_config.bitrate", f"must be between {low} and {high} kbit/s for avatar video "
                                                f"(got {video['bitrate']}; 40-30000 applies to other services)")
    try:
        rate = float(str(video.get("frame_rate", FIXED_FRAME_RATE)))
    except ValueError as exc:
        raise SpecError("video_config.frame_rate", f"must be a number of frames per second "
                                                   f"(got {video['frame_rate']!r})") from exc
    if not 1 <= rate <= 60:
        raise SpecError("video_config.frame_rate", f"must be between 1 and 60 (got {video['frame_rate']})")
    video["frame_rate"] = FIXED_FRAME_RATE
    width, height = video["width"], video["height"]
    if video["clip_mode"] == "RESIZE":
        if (width, height) not in RESIZE_SIZES:
            sizes = ", ".join(f"{w}x{h}" for w, h in sorted(RESIZE_SIZES))
            raise SpecError("video_config.width", f"RESIZE supports only {sizes} (got {width}x{height})")
    else:
        layout = canvas_size({"clip_mode": "RESIZE", "width": width, "height": height}) \
            if model_layout is None else model_layout
        for name, value in (("width", width), ("height", height)):
            if value < 2 or value % 2:
                raise SpecError(f"video_config.{name}", f"must be an even number of at least 2 for CROP "
                                                        f"(got {value})")
        dx, dy = video.get("dx", 0), video.get("dy", 0)
        video.setdefault("dx", dx)
        video.setdefault("dy", dy)
        if dx < 0 or dy < 0 or dx + width > layout[0] or dy + height > layout[1]:
            raise SpecError("video_config.dx", f"the crop {width}x{height} at ({dx}, {dy}) must lie inside the "
                                               f"model layout {layout[0]}x{layout[1]}")
    if video["codec"] == "QTRLE" and not qtrle_allowed:
        raise SpecError("video_config.codec", "QTRLE needs the allow-list setting COMPOSER_QTRLE_ALLOWED")


def check_background(scene: dict, path: str, canvas: tuple[int, int], checker: AssetChecker | None) -> None:
    for i, background in enumerate(scene.get("background_config", [])):
        where = f"{path}.background_config[{i}]"
        if background["background_type"] == "IMAGE":
            if not background.get("background_config") and not background.get("background_asset_id"):
                raise SpecError(f"{where}.background_config", "an IMAGE background needs background_config "
                                                              "(a URL) or background_asset_id")
            if background.get("background_asset_id") and checker:
                checker(f"{where}.background_asset_id", background["background_asset_id"], "IMAGE")
            box = background.get("background_image_config")
            if box:
                check_cover(box, f"{where}.background_image_config", canvas)


def check_cover(box: dict, path: str, canvas: tuple[int, int]) -> None:
    width, height = canvas
    mode = "portrait" if height > width else "landscape"
    if box["dx"] + box["width"] < width:
        raise SpecError(f"{path}.width", f"the background image must cover the canvas: dx + width must be at "
                                         f"least {width} in {mode} mode (the right edge is uncovered: "
                                         f"{box['dx']} + {box['width']} = {box['dx'] + box['width']})")
    if box["dy"] + box["height"] < height:
        raise SpecError(f"{path}.height", f"the background image must cover the canvas: dy + height must be at "
                                          f"least {height} in {mode} mode (the bottom edge is uncovered: "
                                          f"{box['dy']} + {box['height']} = {box['dy'] + box['height']})")


def check_layers(scene: dict, path: str, checker: AssetChecker | None) -> None:
    seen_index: dict[int, int] = {}
    human_at: int | None = None
    for i, layer in enumerate(scene.get("layer_config", [])):
        where = f"{path}.layer_config[{i}]"
        kind = LAYER_TYPES[layer["layer_type"]]
        if kind.name == "HUMAN":
            if human_at is not None:
                raise SpecError(f"{where}.layer_type", f"only one HUMAN layer per scene (layer_config[{human_at}] "
                                                       "is one already)")
            human_at = i
        position = layer.get("position")
        if position:
            index = position["layer_index"]
            if index in seen_index:
                raise SpecError(f"{where}.position.layer_index", f"layer_index {index} is already used by "
                                                                 f"layer_config[{seen_index[index]}]")
            seen_index[index] = i
        angle = (layer.get("rotation") or {}).get("angle", 0)
        if angle and not kind.can_rotate:
            raise SpecError(f"{where}.rotation.angle", f"{kind.name} layers cannot be rotated (got {angle})")
        kind.validate(layer, where)
        if "timing" in layer:
            check_timing(layer["timing"], f"{where}.timing", kind.can_time, kind.name)
        if layer.get("asset_id") and checker and kind.asset_type:
            checker(f"{where}.asset_id", layer["asset_id"], kind.asset_type)
        font = (layer.get("text_config") or {}).get("font_asset_id")
        if font and checker:
            checker(f"{where}.text_config.font_asset_id", font, "FONT")


def check_timing(timing: dict, path: str, can_time: bool, layer_type: str) -> None:
    """The layer timing extension's cross-field rules: a window that ends after it starts, fades inside it."""
    if not can_time:
        raise SpecError(path, f"{layer_type} layers show for the whole scene: timing applies to "
                              "IMAGE, VIDEO and TEXT layers")
    start, end = timing.get("start", 0.0), timing.get("end")
    fade_in, fade_out = timing.get("fade_in", 0.0), timing.get("fade_out", 0.0)
    if end is None:
        return
    if end <= start:
        raise SpecError(f"{path}.end", f"must be after timing.start (got end {end:g} s, start {start:g} s)")
    window = end - start
    if fade_in > window:
        raise SpecError(f"{path}.fade_in", f"must fit inside the layer's {window:g} s on screen "
                                           f"(start {start:g} s to end {end:g} s; got {fade_in:g} s)")
    if fade_in + fade_out > window:
        raise SpecError(f"{path}.fade_out", f"fade_in + fade_out must fit inside the layer's {window:g} s on "
                                            f"screen (start {start:g} s to end {end:g} s; got {fade_in:g} + "
                                            f"{fade_out:g} s)")


def check_script(scene: dict, path: str, checker: AssetChecker | None) -> int:
    """Checks a scene's speech; returns its spoken character count (TEXT) for the QTRLE limit."""
    if scene["script_type"] == "TEXT":
        text = (scene.get("text_config") or {}).get("text", "")
        where = f"{path}.text_config.text"
        if not text.strip():
            raise SpecError(where, "a TEXT scene needs its script text")
        try:
            parse_script_text(text)
        except SsmlError as exc:
            raise SpecError(where, f"invalid SSML at line {exc.line}, column {exc.column}: {exc.message}") from exc
        spoken = count_spoken_characters(text)
        if spoken > MAX_SPOKEN_CHARACTERS:
            raise SpecError(where, f"must have at most {MAX_SPOKEN_CHARACTERS} characters excluding SSML tags "
                                   f"(got {spoken})")
        return spoken
    if not (scene.get("audio_drive_file_external_url") or scene.get("audio_asset_id")
            or "audio_id" in (scene.get("audio_config") or {})):
        raise SpecError(f"{path}.audio_drive_file_external_url", "an AUDIO scene needs its audio: "
                        "audio_drive_file_external_url, audio_asset_id or audio_config.audio_id")
    if scene.get("audio_asset_id") and checker:
        checker(f"{path}.audio_asset_id", scene["audio_asset_id"], "AUDIO")
    return 0


def check_composition(body: dict, checker: AssetChecker | None, qtrle_allowed: bool, *,
                      require_parts: bool) -> None:
    if require_parts:
        for name in ("model_asset_id", "video_config", "shoot_scripts"):
            if name not in body:
                raise SpecError(name, "is required (unless script_id names a saved script)")
    model_layout = None
    if body.get("model_asset_id") and checker:
        info = checker("model_asset_id", body["model_asset_id"], "HUMAN_MODEL_2D") or {}
        if info.get("layout_width"):
            model_layout = (info["layout_width"], info["layout_height"])
    if body.get("voice_config") and checker:
        checker("voice_config.voice_asset_id", body["voice_config"]["voice_asset_id"], "VOICE_MODEL")
    video = body.get("video_config")
    if video:
        check_video_config(video, model_layout, qtrle_allowed)
    canvas = canvas_size(video or {}, model_layout)
    scripts = body.get("shoot_scripts", [])
    sequence_seen: dict[int, int] = {}
    spoken_total = 0
    for i, item in enumerate(scripts):
        path = f"shoot_scripts[{i}]"
        number = item.get("sequence_no", i)
        if number in sequence_seen:
            raise SpecError(f"{path}.sequence_no", f"sequence_no {number} is already used by "
                                                   f"shoot_scripts[{sequence_seen[number]}]")
        sequence_seen[number] = i
        item.setdefault("sequence_no", number)
        scene = item["shoot_script"]
        where = f"{path}.shoot_script"
        spoken_total += check_script(scene, where, checker)
        if scene["script_type"] == "TEXT" and not body.get("voice_config") and require_parts:
            raise SpecError("voice_config", "is required for TEXT scenes")
        check_background(scene, where, canvas, checker)
        check_layers(scene, where, checker)
        if video and video["codec"] == "QTRLE" and (scene.get("audio_duration") or 0) >= QTRLE_MAX_AUDIO_SECONDS:
            raise SpecError(f"{where}.audio_duration", f"QTRLE output needs audio shorter than "
                                                       f"{QTRLE_MAX_AUDIO_SECONDS} s (got {scene['audio_duration']})")
        if video and video["codec"] == "VP8" and model_layout and model_layout != (video["width"], video["height"]) \
                and not scene.get("layer_config"):
            raise SpecError(f"{where}.layer_config", "VP8 output at a size other than the model's "
                                                     f"{model_layout[0]}x{model_layout[1]} needs a layer_config")
    if video and video["codec"] == "QTRLE" and spoken_total >= QTRLE_MAX_CHARACTERS:
        raise SpecError("shoot_scripts", f"QTRLE output needs fewer than {QTRLE_MAX_CHARACTERS} characters of "
                                         f"text in all (got {spoken_total})")
    music = body.get("background_music_config") or {}
    if music.get("music_asset_id") and checker:
        checker("background_music_config.music_asset_id", music["music_asset_id"], "MUSIC")


def check_callback(body: dict) -> None:
    callback = body.get("callback_config")
    if callback and callback["auth_type"] == "MSS_A" and not callback.get("key"):
        raise SpecError("callback_config.key", "is required when auth_type is MSS_A")


def ordered_scenes(body: dict[str, Any]) -> list[dict]:
    """The shoot_scripts in render order (sequence_no)."""
    return sorted(body.get("shoot_scripts", []), key=lambda item: item.get("sequence_no", 0))
