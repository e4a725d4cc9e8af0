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
        " 维維 编編 网網 荐薦 见見 览覽 认認 讯訊 记記 许許 论論 评評 说說説 请請 读讀 责責 资資 赞贊 转轉"
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

#: An opening parenthesis (ASCII or full width), content without parentheses, a closing one.
_PAREN_RE = re.compile(r"[(（]([^()（）\n]{1,80})[)）]")


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
        return None
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
    if "(" not in text and "（" not in text:
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
    return "".join(out), pairs, warnings


# ---------------------------------------------------------------------------------------------
# Run-together paragraphs


def _split_segments(line: str) -> list[str]:
    """Split one physical line into paragraphs at the cues a scraper leaves.

    A break is whitespace after a sentence end (``。``, ``！``, ``？``, ``…``, optionally followed
    by closing quotes), or ideographic indentation / a tab anywhere - and never inside an open
    quotation or parenthesis, so a sentence is never cut. A line with no such cue stays whole.
    """
    cuts: list[tuple[int, int]] = []
    depth = 0
    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if ch in _OPENERS:
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
        return [line]
    parts = []
    start = 0
    for a, b in cuts:
        parts.append(line[start:a])
        start = b
    parts.append(line[start:])
    return [p for p in (s.strip() for s in parts) if p]


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


def _boilerplate_reason(line: str) -> str | None:
    """Name the kind of page chrome ``line`` is, or None if it may be article text.

    Long lines are never chrome: the keyword tests below only apply to short standalone lines,
    so a sentence that mentions 评论 or 版权 is kept.
    """
    res = _boilerplate_res()
    han = _han_count(line)
    short = len(line) <= 60 and not any(c in line for c in "。！？")
    if res["tail"].match(line):
        return "tail"
    if res["ui"].match(line) and han <= 20:
        return "ui"
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
    return {
        "byline": re.compile(rf"^[（(【\[]?\s*(?:(?:{credit})|文\s*[/／|｜丨:：])"),
        "byline_end": re.compile(rf"(?:{_alt(['报道', '报导'])})\s*[)）】\]]?$"),
        "caption_start": re.compile(rf"^[（(【\[]?\s*(?:{caption_start})"),
        "caption_end": re.compile(rf"(?:{caption_end})\s*[)）】\]]?$"),
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


@dataclass
class _Line:
    """One segment of the input on its way through the pipeline."""

    text: str
    annotations: list[tuple[str, str]]
    reason: str | None = None  # why it was dropped: "boilerplate:<kind>", "duplicate"
    kind: str | None = None  # "title", "byline", or one of KINDS


def clean(text: str, *, check_readings: bool = False) -> Cleaned:
    """Clean scraped article text (plain text, one block per line) into a :class:`Cleaned`.

    Idempotent: cleaning :func:`to_text` of the result gives the same result. With
    ``check_readings`` the page's own annotations are compared with the reading engine
    (:func:`yuedu.reading.annotate`, slow to load) and disagreements go to the report.
    """
    report = Report()
    lines: list[_Line] = []
    for raw in text.splitlines():
        for segment in _split_segments(raw.strip()):
            cleaned, pairs, warnings = remove_annotations(segment)
            cleaned = cleaned.strip()
            if cleaned:
                lines.append(_Line(cleaned, pairs))
                report.warnings.extend(warnings)

    _mark_boilerplate(lines)
    live = [ln for ln in lines if ln.reason is None]

    # The title: the first line, when it is shaped like one.
    title: str | None = None
    if live and _is_heading_shaped(live[0].text) and not _is_byline(live[0].text) and not _is_caption(live[0].text):
        title = live[0].text
        live[0].kind = "title"

    glued = _mark_duplicates(live, title)
    live = [ln for ln in live if ln.reason is None]
    # The byline: the first standalone credit line. It is found before the trailing check
    # because the joined output moves it up front, where it can no longer shield a trailing line.
    byline_line = next((ln for ln in live if ln.kind != "title" and _is_byline(ln.text)), None)
    if byline_line is not None:
        byline_line.kind = "byline"
    # Trailing lone lines of a word or two ("欢迎") after the last real block are page chrome.
    # Judged after deduplication, so the answer is the same when the output is cleaned again.
    body = [ln for ln in live if ln.kind is None]
    while body and len(live) > 1 and _is_trailing_chrome(body[-1].text):
        dropped = body.pop()
        dropped.reason = "boilerplate:trailing"
        live.remove(dropped)

    byline = byline_line.text if byline_line is not None else None
    blocks: list[tuple[str, str]] = []
    for ln in live:
        if ln.kind is None:
            if _is_caption(ln.text):
                ln.kind = "caption"
            elif _is_heading_shaped(ln.text) and not _is_byline(ln.text):
                ln.kind = "heading"
            else:
                ln.kind = "paragraph"
            blocks.append((ln.kind, ln.text))
        report.annotations.extend(ln.annotations)

    if check_readings:
        report.disagreements = _disagreements([(ln.text, ln.annotations) for ln in live if ln.annotations])

    # Every dropped line is reported verbatim, so the text can be audited.
    report.duplicates.extend(glued)
    for ln in lines:
        if ln.reason == "duplicate":
            report.duplicates.append(ln.text)
        elif ln.reason and ln.reason.startswith("boilerplate"):
            report.boilerplate.append(ln.text)

    report.paragraphs_kept = sum(1 for k, _ in blocks if k == "paragraph")
    if title is None:
        report.warnings.append("no title found: the first line is not shaped like a title")
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
