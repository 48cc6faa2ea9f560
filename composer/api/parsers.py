"""Request bodies: strict JSON and multipart forms, refused with a 400 that says where they are broken.

JSON is held to what every reader of it agrees on: no duplicate keys (a proxy that keeps the first one would
see another request), no NaN or Infinity, numbers of at most MAX_NUMBER_DIGITS digits, at most MAX_DEPTH levels
of nesting, and text without NUL characters or lone UTF-16 surrogates (neither can be stored, spoken or drawn).
Each refusal names the field by its path, as the specification's errors do.
"""
from __future__ import annotations

import json
import math

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, MultiPartParser

from composer.spec.text import text_problem

MAX_DEPTH = 32
MAX_NUMBER_DIGITS = 100


class _Pairs(list):
    """A JSON object as the decoder saw it: its (key, value) pairs in order, duplicates included."""


def _number(text: str) -> int | float:
    digits = sum(ch.isdigit() for ch in text)
    if digits > MAX_NUMBER_DIGITS:
        raise ValueError(f"a number has {digits} digits (at most {MAX_NUMBER_DIGITS})")
    value = int(text) if text.lstrip("-").isdigit() else float(text)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def _constant(name: str):
    raise ValueError(f"{name} is not a JSON value")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _checked(value: object) -> object:
    """The decoded body as plain dicts and lists, walked without recursion; ParseError names the first
    offending field."""
    root: list = [None]
    stack: list[tuple[object, str, int, object, object]] = [(value, "", 0, root, 0)]
    while stack:
        item, path, depth, parent, slot = stack.pop()
        where = path or "body"
        if isinstance(item, (_Pairs, list)) and depth >= MAX_DEPTH:
            raise ParseError(f"{where}: JSON nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, _Pairs):
            out: dict = {}
            for key, child in item:
                problem = text_problem(key)
                if problem:
                    raise ParseError(f"{where}: a key {problem}")
                if key in out:
                    raise ParseError(f"{_join(path, key)}: the key {key!r} appears more than once in one object")
                out[key] = None
                stack.append((child, _join(path, key), depth + 1, out, key))
            item = out
        elif isinstance(item, list):
            out_list = [None] * len(item)
            stack.extend((child, f"{path}[{i}]", depth + 1, out_list, i) for i, child in enumerate(item))
            item = out_list
        elif isinstance(item, str) and (problem := text_problem(item)):
            raise ParseError(f"{where}: {problem}")
        parent[slot] = item  # type: ignore[index]
    return root[0]


def loads_strict(raw: bytes) -> object:
    """Parse a JSON body under the rules above; raises ParseError with a message naming the problem."""
    try:
        decoded = json.loads(raw.decode("utf-8"), object_pairs_hook=_Pairs, parse_int=_number,
                             parse_float=_number, parse_constant=_constant)
    except UnicodeDecodeError as exc:
        raise ParseError(f"Malformed JSON body: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise ParseError(f"Malformed JSON body: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    except RecursionError as exc:
        raise ParseError(f"Malformed JSON body: nested more than {MAX_DEPTH} levels deep") from exc
    except ValueError as exc:
        raise ParseError(f"Malformed JSON body: {exc}") from exc
    return _checked(decoded)


class StrictJSONParser(JSONParser):
    """JSON bodies only, with errors that say where the body is broken."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestDataTooBig(f"Request body larger than {limit} bytes")
        if not raw.strip():
            return {}
        return loads_strict(raw)


class CheckedMultiPartParser(MultiPartParser):
    """Multipart forms (uploads) whose text fields are held to the same rule as JSON text."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        for name, values in parsed.data.lists():
            for text in (name, *values):
                if problem := text_problem(text):
                    raise ParseError(f"{'a field name' if text is name else name}: {problem}")
        return parsed
