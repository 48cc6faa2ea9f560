"""Templates: `{{name}}` variables in a saved composition (the `template` extension, tables.TEMPLATE).

Where a variable may stand: in a scene's script text (plain or SSML: in the spoken text only, never inside a tag,
a comment or CDATA), in a text layer's text, in template.output_name (kind text), and as the whole asset id of
an IMAGE or VIDEO layer, an IMAGE background, an AUDIO scene or the background music (an asset slot of kind
image, video or audio). Anywhere else `{{` is refused, so a value never lands where nobody looked.

The rules (one place for each): names; every reference declared, with a kind that fits its place; every
declared variable used; a text sample within max_length; a slot's allow-list (each id an asset of the type
every place it fills needs) holding its sample. validate_composition (composer/spec/__init__.py) then checks
the template with the samples filled in, and with every text variable at its maximum length, so the field
limits hold for any value a row may give. Values go into SSML XML-escaped, so a value is always spoken text
and can never add markup or break the document; elsewhere they go in as they are.
"""
from __future__ import annotations

import base64
import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from composer.spec.errors import SpecError
from composer.spec.ssml import is_ssml
from composer.spec.text import text_problem

NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
BRACES_RE = re.compile(r"\{\{(.*?)\}\}", re.S)
SLOT_RE = re.compile(r"\{\{([a-z][a-z0-9_]{0,39})\}\}")
MARKUP_RE = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[^>]*>", re.S)
DEFAULT_MAX_LENGTH = 100
SLOT_KINDS = ("image", "video", "audio")
XML_QUOTES = {'"': "&quot;", "'": "&apos;"}
NAME_RULE = "a name is a lowercase letter, then lowercase letters, digits or _ (at most 40 characters)"


@dataclass(frozen=True)
class Place:
    """A field variables may stand in. mode: ssml, plain (script text), layer (a text layer's decoded text),
    name (output_name) or slot (an asset id, needing asset_type, filled by a variable of `kind`)."""
    path: str
    mode: str
    text: str
    asset_type: str | None = None
    kind: str | None = None


def ref(name: str) -> str:
    return "{{" + name + "}}"


def _decoded(encoded: Any) -> str | None:
    try:
        return base64.b64decode(encoded, validate=True).decode("utf-8")
    except (ValueError, TypeError):
        return None


def places(composition: dict[str, Any]) -> Iterator[Place]:
    """Every field of a validated composition that may hold variables, with its path."""
    name = (composition.get("template") or {}).get("output_name")
    if name:
        yield Place("template.output_name", "name", name)
    for i, item in enumerate(composition.get("shoot_scripts") or []):
        scene = item.get("shoot_script") or {}
        base = f"shoot_scripts[{i}].shoot_script"
        text = (scene.get("text_config") or {}).get("text")
        if text:
            yield Place(f"{base}.text_config.text", "ssml" if is_ssml(text) else "plain", text)
        if scene.get("audio_asset_id"):
            yield Place(f"{base}.audio_asset_id", "slot", scene["audio_asset_id"], "AUDIO", "audio")
        for j, background in enumerate(scene.get("background_config") or []):
            if background.get("background_asset_id"):
                yield Place(f"{base}.background_config[{j}].background_asset_id", "slot",
                            background["background_asset_id"], "IMAGE", "image")
        for j, layer in enumerate(scene.get("layer_config") or []):
            where = f"{base}.layer_config[{j}]"
            kind = {"IMAGE": "image", "VIDEO": "video"}.get(layer.get("layer_type"))
            if layer.get("asset_id") and kind:
                yield Place(f"{where}.asset_id", "slot", layer["asset_id"], layer["layer_type"], kind)
            words = _decoded((layer.get("text_config") or {}).get("text_context"))
            if words:
                yield Place(f"{where}.text_config.text_context", "layer", words)
    music = (composition.get("background_music_config") or {}).get("music_asset_id")
    if music:
        yield Place("background_music_config.music_asset_id", "slot", music, "MUSIC", "audio")


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _strings(child, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _strings(child, f"{path}[{index}]")


def references(place: Place) -> list[str]:
    """The variable names `place` uses, in order; a malformed or misplaced reference raises SpecError."""
    if place.mode == "slot":
        found = SLOT_RE.fullmatch(place.text)
        if found:
            return [found.group(1)]
        if "{{" in place.text:
            raise SpecError(place.path, f"an asset slot must be exactly {{{{name}}}}, nothing around it "
                                        f"(got {place.text!r})")
        return []
    if place.mode == "ssml":
        for markup in MARKUP_RE.finditer(place.text):
            if "{{" in markup.group():
                raise SpecError(place.path, "a variable may stand in SSML's spoken text only, not inside a tag, "
                                            f"a comment or CDATA (found in {markup.group()[:80]!r})")
    names = []
    for found in BRACES_RE.finditer(place.text):
        inner = found.group(1)
        if not NAME_RE.fullmatch(inner):
            raise SpecError(place.path, f"{found.group()[:60]!r} is not a variable reference: {NAME_RULE}")
        names.append(inner)
    return names


def _check_declarations(variables: list[dict]) -> dict[str, int]:
    index: dict[str, int] = {}
    for k, variable in enumerate(variables):
        path = f"template.variables[{k}]"
        name = variable["name"]
        if not NAME_RE.fullmatch(name):
            raise SpecError(f"{path}.name", f"{name!r}: {NAME_RULE}")
        if name in index:
            raise SpecError(f"{path}.name", f"{name!r} is already declared by template.variables[{index[name]}]")
        index[name] = k
        if variable["kind"] == "text":
            if variable.get("allowed"):
                raise SpecError(f"{path}.allowed", "an allow-list is for asset slots (image, video, audio); a text "
                                                   "variable has max_length")
            limit = variable.setdefault("max_length", DEFAULT_MAX_LENGTH)
            if len(variable["sample"]) > limit:
                raise SpecError(f"{path}.sample", f"must have at most max_length = {limit} characters "
                                                  f"(got {len(variable['sample'])})")
        else:
            if "max_length" in variable:
                raise SpecError(f"{path}.max_length", "applies to text variables only; a slot has allowed")
            allowed = variable.get("allowed") or []
            if not allowed:
                raise SpecError(f"{path}.allowed", f"an {variable['kind']} slot needs the asset ids a row may "
                                                   "choose from (approval covers them)")
            if variable["sample"] not in allowed:
                raise SpecError(f"{path}.sample", f"must be one of allowed (got {variable['sample']!r})")
    return index


def check_template(spec: dict[str, Any], checker: Callable[[str, str, str], Any] | None = None) -> None:
    """The template's own rules on a schema-checked composition; sets text variables' default max_length."""
    template = spec["template"]
    variables = template["variables"]
    index = _check_declarations(variables)
    found = list(places(spec))
    place_paths = {place.path for place in found}
    for path, value in _strings(spec, ""):
        if "{{" in value and path not in place_paths and not path.startswith("template.variables"):
            raise SpecError(path, "variables may stand only in script text, text layers, template.output_name "
                                  "and the asset id of an IMAGE or VIDEO layer, background, AUDIO scene or music")
    used: dict[str, list[Place]] = {}
    for place in found:
        for name in references(place):
            if name not in index:
                raise SpecError(place.path, f"{ref(name)} is not declared in template.variables")
            kind = variables[index[name]]["kind"]
            wanted = place.kind or "text"
            if kind != wanted:
                where = f"an asset slot for {wanted}" if place.kind else "text"
                raise SpecError(place.path, f"{ref(name)} is a {kind} variable and cannot fill {where}")
            used.setdefault(name, []).append(place)
    for name, k in index.items():
        if name not in used:
            raise SpecError(f"template.variables[{k}].name", f"{ref(name)} is declared but used nowhere: put "
                                                             f"{ref(name)} in a text or asset slot, or remove it")
        if checker is not None and variables[k]["kind"] != "text":
            for place in used[name]:
                for m, asset_id in enumerate(variables[k]["allowed"]):
                    checker(f"template.variables[{k}].allowed[{m}]", asset_id, place.asset_type)


def skipping_slots(checker: Callable[[str, str, str], Any] | None):
    """The asset checker for a template itself: its slots' assets are checked through their allow-lists."""
    if checker is None:
        return None

    def check(path: str, asset_id: str, asset_type: str):
        return None if SLOT_RE.fullmatch(asset_id) else checker(path, asset_id, asset_type)
    return check


def sample_values(template: dict[str, Any]) -> dict[str, str]:
    return {variable["name"]: variable["sample"] for variable in template["variables"]}


def longest_values(template: dict[str, Any]) -> dict[str, str]:
    """Each text variable at its max_length (a slot keeps its sample): the longest texts a row can make."""
    return {variable["name"]: "x" * variable["max_length"] if variable["kind"] == "text" else variable["sample"]
            for variable in template["variables"]}


MAX_SAMPLE_ROWS = 4


def _longest(sample: str, limit: int) -> str:
    """The sample repeated up to `limit` characters: text as long as a row may give, in the sample's own script."""
    text = (f"{sample} " * (limit // (len(sample) + 1) + 1))[:limit]
    return text[:-1] + sample[0] if text.endswith(" ") else text


def sample_rows(template: dict[str, Any]) -> list[dict[str, str]]:
    """What an approver looks at before rows arrive: the samples; every text at its longest (the sample repeated
    up to max_length); then further rows taking each slot's other allowed assets in turn."""
    variables = template["variables"]
    rows = [sample_values(template)]
    longest = {v["name"]: _longest(v["sample"], v["max_length"]) if v["kind"] == "text" else v["sample"]
               for v in variables}
    rows.append(longest)
    choices = max((len(v["allowed"]) for v in variables if v["kind"] != "text"), default=1)
    for turn in range(1, choices):
        if len(rows) == MAX_SAMPLE_ROWS:
            break
        rows.append({**rows[0], **{v["name"]: v["allowed"][turn % len(v["allowed"])]
                                   for v in variables if v["kind"] != "text"}})
    return rows


def names_at(spec: dict[str, Any], path: str) -> list[str]:
    """The variables the field at `path` uses (for messages)."""
    for place in places(spec):
        if place.path == path:
            return references(place)
    return []


def _fill(place: Place, values: dict[str, str]) -> str:
    def value(found: re.Match) -> str:
        name = found.group(1)
        if name not in values:
            raise SpecError(place.path, f"needs a value for {ref(name)}")
        return escape(values[name], XML_QUOTES) if place.mode == "ssml" else values[name]
    pattern = SLOT_RE if place.mode != "slot" else re.compile(rf"^{SLOT_RE.pattern}$")
    filled = pattern.sub(value, place.text)
    if place.mode == "plain" and is_ssml(filled):
        raise SpecError(place.path, "a value would turn this plain script text into SSML (it starts with <speak, "
                                    "<?xml or <!DOCTYPE)")
    return filled


def _set(root: dict[str, Any], path: str, value: Any) -> None:
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    target: Any = root
    for part in parts[:-1]:
        target = target[int(part[1:-1])] if part.startswith("[") else target[part]
    target[parts[-1]] = value


def apply_values(spec: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """A concrete composition: the template's variables replaced by `values` (SSML-escaped in SSML), without the
    template extension. Validate the result as any composition. Raises SpecError for a missing value."""
    concrete = copy.deepcopy(spec)
    concrete.pop("template", None)
    for place in places(spec):
        if place.mode == "name":
            continue
        filled = _fill(place, values)
        if place.mode == "layer":
            filled = base64.b64encode(filled.encode("utf-8")).decode("ascii")
        if filled != place.text or place.mode == "layer":
            _set(concrete, place.path, filled)
    return concrete


def output_name(template: dict[str, Any], values: dict[str, str]) -> str | None:
    """template.output_name with the values in, or None without one."""
    name = template.get("output_name")
    return _fill(Place("template.output_name", "name", name), values) if name else None


def with_samples(spec: dict[str, Any]) -> dict[str, Any]:
    """What previews, thumbnails and a render of the template alone draw: the samples in; a plain composition
    comes back as it is."""
    template = spec.get("template")
    return apply_values(spec, sample_values(template)) if template else spec


def check_row(template: dict[str, Any], row: dict[str, Any]) -> list[dict[str, str]]:
    """Why a row's values cannot fill the template (empty when they can): one reason per broken rule, each
    naming the variable and the rule (missing, too_long, not_allowed, invalid)."""
    reasons = []
    for variable in template["variables"]:
        name = variable["name"]
        value = row.get(name)
        value = value.strip() if isinstance(value, str) else value
        if value is None or value == "":
            reasons.append({"variable": name, "rule": "missing", "message": f"{ref(name)}: has no value"})
        elif not isinstance(value, str):
            reasons.append({"variable": name, "rule": "invalid", "message": f"{ref(name)}: must be text"})
        elif problem := text_problem(value):
            reasons.append({"variable": name, "rule": "invalid", "message": f"{ref(name)}: {problem}"})
        elif variable["kind"] == "text" and len(value) > variable["max_length"]:
            reasons.append({"variable": name, "rule": "too_long", "message": (
                f"{ref(name)}: must have at most {variable['max_length']} characters (got {len(value)})")})
        elif variable["kind"] != "text" and value not in variable["allowed"]:
            reasons.append({"variable": name, "rule": "not_allowed", "message": (
                f"{ref(name)}: {value[:64]!r} is not one of the {len(variable['allowed'])} approved "
                f"{variable['kind']} assets")})
    return reasons


def row_values(template: dict[str, Any], row: dict[str, Any]) -> dict[str, str]:
    """The values apply_values takes from a row that check_row accepted (trimmed)."""
    return {variable["name"]: str(row[variable["name"]]).strip() for variable in template["variables"]}
