"""The render engine, Django-free: a validated job specification plus an asset resolver in, a video out."""
from __future__ import annotations

from composer.render.pipeline import (
    join_scenes,
    render,
    render_preview,
    render_scene,
    render_scene_preview,
)
from composer.render.types import (
    AssetResolver,
    Progress,
    RenderCancelled,
    RenderResult,
    SceneResult,
)

__all__ = ["AssetResolver", "Progress", "RenderCancelled", "RenderResult", "SceneResult", "join_scenes", "render",
           "render_preview", "render_scene", "render_scene_preview"]
