"""Import a scraped page (plain text or HTML, any common Chinese encoding) as a draft article.

``read_page`` turns bytes into text (HTML through a real parser and a main-content pass),
:func:`yuedu.clean.clean` cleans it, and ``to_markdown`` / ``import_page`` write a draft in the
``docs/authoring.md`` format. The CLI (``python build.py import PATH``) is a thin layer on top.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
import datetime as _dt
import functools
import os
import re
import tempfile
from pathlib import Path

import yaml

from yuedu.clean import Cleaned, Report, clean, title_check, to_text
from yuedu.errors import YueduError
from yuedu.reading import HAN_RE

__all__ = [
    "Cleaned",
    "Report",
    "clean",
    "decode",
    "format_report",
    "html_to_text",
    "import_page",
    "read_page",
    "read_structured",
    "clean_page",
    "Page",
    "slugify",
    "title_check",
    "to_json",
    "to_markdown",
    "to_text",
]

# ---------------------------------------------------------------------------------------------
# Bytes -> text

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Declared charsets mapped to the codec that decodes every page declaring them: pages labelled
#: gb2312 or gbk routinely use GBK/GB18030 characters, pages labelled big5 use cp950/HKSCS ones.
_CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "cp950": "big5hkscs", "x-x-big5": "big5hkscs",
    "utf-8": "utf-8", "utf8": "utf-8",
}
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
#: Chinese punctuation: in the right codec it decodes to these; in the wrong one the same
#: bytes come out as rare characters, bopomofo or private-use code points.
_CJK_PUNCT = set("，。、；：？！“”‘’（）《》「」『』—…·")


def _decode_score(text: str) -> float:
    """How much ``text`` looks like real Chinese: common characters and punctuation score."""
    common = _common_chars()
    score = 0.0
    for ch in text:
        if ch in _CJK_PUNCT or ch in common:
            score += 1
        elif "\ue000" <= ch <= "\uf8ff" or "\u3100" <= ch <= "\u312f" or ch == "\ufffd":
            score -= 3  # private use, bopomofo, replacement: the hallmark of a wrong codec
    return score


@functools.cache
def _common_chars() -> frozenset[str]:
    """The commonest Chinese characters (charset-normalizer's list), simplified and traditional."""
    from charset_normalizer.constant import FREQUENCIES

    from yuedu.clean import _TRADITIONAL

    chars = set(FREQUENCIES["Chinese"])
    for ch in list(chars):
        chars.update(_TRADITIONAL.get(ch, ""))
    # Frequent characters whose traditional form the vocabulary table lacks.
    chars.update("們個這說時來為國會後對學開關過還點長發與樣經現當從實機問間動產進東體")
    return frozenset(chars)


def decode(data: bytes) -> str:
    """Decode a scraped page: BOM, then UTF-8, then a declared charset, then GB18030 vs Big5.

    Chinese pages come in UTF-8 (with or without BOM), GBK/GB18030 or Big5. UTF-8 is tried
    strictly first (other encodings rarely decode as valid UTF-8); then a ``<meta charset>`` if
    it decodes cleanly; else GB18030 and Big5 are both tried and the reading that looks more
    like Chinese (common characters, Chinese punctuation, no private-use or bopomofo noise)
    wins. Undecodable bytes never raise: they become U+FFFD.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET_RE.search(data[:4096])
    if m:
        codec = _CHARSET_ALIASES.get(m.group(1).decode("ascii", "replace").lower())
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass
    candidates: list[tuple[float, int, str]] = []
    for rank, codec in enumerate(("gb18030", "big5hkscs")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        candidates.append((_decode_score(text), -rank, text))
    if candidates:
        return max(candidates)[2]
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            return str(best)
    except Exception:  # charset-normalizer is a best effort; fall through to a lossy decode
        pass
    return data.decode("utf-8", errors="replace")


_HTML_RE = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|p|div|br|article|section|span|h[1-6]|table|meta)\b", re.I)


def looks_like_html(text: str) -> bool:
    """True if ``text`` holds HTML markup (a scraped page saved raw)."""
    return bool(_HTML_RE.search(text[:20000]))


def read_page(path: str | os.PathLike[str]) -> str:
    """Read a scraped page into plain text, one block per line.

    Plain text is returned as decoded (newlines normalised). HTML goes through
    :func:`html_to_text`: a real parser, the main content only, never raw markup.
    """
    return read_structured(path).text


def read_structured(path: str | os.PathLike[str]) -> Page:
    """Read a scraped page as a :class:`Page`: its text plus, for HTML, hints and titles."""
    data = Path(path).read_bytes()
    text = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if looks_like_html(text):
        return html_to_page(text)
    return Page(text)


def clean_page(page: Page, *, check_readings: bool = False, keep_punctuation: bool = False) -> Cleaned:
    """Clean a :class:`Page`, passing on what its markup said (see :func:`yuedu.clean.clean`)."""
    return clean(page.text, check_readings=check_readings, keep_punctuation=keep_punctuation,
                 hints=page.hints or None, titles=page.titles)


# ---------------------------------------------------------------------------------------------
# HTML -> main content text

#: Elements that never hold article text.
_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "form", "button",
    "input", "select", "textarea", "nav", "aside", "object", "embed", "audio", "video", "map",
)
#: Class/id words of page chrome; matched against whole words of class and id attributes.
_CHROME_WORDS = {
    "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs",
    "sidebar", "side", "aside", "widget", "comment", "comments", "reply", "respond", "share",
    "sharing", "social", "related", "recommend", "recommended", "footer", "foot", "copyright",
    "advert", "advertisement", "ads", "ad", "banner", "toolbar", "login", "popup", "modal",
    "cookie", "subscribe", "qrcode", "hot", "rank", "ranking", "pager", "pagination", "print",
    "tags", "topbar", "masthead", "sitenav", "gotop", "backtop",
}
_WORD_RE = re.compile(r"[a-z]+")
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "li", "ul", "ol", "dl", "dt", "dd", "figure", "figcaption", "blockquote", "pre", "table",
    "tr", "td", "th", "tbody", "thead", "caption", "center", "address", "hr", "br", "body",
}
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SENTENCE_PUNCT = set("。！？，；")


def _chrome(el) -> bool:
    """True if the element's class or id names page chrome (nav, comments, share bar…)."""
    attrs = f"{el.get('class', '')} {el.get('id', '')}".lower()
    return bool(_CHROME_WORDS.intersection(_WORD_RE.findall(attrs)))


def _collapse(text: str) -> str:
    """Collapse HTML whitespace the way a browser renders Chinese text.

    A line break between two wide characters disappears (CSS segment-break rules for East
    Asian text), so a paragraph wrapped in the source is not cut; other runs of ASCII
    whitespace become one space. Ideographic spaces (U+3000) are content and stay.
    """
    text = re.sub(r"(?<=[^\x00-\x7f])[ \t]*\n[ \t\n]*(?=[^\x00-\x7f])", "", text)
    return re.sub(r"[ \t\n\r\f]+", " ", text)


def _html_title(doc) -> str | None:
    """The page's headline: an ``<h1>`` that agrees with ``og:title``/``<title>``, else those.

    A site's logo is often an ``<h1>`` too: one that the page's own titles do not contain
    loses to them.
    """
    h1s = [t for t in (_collapse(h.text_content()).strip() for h in doc.iter("h1")) if HAN_RE.search(t)]
    og = next((_collapse(m.get("content") or "").strip() for m in doc.iter("meta")
               if (m.get("property") or m.get("name") or "").lower() in ("og:title", "twitter:title")
               and (m.get("content") or "").strip()), None)
    page_title = next((_collapse(t.text_content()).strip() for t in doc.iter("title")), "")
    parts = [p.strip() for p in re.split(r"\s+[-|–—_]\s+|_|\|", page_title) if p.strip()]
    metas = [t for t in (og, page_title) if t]
    for h in h1s:
        if any(h in m or m in h for m in metas):
            return h
    if og:
        return og
    if parts and h1s:
        # The first part of <title>, if the page shows it; else the first <h1>.
        shown = any(_collapse(el.text_content()).strip() == parts[0] for el in doc.iter() if isinstance(el.tag, str)
                    and el.tag not in ("title", "html", "head", "body") and len(el) == 0)
        return parts[0] if shown else h1s[0]
    if h1s:
        return h1s[0]
    return parts[0] if parts else None


#: Class words of inline metadata that deserves a line of its own (a byline next to a date).
_FIELD_WORDS = {"author", "byline", "source", "date", "time", "pubtime", "editor", "reporter"}


class _Link(str):
    """Text of a link, kept apart so a line's share of link text can be measured."""


def _blocks(el, out: list[list], skip, hint: str | None = None) -> None:
    """Append the text of ``el`` to ``out`` as ``[hint, pieces...]`` lines: one per block and ``<br>``.

    The hint says what the markup made a line: ``<figcaption>`` a caption, ``<h2>``-``<h6>`` or
    a paragraph that is all bold a heading, ``<img>`` an image (its file name becomes a line, so
    a caption beside it is found as in plain text).
    """
    tag = el.tag if isinstance(el.tag, str) else ""
    inherited = hint
    if el in skip:
        if el.tail:
            out[-1].append(el.tail)
        return
    attrs = f"{el.get('class', '')} {el.get('id', '')}".lower() if tag else ""
    block = tag in _BLOCK_TAGS or bool(_FIELD_WORDS.intersection(_WORD_RE.findall(attrs)))
    if tag == "figcaption" or tag == "caption":
        hint = "caption"
    elif tag in _HEADING_TAGS and tag != "h1":
        hint = "heading"
    elif tag == "p" and len(el) == 1 and el[0].tag in ("strong", "b") and not (el.text or "").strip() \
            and not (el[0].tail or "").strip():
        hint = "heading"
    if tag == "a" and el.find(".//img") is None and not any(
            isinstance(d.tag, str) and d.tag in _BLOCK_TAGS for d in el.iterdescendants()):
        # Link text is marked, so a line that is mostly links can be told from a sentence.
        out[-1].append(_Link(el.text_content()))
        if el.tail:
            out[-1].append(el.tail)
        return
    if tag == "img":
        name = (el.get("src") or "").split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        if re.search(r"\.(?:jpe?g|png|gif|webp|bmp)$", name, re.I):
            out.append(["image", name])
            out.append([inherited])
        if el.tail:
            out[-1].append(el.tail)
        return
    if block or tag == "br":
        out.append([hint])
    if tag != "br" and el.text:
        out[-1].append(el.text)
    for child in el:
        _blocks(child, out, skip, hint)
    if block:
        out.append([hint if tag == "br" else inherited])
    if el.tail:
        out[-1].append(el.tail)


def _link_dense(el) -> bool:
    """True for a block that is mostly link text and holds no sentence outside its links."""
    han = len(HAN_RE.findall(el.text_content()))
    if han < 2:
        return False
    linked = sum(len(HAN_RE.findall(a.text_content())) for a in el.iter("a"))
    return linked * 10 >= han * 6


def _weight(el) -> int:
    """Han characters of article-like text under ``el``: blocks with sentences and few links."""
    total = 0
    for block in el.iter("p", "div", "td", "li", "section", "article", "blockquote", "pre"):
        own = "".join(
            [block.text or ""]
            + [(c.text_content() if c.tag not in _BLOCK_TAGS else "") + (c.tail or "") for c in block]
        )
        han = len(HAN_RE.findall(own))
        if han < 10 or not _SENTENCE_PUNCT.intersection(own):
            continue
        linked = sum(len(HAN_RE.findall(a.text_content())) for a in block.iter("a"))
        if linked * 2 > han:
            continue
        total += han
    return total


#: Elements between the headline and the content whose text is the article's header (credits, dates).
_HEADER_TAGS = ("p", "div", "span", "address", "time", "td", "font", "em", "small", "li")


@dataclass
class Page:
    """A page read for cleaning: text lines, what the markup said each line is, its own titles."""

    text: str
    hints: list[str | None] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)


def html_to_text(html: str) -> str:
    """Extract an HTML page's article as plain text lines: title, header lines, body blocks."""
    return html_to_page(html).text


def _html_titles(doc) -> list[str]:
    """The page's own titles: ``<h1>``, ``og:title``, ``<title>`` (each once, in that order)."""
    found: list[str] = []
    for h1 in doc.iter("h1"):
        found.append(_collapse(h1.text_content()).strip())
    for meta in doc.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() in ("og:title", "twitter:title"):
            found.append(_collapse(meta.get("content") or "").strip())
    for t in doc.iter("title"):
        found.append(_collapse(t.text_content()).strip())
    out: list[str] = []
    for t in found:
        if t and HAN_RE.search(t) and t not in out:
            out.append(t)
    return out


def html_to_page(html: str) -> Page:
    """Extract an HTML page's article: lines with hints from the markup, and the page's titles.

    The page is parsed with lxml; scripts, navigation, forms, elements whose class or id names
    page chrome (comments, share bars, sidebars…) and blocks that are mostly links are dropped;
    ``<ruby>`` readings become inline ``字(zì)`` annotations (so the cleaner removes and reports
    them). The main content is the smallest element holding nearly all of the page's sentence
    text, which keeps an article split over several sibling ``<div>``s whole. The headline
    (``<h1>``) and the lines between it and the content (credits, dates) come first.
    """
    import lxml.etree
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return Page("")
    for node in list(doc.iter(lxml.etree.Comment, lxml.etree.ProcessingInstruction)):
        node.drop_tree() if hasattr(node, "drop_tree") else node.getparent().remove(node)
    titles = _html_titles(doc)
    title = _html_title(doc)
    for el in list(doc.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    for rp in list(doc.iter("rp")):
        rp.drop_tree()
    for rt in doc.iter("rt"):
        rt.text = f"({_collapse(rt.text_content()).strip()})"
        for child in list(rt):
            rt.remove(child)
    body = doc.find("body")
    if body is None:
        body = doc
    page_weight = max(_weight(body), 1)
    for el in list(body.iter()):
        if el is body or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        # A chrome-named wrapper around most of the article (class="main-nav-layout") is kept.
        if _chrome(el) and _weight(el) * 2 < page_weight:
            el.drop_tree()
    # Blocks made of links (menus, lists of other articles) are chrome wherever they sit.
    for el in list(body.iter("ul", "ol", "dl", "table", "tr", "li", "p", "div", "td", "span", "section")):
        if el.getparent() is not None and el.find(".//h1") is None and _link_dense(el):
            el.drop_tree()

    page_weight = _weight(body)
    root = body
    while True:
        heavy = [c for c in root if isinstance(c.tag, str) and _weight(c) >= 0.85 * page_weight]
        if len(heavy) != 1 or page_weight == 0:
            break
        root = heavy[0]

    h1 = next((h for h in doc.iter("h1") if title and _collapse(h.text_content()).strip() == title), None)
    if h1 is None and title:
        # No <h1>: the headline is the element that holds exactly the title (a table cell, a div).
        h1 = next((el for el in body.iter() if isinstance(el.tag, str) and el.tag not in ("a", "title")
                   and len(el) == 0 and _collapse(el.text_content()).strip() == title), None)
    lines: list[list] = [["title", title]] if title else []
    # Lines between the headline and the content (credits, dates) belong to the article's header.
    if h1 is not None and root is not body:
        started = False
        taken: set = set()
        for el in body.iter():
            if el is h1:
                started = True
                continue
            if el is root:
                break
            if not started or el in taken or not isinstance(el.tag, str) or el.tag not in _HEADER_TAGS:
                continue
            # A line of inline pieces (<span>日期</span> <span>作者</span>) is one header line.
            if any(isinstance(d.tag, str) and d.tag in _BLOCK_TAGS and d.tag != "br" for d in el.iterdescendants()):
                continue
            taken.update(el.iterdescendants())
            text = _collapse(el.text_content()).strip()
            if 0 < len(text) <= 80:
                lines.append([None, text])
    out: list[list] = [[None]]
    _blocks(root, out, skip={h1} if h1 is not None else set())
    lines.extend(out)
    text_lines: list[str] = []
    hints: list[str | None] = []
    for hint, *parts in lines:
        line = _collapse("".join(parts)).strip()
        if line:
            han = len(HAN_RE.findall(line))
            linked = sum(len(HAN_RE.findall(p)) for p in parts if isinstance(p, _Link))
            if han and linked * 2 >= han and not _SENTENCE_PUNCT.intersection(
                    "".join(p for p in parts if not isinstance(p, _Link))):
                hint = "chrome"  # "相关阅读：<a>…</a>": a line that is mostly a link
            text_lines.append(line)
            hints.append(hint)
    return Page("\n".join(text_lines), hints, titles)


# ---------------------------------------------------------------------------------------------
# Output


def to_json(cleaned: Cleaned) -> dict:
    """Return the cleaned article as plain data (keys exactly as documented)."""
    return {
        "title": cleaned.title,
        "byline": cleaned.byline,
        "captions": list(cleaned.captions),
        "headings": list(cleaned.headings),
        "paragraphs": list(cleaned.paragraphs),
    }


_MD_LEADING_RE = re.compile(r"^(#{1,6}\s|>|[-*+]\s|\d+[.)]\s|={3,}|-{3,}|`{3,}|~{3,})")


def _md_escape(text: str) -> str:
    """Escape what Markdown would read as markup, so the Chinese text renders as written."""
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)  # "<" stays: articles never carry raw HTML
    m = _MD_LEADING_RE.match(text)
    if m:
        text = "\\" + text if not text[0].isdigit() else re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return text


def to_markdown(cleaned: Cleaned, *, date: str, source: str | None = None) -> str:
    """Write a draft article in the ``docs/authoring.md`` format (no ``en:`` blocks yet).

    Front matter is YAML from :func:`yaml.safe_dump` (quotes what needs quoting). A page with no
    title gets the first heading or the start of the first paragraph, flagged in ``title_check``
    like a title that failed the check.
    """
    _check_date(date)
    title = cleaned.title
    check = cleaned.title_check
    if not title:
        first = next((t for k, t in cleaned.blocks if k == "heading"), None) or next(
            (t for k, t in cleaned.blocks), "无题"
        )
        title = re.split(r"[。！？，,]", first)[0][:30] or "无题"
        check = "the page has no title that fits this article; this one was taken from the body: write the real one"
    meta: dict[str, object] = {"title": title, "date": date}
    if cleaned.byline:
        meta["byline"] = cleaned.byline
    meta["source"] = source or "A page scraped from the web, imported for study; translation to come."
    if check:
        meta["title_check"] = check
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    front += _reading_suggestions(cleaned)
    body = []
    for kind, text in cleaned.blocks:
        if kind == "heading":
            body.append(f"## {_md_escape(text)}")
        elif kind == "caption":
            body.append(f"caption: {_md_escape(text)}")
        else:
            body.append(_md_escape(text))
    return f"---\n{front}---\n\n" + "\n\n".join(body) + "\n"


def _reading_suggestions(cleaned: Cleaned) -> str:
    """Front-matter comment lines offering the page's own pinyin where the engine reads otherwise.

    Uncommenting ``readings:`` and a line makes the page's reading an override (the format of
    ``readings:`` in ``docs/authoring.md``); the page is sometimes wrong, so nothing is applied.
    Annotations without any tone are not offered: they say too little.
    """
    from yuedu.clean import split_syllables
    from yuedu.overrides import PinyinError, check_reading
    from yuedu.reading import tone_of

    lines: list[str] = []
    seen: set[str] = set()
    for word, page, engine in cleaned.report.disagreements:
        syllables = split_syllables(word, page)
        if word in seen or not syllables or not re.search(r"[^\x00-\x7f]|[1-4]", page):
            continue
        # In a page that marks tones, an unmarked syllable is the neutral tone: written ``zhe5``
        # (a toneless syllable in ``readings:`` is an error); erhua ``r`` has no tone.
        syllables = [s + "5" if tone_of(s) == 5 and not s[-1].isdigit() and s != "r" else s for s in syllables]
        try:
            check_reading(word, " ".join(syllables))
        except PinyinError:
            continue
        seen.add(word)
        lines.append(f"#   {word}: {' '.join(syllables)}    # the engine reads {engine}")
    if not lines:
        return ""
    head = [
        "# The page's own pinyin differs from the reading engine here. To use the page's reading,",
        "# uncomment `readings:` and the line (the page is sometimes wrong: check); delete the rest.",
        "# readings:",
    ]
    return "\n".join(head + lines) + "\n"


def _check_date(date: str) -> None:
    try:
        _dt.date.fromisoformat(date)
    except (TypeError, ValueError):
        raise YueduError(f"date {date!r} is not YYYY-MM-DD") from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise YueduError(f"date {date!r} is not YYYY-MM-DD")


def format_report(cleaned: Cleaned) -> str:
    """Describe what cleaning did, for stderr: counts, then warnings and what to check."""
    r = cleaned.report
    lines = [
        f"paragraphs kept: {r.paragraphs_kept}; headings: {len(cleaned.headings)}; captions: {len(cleaned.captions)};"
        f" byline: {cleaned.byline or '-'}",
        f"duplicates removed: {r.duplicates_removed}; annotations removed: {r.annotations_removed};"
        f" boilerplate lines removed: {r.boilerplate_removed};"
        f" punctuation made full width: {r.punctuation_changed}",
    ]
    if r.annotations:
        shown = ", ".join(f"{w}({a})" if w else f"[pinyin line] {a[:30]}" for w, a in r.annotations[:12])
        more = f" … and {len(r.annotations) - 12} more" if len(r.annotations) > 12 else ""
        lines.append(f"annotations: {shown}{more}")
    if r.boilerplate:
        lines.append("boilerplate: " + " / ".join(r.boilerplate[:10]) + (" / …" if len(r.boilerplate) > 10 else ""))
    for word, page, engine in r.disagreements:
        lines.append(f"reading: the page reads {word} as {page}, the engine as {engine}")
    for w in r.warnings:
        lines.append(f"warning: {w}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Slugs and writing

_SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")


def slugify(text: str) -> str:
    """An ASCII slug: Han characters as toneless pinyin, other letters lowercased, '-' between.

    Returns "" when nothing usable is left.
    """
    from pypinyin import lazy_pinyin

    parts = []
    for piece in re.split(r"([^\x00-\x7f]+)", text):
        if HAN_RE.search(piece):
            parts.extend(p for p in lazy_pinyin(piece, errors="ignore") if p.isascii())
        else:
            parts.append(piece)
    slug = re.sub(r"[^a-z0-9]+", "-", " ".join(parts).lower()).strip("-")
    return slug[:80].strip("-")


def _default_slug(path: Path, cleaned: Cleaned) -> str:
    """From the file name, unless it is a machine name (digits, hashes) and the title is trusted."""
    stem = slugify(path.stem)
    machine = not re.search(r"[a-z]{3}", re.sub(r"[0-9a-f]{6,}", "", stem))
    if (not stem or machine) and cleaned.title and not cleaned.title_check:
        from_title = slugify(cleaned.title)
        words = from_title.split("-")[:8]
        if words and words[0]:
            return "-".join(words)
    return stem or "article"


def import_page(
    path: str | os.PathLike[str],
    content_dir: str | os.PathLike[str],
    *,
    slug: str | None = None,
    force: bool = False,
    date: str | None = None,
    check_readings: bool = False,
    keep_punctuation: bool = False,
) -> tuple[Path, Cleaned]:
    """Read, clean and write ``content_dir/<slug>.md``; return the path and the cleaned article.

    Never overwrites an existing article unless ``force``. The file appears whole or not at all
    (written to a private temporary file in the same folder, then linked or renamed into
    place), so several imports can run at once. ``check_readings`` compares the page's
    annotations with the reading engine (see :func:`yuedu.clean.clean`).
    """
    src = Path(path)
    if not src.is_file():
        raise YueduError(f"{src}: no such file")
    cleaned = clean_page(read_structured(src), check_readings=check_readings, keep_punctuation=keep_punctuation)
    if slug is None:
        slug = _default_slug(src, cleaned)
    elif not _SLUG_RE.match(slug):
        raise YueduError(
            f"slug {slug!r} is not usable: use lowercase ASCII letters, digits and '-' (e.g. xiangxiang-goes-green)"
        )
    date = date or _dt.date.today().isoformat()
    text = to_markdown(cleaned, date=date, source=f"Scraped page {src.name}, imported for study; translation to come.")
    folder = Path(content_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{slug}.md"
    if target.exists() and not force:
        raise YueduError(f"{target} already exists; choose another --slug or pass --force to overwrite it")
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{slug}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        if force:
            os.replace(tmp, target)
        else:
            try:
                # link() fails if the target exists: no window in which a concurrent import
                # could be overwritten between the check above and the write.
                os.link(tmp, target)
            except FileExistsError:
                raise YueduError(
                    f"{target} already exists; choose another --slug or pass --force to overwrite it"
                ) from None
            except OSError:  # a file system without hard links: exclusive create instead
                try:
                    with open(target, "x", encoding="utf-8", newline="\n") as fh:
                        fh.write(text)
                except FileExistsError:
                    raise YueduError(
                        f"{target} already exists; choose another --slug or pass --force to overwrite it"
                    ) from None
    finally:
        tmp.unlink(missing_ok=True)
    return target, cleaned
