"""Subtitles: timed words -> cues of one or two lines, SRT and WebVTT files, and the burned-in captions.

The rules are the common timed-text ones (e.g. Netflix's): at most 42 characters a line in Latin scripts and 16
in CJK, two lines at most; breaks at word and phrase boundaries (Chinese words from jieba, Japanese phrases from
BudouX), preferably after punctuation or before a conjunction or preposition, with the two lines balanced. A cue
starts with its first word, lasts at least MIN_CUE_SECONDS (the last one excepted), stays up long enough to be
read at READING_CPS when the silence after it allows, and never overlaps the next. One-word cues are avoided.
The lines are decided once, here: the files carry exactly the lines the renderer draws.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from composer.render.text import (
    CJK_LINE,
    LATIN_LINE,
    NO_LINE_START,
    SENTENCE_END,
    break_cost,
    ends_sentence,
    font_path,
    is_cjk,
    join_words,
    line_limit,
    load_font,
    segment_cjk,
)

MAX_LINES = 2
MIN_CUE_SECONDS = 1.0
MAX_CUE_SECONDS = 7.0
READING_CPS = 17.0
FAST_CPS = 20.0
PAUSE_SECONDS = 1.0          # a silence this long always ends a cue
MERGE_GAP_SECONDS = 0.6      # a short or one-word cue joins a neighbour at most this far away
MAX_CUE_TOKENS = 40
BOX_WIDTH = 0.8
BOX_ALPHA = 0.55             # the backing box at opacity 1
OUTLINE_RATIO = 0.08         # outline thickness as a share of the font size
MIN_CONTRAST = 4.5
OPENING_BRACKETS = set("「『（《〈【〔“‘")
CLOSING_BRACKETS = set("」』）》〉】〕”’")
HIGHLIGHT_COLORS = ("#FFD54A", "#7FE3FF", "#1A56DB", "#B00020")


@dataclass(frozen=True)
class Token:
    """The smallest piece a line may break around: a Latin word, a Chinese word or a Japanese phrase."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str                   # the lines, joined by "\n", as drawn and as written to the files
    words: tuple = ()           # (start, end, line, first char, end char) per token, for the word highlight


# --- tokens ----------------------------------------------------------------------------------------------

def tokens_from_words(words) -> list[Token]:
    """Timed words -> tokens. Consecutive CJK words (one character each, punctuation attached) are regrouped
    into whole words or phrases; a group only ends where a timed word ends, so punctuation stays attached."""
    tokens: list[Token] = []
    run: list = []

    def flush_run() -> None:
        if not run:
            return
        text = "".join(w.text for w in run)
        word_ends, position = set(), 0
        for w in run:
            position += len(w.text)
            word_ends.add(position)
        cuts, position = set(), 0
        for piece in segment_cjk(text):
            position += len(piece)
            cuts.add(position)
        # A quotation or bracket is a phrase of its own (BudouX may join it to the phrase around it).
        cuts |= {i for i, c in enumerate(text) if c in OPENING_BRACKETS and i}
        cuts |= {i + 1 for i, c in enumerate(text[:-1]) if c in CLOSING_BRACKETS and text[i + 1].isalnum()}
        group: list = []
        position = 0
        for w in run:
            group.append(w)
            position += len(w.text)
            if position in cuts and position in word_ends:
                tokens.append(Token(group[0].start, group[-1].end, "".join(g.text for g in group)))
                group = []
        if group:
            tokens.append(Token(group[0].start, group[-1].end, "".join(g.text for g in group)))
        run.clear()

    for word in words:
        if is_cjk(word.text) and not any(c.isascii() and c.isalnum() for c in word.text):
            run.append(word)
            continue
        flush_run()
        tokens.append(Token(word.start, word.end, word.text))
    flush_run()
    return _attach_leading_punctuation(tokens)


def _attach_leading_punctuation(tokens: list[Token]) -> list[Token]:
    """Punctuation that may not start a line ("。" after a Latin name in Chinese text) joins the token before it,
    so no line break can fall in front of it."""
    out: list[Token] = []
    for token in tokens:
        lead = len(token.text) - len(token.text.lstrip("".join(NO_LINE_START)))
        if out and lead:
            before = out[-1]
            out[-1] = Token(before.start, max(before.end, token.start), before.text + token.text[:lead])
            if lead == len(token.text):
                continue
            token = Token(token.start, token.end, token.text[lead:])
        out.append(token)
    return out


# --- lines -----------------------------------------------------------------------------------------------

class Measure:
    """Whether a line fits: its character limit (16 for CJK, 42 otherwise) and the subtitle box's width."""

    def __init__(self, font: ImageFont.FreeTypeFont, box_width: float):
        self.font = font
        self.box_width = box_width
        self._fits: dict[str, bool] = {}

    def fits(self, text: str) -> bool:
        if text not in self._fits:   # the cue search asks about the same lines many times
            self._fits[text] = len(text) <= line_limit(text) and self.font.getlength(text) <= self.box_width
        return self._fits[text]


def layout(tokens: list[Token], measure: Measure) -> tuple[list[str], float] | None:
    """The best one- or two-line layout of tokens and its cost, or None when they need more than two lines.
    One line when it fits; else the break with the best phrase boundary and the most even lines."""
    texts = [t.text for t in tokens]
    # Every first line and every second line, built once (join_words only looks at the two sides of a join).
    tops = [texts[0]]
    for text in texts[1:]:
        tops.append(join_words([tops[-1], text]))
    bottoms = [texts[-1]]
    for text in reversed(texts[:-1]):
        bottoms.append(join_words([text, bottoms[-1]]))
    bottoms.reverse()
    whole = tops[-1]
    if measure.fits(whole) or len(tokens) == 1:
        return [whole], 0.0
    best: tuple[list[str], float] | None = None
    for k in range(1, len(tokens)):
        top, bottom = tops[k - 1], bottoms[k]
        if not (measure.fits(top) and measure.fits(bottom)):
            continue
        balance = abs(len(top) - len(bottom)) / max(len(top), len(bottom))
        cost = break_cost(tokens[k - 1].text, tokens[k].text) + 4 * balance + (0.3 if len(top) > len(bottom) else 0)
        if best is None or cost < best[1]:
            best = ([top, bottom], cost)
    return best


def _word_places(tokens: list[Token], lines: list[str]) -> tuple:
    """(start, end, line, first char, end char) of every token in the laid-out lines."""
    places, line, position = [], 0, 0
    for token in tokens:
        found = lines[line].find(token.text, position)
        if found < 0 and line + 1 < len(lines):
            line, position = line + 1, 0
            found = lines[line].find(token.text, 0)
        found = max(found, 0)
        places.append((token.start, token.end, line, found, found + len(token.text)))
        position = found + len(token.text)
    return tuple(places)


# --- cues ------------------------------------------------------------------------------------------------

def _cue_cost(tokens: list[Token], i: int, j: int, measure: Measure, shown_until: float) -> float | None:
    """The cost of showing tokens[i:j] as one cue, or None when it cannot be."""
    placed = layout(tokens[i:j], measure)
    if placed is None:
        return None
    lines, cost = placed
    span = tokens[j - 1].end - tokens[i].start
    if span > MAX_CUE_SECONDS and j - i > 1:
        return None
    cost += 3.0   # per cue: fewer, fuller cues
    if j - i == 1 and len(tokens) > 1:
        cost += 20.0
    if j < len(tokens):
        cost += 2 * break_cost(tokens[j - 1].text, tokens[j].text)
    if any(t.text.endswith(SENTENCE_END) for t in tokens[i:j - 1]):
        cost += 6.0   # the end of one sentence and the start of the next
    chars = sum(len(line) for line in lines)
    limit = line_limit("".join(lines))
    cost += 3.0 * max(0.0, 1.0 - chars / limit)
    visible = (tokens[j].start if j < len(tokens) else shown_until) - tokens[i].start
    if visible < MIN_CUE_SECONDS:
        cost += 10.0
    if visible > 0 and chars / visible > FAST_CPS:
        cost += chars / visible - FAST_CPS
    return cost


def _split_block(tokens: list[Token], measure: Measure, shown_until: float) -> list[tuple[int, int]]:
    """The cheapest way to cut a block into cues (dynamic programming over token boundaries)."""
    n = len(tokens)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * n
    most = MAX_LINES * max(CJK_LINE, LATIN_LINE)   # no cue holds more characters than this
    for j in range(1, n + 1):
        chars = 0
        # Longest cue last: once the tokens alone hold more characters than two lines can, every longer
        # cue ending at j is impossible too.
        for i in range(j - 1, max(0, j - MAX_CUE_TOKENS) - 1, -1):
            chars += len(tokens[i].text)
            if chars > most:
                break
            if best[i][0] == float("inf"):
                continue
            cost = _cue_cost(tokens, i, j, measure, shown_until)
            # "<=": of equally good cuts the earliest start wins, as when i counted upwards.
            if cost is not None and best[i][0] + cost <= best[j][0]:
                best[j] = (best[i][0] + cost, i)
    cuts, j = [], n
    while j > 0:
        i = best[j][1]
        cuts.append((i, j))
        j = i
    return cuts[::-1]


def _merge_short(groups: list[list[Token]], measure: Measure, *, last: bool = True) -> list[list[Token]]:
    """Join a too-short or one-word cue to a close neighbour when the two still fit. The last cue is left as it
    is when it ends the speech (`last`); one that ends a block of speech is not short for lack of time."""
    merged = True
    while merged:
        merged = False
        candidates = groups[:-1] if last and len(groups) > 1 else [] if last else groups
        for index, group in enumerate(candidates):
            following = groups[index + 1] if index + 1 < len(groups) else None
            short = len(group) == 1 or following is not None and following[0].start - group[0].start < MIN_CUE_SECONDS
            if not short:
                continue
            for a, b in ((index, index + 1), (index - 1, index)):
                if a < 0 or b >= len(groups):
                    continue
                joined = groups[a] + groups[b]
                close = groups[b][0].start - groups[a][-1].end < MERGE_GAP_SECONDS
                if close and joined[-1].end - joined[0].start <= MAX_CUE_SECONDS and layout(joined, measure):
                    groups[a:b + 1] = [joined]
                    merged = True
                    break
            if merged:
                break
    return groups


# Once nothing can be said for this long after a block's last word, what follows can change none of its cues
# (the longest cue is read in under this time).
SETTLE_SECONDS = 5.0
# A block that has run this long also ends where a sentence ends. A script without long silences would otherwise be
# one block, whose cues are final only once the whole scene is spoken, and the frames (which show them) would wait
# for all of its speech. Cues rarely span a sentence's end (it costs as much as two extra cues), so cutting there
# seldom moves a cue; a short sentence after a long one still shares its block with what follows it.
BLOCK_SECONDS = 3.0


class CueBuilder:
    """Cues (see the module docstring for the rules) of words that arrive in order, as the speech is made.

    Words are cut into blocks at silences of PAUSE_SECONDS and at the first sentence end after BLOCK_SECONDS; a
    block's cues are final once the next block's first word is known, once nothing can be said for SETTLE_SECONDS
    after its last word, or at the end (`finish`).
    `cues` holds the final ones; no cue can start before `settled` that is not among them."""

    def __init__(self, *, font_size: int, canvas_width: int, font_name: str | None = None):
        self.measure = Measure(load_font(str(font_path(font_name)), font_size), canvas_width * BOX_WIDTH)
        self.cues: list[Cue] = []
        self.settled = 0.0
        self._block: list = []
        self._index = 0

    def add(self, words, known_until: float) -> None:
        """More words (in order), and the time up to which every word is known."""
        for word in words:
            if self._block and (word.start - self._block[-1].end >= PAUSE_SECONDS or self._sentence_ends_block()):
                self._lay_out(word.start, last=False)
            self._block.append(word)
        if self._block and known_until - self._block[-1].end >= SETTLE_SECONDS:
            self._lay_out(known_until, last=False)
        self.settled = self._block[0].start if self._block else known_until

    def _sentence_ends_block(self) -> bool:
        block = self._block
        return ends_sentence(block[-1].text) and block[-1].end - block[0].start >= BLOCK_SECONDS

    def finish(self, until: float | None = None) -> list[Cue]:
        """The cues once all words are in; `until` is when the picture ends (the last cue may stay up until then)."""
        if self._block:
            end = self._block[-1].end
            self._lay_out(max(end, until if until is not None else end + MIN_CUE_SECONDS), last=True)
        self.settled = float("inf")
        return self.cues

    def caption_at(self, t: float) -> Cue | None:
        """The cue on screen at t, for times that only move forward."""
        while self._index < len(self.cues) and self.cues[self._index].end <= t:
            self._index += 1
        cue = self.cues[self._index] if self._index < len(self.cues) else None
        return cue if cue is not None and cue.start <= t < cue.end else None

    def _lay_out(self, following: float, *, last: bool) -> None:
        """The block's cues; `following` is when the next block starts (or the picture ends, when `last`)."""
        tokens = tokens_from_words(self._block)
        self._block = []
        if not tokens:
            return
        groups = [tokens[i:j] for i, j in _split_block(tokens, self.measure, following)]
        groups = _merge_short(groups, self.measure, last=last)
        for index, group in enumerate(groups):
            lines = layout(group, self.measure)[0]
            start, end = group[0].start, group[-1].end
            next_start = groups[index + 1][0].start if index + 1 < len(groups) else following
            # Stay up into the silence that follows, long enough to be read, never over the next cue.
            wanted = start + max(MIN_CUE_SECONDS, sum(len(line) for line in lines) / READING_CPS)
            end = min(max(end, wanted), max(end, next_start) if last and index + 1 == len(groups) else next_start)
            self.cues.append(Cue(start, end, "\n".join(lines), _word_places(group, lines)))


def build_cues(words, *, font_size: int, canvas_width: int, font_name: str | None = None,
               until: float | None = None) -> list[Cue]:
    """Timed words -> cues, all at once (CueBuilder). `canvas_width` is the layout width the subtitle box is 80%
    of; `until` is when the picture ends (the last cue may stay up until then)."""
    builder = CueBuilder(font_size=font_size, canvas_width=canvas_width, font_name=font_name)
    builder.add(words, words[-1].end if words else 0.0)
    return builder.finish(until)


# --- files -----------------------------------------------------------------------------------------------

def _stamp(seconds: float, separator: str) -> str:
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{ms:03d}"


def write_srt(cues: list[Cue], path: Path) -> Path:
    blocks = [f"{i}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{c.text}\n" for i, c in enumerate(cues, 1)]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def write_vtt(cues: list[Cue], path: Path) -> Path:
    blocks = [f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{c.text}\n" for c in cues]
    path.write_text("WEBVTT\n\n" + "\n".join(blocks), encoding="utf-8")
    return path


# --- burned in -------------------------------------------------------------------------------------------

def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def luminance(rgb) -> float:
    """WCAG relative luminance of an sRGB colour (0-255 channels)."""
    def linear(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def caption_colors(config: dict) -> tuple[tuple, tuple, tuple]:
    """(text, outline and box, highlight) colours: the outline is the asked stroke_color when it stands out
    from the text by MIN_CONTRAST, else black or white, whichever stands out more."""
    fill = _rgb(config.get("font_color") or "#FFFFFF")
    stroke = config.get("stroke_color")
    if stroke and contrast(fill, _rgb(stroke)) >= MIN_CONTRAST:
        outline = _rgb(stroke)
    else:
        outline = (0, 0, 0) if contrast(fill, (0, 0, 0)) >= contrast(fill, (255, 255, 255)) else (255, 255, 255)
    highlight = next((_rgb(c) for c in HIGHLIGHT_COLORS if contrast(_rgb(c), outline) >= MIN_CONTRAST
                      and sum(abs(x - y) for x, y in zip(_rgb(c), fill, strict=True)) > 150), fill)
    return fill, outline, highlight


def active_word(cue: Cue, t: float) -> int | None:
    """The index of the word being spoken at t (it stays lit until the next one starts)."""
    for index, (start, end, *_rest) in enumerate(cue.words):
        until = cue.words[index + 1][0] if index + 1 < len(cue.words) else end
        if start <= t < until:
            return index
    return None


class CaptionPainter:
    """Draws cues as RGBA sprites in output pixels, per SubtitleConfig: text with an outline over a translucent
    box, both in a colour that contrasts with the text by at least 4.5:1 whatever the picture behind
    (opacity fades the box only). The last few sprites are kept (per cue and lit word): frames come in order, so a
    cue's sprites are drawn once however long the video."""

    KEPT = 16

    def __init__(self, config: dict, canvas: tuple[int, int], to_output):
        self.config = config
        self.canvas = canvas
        self.to_output = to_output  # layout rect -> output rect
        self.highlight = bool(config.get("word_highlight"))
        self.colors = caption_colors(config)
        self._cache: OrderedDict[tuple, tuple[Image.Image, tuple[int, int]]] = OrderedDict()

    def sprite_at(self, cue: Cue, t: float) -> tuple[Image.Image, tuple[int, int]]:
        lit = active_word(cue, t) if self.highlight else None
        key = (cue.text, lit)
        if key in self._cache:
            self._cache.move_to_end(key)
        else:
            span = cue.words[lit][2:] if lit is not None else None
            self._cache[key] = self.draw(cue.text.split("\n"), span)
            while len(self._cache) > self.KEPT:
                self._cache.popitem(last=False)
        return self._cache[key]

    def draw(self, lines: list[str], lit: tuple[int, int, int] | None = None) -> tuple[Image.Image, tuple[int, int]]:
        """The sprite for these lines; `lit` = (line, first char, end char) drawn in the highlight colour."""
        config = self.config
        width, height = self.canvas
        box_width = width * BOX_WIDTH
        left = config.get("dx", (width - box_width) / 2)
        bottom = config.get("dy", height - height * 0.06)
        size = config.get("font_size", 54)
        x, _, w, _ = self.to_output((left, 0, box_width, 1))
        scale = w / box_width
        font = load_font(str(font_path(config.get("font_name"))), round(size * scale))
        fill, outline, highlight = self.colors
        stroke_px = max(1, round(max(config.get("stroke_thickness") or 0, size * OUTLINE_RATIO) * scale))
        ascent, descent = font.getmetrics()
        line_height = ascent + descent
        pad_x, pad_y = round(size * scale * 0.35), round(size * scale * 0.08)
        widths = [font.getlength(line) for line in lines]
        sprite_w = round(max([w] + [lw + 2 * pad_x for lw in widths])) + 2 * stroke_px
        sprite_h = line_height * len(lines) + 2 * pad_y
        sprite = Image.new("RGBA", (sprite_w, sprite_h), (0, 0, 0, 0))
        box_alpha = round(255 * BOX_ALPHA * config.get("opacity", 1.0))
        if box_alpha:
            # One box per line, drawn opaque and faded as a whole so that where two boxes meet is not darker.
            boxes = Image.new("L", sprite.size, 0)
            box_draw = ImageDraw.Draw(boxes)
            for i, line_width in enumerate(widths):
                x0 = (sprite_w - line_width) / 2 - pad_x
                box_draw.rounded_rectangle((x0, i * line_height, x0 + line_width + 2 * pad_x,
                                            (i + 1) * line_height + 2 * pad_y), radius=round(size * scale * 0.2),
                                           fill=255)
            sprite.paste(Image.new("RGBA", sprite.size, outline + (255,)), (0, 0),
                         boxes.point(lambda v: v * box_alpha // 255))
        # The outline and then the glyphs go over the box, opaque, so the text keeps its contrast with what is
        # directly around it whatever lies behind.
        text_layer = Image.new("RGBA", sprite.size, (0, 0, 0, 0))
        text_draw = ImageDraw.Draw(text_layer)
        for i, line in enumerate(lines):
            origin = ((sprite_w - widths[i]) / 2, pad_y + i * line_height)
            text_draw.text(origin, line, font=font, fill=outline + (255,), stroke_width=stroke_px,
                           stroke_fill=outline + (255,))
            pieces = [(0, len(line), fill)]
            if lit is not None and lit[0] == i:
                pieces = [(0, lit[1], fill), (lit[1], lit[2], highlight), (lit[2], len(line), fill)]
            for first, end, color in pieces:
                if end > first:
                    text_draw.text((origin[0] + font.getlength(line[:first]), origin[1]), line[first:end],
                                   font=font, fill=color + (255,))
        sprite.alpha_composite(text_layer)
        _, out_bottom, _, _ = self.to_output((0, bottom, 1, 1))
        position = (round(x + w / 2 - sprite_w / 2), round(out_bottom) - sprite_h)
        return sprite, position
