"""Text normalisation for speech: numbers, dates, telephone numbers and spelled-out characters (English)."""
from __future__ import annotations

import re

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALES = [(10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
ORDINAL_WORDS = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
                 "nine": "ninth", "twelve": "twelfth"}


def number_to_words(n: int) -> str:
    if n < 0:
        return "minus " + number_to_words(-n)
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + number_to_words(rest))
    for value, name in SCALES:
        if n >= value:
            rest = n % value
            head = number_to_words(n // value) + " " + name
            if rest == 0:
                return head
            return head + (" and " if rest < 100 else " ") + number_to_words(rest)
    raise ValueError(n)


def ordinal(n: int) -> str:
    words = number_to_words(n)
    last = re.split(r"([ -])", words)
    tail = last[-1]
    if tail in ORDINAL_WORDS:
        last[-1] = ORDINAL_WORDS[tail]
    elif tail.endswith("y"):
        last[-1] = tail[:-1] + "ieth"
    else:
        last[-1] = tail + "th"
    return "".join(last)


def year_words(year: int) -> str:
    if 2000 <= year < 2010:
        return number_to_words(year)
    if 1000 <= year < 10000 and year % 100 != 0:
        return number_to_words(year // 100) + " " + (number_to_words(year % 100) if year % 100 >= 10
                                                      else "oh " + number_to_words(year % 100))
    return number_to_words(year)


def cardinal(text: str) -> str:
    def one(match: re.Match) -> str:
        raw = match.group(0).replace(",", "")
        if "." in raw:
            whole, frac = raw.split(".", 1)
            return number_to_words(int(whole or 0)) + " point " + " ".join(ONES[int(d)] for d in frac)
        return number_to_words(int(raw))
    return re.sub(r"-?\d[\d,]*(?:\.\d+)?", one, text)


def digits(text: str) -> str:
    return " ".join(ONES[int(c)] if c.isdigit() else c for c in text if not c.isspace())


def characters(text: str) -> str:
    return " ".join(ONES[int(c)] if c.isdigit() else c.upper() for c in text if not c.isspace())


def telephone(text: str) -> str:
    groups = [g for g in re.split(r"[\s\-().]+", text.replace("+", "plus ")) if g]
    return ", ".join(digits(g) if g.isdigit() else g for g in groups)


def date(text: str, fmt: str | None) -> str:
    parts = [int(p) for p in re.findall(r"\d+", text)]
    fmt = fmt or ("ymd" if re.match(r"^\d{4}", text.strip()) else "mdy")
    values = dict(zip(fmt, parts, strict=False))
    words = []
    if "m" in values and 1 <= values["m"] <= 12:
        words.append(MONTHS[values["m"] - 1])
    if "d" in values:
        words.append(ordinal(values["d"]))
    spoken = " ".join(words)
    if "y" in values:
        spoken = (spoken + ", " if spoken else "") + year_words(values["y"])
    return spoken or text


def say_as(kind: str, text: str, fmt: str | None) -> str:
    """The words to speak for <say-as interpret-as=kind>."""
    if kind == "cardinal":
        return cardinal(text)
    if kind == "digits":
        return digits(text)
    if kind == "characters":
        return characters(text)
    if kind == "telephone":
        return telephone(text)
    if kind == "date":
        return date(text, fmt)
    return text
