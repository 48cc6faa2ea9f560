"""The job specification: every table and rule of the create-video reference, in one place.

Plain Python (no Django): the API, the editor's dry-run validation, the scripts app and the renderer all use it.
"""
from __future__ import annotations

import copy
from typing import Any

from composer.spec.errors import (
    ERROR_CONFLICT,
    ERROR_FORBIDDEN,
    ERROR_INTERNAL,
    ERROR_NOT_FOUND,
    ERROR_PARAMETER,
    ERROR_UNAUTHORIZED,
    SpecError,
)
from composer.spec.rules import (
    AssetChecker,
    canvas_size,
    check_callback,
    check_composition,
    ordered_scenes,
    orientation,
)
from composer.spec.schema import type_name
from composer.spec.tables import COMPOSITION, COMPOSITION_FIELDS, CREATE_BODY
from composer.spec.variables import (
    apply_values,
    check_template,
    longest_values,
    names_at,
    sample_values,
    skipping_slots,
)

__all__ = [
    "ERROR_CONFLICT", "ERROR_FORBIDDEN", "ERROR_INTERNAL", "ERROR_NOT_FOUND", "ERROR_PARAMETER",
    "ERROR_UNAUTHORIZED", "SpecError", "canvas_size", "composition_json_schema", "create_body_json_schema",
    "merge_script_into_body", "ordered_scenes", "orientation", "validate_composition", "validate_create_body",
]


def _as_object(body: object) -> dict:
    if not isinstance(body, dict):
        raise SpecError("", f"the request body must be a JSON object (got {type_name(body)})")
    return body


def validate_create_body(body: object, *, asset_checker: AssetChecker | None = None,
                         qtrle_allowed: bool = True) -> dict[str, Any]:
    """Check a create-video body; return a new dict with defaults applied. Raises SpecError on the first problem."""
    spec = CREATE_BODY.check(_as_object(body), "")
    check_composition(spec, asset_checker, qtrle_allowed, require_parts="script_id" not in spec)
    check_callback(spec)
    return spec


def validate_composition(body: object, *, asset_checker: AssetChecker | None = None,
                         qtrle_allowed: bool = True) -> dict[str, Any]:
    """The same rules for a saved composition (a MetaStudio video script): no output or callback parts. A
    composition with the `template` extension is checked as a template (composer/spec/variables.py)."""
    spec = COMPOSITION.check(_as_object(body), "")
    template = spec.get("template")
    if template is None:
        check_composition(spec, asset_checker, qtrle_allowed, require_parts=True)
        return spec
    check_template(spec, asset_checker)
    check_composition(spec, skipping_slots(asset_checker), qtrle_allowed, require_parts=True)
    for values, note in ((sample_values(template), _with_samples), (longest_values(template), _at_longest)):
        try:
            validate_composition(apply_values(spec, values), asset_checker=asset_checker,
                                 qtrle_allowed=qtrle_allowed)
        except SpecError as exc:
            raise SpecError(exc.field, f"{note(template, names_at(spec, exc.field))}: {exc.rule}") from exc
    return spec


def _with_samples(template: dict[str, Any], names: list[str]) -> str:
    return "with the sample values of template.variables"


def _at_longest(template: dict[str, Any], names: list[str]) -> str:
    """Which variables, at what length, make the field break its rule."""
    limits = {v["name"]: v["max_length"] for v in template["variables"] if v["kind"] == "text"}
    named = [f"{{{{{name}}}}} at its max_length of {limits[name]}" for name in dict.fromkeys(names) if name in limits]
    return f"with {', '.join(named)}" if named else "with every text variable at its max_length"


SCRIPT_PARTS = ("model_asset_id", "voice_config", "video_config", "shoot_scripts", "background_music_config",
                "action_config")


def merge_script_into_body(body: dict[str, Any], script_composition: dict[str, Any]) -> dict[str, Any]:
    """The reference's NOTE on script_id: the script's settings are used; the body's own values for those
    parts only fill what the script leaves out. Output, review and callback parts stay the body's."""
    merged = copy.deepcopy(body)
    for part in SCRIPT_PARTS:
        if part in script_composition:
            merged[part] = copy.deepcopy(script_composition[part])
    return merged


def create_body_json_schema() -> dict[str, Any]:
    return CREATE_BODY.json_schema()


def composition_json_schema() -> dict[str, Any]:
    return COMPOSITION.json_schema()


assert set(SCRIPT_PARTS) == set(COMPOSITION_FIELDS)
