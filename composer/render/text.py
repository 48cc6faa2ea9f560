"""Fonts and line breaking that works for Chinese, Japanese and Korean as well as English.

Subtitles break CJK text only between words: Chinese words come from jieba (MIT), Japanese phrases from
BudouX (Apache-2.0); both load on first use.
"""
from __future__ import annotations

import logging
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

KANA_RE = re.compile("[\u3040-\u30ff]")
LATIN_LINE = 42
CJK_LINE = 16
# Words a line or cue may start with (it reads as the start of a phrase) and words it should not end with.
LEADING_WORDS = {
    "and", "but", "or", "nor", "so", "yet", "because", "although", "though", "while", "whereas", "if", "unless",
    "when", "where", "which", "who", "whom", "whose", "that", "than", "as", "since", "until", "after", "before",
    "to", "of", "in", "on", "at", "for", "with", "without", "from", "by", "about", "into", "onto", "over",
    "under", "between", "through", "during", "against", "across", "around", "like",
}
BINDING_WORDS = LEADING_WORDS | {"the", "a", "an", "my", "your", "our", "their", "his", "her", "its", "this",
                                 "these", "those", "some", "any", "no", "every", "each", "not", "very", "I",
                                 "we", "you", "they", "he", "she", "it", "is", "are", "was", "were", "will"}
CJK_LEADING = ("和", "与", "跟", "及", "以及", "但", "但是", "而", "而且", "并且", "或", "或者", "还是", "因为",
               "所以", "然后", "如果", "虽然", "不过", "可是", "于是", "因此", "并", "在", "对", "从", "把", "被",
               "为了", "しかし", "そして", "それから", "でも", "だから", "また")
CLAUSE_END = tuple(",;:，、；：…—)]）」』】")
SENTENCE_END = tuple(".!?。！？;；")
# A word that ends a sentence: sentence-ending punctuation, perhaps then closing quotes or brackets, and not one of
# the abbreviations that end in a full stop. Speech is made and subtitles are grouped sentence by sentence by it.
SENTENCE_FINAL = re.compile(r"[.!?。！？…]+[\"'”’」』)\]]*$")
ABBREVIATIONS = frozenset({"mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "vs.", "e.g.", "i.e.", "etc.", "no.",
                           "jr.", "sr.", "inc.", "ltd.", "co.", "mt.", "approx."})


def ends_sentence(word: str) -> bool:
    """Whether `word` (as written, with its punctuation) ends a sentence (see SENTENCE_FINAL)."""
    word = word.strip()
    return bool(SENTENCE_FINAL.search(word)) and word.lower() not in ABBREVIATIONS


def is_cjk(text: str) -> bool:
    return bool(CJK_RE.search(text))


def font_path(name: str | None) -> Path:
    """Our font for a requested font name: heavy names (the reference's default HarmonyOS_Sans_SC_Black
    included) map to the bold CJK font, everything else to the regular one."""
    lowered = (name or "").lower()
    return BOLD if any(w in lowered for w in ("bold", "black", "heavy", "medium")) or not lowered else REGULAR


def weighted_font_path(name: str | None, weight: str | None) -> Path:
    """The bundled font for a text layer: its font_weight when given (REGULAR/BOLD), else the font name's rule."""
    if weight:
        return BOLD if weight == "BOLD" else REGULAR
    return font_path(name)


@lru_cache(maxsize=64)
def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, max(1, int(size)))


def fake_bold_width(size: float) -> int:
    """The outline a font with no bold face is drawn with for BOLD (as browsers embolden a single-weight font)."""
    return max(1, round(size / 48))


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


@lru_cache(maxsize=1)
def _japanese_parser():
    import budoux

    return budoux.load_default_japanese_parser()


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def segment_cjk(text: str) -> list[str]:
    """Words of Chinese text (jieba) or phrases of Japanese text (BudouX, chosen when the text has kana)."""
    if KANA_RE.search(text):
        return [phrase for phrase in _japanese_parser().parse(text) if phrase]
    return [word for word in _jieba().cut(text, HMM=True) if word]


def line_limit(text: str) -> int:
    """Characters a subtitle line may hold: 16 when it carries CJK text, 42 otherwise."""
    return CJK_LINE if is_cjk(text) else LATIN_LINE


def break_cost(before: str, after: str) -> float:
    """How bad it is to break a line or a cue between two words: 0 after punctuation, 1 before a conjunction or
    preposition, 3 between ordinary words, 6 after an article, preposition or pronoun that binds to what follows."""
    if before.endswith(SENTENCE_END) or before.endswith(CLAUSE_END):
        return 0.0
    head = after.lower().strip("\"'“‘(「『（")
    if head in LEADING_WORDS or (is_cjk(after) and after.startswith(CJK_LEADING)):
        return 1.0
    if before.lower() in BINDING_WORDS or before in BINDING_WORDS:
        return 6.0
    if KANA_RE.search(before) and KANA_RE.search(after):
        return 2.0   # between BudouX phrases: natural places to break
    return 3.0
