"""How wide a line of the theme's sans-serif text is, estimated at build time, never less.

Maps and charts are SVG drawn at build time (plugins/maps, plugins/timelines) and place
their labels without a browser: a label's box must hold the text as any reader's browser
draws it, or labels run over each other and over the points. The widths are those of
DejaVu Sans (measured in Chromium, rounded up to 0.05 em), the widest of the fonts the
theme's `--sans` stack falls back to (system-ui, Roboto, Noto Sans and Segoe UI draw the
same text narrower); tests/test_phones.py measures the real labels against the estimate.
"""

from __future__ import annotations

import unicodedata

#: Advance widths in em of DejaVu Sans, by character, rounded up to 0.05 em.
_WIDTHS = {
    0.3: "'IJijl",
    0.35: " ,./:;\\|ʼ’‘",
    0.4: "()-[]ft",
    0.45: "!r",
    0.5: '"*_`–',
    0.55: "?csz",
    0.6: "FLkvxy",
    0.65: "$0123456789EPSTYabdeghnopqu{}",
    0.7: "ABCKRVXZ",
    0.75: "NU",
    0.8: "&DGHOQ",
    0.85: "#+<=>^w~",
    0.9: "M",
    1.0: "%@Wm—",
}
EM = {character: width for width, characters in _WIDTHS.items() for character in characters}
#: Any other character (a ligature, another script): as wide as the widest letters.
UNKNOWN = 1.0


def text_width(text: str, size: float) -> float:
    """The width of `text` at font size `size`, in the same units as `size`.

    An accented letter is as wide as its base letter in DejaVu Sans ("Ş" as "S"): the text
    is decomposed and its combining marks, which take no width, dropped.
    """
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return sum(EM.get(character, UNKNOWN) for character in bare) * size
