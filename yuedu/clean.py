"""Scraped text -> a clean article: annotations, duplicates and boilerplate removed, structure found.

The Chinese text itself is kept exactly. The only changes are whitespace at line ends, inline
pinyin annotations that are removed (``新(xīn)动能`` -> ``新动能``), and whole lines that are
dropped (repeated copies, page chrome); every dropped line is listed in the report, so a reader
can check that no sentence was lost.

The rules are general (shapes of lines, the pinyin inventory, readings of characters); nothing
here knows any particular page. The pipeline, one stage per function:

1. :func:`_split_segments` - physical lines, with paragraphs run together on one line split
   apart at the cues a scraper leaves (whitespace after a sentence end, ideographic indentation);
2. :func:`remove_annotations` - inline pinyin after words and characters;
3. :func:`_boilerplate_reason` - page chrome, and the tail of related links and comments;
4. title, duplicates and the title glued to the front of another line;
5. byline, captions, headings and paragraphs;
6. the title check.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from yuedu.reading import HAN, HAN_RE, is_han

#: The kinds of body block, in the order :attr:`Cleaned.blocks` may hold them.
KINDS = ("paragraph", "heading", "caption")

# ---------------------------------------------------------------------------------------------
# Result types


@dataclass
class Report:
    """What cleaning removed and what a human should look at.

    Every removed line is kept verbatim (``duplicates``, ``boilerplate``), so nothing disappears
    silently; ``annotations`` holds ``(word, annotation)`` pairs from the kept text, e.g.
    ``("新", "xīn")``.
    """

    paragraphs_kept: int = 0
    duplicates: list[str] = field(default_factory=list)
    annotations: list[tuple[str, str]] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: ``(word, page's annotation, engine's reading)`` where the two differ; filled only by
    #: ``clean(text, check_readings=True)``.
    disagreements: list[tuple[str, str, str]] = field(default_factory=list)
    #: Half-width ``, : ; ? !`` in Chinese text made full width in the kept text (print style).
    punctuation_changed: int = 0

    @property
    def duplicates_removed(self) -> int:
        """Number of dropped repeated lines (body copies, title copies)."""
        return len(self.duplicates)

    @property
    def annotations_removed(self) -> int:
        """Number of inline annotations removed from the kept text."""
        return len(self.annotations)

    @property
    def boilerplate_removed(self) -> int:
        """Number of dropped page-chrome lines."""
        return len(self.boilerplate)

    def as_dict(self) -> dict:
        """Return the report as plain data (for ``--json`` or logs)."""
        return {
            "paragraphs_kept": self.paragraphs_kept,
            "duplicates_removed": self.duplicates_removed,
            "annotations_removed": self.annotations_removed,
            "boilerplate_removed": self.boilerplate_removed,
            "duplicates": list(self.duplicates),
            "annotations": [list(p) for p in self.annotations],
            "boilerplate": list(self.boilerplate),
            "warnings": list(self.warnings),
            "disagreements": [list(d) for d in self.disagreements],
            "punctuation_changed": self.punctuation_changed,
        }


@dataclass
class Cleaned:
    """A cleaned article: metadata, the body blocks in reading order, and the report.

    ``captions``, ``headings`` and ``paragraphs`` are ``blocks`` filtered by kind; ``blocks``
    is what a writer uses to keep the reading order.
    """

    title: str | None
    byline: str | None
    captions: list[str]
    headings: list[str]
    paragraphs: list[str]
    blocks: list[tuple[str, str]] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    title_check: str | None = None

    @classmethod
    def from_blocks(
        cls,
        title: str | None,
        byline: str | None,
        blocks: list[tuple[str, str]],
        report: Report,
        title_check: str | None = None,
    ) -> Cleaned:
        """Build a :class:`Cleaned` whose per-kind lists agree with ``blocks``."""

        def of(kind: str) -> list[str]:
            return [text for k, text in blocks if k == kind]

        return cls(title, byline, of("caption"), of("heading"), of("paragraph"), list(blocks), report, title_check)


# ---------------------------------------------------------------------------------------------
# Character classes and vocabulary

#: Punctuation that ends a sentence (ASCII ! and ? only count after a Han character).
_SENTENCE_END = "。！？…"
#: Closing quotes and brackets that may follow a sentence end and still belong to it.
_CLOSERS = "”’」』）)》〉】〕"
_OPENERS = "“‘「『（(《〈【〔"
#: A line ending with one of these is a sentence, not a heading.
_FINAL_PUNCT = set("。！？!?；;：:，,、…—～~")

#: Whitespace a scraper leaves between paragraphs it ran together: any run after a sentence end,
#: or indentation (two U+3000 or two no-break spaces) / a tab anywhere.
_INDENT_RE = re.compile(r"\u3000{2,}|\xa0{2,}|\t+")

_WS_RE = re.compile(r"\s+")


def _han_count(text: str) -> int:
    return len(HAN_RE.findall(text))


#: Simplified -> traditional forms (mainland, Taiwan, Hong Kong) of the characters in the
#: boilerplate and credit vocabulary below, generated once with OpenCC. Vocabulary is written in
#: simplified characters; traditional pages use the same words in their own script, and the page
#: itself is never converted.
_TRADITIONAL = {
    pair[0]: pair[1:]
    for pair in (
        "与與 两兩 为為爲 举舉 习習 们們 众眾衆 体體 关關 册冊 写寫 击擊 制製 区區 华華 参參 发發 台臺 号號"
        " 后後 员員 图圖 声聲 复復複 审審 对對 导導 布佈 开開 当當 录錄 户戶 扫掃 抢搶 报報 摄攝 数數 无無"
        " 时時 暂暫 权權 条條 来來 标標 欢歡 浏瀏 点點 热熱 监監 码碼 确確 筹籌 纠糾 约約 终終 经經 统統"
        " 电電 维維 编編 网網 荐薦 见見 览覽 认認 讯訊 记記 许許 论論 评評 说說説 请請 读讀 责責 资資 赞贊 转轉"
        " 载載 辑輯 采採 链鏈 错錯 键鍵 门門 闭閉 间間 闻聞 阅閱閲 页頁 顶頂 题題 应應 业業 术術 刊 稿"
    ).split()
}


def _alt(words: Iterable[str]) -> str:
    """Regex alternation of ``words``, each character also matching its traditional forms."""

    def pattern(word: str) -> str:
        return "".join(f"[{c}{_TRADITIONAL[c]}]" if _TRADITIONAL.get(c) else re.escape(c) for c in word)

    return "|".join(pattern(w) for w in sorted(set(words), key=len, reverse=True))


# ---------------------------------------------------------------------------------------------
# Pinyin annotations

_TONE_MARKS = "\u0300\u0301\u0304\u030c"  # grave, acute, macron, caron (after NFD)
#: Characters a pinyin annotation may contain (tone marks as precomposed letters).
_PINYIN_SHAPED_RE = re.compile(r"^[a-zA-Z\u00c0-\u024f\u1e3f\u01f9:'’\-\s1-5]+$")
#: Syllables too short or odd to trust as annotations (interjections); excluded so that
#: ``n``/``m``/``ng`` never split a real syllable.
_RARE_SYLLABLES = {"m", "n", "ng", "hm", "hng", "ê", "ňg"}

#: An opening parenthesis or bracket (ASCII or full width), content without any, a closing one.
_PAREN_RE = re.compile(r"[(（\[【〔［{｛]([^()（）\[\]【】〔〕［］{}｛｝\n]{1,80})[)）\]】〕］}｛｝]")
#: Pinyin written straight after the characters, without brackets: ``记者jìzhě``, ``记者 jì zhě``,
#: ``记者/jìzhě/``. Only runs that carry tone marks or tone digits are considered.
_BARE_PINYIN_RE = re.compile(
    r"(?P<sep>[ \u00a0/]?)(?P<py>[a-zü\u00e0-\u01dc\u1e3f\u01f9'’]+[1-5]?(?:[ '’\-]?[a-zü\u00e0-\u01dc\u1e3f\u01f9]+[1-5]?)*)(?P<end>/?)"
)
_TONED_RE = re.compile(r"[\u00e0-\u00fc\u0101-\u01dc\u1e3f\u01f9]|[a-zü][1-5]")


def _plain(syllable: str) -> str:
    """Drop tone marks and fold ü to v: ``lǜ`` -> ``lv``, ``Zhōng`` -> ``zhong``."""
    decomposed = unicodedata.normalize("NFD", syllable.lower().replace("u:", "ü"))
    stripped = "".join(c for c in decomposed if c not in _TONE_MARKS)
    return unicodedata.normalize("NFC", stripped).replace("ü", "v")


@functools.cache
def _inventory() -> frozenset[str]:
    """All toneless syllables pypinyin knows (about 420), plus erhua ``r``."""
    from pypinyin.pinyin_dict import pinyin_dict

    syllables = {_plain(r) for v in pinyin_dict.values() for r in v.split(",")}
    syllables -= {_plain(s) for s in _RARE_SYLLABLES}
    # "ju/qu/xu/yu" are written with u but are ü; accept both spellings for l/n too.
    syllables |= {"lu:", "nu:", "r"}
    return frozenset(s for s in syllables if s.isascii() and s.isalpha())


@functools.cache
def _readings(char: str) -> frozenset[str]:
    """Toneless readings of one Han character (all heteronyms); empty if pypinyin has none."""
    from pypinyin.pinyin_dict import pinyin_dict

    raw = pinyin_dict.get(ord(char))
    if not raw:
        return frozenset()
    out = {_plain(r) for r in raw.split(",")}
    if "er" in out:
        out.add("r")  # erhua written as a bare r: 一点儿(yìdiǎnr)
    # pypinyin writes ü as v after l/n only; sites sometimes write lu for lü.
    out |= {r.replace("v", "u") for r in out}
    return frozenset(out)


def _syllable_tokens(content: str) -> list[str] | None:
    """Split annotation content into runs that each hold whole syllables.

    Spaces, apostrophes, hyphens and tone digits separate runs (``ji4zhe3`` -> ``ji``, ``zhe``).
    Returns None if the content is not pinyin-shaped: uppercase letters (``(AI)``, ``(Apple)``)
    are never annotations, nor are non-Latin letters.
    """
    content = content.strip()
    if not content or not _PINYIN_SHAPED_RE.match(content):
        return None
    if any(c.isupper() for c in content):
        # Names are capitalised (王海波(Wáng Hǎibō)); English is too (AI, Apple, Beijing) but
        # never carries tones, so capitals pass only with tone marks or digits, first letter only.
        words = [w for w in re.split(r"[\s'’\-]+", content) if w]
        if not _TONED_RE.search(content.lower()) or any(any(c.isupper() for c in w[1:]) for w in words):
            return None
        content = content.lower()
    plain = _plain(content)
    if not plain.replace("v", "").replace(":", "").strip(" '’-12345\t"):
        return None
    tokens = [t for t in re.split(r"[\s'’\-1-5]+", plain.replace("u:", "v")) if t]
    if not tokens or any(not t.isascii() or not t.isalpha() for t in tokens):
        return None
    return tokens


def _annotation_target(before: str, content: str) -> tuple[str | None, bool]:
    """Decide whether ``(content)`` right after ``before`` is an inline pinyin annotation.

    The content must cut into pinyin syllables, one per character of the Han word that ends
    ``before``, each (toneless) a reading of its character; a character pypinyin cannot read
    matches any syllable. Sites get the odd reading wrong, so one slip in three syllables is
    allowed - none in a word of one or two characters, which is what keeps ``(ai)`` after 能 a
    real parenthesis.

    Returns ``(word, looks_like_pinyin)``: ``word`` is the annotated word (None when this is a
    real parenthesis); ``looks_like_pinyin`` is True when the content is made of pinyin
    syllables even though the readings did not match (worth a warning).
    """
    tokens = _syllable_tokens(content)
    if tokens is None:
        return None, False
    run = re.search(f"[{HAN}]+$", before)
    shaped = all(_segmentable(t) for t in tokens)
    if not run or not shaped:
        return None, shaped
    han = run.group()[-12:]  # no annotation in practice covers more than a dozen characters
    inventory = _inventory()
    text = "|".join(tokens)  # '|' marks a boundary the content itself forces (space, tone digit)
    size = len(han)

    @functools.cache
    def cost(start: int, j: int) -> int | None:
        """Fewest mismatches cutting ``text[start:]`` into j syllables read as ``han[size-j:]``."""
        if start < len(text) and text[start] == "|":
            return cost(start + 1, j)
        if start == len(text):
            return 0 if j == 0 else None
        if j == 0:
            return None
        readings = _readings(han[size - j])
        best: int | None = None
        for end in range(start + 1, min(len(text), start + 6) + 1):
            piece = text[start:end]
            if "|" in piece:
                break
            if piece not in inventory:
                continue
            rest = cost(end, j - 1)
            if rest is not None:
                total = rest + (0 if not readings or piece in readings else 1)
                best = total if best is None else min(best, total)
        return best

    letters = len(text) - text.count("|")
    choice: tuple[int, int] | None = None  # (mismatches, word length)
    for k in range(1, min(size, letters) + 1):
        c = cost(0, k)
        if c is not None and c <= k // 3 and (choice is None or c < choice[0]):
            choice = (c, k)
    if choice is None:
        return None, True
    return han[-choice[1]:], True


@functools.cache
def _segmentable(token: str) -> bool:
    """True if ``token`` can be cut into pinyin syllables at all."""
    inventory = _inventory()
    ok = [True] + [False] * len(token)
    for end in range(1, len(token) + 1):
        ok[end] = any(ok[start] and token[start:end] in inventory for start in range(max(0, end - 6), end))
    return ok[-1]


def remove_annotations(text: str) -> tuple[str, list[tuple[str, str]], list[str]]:
    """Remove inline pinyin annotations from one line.

    ``工人(gōngrén)们`` -> ``工人们``; ``记者(ji4zhe3)``, ``开（kai）``, doubled ``是(shi)(shi)`` and
    character-by-character ``湘(xiāng)乡(xiāng)`` likewise. Parentheses whose content is not
    pinyin matching the readings of the characters before them stay: ``(AI)``, ``(2023)``,
    ``（记者 王某）``. Whitespace between the word and its annotation goes with the annotation.

    Returns ``(text, [(word, annotation), ...], [warnings])``.
    """
    pairs: list[tuple[str, str]] = []
    warnings: list[str] = []
    for _ in range(3):  # removing one form can reveal another: 记者jìzhě(jìzhě)
        text, found, warned = _remove_annotations_once(text)
        pairs.extend(found)
        if not found:
            warnings = warned
            break
    return text, pairs, warnings


def _remove_annotations_once(text: str) -> tuple[str, list[tuple[str, str]], list[str]]:
    if not _PAREN_RE.search(text) and not _TONED_RE.search(text):
        return text, [], []
    out: list[str] = []
    pairs: list[tuple[str, str]] = []
    warnings: list[str] = []
    last = 0
    for m in _PAREN_RE.finditer(text):
        out.append(text[last:m.start()])
        last = m.start()
        # The word is judged against the text already cleaned, so a second annotation of the
        # same word ("(shi)(shi)") sees the word, not the first annotation.
        before = "".join(out)
        stripped = before.rstrip(" \u3000\xa0")
        word, shaped = _annotation_target(stripped, m.group(1))
        if word is None and _ZHUYIN_RE.match(m.group(1)) and HAN_RE.search(stripped[-1:] or " "):
            word = _zhuyin_target(stripped, m.group(1))
        if word is not None:
            out[:] = [stripped]
            pairs.append((word, m.group(1).strip()))
            last = m.end()
        elif shaped and HAN_RE.search(stripped[-1:] or " "):
            warnings.append(
                f"kept {m.group()!s} after {stripped[-4:]!r}: it looks like pinyin but does not"
                " match the readings of the characters before it"
            )
    out.append(text[last:])
    text = "".join(out)
    if _TONED_RE.search(text):
        text = _remove_bare_pinyin(text, pairs)
    return text, pairs, warnings


#: Zhuyin (bopomofo) annotations: ㄓㄨˋ, one syllable per character, tones ˊˇˋ˙.
_ZHUYIN_RE = re.compile(r"^\s*[\u3105-\u312f\u31a0-\u31bf][\u3105-\u312f\u31a0-\u31bfˊˇˋ˙\s]*$")
_ZHUYIN_SYLLABLE_RE = re.compile(r"˙?[\u3105-\u312f\u31a0-\u31bf]+[ˊˇˋ]?")


def _zhuyin_target(before: str, content: str) -> str | None:
    """The Han word a zhuyin annotation reads: as many characters as it has syllables."""
    count = len(_ZHUYIN_SYLLABLE_RE.findall(content))
    run = re.search(f"[{HAN}]+$", before)
    if not run or count == 0 or count > len(run.group()):
        return None
    return run.group()[-count:]


def _remove_bare_pinyin(text: str, pairs: list[tuple[str, str]]) -> str:
    """Remove tone-marked pinyin written right after its characters, without brackets."""
    out: list[str] = []
    last = 0
    for m in _BARE_PINYIN_RE.finditer(text):
        py = m.group("py")
        if not _TONED_RE.search(py) or m.start() == 0 or not is_han(text[m.start() - 1]):
            continue
        after = text[m.end():m.end() + 1]
        if after.isascii() and after.isalnum():
            continue
        out.append(text[last:m.start()])
        word, _ = _annotation_target("".join(out), py)
        end = m.end()
        if word is None:
            out.append(text[m.start():end])
        else:
            pairs.append((word, py))
            if m.group("sep").isspace():
                while end < len(text) and text[end] in " \u00a0":
                    end += 1  # "记者 jì zhě 来了": the spaces around the reading go with it
                if end < len(text) and not is_han(text[end]):
                    out.append(" ")
        last = end
    out.append(text[last:])
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Print-style punctuation

_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
#: Characters that make a neighbour "Chinese" for punctuation: Han, and Chinese quotes/brackets.
_CJK_NEIGHBOUR = f"{HAN}“”‘’「」『』（）《》〈〉【】"
_HALF_PUNCT_RE = re.compile(rf"(?<=[{_CJK_NEIGHBOUR}])[,:;?!](?=[{_CJK_NEIGHBOUR}])|(?<=[{HAN}])[?!](?=\s*$)")


def full_width_punctuation(text: str) -> tuple[str, int]:
    """Make half-width ``, : ; ? !`` between Chinese characters full width; count the changes.

    ``关停,而是`` -> ``关停，而是``; ``?`` and ``!`` after a Han character at the end of the
    text too. Digits and Latin text keep theirs (``10:30``, ``Hi, Li``); Han characters never
    change.
    """
    count = 0

    def swap(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return _FULL_WIDTH[m.group()]

    return _HALF_PUNCT_RE.sub(swap, text), count


# ---------------------------------------------------------------------------------------------
# Run-together paragraphs


def _split_segments(line: str) -> list[str]:
    """Split one physical line into paragraphs at the cues a scraper leaves.

    A break is whitespace after a sentence end (``。``, ``！``, ``？``, ``…``, optionally followed
    by closing quotes), or ideographic indentation / a tab anywhere - and never inside an open
    quotation or parenthesis, so a sentence is never cut. A line with no such cue stays whole.
    """
    cuts: list[tuple[int, int]] = []
    # An opener never closed on this line is a stray mark (")(本刊记者"), not an open quotation:
    # counting it would keep the line whole here but split it once the stray part is moved
    # away (cleaning the result again would then give another result).
    stack: list[int] = []
    for k, c in enumerate(line):
        if c in _OPENERS:
            stack.append(k)
        elif c in _CLOSERS and stack:
            stack.pop()
    stray = set(stack)
    depth = 0
    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if ch in _OPENERS and i not in stray:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
        if ch.isspace():
            j = i
            while j < n and line[j].isspace():
                j += 1
            run = line[i:j]
            prev = line[:i].rstrip(_CLOSERS)
            after_end = bool(prev) and (
                prev[-1] in _SENTENCE_END or (prev[-1] in "!?" and len(prev) > 1 and is_han(prev[-2]))
            )
            if 0 < i and j < n and depth == 0 and (after_end or _INDENT_RE.search(run)):
                cuts.append((i, j))
            i = j
            continue
        i += 1
    if not cuts:
        return _merge_credits([line])
    parts = []
    start = 0
    for a, b in cuts:
        parts.append(line[start:a])
        start = b
    parts.append(line[start:])
    parts = [p for p in (s.strip() for s in parts) if p]
    # A line holding several paragraphs is a flattened body: headings, captions and image
    # file names were run into it too.
    refined: list[str] = []
    for part in _merge_credits(parts):
        refined.extend(_split_flattened(part))
    return refined


#: A numbered heading's label: 一、 (一) 第一部分 1、 1.
_NUMBERED_RE = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]"
    r"|第[一二三四五六七八九十百\d]{1,3}[章节部分篇]|\d{1,2}\s*[、．](?!\d)|\d{1,2}\.(?!\d))"
)
#: A photographer's or agency's credit on its own: "林小雨 摄", "（新华社发）", "樊洛|摄".
_PHOTO_CREDIT = _alt(["摄", "摄影", "拍摄", "供图"])
_CREDIT_ONLY_RE = re.compile(rf"^[（(]?[^。！？，；]{{0,16}}?\s*[|｜丨/／]?\s*(?:{_PHOTO_CREDIT}|{_alt(['发'])})\s*[)）]?$")
_IMAGE_FILE_RE = re.compile(r"(?<![A-Za-z0-9_\-.%~/:])[A-Za-z0-9_\-.%~/:]+\.(?:jpe?g|png|gif|webp|bmp|tiff?)(?![A-Za-z0-9])", re.I)
_SOFT_PUNCT = "，。！？；：、,;:!?"


def _merge_credits(parts: list[str]) -> list[str]:
    """Glue a lone photo credit back onto the caption it was cut from (``…读书。 林小雨 摄``)."""
    out: list[str] = []
    for part in parts:
        prev = out[-1] if out else ""
        # Only after a caption-sized sentence: a credit-shaped line after a long paragraph is a
        # caption of its own ("湘乡全景 辜晋| 摄").
        if prev and _han_count(part) <= 10 and _CREDIT_ONLY_RE.match(part) and _han_count(prev) <= 40 \
                and sum(prev.count(c) for c in "。！？") <= 1:
            out[-1] = f"{prev} {part}"
        else:
            out.append(part)
    return out


def _split_flattened(part: str) -> list[str]:
    """Split a heading, a caption or an image file name off the front of a flattened paragraph."""
    m = _IMAGE_FILE_RE.search(part)
    if m and part.strip() != m.group():
        before, after = part[:m.start()].strip(), part[m.end():].strip()
        return [p for p in (*(_split_flattened(before) if before else []), m.group(), *(_split_flattened(after) if after else [])) if p]
    # A caption ending with its credit, then the paragraph: "湘乡全景 辜晋| 摄 “那段时间…"
    m = re.match(rf"^([^。！？]{{2,80}}?(?:{_PHOTO_CREDIT})\s*[)）]?)\s+(?=\S)", part)
    if m and _han_count(part[m.end():]) >= 8:
        return [m.group(1), *_split_flattened(part[m.end():])]
    label = _NUMBERED_RE.match(part)
    skip = label.end() if label else 0
    first_punct = next((i for i, ch in enumerate(part) if ch in _SOFT_PUNCT and i >= skip), len(part))
    spaces = [m for m in re.finditer(r"\s+", part[:first_punct]) if m.start() > skip]
    for sp in reversed(spaces):
        raw_head, rest = part[:sp.start()].strip(), part[sp.end():].strip()
        head = remove_annotations(raw_head)[0]  # judged without its pinyin: 营商(yíngshāng)沃土
        numbered = bool(_NUMBERED_RE.match(head))
        if (
            (numbered or _han_count(head) >= 4)
            and _han_count(head) <= 24
            and not re.search(r"[A-Za-z]", head)
            and not any(c in _FINAL_PUNCT for c in head[skip:])
            and (is_han(head[-1]) or head[-1] in _CLOSERS)
            and sum(head.count(c) for c in _OPENERS) == sum(head.count(c) for c in _CLOSERS)
            and _han_count(rest) >= 8
            and any(c in rest for c in "。！？")
            and not _is_byline(head)
        ):
            return [raw_head, rest]
    return [part]


# ---------------------------------------------------------------------------------------------
# Boilerplate


@functools.cache
def _boilerplate_res() -> dict[str, re.Pattern[str]]:
    """Compile the page-chrome patterns once (traditional forms included)."""
    tail = _alt(
        [
            "相关推荐", "相关阅读", "相关文章", "相关新闻", "相关链接", "延伸阅读", "推荐阅读", "猜你喜欢",
            "热门推荐", "精彩推荐", "热门文章", "热点推荐", "为你推荐", "更多精彩", "评论列表", "网友评论",
            "热门评论", "最新评论", "全部评论", "发表评论", "我要评论", "精彩评论", "留言板",
        ]
    )
    ui = _alt(
        [
            "欢迎", "欢迎您", "登录", "注册", "返回", "顶部", "返回顶部", "首页", "关闭", "关闭窗口", "更多",
            "点赞", "收藏", "分享", "分享到", "评论", "打印", "打印本页", "举报", "退出", "搜索", "确定",
            "取消", "提交", "发表", "回复", "纠错", "字号", "大", "中", "小", "默认", "微信", "微博", "QQ",
            "QQ空间", "朋友圈", "复制链接", "阅读原文", "点击", "展开", "收起", "全文", "查看更多", "加载更多",
        ]
    )
    credits = _alt(["责任编辑", "编辑", "校对", "审核", "监制", "统筹", "值班编辑", "审校", "终审", "一审", "二审", "三审"])
    meta = _alt(["来源", "发布时间", "发布日期", "发表时间", "更新时间", "时间", "日期", "浏览", "浏览次数", "阅读",
                 "阅读量", "阅读数", "点击", "点击数", "点击量", "字数", "原标题", "文章来源", "稿件来源"])
    comments = _alt(["暂无评论", "抢沙发", "发表评论", "条评论", "写评论", "登录后评论", "我来说两句",
                     "已有", "人参与", "网友评论", "发表你的看法", "评论区"])
    share = _alt(["分享到", "分享至", "一键分享", "打印本页", "关闭窗口", "返回顶部", "收藏本文", "【打印】",
                  "【关闭】", "字号：", "字号:", "扫一扫", "扫码", "二维码", "关注我们", "微信公众号", "官方微博",
                  "下载客户端", "客户端下载"])
    copyright_ = _alt(["版权所有", "版权声明", "未经授权", "未经许可", "转载请注明", "禁止转载", "免责声明",
                       "本网站", "本站所有", "All Rights Reserved", "Copyright", "©"])
    nav = _alt(["上一篇", "下一篇", "上一页", "下一页", "上一条", "下一条", "上篇", "下篇", "当前位置",
                "您的位置", "你的位置", "所在位置", "您当前的位置", "首页"])
    sep = r"[\s:：|｜丨/·•,，、\[\]【】()（）<>《》]"
    return {
        "tail": re.compile(rf"^[\s【\[]*(?:{tail})(?:[\s:：\d()（）条]*)[】\]]?\s*$", re.I),
        "ui": re.compile(rf"^(?:{sep}*(?:{ui}){sep}*)+$", re.I),
        "credits": re.compile(rf"^[\s【\[(（]*(?:{credits})\s*[:：/|｜丨]"),
        "meta": re.compile(rf"^[\s【\[(（]*(?:{meta})\s*[:：]"),
        # "2024-05-12 08:30 来源：晨光日报": a dateline with a meta field anywhere on it.
        "meta_inline": re.compile(rf"(?:^|\s)(?:{_alt(['来源', '发布时间', '发布日期', '发表时间', '更新时间', '浏览', '阅读', '点击', '字号'])})\s*[:：]"),
        "comments": re.compile(rf"(?:{comments})"),
        "share": re.compile(rf"(?:{share})"),
        "copyright": re.compile(rf"(?:{copyright_})", re.I),
        "nav": re.compile(rf"^[\s【\[]*(?:{nav})"),
        "crumbs": re.compile(r"^[^。！？，,]{1,12}(?:\s*(?:>|＞|»|›|→|/|-&gt;)\s*[^。！？，,]{1,16}){2,}$"),
        "date": re.compile(
            r"^[\s\[【(（]*\d{2,4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
            r"(?:\s*(?:星期.|周.))?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?[\s\]】)）]*$"
        ),
    }


#: A rights or opinion notice, also when written as a sentence ("转载请注明出处。").
_NOTICE_RE = re.compile(
    rf"(?:{_alt(['转载请', '请勿转载', '禁止转载', '谢绝转载', '版权所有', '版权归', '版权声明', '侵删', '如有侵权', '免责声明', '仅代表作者'])})"
    rf"|(?:{_alt(['未经'])}).{{0,8}}(?:{_alt(['授权', '许可', '同意'])})"
)
#: The mark that ends a news article: （完）, 【全文完】, (END). What follows is the page's tail.
_END_MARK_RE = re.compile(r"^[（(【\[]\s*(?:完|全文完|本文完|END)\s*[)）】\]]$", re.I)


def _boilerplate_reason(line: str) -> str | None:
    """Name the kind of page chrome ``line`` is, or None if it may be article text.

    Long lines are never chrome: the keyword tests below only apply to short standalone lines,
    so a sentence that mentions 评论 or 版权 is kept.
    """
    res = _boilerplate_res()
    han = _han_count(line)
    short = len(line) <= 60 and not any(c in line for c in "。！？")
    if res["tail"].match(line) or _END_MARK_RE.match(line):
        return "tail"
    if res["ui"].match(line) and han <= 20:
        return "ui"
    if _NOTICE_RE.search(line) and han <= 40 and len(line) <= 80 and line.count("。") <= 2:
        # "本文为原创，转载请注明出处。": a notice, even when written as a sentence.
        return "copyright"
    if not short:
        return None
    if res["nav"].match(line):
        return "nav"
    if res["credits"].match(line):
        return "credits"
    if (res["meta"].match(line) or res["meta_inline"].search(line)) and not _shape_res()["credit_colon"].search(line):
        return "meta"
    if res["comments"].search(line) and han <= 20:
        return "comments"
    if res["share"].search(line) and han <= 24:
        return "share"
    if res["copyright"].search(line):
        return "copyright"
    if res["crumbs"].match(line) and han <= 40:
        return "crumbs"
    if res["date"].match(line):
        return "date"
    return None


def _is_trailing_chrome(line: str) -> bool:
    """A lone word or two at the very end of a page ("欢迎", "返回"): never a sentence."""
    return _han_count(line) <= 2 and len(line) <= 4 and not any(c in line for c in "。！？")


def _is_body_like(line: str) -> bool:
    """A long line with sentence punctuation: article text, ending a tail region."""
    return _han_count(line) >= 50 and any(c in line for c in "。！？")


# ---------------------------------------------------------------------------------------------
# Line shapes


@functools.cache
def _shape_res() -> dict[str, re.Pattern[str]]:
    """Compile the byline and caption patterns once (traditional forms included)."""
    credit = _alt(
        [
            "本刊记者", "本报记者", "本台记者", "本网记者", "新华社记者", "中新社记者", "特约记者", "见习记者",
            "首席记者", "融媒体记者", "记者", "通讯员", "特约撰稿", "撰稿", "撰文", "作者", "采写", "文图",
            "文／图", "文/图", "本刊特约", "口述", "整理",
        ]
    )
    caption_start = _alt(["图为", "图片来源", "图片", "图：", "图:", "图/", "图／", "图｜", "图|", "资料图",
                          "摄影：", "摄影:", "摄影/", "供图", "▲", "△", "↑", "上图", "下图", "左图", "右图"])
    caption_end = _alt(["摄", "摄影", "供图", "图", "拍摄"])
    # An agency's release credit in parentheses: "（新华社发）", "（新华社发 张三摄）".
    return {
        # A publication's name may come first: "江城晚报记者 罗小满".
        "byline": re.compile(rf"^[（(【\[]?\s*(?:[^\s，。：:（()）]{{0,8}}?(?:{credit})|文\s*[/／|｜丨:：])"),
        "byline_end": re.compile(rf"(?:{_alt(['报道', '报导'])})\s*[)）】\]]?$"),
        "caption_start": re.compile(rf"^[（(【\[]?\s*(?:{caption_start})"),
        "caption_end": re.compile(rf"(?:(?:{caption_end})\s*[)）】\]]?|[（(][^()（）]{{1,16}}发[)）])$"),
        "shoot": re.compile(rf"(?:{_alt(['拍摄', '在摄', '摄制', '航拍'])})\s*[)）】\]]?$"),
        "credit_word": re.compile(rf"(?:{credit})"),
        "credit_colon": re.compile(rf"(?:{credit})\s*[:：]"),
    }


def _is_byline(line: str) -> bool:
    """A standalone credit line: ``本刊记者 X | Y报道``, ``记者 X 通讯员 Y``, ``文/X``."""
    if len(line) > 60 or any(c in line for c in "。！？；;"):
        return False
    res = _shape_res()
    if res["caption_end"].search(line) and not res["shoot"].search(line):
        return False  # "记者 X 摄" is a photo credit
    if res["byline"].match(line):
        # "记者从会上获悉" is a sentence: a credit keyword must be followed by a name, which in
        # practice means a separator (space, bar, colon) somewhere or a short line.
        return bool(re.search(r"[\s|｜丨:：/／]", line)) or _han_count(line) <= 8
    if res["credit_colon"].search(line):
        return True  # "2024-05-12 来源：晨光日报 作者：周小青": the credit is what matters
    if _LEAD_BYLINE_LINE_RE.match(line.strip()) and res["credit_word"].search(line):
        return True  # "本报讯（记者 王某 通讯员 李某）" on a line of its own
    return bool(res["byline_end"].search(line) and res["credit_word"].search(line))


def _is_caption(line: str) -> bool:
    """A photo caption: ``… | 摄``, ``…摄``, ``图为…``, kept whole with its credit."""
    if len(line) > 200:
        return False
    res = _shape_res()
    if res["caption_start"].match(line):
        return True
    if res["caption_end"].search(line) and not res["shoot"].search(line):
        # A caption ends with the credit; a sentence ending in 摄 without a final stop is rare.
        return line.rstrip(")）】] ")[-1:] != "图" or bool(re.search(r"[\s|｜丨/／]", line))
    return False


def _is_heading_shaped(line: str) -> bool:
    """A short standalone line with Han text and no sentence punctuation."""
    if not HAN_RE.search(line) or len(line) > 40 or _han_count(line) > 30:
        return False
    if any(c in line for c in "。！？；"):
        return False
    stripped = line.rstrip()
    return stripped[-1] not in _FINAL_PUNCT


# ---------------------------------------------------------------------------------------------
# Keys, duplicates, the glued title

_ANNOTATION_LIKE_RE = re.compile(r"[(（][a-z\u00e0-\u024f:'’\-\s1-5]*[)）]")


def _key(text: str) -> str:
    """Comparison key: width-folded, without whitespace or leftover lowercase parentheses.

    Two copies of the body that differ in annotations, spacing or punctuation width have the
    same key, even when one copy carries an annotation the remover did not recognise.
    """
    folded = unicodedata.normalize("NFKC", text)
    folded = _ANNOTATION_LIKE_RE.sub("", folded)
    return _WS_RE.sub("", folded).lower()


def _strip_prefix(line: str, prefix: str) -> str | None:
    """Return ``line`` without ``prefix`` (whitespace-insensitive), or None if it does not start so."""
    i = 0
    for ch in prefix:
        if ch.isspace():
            continue
        while i < len(line) and line[i].isspace():
            i += 1
        if i >= len(line) or line[i] != ch:
            return None
        i += 1
    return line[i:].strip()


# ---------------------------------------------------------------------------------------------
# The title check


def _bigrams(text: str) -> set[str]:
    runs = re.findall(f"[{HAN}]+", text)
    return {run[i:i + 2] for run in runs for i in range(len(run) - 1)}


def title_check(title: str | None, body: Iterable[str]) -> str | None:
    """Return a message when ``title`` shares too little with the body, else None.

    The measure is the share of the title's two-character sequences that occur in the body; a
    title that belongs to the article reuses its words (湘乡, 绿色, 工业基地), one scraped from a
    neighbouring article does not.
    """
    if not title:
        return None
    text = "\n".join(body)
    grams = _bigrams(title)
    # A short title is too little evidence: "山中的小学" over a text about 学校 and 老师 shares
    # no two-character sequence yet belongs to it.
    if len(grams) < 6 or _han_count(text) < 300:
        return None
    shared = sum(1 for g in grams if g in text)
    if shared / len(grams) >= 0.3:
        return None
    return (
        f"the title shares {shared} of its {len(grams)} two-character sequences with the body;"
        " it may belong to another article"
    )


# ---------------------------------------------------------------------------------------------
# The pipeline

#: Hints a structured source (HTML) gives a line: what its markup said it is.
HINTS = ("caption", "heading", "image", "chrome", "title")


@dataclass
class _Line:
    """One segment of the input on its way through the pipeline."""

    text: str
    annotations: list[tuple[str, str]]
    reason: str | None = None  # why it was dropped: "boilerplate:<kind>", "duplicate"
    kind: str | None = None  # "title", "byline", or one of KINDS
    hint: str | None = None  # from the markup: one of HINTS
    raw: str = ""  # the text before punctuation was made full width (reported if dropped)
    punctuation: int = 0  # half-width marks made full width in ``text``
    chrome: str | None = None  # the page-chrome shape of the line, if any
    sentence: bool = False  # reads like article text


# Structure of page chrome: shapes of lines, not their words.

_SEPARATOR_RE = re.compile(r"\s*[|｜丨>＞»›/／•·]\s*|\s{2,}|\u3000+")
_DATE_RE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}[:：]\d{2}(?:[:：]\d{2})?")
_COUNTER_RE = re.compile(r"[(（\[【]\s*\d[\d,.万kKwW+]*\s*[)）\]】]|[:：]\s*\d[\d,.万]*(?:\s|$)|\d[\d,.]*\s*[次条赞]")
_LONG_NUMBER_RE = re.compile(r"\d[\d\-—\s]{4,}\d|[A-Za-z]{2,}\d{5,}")
_URL_RE = re.compile(r"https?://|www\.|\.(?:com|cn|net|org)\b", re.I)
_LIST_ITEM_RE = re.compile(r"^(?:\d{1,2}(?:[.、．)）]|\s)|[①②③④⑤⑥⑦⑧⑨⑩]|[\[【(（]\d{1,2}[\]】)）]|TOP\s*\d)", re.I)


def _shape_reason(line: str) -> str | None:
    """Name the page-chrome shape of a single line (separators, counters, dates, numbers)."""
    han = _han_count(line)
    sentence = any(c in line for c in "。！？")
    if han == 0:
        return None if _IMAGE_FILE_RE.search(line) else "no-han"
    if sentence and han >= 12:
        return None
    if _URL_RE.search(line) and han <= 30:
        return "url"
    items = [p for p in _SEPARATOR_RE.split(line) if p.strip()]
    if len(items) >= 3 and all(_han_count(p) <= 10 for p in items) and not any(c in line for c in "，。！？"):
        return "separators"
    if "，" in line or "," in line:
        return None
    rest = _DATE_RE.sub("", line)
    if rest != line and _han_count(rest) <= 16:
        return "date"
    if _COUNTER_RE.search(line) and han <= 16:
        return "counter"
    if _LONG_NUMBER_RE.search(_DATE_RE.sub("", line)) and han <= 40:
        return "number"
    return None


def _chrome_reason(line: str) -> str | None:
    """Page chrome by shape, or by the few words chrome is made of (登录, 责任编辑, 相关推荐)."""
    return _boilerplate_reason(line) or _shape_reason(line)


def _is_image_line(line: str) -> bool:
    """A line holding an image file name and little else (``IMG_2034.jpg``, ``[图片] a.png``)."""
    m = _IMAGE_FILE_RE.search(line)
    return bool(m) and _han_count(line) <= 4 and not any(c in line for c in "。！？，")


def _is_pinyin_line(line: str) -> bool:
    """A line of pinyin only, printed above the characters it reads."""
    if HAN_RE.search(line) or not _TONED_RE.search(line):
        return False
    tokens = [t for t in re.split(r"[\s,.;:!?，。；：！？、“”‘’\"()（）]+", line) if t]
    if len(tokens) < 2 and len(line) < 8:
        return False
    return all((toks := _syllable_tokens(t)) is not None and all(_segmentable(x) for x in toks) for t in tokens)


def _is_sentence_line(line: str) -> bool:
    """Article text: enough characters and a sentence end (or a long clause with commas)."""
    han = _han_count(line)
    return (han >= 8 and any(c in line for c in "。！？")) or (han >= 25 and "，" in line)


def _mark_runs(lines: list[_Line]) -> None:
    """Mark runs of chrome shape: menus of very short lines, numbered lists of other titles."""
    n = len(lines)
    i = 0
    while i < n:
        j = i
        while j < n and _is_menu_item(lines[j].text):
            j += 1
        if j - i >= 3:
            for ln in lines[i:j]:
                ln.chrome = ln.chrome or "menu"
        i = max(j, i + 1)
    i = 0
    while i < n:
        j = i
        while j < n and _LIST_ITEM_RE.match(lines[j].text) and not _is_sentence_line(lines[j].text):
            j += 1
        if j - i >= 3:
            for ln in lines[i:j]:
                ln.chrome = ln.chrome or "list"
        i = max(j, i + 1)


def _is_menu_item(line: str) -> bool:
    return len(line) <= 8 and _han_count(line) <= 6 and not any(c in line for c in _SOFT_PUNCT) and not _NUMBERED_RE.match(line)


def _is_question_title(text: str) -> bool:
    """A headline ending in ？ or ！: one clause, short, no comma or full stop."""
    return (
        4 <= _han_count(text) <= 30 and text.rstrip("”’」』 ")[-1:] in "？！?!"
        and not any(c in text for c in "，。；,;") and sum(text.count(c) for c in "？！?!") <= 2
    )


def _title_parts(line: str) -> list[str]:
    """A line and, for "标题_网站" / "标题 - 网站" / "标题 | 网站", its parts."""
    parts = [p.strip() for p in re.split(r"\s+[-|–—_｜]\s+|_|\s*[|｜]\s*", line) if p.strip()]
    return [line] + [p for p in parts if p != line]


def _title_shaped(text: str) -> bool:
    han = _han_count(text)
    if han < 2 or len(text) > 50 or han > 40:
        return False
    if text.rstrip()[-1] in "。，,；;：:、" or "。" in text or text[0] in "—-－~～":
        return False  # a line led by a dash is a subtitle (——记…)
    return not _is_byline(text) and not _is_caption(text) and _chrome_reason(text) is None


def _choose_title(
    header: list[_Line], body: str, extra: list[str], first_body: int, byline_at: int | None
) -> str | None:
    """Choose the title among lines before the body and the page's own titles, by evidence.

    A candidate must be shaped like a title (not navigation, a date or a credit). Evidence:
    its two-character sequences found in the body, repetition at the top of the page, the
    page's markup (``<h1>``, ``og:title``, ``<title>``), and sitting right above the body.
    """
    grams_body = body
    seen: Counter[str] = Counter()
    for t in [ln.text for ln in header] + list(extra):
        for key in {_key(part) for part in _title_parts(t)}:
            seen[key] += 1
    best: tuple[float, int, str] | None = None
    shaped = [i for i, ln in enumerate(header) if ln.chrome is None and _title_shaped(ln.text)]
    first_live, last_live = (shaped[0], shaped[-1]) if shaped else (-1, -1)
    candidates: list[tuple[str, int, bool]] = [(t, -1, True) for t in extra]
    candidates += [(ln.text, i, False) for i, ln in enumerate(header) if ln.chrome is None or ln.kind == "title"]
    for text, pos, marked in candidates:
        if _is_byline(text) or _is_caption(text):
            continue  # nor is any part of a credit line a title
        for part in _title_parts(text):
            if not _title_shaped(part):
                continue
            grams = _bigrams(part)
            share = sum(1 for g in grams if g in grams_body) / len(grams) if grams else 0.0
            chars = set(HAN_RE.findall(part))
            char_share = sum(1 for c in chars if c in grams_body) / len(chars) if chars else 0.0
            repeated = seen[_key(part)] >= 2 or (pos >= 0 and seen[_key(text)] >= 2)
            adjacent = pos >= 0 and pos in (first_live, last_live)
            ok = (
                share >= 0.25
                or (repeated and (share >= 0.1 or _han_count(part) >= 8))
                or (marked and share >= 0.1)
                or adjacent
            )
            if not ok:
                continue
            score = share + 0.4 * repeated + 0.3 * marked + 0.2 * adjacent + 0.2 * (pos == first_live) + 0.2 * char_share
            score -= 0.1 * (part != text)  # a part of a line is weaker evidence than the line
            if best is None or score > best[0]:
                best = (score, pos, part)
    return best[2] if best else None


_LEAD_BYLINE_RE = re.compile(rf"^(.{{0,24}}?(?:{_alt(['讯', '电'])})\s*[（(][^()（）。！？]{{2,40}}[)）])\s*(?=\S)")
_LEAD_BYLINE_LINE_RE = re.compile(rf"^.{{0,24}}?(?:{_alt(['讯', '电'])})\s*[（(][^()（）。！？]{{2,40}}[)）]$")
_LEAD_CREDIT_RE = re.compile(
    rf"^((?:{_alt(['本报', '本刊', '本台', '本网', '特约'])})?(?:{_alt(['记者', '作者', '通讯员', '文'])})"
    r"\s*[:：/／]?\s*[^\s，。]{2,4}(?:\s+[^\s，。]{2,4}){0,3})\s+(?=\S)"
)
_TRAIL_BYLINE_RE = re.compile(r"\s*([（(][^()（）。！？]{2,40}[)）])\s*$")


#: Credit fields of a meta line that name the writer (not the editor).
_CREDIT_FIELD = _alt(["作者", "记者", "文", "撰文", "撰稿", "采写", "通讯员"])


def _lead_byline(text: str) -> tuple[str, str] | None:
    """A byline at the start of the first paragraph: ``本报讯（记者 X 通讯员 Y）近日…``."""
    m = _LEAD_BYLINE_RE.match(text)
    rest = text[m.end():] if m else ""
    if (
        m and _shape_res()["credit_word"].search(m.group(1)) and _han_count(rest) >= 8
        and not any(c in m.group(1) for c in "。！？") and any(c in rest for c in "。！？")
        and not _LEAD_BYLINE_RE.match(rest)
    ):
        return m.group(1).strip(), rest.strip()
    m = _LEAD_CREDIT_RE.match(text)
    if m and _han_count(m.group(1)) <= 20 and _han_count(text[m.end():]) >= 12 and any(c in text[m.end():] for c in "。！？"):
        head = m.group(1)
        if not any(c in head for c in _SOFT_PUNCT):
            return head.strip(), text[m.end():].strip()
    return None


def _trail_byline(text: str) -> tuple[str, str] | None:
    """A credit in parentheses ending the last paragraph: ``…迈进。（记者 王某 通讯员 李某）``."""
    m = _TRAIL_BYLINE_RE.search(text)
    if not m or m.start() == 0 or text[m.start() - 1] not in "。！？”":
        return None
    inner = m.group(1)
    res = _shape_res()
    rest = text[:m.start()].strip()
    if (res["credit_word"].search(inner) and not res["caption_end"].search(inner)
            and _boilerplate_reason(inner) is None and _is_sentence_line(rest)):
        return inner, rest
    return None


def clean(
    text: str,
    *,
    check_readings: bool = False,
    keep_punctuation: bool = False,
    hints: list[str | None] | None = None,
    titles: Iterable[str] = (),
) -> Cleaned:
    """Clean scraped article text (plain text, one block per line) into a :class:`Cleaned`.

    Idempotent: cleaning :func:`to_text` of the result gives the same result (unless the page
    has image file names, which mark the caption beside them and are then dropped). With
    ``check_readings`` the page's own annotations are compared with the reading engine
    (:func:`yuedu.reading.annotate`, slow to load) and disagreements go to the report.
    Half-width ``, : ; ? !`` between Chinese characters become full width unless
    ``keep_punctuation``. ``hints`` (one per input line) and ``titles`` carry what a page's
    markup said (see :func:`yuedu.importer.read_structured`).
    """
    report = Report()
    lines: list[_Line] = []
    pinyin_lines: list[str] = []
    physical = text.splitlines() if hints is not None else _unwrap(text.splitlines())
    for n, raw in enumerate(physical):
        hint = hints[n] if hints is not None and n < len(hints) else None
        raw = raw.strip()
        if _is_pinyin_line(raw):
            pinyin_lines.append(raw)
            continue
        for segment in _split_segments(raw) if hint not in ("caption", "heading", "title") else [raw]:
            cleaned, pairs, warnings = remove_annotations(segment)
            cleaned = cleaned.strip()
            if not cleaned:
                continue
            fixed, changed = (cleaned, 0) if keep_punctuation else full_width_punctuation(cleaned)
            lines.append(_Line(fixed, pairs, hint=hint, raw=cleaned, punctuation=changed))
            report.warnings.extend(warnings)
    report.annotations.extend(("", p) for p in pinyin_lines)

    # 1. Chrome: phrase-free shapes of single lines and runs, the tail after a related/comments
    #    marker, image file names.
    _mark_boilerplate(lines)
    for ln in lines:
        if ln.hint == "image" or _is_image_line(ln.text):
            ln.kind = "image"
        elif ln.hint == "chrome":
            ln.chrome = "markup"
        elif ln.reason is None and not (_is_byline(ln.text) and not _shape_res()["credit_colon"].search(ln.text) and _boilerplate_reason(ln.text) is None):
            ln.chrome = _chrome_reason(ln.text) if ln.hint not in ("caption", "heading", "title") else _boilerplate_reason(ln.text)
        ln.sentence = ln.chrome is None and ln.reason is None and ln.kind is None and _is_sentence_line(ln.text) and not _is_caption(ln.text)
    # Runs are judged without credit lines, which the output moves to the top.
    _mark_runs([ln for ln in lines if ln.reason is None and ln.kind != "image" and not _is_byline(ln.text)])
    for ln in lines:
        if ln.chrome and ln.kind != "image" and ln.reason is None and ln.hint not in ("caption",):
            ln.reason = f"boilerplate:{ln.chrome}"
            ln.sentence = False
    live = [ln for ln in lines if ln.reason is None]

    # 2. Zones: the body runs from the first to the last line of article text; what is above it
    #    is the page header (title, byline, date), what is below it the footer.
    # A title that is a question or an exclamation reads like a sentence: the page's own
    # titles say it is one; without them, a lone short line of that shape above the text.
    title_keys = {_key(p) for t in titles if t for p in _title_parts(t)}
    for ln in live:
        if ln.sentence and _key(ln.text) in title_keys:
            ln.sentence = False
    at = [i for i, ln in enumerate(live) if ln.sentence]
    if len(at) >= 2 and _is_question_title(live[at[0]].text) and not any(
        _title_shaped(ln.text) for ln in live[:at[0]] if ln.chrome is None
    ):
        live[at[0]].sentence = False
    if not any(ln.sentence for ln in live):
        # A short text: any line with a sentence end is article text.
        for ln in live:
            ln.sentence = ln.kind is None and any(c in ln.text for c in "。！？") and not _is_caption(ln.text)
    body_at = [i for i, ln in enumerate(live) if ln.sentence]
    first = body_at[0] if body_at else len(live)
    last = body_at[-1] if body_at else len(live) - 1
    body_text = "\n".join(ln.text for ln in live[first:last + 1] if ln.sentence)

    # 3. The title, by evidence; its copies (also glued to another line) are duplicates.
    header = live[:first]
    title = _choose_title(header, body_text, [t for t in titles if t], first, None)
    if title is None and not header and live and _title_shaped(live[0].text) and not live[0].sentence:
        title = live[0].text
    if title is not None:
        for ln in live:
            if _key(ln.text) == _key(title):
                ln.kind = "title"
                break
    glued = _mark_duplicates(live, title)
    for ln in live:
        if ln.kind == "title" and ln.text != title:
            ln.kind = None
    titled = next((ln for ln in live if ln.kind == "title"), None)
    live = [ln for ln in live if ln.reason is None]
    body_at = [i for i, ln in enumerate(live) if ln.sentence]
    first = body_at[0] if body_at else len(live)
    last = body_at[-1] if body_at else len(live) - 1

    # 4. The byline: a credit line anywhere, else one at the start or end of the body.
    byline: str | None = None
    for ln in live:
        if ln.kind is None and ln.hint != "caption" and _is_byline(ln.text):
            byline, ln.kind = ln.text, "byline"
            break
    if byline is None:
        # "来源：晨光日报 作者：周小青 时间：…": the credit field of a meta line above the body.
        for ln in lines:
            if ln.reason in ("boilerplate:meta", "boilerplate:date", "boilerplate:counter", "boilerplate:separators"):
                m = re.search(rf"(?:{_CREDIT_FIELD})\s*[:：]\s*[^\s:：|｜丨]+", ln.text)
                if m:
                    byline = m.group()
                    break
            if ln.sentence:
                break
    if byline is None and body_at:
        lead = _lead_byline(live[first].text)
        if lead:
            byline, live[first].text = lead
        else:
            trail = _trail_byline(live[last].text)
            if trail:
                byline, live[last].text = trail

    # 5. Blocks: the header keeps captions and numbered headings below the title; the footer
    #    keeps captions right after the text; everything else outside the body is chrome.
    blocks: list[tuple[str, str]] = []
    footer_open = True
    for i, ln in enumerate(live):
        if ln.kind in ("title", "byline"):
            continue
        kind = _block_kind(live, i)
        if i < first:
            below_title = titled is not None and live.index(titled) < i
            if kind == "caption" or (kind == "heading" and below_title and (_NUMBERED_RE.match(ln.text) or ln.hint == "heading")):
                pass
            elif kind != "image":
                ln.reason = "boilerplate:header"
                continue
        elif i > last:
            if not (footer_open and kind in ("caption", "image")):
                footer_open = False
                ln.reason = "boilerplate:image" if kind == "image" else "boilerplate:footer"
                continue
        if kind == "image":
            ln.kind = "image"
            ln.reason = "boilerplate:image"  # the file name itself: reported, never a paragraph
            continue
        ln.kind = kind
        blocks.append((kind, ln.text))
        report.annotations.extend(ln.annotations)
        report.punctuation_changed += ln.punctuation
    for ln in live:
        if ln.kind in ("title", "byline"):
            report.annotations.extend(ln.annotations)
            report.punctuation_changed += ln.punctuation
    if title and titled is None:
        title, n = (title, 0) if keep_punctuation else full_width_punctuation(title)
        report.punctuation_changed += n
    if byline and not keep_punctuation:
        byline, n = full_width_punctuation(byline)

    if check_readings:
        report.disagreements = _disagreements([(ln.text, ln.annotations) for ln in live if ln.annotations and ln.reason is None])

    # Every dropped line is reported verbatim, so the text can be audited.
    report.duplicates.extend(glued)
    for ln in lines:
        if ln.reason == "duplicate":
            report.duplicates.append(ln.raw or ln.text)
        elif ln.reason and ln.reason.startswith("boilerplate"):
            report.boilerplate.append(ln.raw or ln.text)

    report.paragraphs_kept = sum(1 for k, _ in blocks if k == "paragraph")
    check = None
    if title is None:
        report.warnings.append("no title found: no line before the body reads like this article's title")
    if not blocks:
        report.warnings.append("no body text found")
    check = title_check(title, [t for _, t in blocks])
    if check:
        report.warnings.append(f"title check: {check}")
    long_dropped = [t for t in report.boilerplate if _han_count(t) >= 20 and any(c in t for c in "。！？")]
    if long_dropped:
        report.warnings.append(
            f"{len(long_dropped)} dropped boilerplate line(s) read like sentences; check them: "
            + " / ".join(t[:20] + "…" for t in long_dropped[:3])
        )
    return Cleaned.from_blocks(title, byline, blocks, report, check)


def _unwrap(raw: list[str]) -> list[str]:
    """Join paragraphs a text export hard-wrapped at a fixed width back into one line each.

    Only when the page shows the wrap: at least three lines (and a third of the long ones) of
    one width that stop mid-sentence. A wrapped line is joined to the next unless that one
    starts indented or is blank.
    """
    def open_end(line: str) -> bool:
        line = line.rstrip()
        return len(line) >= 16 and line[-1] not in _SENTENCE_END + _CLOSERS + "!?:：" and _han_count(line) >= 8

    widths = Counter(len(line.rstrip()) for line in raw if open_end(line))
    long_lines = sum(1 for line in raw if len(line.rstrip()) >= 16)
    if not widths:
        return raw
    width, count = widths.most_common(1)[0]
    count = sum(c for w, c in widths.items() if width - 2 <= w <= width)
    if count < 3 or count * 3 < long_lines:
        return raw
    out: list[str] = []
    joining = False
    for line in raw:
        if joining and line.strip() and not line[:1].isspace() and not _INDENT_RE.match(line):
            out[-1] = out[-1].rstrip() + line.strip()
        else:
            out.append(line)
        joining = open_end(line) and width - 2 <= len(line.rstrip()) <= width
    return out


def _block_kind(live: list[_Line], i: int) -> str:
    """Paragraph, heading, caption or image for the kept line ``live[i]``."""
    ln = live[i]
    text = ln.text
    if ln.kind == "image" or ln.hint == "image":
        return "image"
    if ln.hint == "caption" or _is_caption(text):
        return "caption"
    # A line beside an image file name is that image's caption, when it is short.
    near = [live[j] for j in (i - 1, i + 1) if 0 <= j < len(live)]
    if any(n.kind == "image" for n in near) and _han_count(text) <= 60 and sum(text.count(c) for c in "。！？") <= 1:
        after_image = i > 0 and live[i - 1].kind == "image"
        before_image = i + 1 < len(live) and live[i + 1].kind == "image"
        # A short line after an image; before an image only when nothing after it claims it.
        if after_image or (before_image and not (i + 2 < len(live) and _han_count(live[i + 2].text) <= 60 and not live[i + 2].sentence)):
            return "caption"
    if ln.hint == "heading" and _han_count(text) <= 40:
        return "heading"
    if _is_heading_shaped(text):
        return "heading"
    if _NUMBERED_RE.match(text) and _han_count(text) <= 30 and not any(c in text for c in "。！？"):
        return "heading"
    return "paragraph"


def _tones(annotation: str) -> tuple[str, list[int]]:
    """Letters without tones, and the tones the annotation marks (marks or digits; 5 is skipped)."""
    from yuedu.reading import tone_of

    digits = [int(d) for d in re.findall(r"[1-4]", annotation)]
    marks = [tone_of(c) for c in unicodedata.normalize("NFC", annotation) if tone_of(c) != 5]
    letters = re.sub(r"[^a-z]", "", _plain(annotation).replace("v", "u"))
    return letters, digits or marks


def _disagreements(lines: list[tuple[str, list[tuple[str, str]]]]) -> list[tuple[str, str, str]]:
    """Compare each line's annotations with the reading engine's syllables for the same words.

    Letters must agree; tones are compared only where the page marks them (an unmarked
    annotation such as ``(kai)`` says nothing about the tone).
    """
    from yuedu.reading import annotate

    found: list[tuple[str, str, str]] = []
    for text, pairs in lines:
        readings: list[str] = []  # one syllable (or "") per character of text
        spoken: list[str] = []  # the same after 一/不 tone sandhi, which pages often mark
        for word in annotate(text):
            readings.extend(word.pinyin if word.pinyin else [""] * len(word.text))
            spoken.extend(word.spoken or word.pinyin or [""] * len(word.text))
        cursor = 0
        for word, annotation in pairs:
            at = text.find(word, cursor)
            if at < 0:
                continue
            cursor = at + len(word)
            if not re.search(r"[A-Za-z]", annotation):
                continue  # zhuyin: nothing to compare with the engine's pinyin
            page_letters, page_tones = _tones(annotation)
            engines = [" ".join(r[at:cursor]) for r in (readings, spoken)]
            if not any(
                page_letters == letters and (not page_tones or page_tones == tones)
                for letters, tones in map(_tones, engines)
            ):
                found.append((word, annotation, engines[0]))
    return found


def _mark_boilerplate(lines: list[_Line]) -> None:
    """Mark page chrome: single chrome lines, and the tail after a related/comments marker.

    A tail region (相关推荐, 评论列表, …) runs until a line that reads like article text, so a
    second copy of the body after a comment box is still seen (and then deduplicated).
    """
    in_tail = False
    for ln in lines:
        reason = _boilerplate_reason(ln.text)
        if reason == "tail":
            in_tail = True
        elif in_tail and _is_body_like(ln.text):
            in_tail = False
        if reason or in_tail:
            ln.reason = f"boilerplate:{reason or 'tail'}"


def _mark_duplicates(live: list[_Line], title: str | None) -> list[str]:
    """Mark repeated lines and strip a title glued to the front of another line.

    Returns the glued copies of the title that were stripped. A repeated line of eight or more characters is a duplicate on its own; a shorter one (a
    heading, a caption) only inside a run of longer duplicates, so a refrain or a repeated
    short heading in an article that is not repeated stays.
    """
    glued: list[str] = []
    title_key = _key(title) if title else None
    for ln in live:
        if ln.kind == "title" or not title:
            continue
        if _key(ln.text) == title_key:
            ln.reason = "duplicate"
            continue
        rest = _strip_prefix(ln.text, title)
        # Strip the glued title only when that cannot eat the start of a sentence: the title
        # is long, or what remains is a structural line of its own.
        while rest and (_han_count(title) >= 8 or _is_byline(rest) or _is_caption(rest)):
            glued.append(ln.text[: len(ln.text) - len(rest)].strip())
            ln.text = rest
            rest = _strip_prefix(ln.text, title)
        if _key(ln.text) == title_key:  # the title glued to itself: "TT"
            ln.reason = "duplicate"

    seen: dict[str, int] = {}
    candidates: list[bool] = []
    for i, ln in enumerate(live):
        k = _key(ln.text)
        candidates.append(ln.reason is None and ln.kind != "title" and bool(k) and k in seen)
        if ln.reason is None and k and k not in seen:
            seen[k] = i
    confirmed = [c and len(_key(ln.text)) >= 8 for c, ln in zip(candidates, live)]
    # Short repeated lines count as duplicates when next to a confirmed duplicate (repeat until
    # stable: a copy of the body may hold several short lines in a row).
    changed = True
    while changed:
        changed = False
        for i, c in enumerate(candidates):
            if c and not confirmed[i]:
                near = [j for j in (i - 1, i + 1) if 0 <= j < len(live) and live[j].reason in (None, "duplicate")]
                if any(confirmed[j] for j in near):
                    confirmed[i] = True
                    changed = True
    for c, ln in zip(confirmed, live):
        if c:
            ln.reason = "duplicate"
    return glued


def to_text(cleaned: Cleaned) -> str:
    """Join a cleaned article back into plain text: title, byline, blocks, one per line."""
    parts = [p for p in (cleaned.title, cleaned.byline) if p]
    parts.extend(text for _, text in cleaned.blocks)
    return "\n".join(parts)


def split_syllables(word: str, annotation: str) -> list[str] | None:
    """Cut a page's annotation of ``word`` into one tone-marked syllable per character.

    ``("交地", "jiāodì")`` -> ``["jiāo", "dì"]``; tone digits become marks (``ji4zhe3`` ->
    ``jì zhě``). Returns None when the annotation cannot be cut that way.
    """
    from yuedu.reading import _to_marks

    text = unicodedata.normalize("NFC", annotation.strip()).replace("u:", "ü").replace("U:", "Ü")
    pieces: list[tuple[str, str]] = []  # (letters as written, tone digit or "")
    for token in re.split(r"[\s'’\-]+", text):
        for letters, digit in re.findall(r"([^\d\s]+)(\d?)", token):
            pieces.append((letters, digit))
    inventory = _inventory()
    n = len(word)

    @functools.cache
    def cut(p: int, off: int, c: int) -> tuple[int, tuple[str, ...]] | None:
        """Fewest mismatches reading pieces[p][off:]… as word[c:], with the syllables."""
        if p == len(pieces):
            return (0, ()) if c == n else None
        letters, digit = pieces[p]
        if off == len(letters):
            return cut(p + 1, 0, c)
        if c == n:
            return None
        best: tuple[int, tuple[str, ...]] | None = None
        for end in range(off + 1, min(len(letters), off + 6) + 1):
            syl = letters[off:end]
            plain = _plain(syl)
            if plain not in inventory:
                continue
            rest = cut(p, end, c + 1)
            if rest is None:
                continue
            if end == len(letters) and digit:
                try:
                    syl = _to_marks(plain + digit)
                except ValueError:
                    continue
            readings = _readings(word[c])
            miss = 0 if not readings or plain in readings else 1
            cand = (rest[0] + miss, (syl.lower(), *rest[1]))
            if best is None or cand[0] < best[0]:
                best = cand
        return best

    found = cut(0, 0, 0)
    return list(found[1]) if found else None
