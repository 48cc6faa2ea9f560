"""For the render tests: a resolver of the built-in presets plus files the tests make (by asset id), validated specs,
solid images, and the checkerboard seen behind transparent pictures."""
from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
from PIL import Image

from composer.render.presets import resolve_builtin
from composer.render.speech import voice_ref_for
from composer.spec.transparency import CHECKER_COLORS


class FileResolver:
    def __init__(self):
        self.files: dict[str, Path] = {}

    def add(self, asset_id: str, path: Path) -> str:
        self.files[asset_id] = path
        return asset_id

    def asset_path(self, asset_id: str, asset_type: str) -> Path:
        if asset_id in self.files:
            return self.files[asset_id]
        preset = resolve_builtin(asset_id)
        if preset is None or preset["asset_type"] != asset_type:
            raise LookupError(asset_id)
        return Path(preset["path"])

    def url_path(self, url: str) -> Path:
        return self.files[url]

    def voice(self, voice_asset_id: str):
        return voice_ref_for(voice_asset_id)


def solid_image(tmp_path: Path, name: str, color, size=(200, 200)) -> Path:
    path = tmp_path / f"{name}.png"
    Image.new("RGBA", size, color).save(path)
    return path


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def spec(text="Hello.", *, width=1920, height=1080, codec="H264", clip_mode="RESIZE", crop=None, scenes=None,
         model="avatar-maya", background=None, layers=None, subtitles=False, music=None, **video) -> dict:
    """A validated-shaped spec (defaults applied by the real validator)."""
    from composer.spec import validate_create_body

    background = [{"background_type": "COLOR", "background_color_config": "#DDE6F2"}] \
        if background is None else background
    video_config = {"codec": codec, "bitrate": 1000, "width": width, "height": height, "clip_mode": clip_mode,
                    "is_subtitle_enable": subtitles, **video}
    if crop:
        video_config.update(dict(zip(("dx", "dy"), crop, strict=True)))
    scene_list = scenes or [{"text": text, "background": background, "layers": layers}]
    body = {
        "model_asset_id": model,
        "voice_config": {"voice_asset_id": "voice-en-us-joe"},
        "video_config": video_config,
        "shoot_scripts": [{"sequence_no": i, "shoot_script": {
            "text_config": {"text": s["text"]},
            **({"background_config": s["background"]} if s.get("background") else {}),
            **({"layer_config": s["layers"]} if s.get("layers") else {}),
        }} for i, s in enumerate(scene_list)],
        "output_asset_config": {"asset_name": "test"},
    }
    if music:
        body["background_music_config"] = {"music_asset_id": music, "volume": 80}
    return validate_create_body(body)


def rgb(color: str) -> tuple[int, int, int]:
    return Image.new("RGB", (1, 1), color).getpixel((0, 0))


def is_checkerboard(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """Both checker colours, and nothing else, in an empty area."""
    pixels = np.asarray(image.convert("RGB").crop(box)).reshape(-1, 3).astype(int)
    light, dark = (np.array(rgb(color)) for color in CHECKER_COLORS)
    near_light = np.abs(pixels - light).max(axis=1) <= 16      # JPEG blurs the cells' edges a little
    near_dark = np.abs(pixels - dark).max(axis=1) <= 16
    return near_light.mean() > 0.3 and near_dark.mean() > 0.3 and (near_light | near_dark).mean() > 0.95
