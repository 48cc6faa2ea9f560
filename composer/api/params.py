"""Query parameters of the API, declared once: each declaration reads its value from a request (refusals name the
parameter and the rule) and describes itself to the OpenAPI schema, so the schema and the server cannot disagree.

Absent means the default. Present but empty (`?offset=`) is refused for numbers, choices, yes/no and times, whose
schemas do not allow an empty value either; for text filters and comma-separated lists, empty means no filter.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from drf_spectacular.utils import OpenApiParameter

from composer.errors import InvalidInput

MAX_OFFSET = 2**31 - 1


def _present(params, name: str) -> str | None:
    """The raw value, None when absent; a present value that is empty is refused."""
    raw = params.get(name)
    if raw is not None and not raw.strip():
        raise InvalidInput(f"{name}: must not be empty (leave the parameter out for its default)")
    return raw


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True)
class RangeParam:
    """A whole number (or, with integer=False, any number) within low-high."""

    name: str
    default: float
    low: float
    high: float
    description: str = ""
    integer: bool = True

    def read(self, params) -> float:
        raw = _present(params, self.name)
        if raw is None:
            return self.default
        try:
            value = int(raw) if self.integer else float(raw)
        except ValueError:
            raise InvalidInput(f"{self.name}: must be {'an integer' if self.integer else 'a number'} "
                               f"(got {raw!r})") from None
        if not self.low <= value <= self.high:   # NaN fails here too
            raise InvalidInput(f"{self.name}: must be between {_number(self.low)} and {_number(self.high)} "
                               f"(got {raw})")
        return value

    def openapi(self) -> OpenApiParameter:
        kind = "integer" if self.integer else "number"
        return OpenApiParameter(self.name, {"type": kind, "minimum": self.low, "maximum": self.high},
                                default=self.default, description=self.description)


@dataclass(frozen=True)
class ChoiceParam:
    name: str
    default: str
    choices: Sequence[str]
    description: str = ""

    def read(self, params) -> str:
        value = _present(params, self.name)
        if value is None:
            return self.default
        if value not in self.choices:
            raise InvalidInput(f"{self.name}: must be one of {', '.join(self.choices)} (got {value!r})")
        return value

    def openapi(self) -> OpenApiParameter:
        return OpenApiParameter(self.name, str, enum=list(self.choices), default=self.default,
                                description=self.description, allow_blank=False)


@dataclass(frozen=True)
class BoolParam:
    name: str
    default: bool
    description: str = ""

    def read(self, params) -> bool:
        raw = _present(params, self.name)
        if raw is None:
            return self.default
        if raw.lower() not in ("true", "false"):
            raise InvalidInput(f"{self.name}: must be true or false (got {raw!r})")
        return raw.lower() == "true"

    def openapi(self) -> OpenApiParameter:
        return OpenApiParameter(self.name, bool, default=self.default, description=self.description)


@dataclass(frozen=True)
class TimeParam:
    name: str
    description: str = ""

    def read(self, params) -> datetime | None:
        raw = _present(params, self.name)
        if raw is None:
            return None
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput(f"{self.name}: expected an ISO 8601 time such as 2025-01-31T08:00:00Z "
                               f"(got {raw!r})") from None
        try:
            # Compared in UTC, where a time at either end of the calendar in another zone may not exist.
            return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        except OverflowError:
            raise InvalidInput(f"{self.name}: {raw!r} is outside the years 1 to 9999 in UTC") from None

    def openapi(self) -> OpenApiParameter:
        return OpenApiParameter(self.name, {"type": "string", "format": "date-time"}, description=self.description)


@dataclass(frozen=True)
class TextParam:
    """A free-text filter, trimmed; empty means no filter."""

    name: str
    max_length: int = 256
    description: str = ""

    def read(self, params) -> str:
        value = params.get(self.name) or ""
        if len(value) > self.max_length:
            raise InvalidInput(f"{self.name}: at most {self.max_length} characters")
        return value.strip()

    def openapi(self) -> OpenApiParameter:
        return OpenApiParameter(self.name, {"type": "string", "maxLength": self.max_length},
                                description=self.description)


@dataclass(frozen=True)
class ListParam:
    """Comma-separated values, each one of `choices` or matching `pattern`; empty means no filter."""

    name: str
    choices: Sequence[str] = ()
    pattern: str = ""
    what: str = ""
    description: str = ""

    def read(self, params) -> list[str]:
        values = [value for value in (params.get(self.name) or "").split(",") if value]
        for value in values:
            if self.choices and value not in self.choices:
                raise InvalidInput(f"{self.name}: must be among {', '.join(self.choices)} (got {value!r})")
            if self.pattern and not re.fullmatch(self.pattern, value):
                raise InvalidInput(f"{self.name}: not {self.what or 'a valid value'} ({value!r})")
        return values

    def openapi(self) -> OpenApiParameter:
        items = {"type": "string", "enum": list(self.choices)} if self.choices else {"type": "string"}
        if self.pattern:
            items["pattern"] = f"^{self.pattern}$"
        return OpenApiParameter(self.name, {"type": "array", "items": items}, style="form", explode=False,
                                description=self.description or "comma-separated")


OFFSET = RangeParam("offset", 0, 0, MAX_OFFSET, "how many items to skip")
LIMIT = RangeParam("limit", 10, 1, 100, "how many items to return")
