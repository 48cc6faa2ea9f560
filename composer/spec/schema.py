"""A small declarative schema toolkit: fields that check types, ranges, lengths and enums, apply defaults,
drop unknown keys, and report the first problem with its full field path.

Wrong types are errors (a bool is not an integer, 1.5 is not an integer, a number is not a string); unknown
object keys are ignored, as the reference service does.
"""
from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Any

from composer.spec.errors import SpecError
from composer.spec.text import text_problem

MISSING = object()
COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")


def join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def number(value: float | int | None) -> str:
    """A number as people write it: 3, 0.8, 2147483647 (not 3.0 or 2.14748e+09)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value) if isinstance(value, int) else f"{value:g}"


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


@dataclass
class Field:
    description: str = ""
    required: bool = False
    default: Any = MISSING
    nullable: bool = False
    #: a Composer extension MetaStudio does not define: dropped before a body is sent there (spec/reference.py)
    ours: bool = False

    def check(self, value: Any, path: str) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError

    def _base_schema(self, schema: dict) -> dict:
        if self.description:
            schema["description"] = self.description
        if self.default is not MISSING and not callable(self.default):
            schema["default"] = self.default
        return schema


@dataclass
class Str(Field):
    min_length: int = 0
    max_length: int | None = None
    choices: tuple[str, ...] | None = None
    truncate: bool = False

    def check(self, value: Any, path: str) -> Any:
        if not isinstance(value, str):
            raise SpecError(path, f"must be a string (got {type_name(value)})")
        if problem := text_problem(value):
            raise SpecError(path, problem)
        if self.choices is not None and value not in self.choices:
            raise SpecError(path, f"must be one of {', '.join(self.choices)} (got {value!r})")
        if len(value) < self.min_length:
            raise SpecError(path, "must not be empty" if self.min_length == 1 else
                            f"must have at least {self.min_length} characters (got {len(value)})")
        if self.max_length is not None and len(value) > self.max_length:
            if self.truncate:
                return value[:self.max_length]
            raise SpecError(path, f"must have at most {self.max_length} characters (got {len(value)})")
        return value

    def json_schema(self) -> dict:
        schema: dict[str, Any] = {"type": "string"}
        if self.min_length:
            schema["minLength"] = self.min_length
        if self.max_length is not None and not self.truncate:
            schema["maxLength"] = self.max_length
        if self.choices:
            schema["enum"] = list(self.choices)
        return self._base_schema(schema)


@dataclass
class NumberText(Str):
    """A number sent as a string (or as a number): stored as its string."""

    def check(self, value: Any, path: str) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = f"{value:g}"
        value = super().check(value, path)
        try:
            float(value)
        except ValueError as exc:
            raise SpecError(path, f"must be a number (got {value!r})") from exc
        return value


@dataclass
class Color(Str):
    """#RRGGBB; the empty string means "use the default"."""

    allow_empty: bool = True

    def check(self, value: Any, path: str) -> Any:
        value = super().check(value, path)
        if value == "" and self.allow_empty:
            return self.default if self.default is not MISSING else value
        if not COLOR_RE.match(value):
            raise SpecError(path, f"must be a colour as #RRGGBB (got {value!r})")
        return value.upper()

    def json_schema(self) -> dict:
        schema = super().json_schema()
        schema["pattern"] = "^(#[0-9A-Fa-f]{6})?$"
        return schema


@dataclass
class Url(Str):
    min_length: int = 1
    max_length: int | None = 2048

    def check(self, value: Any, path: str) -> Any:
        value = super().check(value, path)
        if not re.match(r"^https?://[^\s/]+", value):
            raise SpecError(path, f"must be an http:// or https:// URL (got {value[:80]!r})")
        return value

    def json_schema(self) -> dict:
        schema = super().json_schema()
        schema["format"] = "uri"
        return schema


@dataclass
class NotOffered(Str):
    """A field the reference defines that this server does not honour: empty or absent, or refused with why."""

    reason: str = ""

    def check(self, value: Any, path: str) -> Any:
        value = super().check(value, path)
        if value:
            raise SpecError(path, self.reason)
        return value

    def json_schema(self) -> dict:
        schema = super().json_schema()
        schema["maxLength"] = 0
        schema["description"] = f"Not offered by this server: any value but an empty string is refused. {self.reason}"
        return schema


@dataclass
class Base64Text(Str):
    """Standard base64 (with padding) of UTF-8 text."""

    def check(self, value: Any, path: str) -> Any:
        value = super().check(value, path)
        try:
            base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, ValueError) as exc:
            raise SpecError(path, "must be valid base64 of UTF-8 text") from exc
        return value


@dataclass
class Int(Field):
    minimum: int | None = None
    maximum: int | None = None
    raise_to: int | None = None  # values below this are raised to it (documented leniency)

    def check(self, value: Any, path: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                raise SpecError(path, f"must be an integer (got {type_name(value)})")
        self._range(value, path)
        if self.raise_to is not None and value < self.raise_to:
            return self.raise_to
        return value

    def _range(self, value, path: str) -> None:
        if (self.minimum is not None and value < self.minimum) or \
                (self.maximum is not None and value > self.maximum):
            low, high = self.limits()
            raise SpecError(path, f"must be between {number(low)} and {number(high)} (got {number(value)})")

    def limits(self) -> tuple[float | None, float | None]:
        """The range a person should use: values below raise_to are accepted but drawn at raise_to."""
        return (self.raise_to if self.raise_to is not None else self.minimum), self.maximum

    def json_schema(self) -> dict:
        schema: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return self._base_schema(schema)


@dataclass
class Float(Int):
    def check(self, value: Any, path: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SpecError(path, f"must be a number (got {type_name(value)})")
        if value != value or value in (float("inf"), float("-inf")):
            raise SpecError(path, "must be a finite number")
        self._range(value, path)
        return float(value)

    def json_schema(self) -> dict:
        schema = super().json_schema()
        schema["type"] = "number"
        return schema


@dataclass
class Bool(Field):
    def check(self, value: Any, path: str) -> Any:
        if not isinstance(value, bool):
            raise SpecError(path, f"must be true or false (got {type_name(value)})")
        return value

    def json_schema(self) -> dict:
        return self._base_schema({"type": "boolean"})


@dataclass
class Obj(Field):
    fields: dict[str, Field] = field(default_factory=dict)
    title: str = ""

    def check(self, value: Any, path: str) -> Any:
        if not isinstance(value, dict):
            raise SpecError(path, f"must be an object (got {type_name(value)})")
        out: dict[str, Any] = {}
        for name, spec in self.fields.items():
            child = join(path, name)
            raw = value.get(name, MISSING)
            if raw is None and not spec.nullable:
                raw = MISSING
            if raw is MISSING:
                if spec.required:
                    raise SpecError(child, "is required")
                if spec.default is not MISSING:
                    out[name] = spec.default() if callable(spec.default) else spec.default
                continue
            out[name] = spec.check(raw, child)
        return out

    def json_schema(self) -> dict:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {name: spec.json_schema() for name, spec in self.fields.items()},
        }
        required = [name for name, spec in self.fields.items() if spec.required]
        if required:
            schema["required"] = required
        if self.title:
            schema["title"] = self.title
        return self._base_schema(schema)


@dataclass
class Arr(Field):
    item: Field = field(default_factory=Field)
    min_items: int = 0
    max_items: int | None = None

    def check(self, value: Any, path: str) -> Any:
        if not isinstance(value, list):
            raise SpecError(path, f"must be an array (got {type_name(value)})")
        if len(value) < self.min_items:
            raise SpecError(path, f"must have at least {self.min_items} item{'s' if self.min_items > 1 else ''}")
        if self.max_items is not None and len(value) > self.max_items:
            raise SpecError(path, f"must have at most {self.max_items} items (got {len(value)})")
        return [self.item.check(item, f"{path}[{i}]") for i, item in enumerate(value)]

    def json_schema(self) -> dict:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        return self._base_schema(schema)


def field_limits(obj: Obj, prefix: str = "") -> dict[str, dict[str, Any]]:
    """Every number's range and every choice list of `obj`, by dotted path ("text_config.font_size"): the pages
    show these as hints and input limits, so a hint and the refusal it prevents say the same range."""
    out: dict[str, dict[str, Any]] = {}
    for name, spec in obj.fields.items():
        path = join(prefix, name)
        if isinstance(spec, Obj):
            out.update(field_limits(spec, path))
        elif isinstance(spec, Int):
            low, high = spec.limits()
            out[path] = {"min": low, "max": high, "integer": not isinstance(spec, Float)}
        elif isinstance(spec, Str) and spec.choices:
            out[path] = {"choices": list(spec.choices)}
    return out


def urls_in(spec: Field, value: Any, path: str = ""):
    """Every (path, url) a validated value holds in a Url field of `spec`, for checks beyond the URL's form."""
    if isinstance(spec, Url) and isinstance(value, str) and value:
        yield path, value
    elif isinstance(spec, Obj) and isinstance(value, dict):
        for name, child in spec.fields.items():
            if name in value:
                yield from urls_in(child, value[name], join(path, name))
    elif isinstance(spec, Arr) and isinstance(value, list):
        for index, item in enumerate(value):
            yield from urls_in(spec.item, item, f"{path}[{index}]")
