"""Fonts and line breaking that works for Chinese, Japanese and Korean as well as English."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = FONT_DIR / "NotoSansCJKsc-Regular-subset.otf"
BOLD = FONT_DIR / "NotoSansCJKsc-Bold-subset.otf"

# Punctuation that must not start a line, and punctuation that must not end one (kinsoku shori).
NO_LINE_START = set("，。！？、；：」』）》〉】〕…—～%‰,.!?;:)]}’”·ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ")
NO_LINE_END = set("「『（《〈【〔“‘([{")
CJK_RE = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
TOKEN_RE = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff"
                      r"\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|\s+")


def is_cjk(text: str) -> bool:
    return bool(CJK_RE.search(text))


def font_path(name: str | None) -> Path:
    """Our font for a requested font name: heavy names (the reference's default HarmonyOS_Sans_SC_Black
    included) map to the bold CJK font, everything else to the regular one."""
    lowered = (name or "").lower()
    return BOLD if any(w in lowered for w in ("bold", "black", "heavy", "medium")) or not lowered else REGULAR


@lru_cache(maxsize=64)
def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, max(1, int(size)))


def join_words(words: list[str]) -> str:
    """Words as they read: a space between Latin words, none next to CJK characters."""
    out = ""
    for word in words:
        if out and not (is_cjk(out[-1]) or is_cjk(word[:1])):
            out += " "
        out += word
    return out


def wrap(text: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Greedy line breaking: at spaces between Latin words, between any CJK characters, never putting closing
    punctuation at a line start or opening punctuation at a line end."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        tokens = TOKEN_RE.findall(paragraph)
        line = ""
        for token in tokens:
            candidate = line + token
            if not line or font.getlength(candidate.rstrip()) <= max_width or token.isspace():
                line = candidate
                continue
            if token[0] in NO_LINE_START:
                # Hang the punctuation on this line rather than start the next with it.
                line = candidate
                continue
            carry = ""
            while line and line[-1] in NO_LINE_END:
                carry = line[-1] + carry
                line = line[:-1]
            if line.strip():
                lines.append(line.rstrip())
            line = carry + token.lstrip()
        if line.strip() or not lines:
            lines.append(line.rstrip())
    return lines
