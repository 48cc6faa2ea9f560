"""SSML for scripts: our supported tags, parsed (with defusedxml: no DTDs, no entities) into speech nodes.

Supported: speak (root), break (time up to 10 s, or strength), prosody (rate 0.5-2x, pitch, volume), say-as
(cardinal, digits, characters, date, telephone), sub (alias), phoneme (ipa, pinyin), emphasis, insert-action
(name), p and s. The validator and the renderer both use parse_script_text, so what validates is what renders.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from io import StringIO
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import InputSource

from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser

from composer.spec.text import first_unusable


class SsmlError(ValueError):
    """Invalid SSML: `message` names the rule, `line` and `column` (1-based) point into the script text."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(f"line {line}, column {column}: {message}")
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Break:
    seconds: float


@dataclass(frozen=True)
class Prosody:
    rate: float
    pitch: float
    volume: float
    children: tuple[Node, ...]


@dataclass(frozen=True)
class SayAs:
    interpret_as: str
    format: str | None
    text: str


@dataclass(frozen=True)
class Sub:
    alias: str
    text: str


@dataclass(frozen=True)
class Phoneme:
    alphabet: str
    ph: str
    text: str


@dataclass(frozen=True)
class Emphasis:
    level: str
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Action:
    name: str


@dataclass(frozen=True)
class Paragraph:
    """p and s: their content, followed by a pause."""

    kind: str
    children: tuple[Node, ...]


Node = Text | Break | Prosody | SayAs | Sub | Phoneme | Emphasis | Action | Paragraph

SUPPORTED_TAGS = frozenset({"speak", "break", "prosody", "say-as", "sub", "phoneme", "emphasis", "insert-action",
                            "p", "s"})
MAX_BREAK_SECONDS = 10.0
# Elements inside one another, <speak> included: real scripts use a handful; the node tree stays shallow.
MAX_NESTING = 20
BREAK_STRENGTHS = {"none": 0.0, "x-weak": 0.1, "weak": 0.25, "medium": 0.5, "strong": 0.75, "x-strong": 1.0}
RATE_NAMES = {"x-slow": 0.5, "slow": 0.75, "medium": 1.0, "default": 1.0, "fast": 1.25, "x-fast": 1.5}
PITCH_NAMES = {"x-low": 0.8, "low": 0.9, "medium": 1.0, "default": 1.0, "high": 1.1, "x-high": 1.2}
VOLUME_NAMES = {"silent": 0.0, "x-soft": 0.25, "soft": 0.5, "medium": 1.0, "default": 1.0, "loud": 1.4,
                "x-loud": 2.0}
SAY_AS = frozenset({"cardinal", "digits", "characters", "date", "telephone"})
DATE_FORMATS = frozenset({"mdy", "dmy", "ymd", "md", "dm", "ym", "my", "d", "m", "y"})
EMPHASIS_LEVELS = frozenset({"strong", "moderate", "reduced", "none"})
PHONEME_ALPHABETS = frozenset({"ipa", "pinyin", "x-pinyin"})
TEXT_ONLY = frozenset({"say-as", "sub", "phoneme"})
EMPTY = frozenset({"break", "insert-action"})
# speak also takes the usual XML housekeeping attributes (version, xmlns, xml:lang, xsi:schemaLocation).
ATTRIBUTES = {
    "break": frozenset({"time", "strength"}),
    "prosody": frozenset({"rate", "pitch", "volume"}),
    "say-as": frozenset({"interpret-as", "format", "detail"}),
    "sub": frozenset({"alias"}),
    "phoneme": frozenset({"alphabet", "ph"}),
    "emphasis": frozenset({"level"}),
    "insert-action": frozenset({"name"}),
    "p": frozenset({"xml:lang"}),
    "s": frozenset({"xml:lang"}),
}


def is_ssml(text: str) -> bool:
    """SSML starts with <speak>. An XML declaration or a doctype also routes the text to the parser, so
    that a doctype is refused with a clear error instead of being spoken as plain text."""
    return text.lstrip().startswith(("<speak", "<?xml", "<!DOCTYPE", "<!doctype"))


def _seconds(value: str) -> float | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*", value)
    if not match:
        return None
    number = float(match.group(1))
    return number / 1000 if match.group(2) == "ms" else number


def _power(base: float, exponent: float) -> float:
    """base ** exponent, infinite (and so out of every range) where a float overflows."""
    try:
        return base ** exponent
    except OverflowError:
        return math.inf


def _multiplier(value: str, names: dict[str, float], *, semitones: bool = False, decibels: bool = False) -> float | None:
    value = value.strip().lower()
    if value in names:
        return names[value]
    if match := re.fullmatch(r"([+-]?\d+(?:\.\d+)?)%", value):
        number = float(match.group(1))
        return 1 + number / 100 if value[0] in "+-" else number / 100
    if semitones and (match := re.fullmatch(r"([+-]?\d+(?:\.\d+)?)st", value)):
        return _power(2, float(match.group(1)) / 12)
    if decibels and (match := re.fullmatch(r"([+-]?\d+(?:\.\d+)?)db", value)):
        return _power(10, float(match.group(1)) / 20)
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return float(value)
    return None


class _Builder(ContentHandler):
    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict, list, tuple[int, int]]] = []
        self.root: list = []
        self.locator = None

    def setDocumentLocator(self, locator):
        self.locator = locator

    def _where(self) -> tuple[int, int]:
        if self.locator is None:
            return 1, 1
        return self.locator.getLineNumber(), self.locator.getColumnNumber() + 1

    def startElement(self, name, attrs):
        where = self._where()
        if name not in SUPPORTED_TAGS:
            raise SsmlError(f"<{name}> is not supported; use one of {', '.join(sorted(SUPPORTED_TAGS))}", *where)
        if not self.stack and name != "speak":
            raise SsmlError("the document must start with <speak>", *where)
        if self.stack and name == "speak":
            raise SsmlError("<speak> cannot be nested", *where)
        if self.stack and self.stack[-1][0] in TEXT_ONLY:
            raise SsmlError(f"<{self.stack[-1][0]}> may contain only text, not <{name}>", *where)
        if self.stack and self.stack[-1][0] in EMPTY:
            raise SsmlError(f"<{self.stack[-1][0]}> must be empty, not contain <{name}>", *where)
        if len(self.stack) >= MAX_NESTING:
            raise SsmlError(f"elements may be nested at most {MAX_NESTING} deep (<speak> included)", *where)
        _check_attribute_names(name, attrs.getNames(), where)
        self.stack.append((name, dict(attrs), [], where))

    def characters(self, content):
        if not self.stack:
            return
        self.stack[-1][2].append(content)

    def endElement(self, name):
        tag, attrs, children, where = self.stack.pop()
        node = _make_node(tag, attrs, children, where)
        if not self.stack:
            self.root = node
        elif node is not None:
            self.stack[-1][2].append(node)


def _check_attribute_names(tag: str, names, where) -> None:
    for name in names:
        if tag == "speak":
            if name != "version" and not name.startswith(("xml", "xsi:")):
                raise SsmlError(f"<speak> has no attribute {name!r}", *where)
        elif name not in ATTRIBUTES[tag]:
            allowed = ", ".join(sorted(ATTRIBUTES[tag])) or "none"
            raise SsmlError(f"<{tag}> has no attribute {name!r} (allowed: {allowed})", *where)


def _text_of(children: list, tag: str, where) -> str:
    text = "".join(c for c in children if isinstance(c, str))
    if any(not isinstance(c, str) for c in children):
        raise SsmlError(f"<{tag}> may contain only text", *where)
    return " ".join(text.split())


def _nodes(children: list) -> tuple[Node, ...]:
    out: list[Node] = []
    for child in children:
        if isinstance(child, str):
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + child)
            else:
                out.append(Text(child))
        else:
            out.append(child)
    return tuple(out)


def _required(attrs: dict, name: str, tag: str, where) -> str:
    value = attrs.get(name, "").strip()
    if not value:
        raise SsmlError(f"<{tag}> needs the {name}=\"...\" attribute", *where)
    return value


def _make_node(tag: str, attrs: dict, children: list, where):
    if tag == "speak":
        return _nodes(children)
    if tag == "break":
        if "".join(children).strip():
            raise SsmlError("<break> must be empty", *where)
        if "time" in attrs:
            seconds = _seconds(attrs["time"])
            if seconds is None:
                raise SsmlError(f"<break time=\"{attrs['time']}\">: use seconds or milliseconds like 2s or 500ms",
                                *where)
            if seconds > MAX_BREAK_SECONDS:
                raise SsmlError(f"<break> may last at most {MAX_BREAK_SECONDS:g} s (got {seconds:g} s)", *where)
            return Break(seconds)
        strength = attrs.get("strength", "medium")
        if strength not in BREAK_STRENGTHS:
            raise SsmlError(f"<break strength=\"{strength}\">: use one of {', '.join(BREAK_STRENGTHS)}", *where)
        return Break(BREAK_STRENGTHS[strength])
    if tag == "prosody":
        rate = _multiplier(attrs.get("rate", "medium"), RATE_NAMES)
        if rate is None or not 0.5 <= rate <= 2.0:
            raise SsmlError(f"<prosody rate=\"{attrs.get('rate')}\">: the rate must be between 0.5 and 2 "
                            "(e.g. 1.2, 80%, slow)", *where)
        pitch = _multiplier(attrs.get("pitch", "medium"), PITCH_NAMES, semitones=True)
        if pitch is None or not 0.5 <= pitch <= 2.0:
            raise SsmlError(f"<prosody pitch=\"{attrs.get('pitch')}\">: use e.g. +2st, -10%, high", *where)
        volume = _multiplier(attrs.get("volume", "medium"), VOLUME_NAMES, decibels=True)
        if volume is None or not 0 <= volume <= 4.0:
            raise SsmlError(f"<prosody volume=\"{attrs.get('volume')}\">: use e.g. +6dB, loud, 120%", *where)
        return Prosody(rate, pitch, volume, _nodes(children))
    if tag == "say-as":
        kind = _required(attrs, "interpret-as", tag, where)
        if kind not in SAY_AS:
            raise SsmlError(f"<say-as interpret-as=\"{kind}\">: use one of {', '.join(sorted(SAY_AS))}", *where)
        fmt = attrs.get("format") or None
        if kind == "date" and fmt is not None and fmt not in DATE_FORMATS:
            raise SsmlError(f"<say-as format=\"{fmt}\">: use one of {', '.join(sorted(DATE_FORMATS))}", *where)
        return SayAs(kind, fmt, _text_of(children, tag, where))
    if tag == "sub":
        return Sub(_required(attrs, "alias", tag, where), _text_of(children, tag, where))
    if tag == "phoneme":
        alphabet = attrs.get("alphabet", "ipa")
        if alphabet not in PHONEME_ALPHABETS:
            raise SsmlError(f"<phoneme alphabet=\"{alphabet}\">: use ipa or pinyin", *where)
        return Phoneme(alphabet, _required(attrs, "ph", tag, where), _text_of(children, tag, where))
    if tag == "emphasis":
        level = attrs.get("level", "moderate")
        if level not in EMPHASIS_LEVELS:
            raise SsmlError(f"<emphasis level=\"{level}\">: use one of {', '.join(sorted(EMPHASIS_LEVELS))}",
                            *where)
        return Emphasis(level, _nodes(children))
    if tag == "insert-action":
        if "".join(children).strip():
            raise SsmlError("<insert-action> must be empty", *where)
        return Action(_required(attrs, "name", tag, where))
    return Paragraph(tag, _nodes(children))


def _check_characters(text: str) -> None:
    """XML cannot carry NUL or lone UTF-16 surrogates; say where the first one is."""
    found = first_unusable(text)
    if found:
        index, what = found
        before = text[:index]
        line = before.count("\n") + 1
        raise SsmlError(f"{what} is not allowed in SSML", line, index - (before.rfind("\n") + 1) + 1)


def _parse(text: str) -> tuple[Node, ...]:
    _check_characters(text)
    builder = _Builder()
    parser = make_parser()
    parser.forbid_dtd = True
    parser.setFeature("http://xml.org/sax/features/external-general-entities", False)
    parser.setFeature("http://xml.org/sax/features/external-parameter-entities", False)
    parser.setContentHandler(builder)
    source = InputSource()
    source.setCharacterStream(StringIO(text))
    try:
        parser.parse(source)
    except SAXParseException as exc:
        raise SsmlError(f"not well-formed SSML ({exc.getMessage()})", exc.getLineNumber(),
                        exc.getColumnNumber() + 1) from exc
    except DefusedXmlException as exc:
        line, column = builder._where()
        raise SsmlError("DTDs, entity declarations and external references are not allowed", line,
                        column) from exc
    return builder.root


def parse_script_text(text: str) -> list[Node]:
    """Plain text -> [Text(text)]; SSML -> the node tree. Raises SsmlError with line and column."""
    if not is_ssml(text):
        return [Text(text)]
    return list(_parse(text))


def _count(nodes) -> int:
    total = 0
    for node in nodes:
        if isinstance(node, Text):
            total += len(node.text)
        elif isinstance(node, (SayAs, Sub, Phoneme)):
            total += len(node.text)
        elif isinstance(node, (Prosody, Emphasis, Paragraph)):
            total += _count(node.children)
    return total


def count_spoken_characters(text: str) -> int:
    """Characters excluding SSML tags (what the reference's 10,000 limit counts): the text nodes the user typed,
    whitespace included. For <sub> the written text counts, not the alias; attribute values never count."""
    if not is_ssml(text):
        return len(text)
    return _count(parse_script_text(text))
