"""Script editions: the simplified source, and a traditional edition converted with OpenCC.

The traditional edition is made from the annotated simplified HTML: each ruby word is converted
as a whole (so OpenCC's phrase tables apply, e.g. 头发 -> 頭髮), character by character in place,
and the pinyin stays that of the simplified source. Text outside ruby is converted too; tags,
attributes, scripts and styles are left alone.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from collections.abc import Iterable
from typing import Callable

from markupsafe import Markup

from .errors import YueduError
from .reading import HAN_RE

#: OpenCC configurations a site may choose for its traditional edition.
OPENCC_CONFIGS = ("s2t", "s2tw", "s2twp", "s2hk")


@dataclass(frozen=True)
class Edition:
    """One script edition of the site."""

    key: str  # "simplified" | "traditional"
    lang: str  # BCP 47 tag for Chinese text: zh-Hans | zh-Hant
    prefix: str  # folder under site/: "" or "zh-hant/"
    label: str  # the name of this edition, in its own script
    convert: Callable[[str], str] | None = None

    def html(self, html: str) -> Markup:
        """Convert an HTML fragment of the simplified edition into this edition."""
        if self.convert is None:
            return Markup(html)
        return Markup(convert_html(str(html), self.convert).replace('lang="zh-Hans"', f'lang="{self.lang}"'))

    def text(self, text: str) -> str:
        """Convert plain text into this edition."""
        return self.convert(text) if self.convert and text else text

    def texts(self, texts: Iterable[str]) -> list[str]:
        """:meth:`text` for many (in the simplified edition, without a call per text)."""
        return list(texts) if self.convert is None else [self.convert(t) if t else t for t in texts]


@functools.cache
def _opencc(config: str) -> Callable[[str], str]:
    converter = None

    # The same words and titles are converted again and again (every page, every build in serve).
    @functools.lru_cache(maxsize=1 << 18)
    def convert(text: str) -> str:
        nonlocal converter
        if converter is None:  # loaded on first use: a build that reuses every page never needs it
            import opencc

            converter = opencc.OpenCC(config)
        return converter.convert(text)

    return convert


def editions(names: tuple[str, ...], opencc_config: str = "s2tw") -> list[Edition]:
    """The editions a site builds, simplified first."""
    out = [Edition("simplified", "zh-Hans", "", "简体")]
    if "traditional" in names:
        if opencc_config not in OPENCC_CONFIGS:
            raise YueduError(f"yuedu.toml: opencc must be one of {', '.join(OPENCC_CONFIGS)}, not {opencc_config!r}")
        out.append(Edition("traditional", "zh-Hant", "zh-hant/", "繁體", _opencc(opencc_config)))
    unknown = set(names) - {"simplified", "traditional"}
    if unknown:
        raise YueduError(f"yuedu.toml: unknown edition(s) {sorted(unknown)}; use simplified and traditional")
    return out


# A ruby word: base characters each followed by <rt…>…</rt>.
_RUBY = re.compile(r"(<ruby\b[^>]*>)(.*?)(</ruby>)", re.S)
_BASE = re.compile(r"([^<])(<rt\b[^>]*>[^<]*</rt>)")
_SKIP = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)", re.S)


def convert_html(html: str, convert: Callable[[str], str]) -> str:
    """Convert the Han text of an HTML fragment, keeping every tag and each ruby's readings."""
    # [text, <ruby…>, body, </ruby>, text, <ruby…>, body, </ruby>, …, text] in one pass
    parts = _RUBY.split(html)
    parts[::4] = [_convert_text(t, convert) if t else t for t in parts[::4]]
    parts[2::4] = [_ruby_body(b, convert) for b in parts[2::4]]
    return "".join(parts)


def _convert_text(html: str, convert: Callable[[str], str]) -> str:
    """Convert Han text between tags (never inside tags, scripts or styles)."""
    if not HAN_RE.search(html):
        return html
    out = []
    for piece in _SKIP.split(html):
        if piece.startswith("<") or not HAN_RE.search(piece):
            out.append(piece)
        else:
            out.append(convert(piece))
    return "".join(out)


@functools.lru_cache(maxsize=1 << 16)
def _ruby_body(html: str, convert: Callable[[str], str]) -> str:
    """The inside of one ``<ruby>`` word, converted as a whole with its readings kept (the same
    words recur on every page: each is converted once)."""
    pairs = _BASE.findall(html)
    word = "".join(c for c, _ in pairs)
    converted = convert(word)
    if len(converted) != len(word):  # never happens with OpenCC's s2t tables; stay aligned anyway
        converted = "".join(convert(c) if len(convert(c)) == 1 else c for c in word)
    return "".join(c + tail for c, (_, tail) in zip(converted, pairs))
