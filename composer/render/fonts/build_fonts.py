"""Rebuild the committed font subsets from Noto Sans CJK (SIL Open Font License 1.1).

Needs Debian's fonts-noto-cjk and the fonttools package (build time only):
    python composer/render/fonts/build_fonts.py
The subset keeps Latin, punctuation, kana, the GB2312 level-1 Hanzi (3,755 common Simplified Chinese characters)
the JIS X 0208 level-1 Kanji (2,965 common Japanese characters) and the KS X 1001 Hangul syllables, so subtitles in English, Chinese, Japanese and Korean render everywhere.
"""
from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = Path("/usr/share/fonts/opentype/noto")
HERE = Path(__file__).resolve().parent


def characters() -> str:
    chars = set(chr(c) for c in range(0x20, 0x250))                 # Latin, Latin-1, Latin Extended
    chars |= set(chr(c) for c in range(0x2000, 0x2070))             # general punctuation
    chars |= set(chr(c) for c in range(0x20A0, 0x20C0))             # currency
    chars |= set(chr(c) for c in range(0x3000, 0x3100))             # CJK punctuation, kana
    chars |= set(chr(c) for c in range(0xFF00, 0xFFF0))             # full-width forms
    for high in range(0xB0, 0xD8):                                  # GB2312 level 1
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for high in range(0xB0, 0xD0):                                  # JIS X 0208 level 1 (EUC-JP rows 16-47)
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("euc_jp"))
            except UnicodeDecodeError:
                pass
    for high in range(0xB0, 0xC9):                                  # KS X 1001 Hangul
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("euc-kr"))
            except UnicodeDecodeError:
                pass
    chars |= set("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严")
    return "".join(sorted(chars))


def build(source: str, target: str) -> None:
    collection = TTCollection(SOURCE / source)
    font = next(f for f in collection.fonts if "SC" in f["name"].getDebugName(1) and "Mono" not in
                f["name"].getDebugName(1))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    font.flavor = None
    font.save(HERE / target)


if __name__ == "__main__":
    build("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular-subset.otf")
    build("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold-subset.otf")
