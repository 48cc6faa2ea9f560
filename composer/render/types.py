"""The renderer's data types and the resolver interface it needs from its host."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


class AssetResolver(Protocol):
    def asset_path(self, asset_id: str, asset_type: str) -> Path: ...
    def url_path(self, url: str) -> Path: ...
    def voice(self, voice_asset_id: str): ...


class RenderCancelled(Exception):
    """should_cancel() said stop; partial files were removed."""


@dataclass
class Progress:
    stage: str
    frames_done: int
    frames_total: int
    percent: float
    eta_seconds: float | None = None
    preview_jpeg: bytes | None = None


@dataclass
class SceneResult:
    index: int
    segment: str            # video-only segment file
    audio: str              # the scene's audio as float32 .npy at 48 kHz stereo
    duration: float
    frames: int
    width: int
    height: int
    codec: str
    cues: list = field(default_factory=list)    # [start, end, text] relative to the scene
    cover: str | None = None
    has_text: bool = False
    music: bool = True      # the music bed plays under it (False: a brand kit's clip, heard with its own sound only)


@dataclass
class RenderResult:
    output: Path
    cover: Path
    subtitles_srt: Path | None
    subtitles_vtt: Path | None
    duration: float
    width: int
    height: int
    codec: str
    frames: int
    seconds: float
