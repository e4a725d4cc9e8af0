"""Check the author's reading overrides before anything is built.

An override is ``{字|pinyin}`` (or its full-width form ``｛字｜pinyin｝``, which a Chinese keyboard
types) in the text, or a ``readings:`` entry in front matter. Pinyin is one syllable per character,
with a tone mark (``hǎo``) or a tone number (``hao3``); the neutral tone is written explicitly
(``ma5``, ``ma0`` or ``·ma``), so a syllable without a tone is a mistake, not a neutral tone.

Anything that looks like an attempt at an override but is not one (an unclosed brace, ``{好:hǎo}``,
``[好|hǎo]``, ``{好|good}``) is reported with what is wrong and the right form; nothing half-formed
reaches a page. The checks run when an article is read, where line numbers are known.
"""

from __future__ import annotations

import re
import unicodedata

from .reading import HAN_RE

#: Every Mandarin syllable without its tone (``v`` for ü), as listed in pypinyin's character
#: readings (``pypinyin.pinyin_dict``, 426 syllables), plus the spellings ``lue``/``nue`` and
#: ``r`` (erhua 儿 written on its own).
SYLLABLES = frozenset("""
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca cai
can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai
chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di
dia dian diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng
fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha
hai han hang hao he hei hen heng hm hng hong hou hu hua huai huan huang hui hun huo ji jia jian
jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku
kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian liang liao lie lin
ling liu lo long lou lu luan lun luo lv lve m ma mai man mang mao me mei men meng mi mian miao mie
min ming miu mo mou mu n na nai nan nang nao ne nei nen neng ng ni nia nian niang niao nie nin ning
niu nong nou nu nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping
po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri
rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei
shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta
tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei
wen weng wo wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye
yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang
zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu
zuan zui zun zuo ê lue nue r
""".split())

#: Vowels with a tone mark -> (vowel, tone).
_MARKED = {
    **{c: ("a", t) for t, c in enumerate("āáǎà", 1)}, **{c: ("e", t) for t, c in enumerate("ēéěè", 1)},
    **{c: ("i", t) for t, c in enumerate("īíǐì", 1)}, **{c: ("o", t) for t, c in enumerate("ōóǒò", 1)},
    **{c: ("u", t) for t, c in enumerate("ūúǔù", 1)}, **{c: ("v", t) for t, c in enumerate("ǖǘǚǜ", 1)},
    "ế": ("ê", 2), "ề": ("ê", 4),
    "ń": ("n", 2), "ň": ("n", 3), "ǹ": ("n", 4), "ḿ": ("m", 2),
}


class PinyinError(ValueError):
    """A syllable or an override that is not valid pinyin (the message says why)."""


def parse_syllable(syllable: str) -> tuple[str, int]:
    """``hǎo``/``hao3``/``ma5``/``·ma`` -> ``("hao", 3)``; raise :class:`PinyinError` otherwise."""
    s = unicodedata.normalize("NFC", syllable.strip()).lower()
    s = s.replace("u:", "v").replace("ü", "v")
    if not s:
        raise PinyinError("an empty syllable")
    neutral = s.startswith(("·", "•", "・"))
    if neutral:
        s = s[1:]
    tone = 0
    if s[-1:].isdigit():
        digit = int(s[-1])
        if digit > 5:
            raise PinyinError(f"{syllable!r}: tone numbers are 1 to 4, and 5 (or 0) for the neutral tone")
        tone, s = digit or 5, s[:-1]
    base = []
    for ch in s:
        if ch in _MARKED:
            vowel, marked = _MARKED[ch]
            if tone:
                raise PinyinError(f"{syllable!r} has two tones; write one tone mark or one tone number")
            tone = marked
            base.append(vowel)
        elif ch in "ǖǘǚǜ":
            base.append("v")
        else:
            base.append(ch)
    plain = "".join(base)
    if plain not in SYLLABLES:
        raise PinyinError(f"{syllable!r} is not a pinyin syllable")
    if neutral:
        if tone not in (0, 5):
            raise PinyinError(f"{syllable!r}: '·' marks a neutral tone, so it takes no other tone")
        tone = 5
    if not tone:
        if plain == "r":  # erhua 儿 written on its own
            return plain, 5
        raise PinyinError(f"{syllable!r} has no tone")
    return plain, tone


def numbered(syllable: str) -> str:
    """A valid syllable in the engine's tone-number form: ``hǎo`` -> ``hao3``, ``·ma`` -> ``ma5``."""
    plain, tone = parse_syllable(syllable)
    return f"{plain}{tone}"


def check_reading(hanzi: str, pinyin: str) -> tuple[str, ...]:
    """Validate pinyin for ``hanzi``; return its syllables in tone-number form.

    Raise :class:`PinyinError` with a message that shows the right form.
    """
    syllables = pinyin.replace(",", " ").replace("，", " ").split()
    if not syllables:
        raise PinyinError(f"no pinyin for {hanzi}; write {{{hanzi}|{suggest(hanzi)}}}")
    if len(syllables) != len(hanzi):
        raise PinyinError(
            f"{hanzi} has {len(hanzi)} character(s) but {pinyin.strip()!r} has {len(syllables)} syllable(s); "
            f"write one syllable per character, separated by spaces: {{{hanzi}|{suggest(hanzi)}}}")
    problems = []
    out = []
    for syl in syllables:
        try:
            out.append(numbered(syl))
        except PinyinError as exc:
            problems.append(str(exc))
    if problems:
        right = f"{{{hanzi}|{suggest(hanzi)}}}"  # the dictionary is loaded only for a message
        raise PinyinError(f"{'; '.join(problems)}; write pinyin with tone marks or tone numbers: {right} or "
                          f"{{{hanzi}|{suggest(hanzi, numbers=True)}}} (a neutral tone is written ma5)")
    return tuple(out)


def suggest(hanzi: str, *, numbers: bool = False) -> str:
    """The dictionary reading of ``hanzi`` (tone marks, or numbers), to show the form an override takes."""
    try:
        from pypinyin import Style, pinyin

        style = Style.TONE3 if numbers else Style.TONE
        return " ".join(p[0] for p in pinyin(hanzi, style=style, heteronym=False, neutral_tone_with_five=True))
    except Exception:  # only for a message: never fail because of it
        return "pin1 yin1" if numbers else "pīnyīn"


# ----------------------------------------------------------------------------------------------
# Markers in text

#: Code spans (`…`), Markdown escapes (\{) and their content are never overrides.
_CODE = re.compile(r"(`+)(?:.+?)\1|\\[{}\[\]|（）()]", re.S)
#: A pair of braces (ASCII or full-width) on one line, and what is inside.
_BRACES = re.compile(r"[{｛]([^{}｛｝\n]*)[}｝]")
#: A bracketed ``[好|hǎo]``, ``【好｜hǎo】``, ``(好|hǎo)``: a bar inside the wrong brackets.
_BRACKETS = re.compile(r"[\[【(（]([^\[\]【】()（）{}｛｝\n]*[|｜][^\[\]【】()（）{}｛｝\n]*)[\]】)）]")
_SEPARATORS = re.compile(r"[|｜:：]")


def check_text(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Normalise the overrides in one block of Markdown and find the malformed ones.

    Returns the text with every override written ``{汉字|pin1 yin1}`` (full-width braces and
    bars, spaces and tone marks normalised; other text unchanged, line breaks kept) and a list of
    ``(line offset within the block, message)``.
    """
    if not any(c in text for c in "{}｛｝|｜"):
        return text, []
    masked = _CODE.sub(lambda m: " " * len(m.group(0)), text)
    problems: list[tuple[int, str]] = []
    edits: list[tuple[int, int, str]] = []

    def report(pos: int, message: str) -> None:
        problems.append((text.count("\n", 0, pos), message))

    for m in _BRACES.finditer(masked):
        inner = text[m.start(1):m.end(1)]
        sep = _SEPARATORS.search(inner)
        left = (inner[:sep.start()] if sep else inner).strip()
        right = inner[sep.end():].strip() if sep else ""
        shown = text[m.start():m.end()]
        if not HAN_RE.search(left):
            if HAN_RE.search(inner) or (sep and sep.group() in "|｜" and _looks_like_pinyin(right)):
                report(m.start(), f"override {shown}: put the Chinese characters before the bar, "
                                  f"e.g. {{好|hǎo}}")
            continue  # {a|b} in ordinary text is not ours
        if not all(HAN_RE.match(c) for c in left):
            report(m.start(), f"override {shown}: only Chinese characters go before the bar; "
                              f"write {{{_han_only(left)}|{suggest(_han_only(left))}}}")
            continue
        right_form = f"{{{left}|{suggest(left)}}}"
        if sep is None:
            report(m.start(), f"{shown} looks like an override without pinyin; write {right_form}"
                              f" (for literal braces write \\{{ and \\}})")
            continue
        if sep.group() in ":：":
            report(m.start(), f"override {shown}: use a bar '|' between the characters and the pinyin: "
                              f"{{{left}|{right or suggest(left)}}}")
            continue
        try:
            syllables = check_reading(left, right)
        except PinyinError as exc:
            report(m.start(), f"override {shown}: {exc}")
            continue
        edits.append((m.start(), m.end(), f"{{{left}|{' '.join(syllables)}}}"))

    for m in _BRACKETS.finditer(masked):
        inner = text[m.start(1):m.end(1)]
        left, _, right = re.split(r"([|｜])", inner, maxsplit=1)
        if HAN_RE.search(left):
            shown = text[m.start():m.end()]
            report(m.start(), f"override {shown}: use curly braces: {{{left.strip()}|{right.strip()}}}")

    # Braces left over once the pairs are taken out are unbalanced. One is an attempt at an
    # override only when Chinese text touches it ({好|hǎo without its end, 好|hǎo} without its
    # start); a lone brace in other text ({{ x }}, a code-like aside) is ordinary text.
    rest = _BRACES.sub(lambda m: " " * len(m.group(0)), masked)
    for m in re.finditer(r"[{｛}｝]", rest):
        pos = m.start()
        line_start = rest.rfind("\n", 0, pos) + 1
        line_end = len(rest) if rest.find("\n", pos) < 0 else rest.find("\n", pos)
        if not _touches_han(text, pos, m.group() in "{｛", line_start, line_end):
            continue
        if m.group() in "{｛":
            after = text[pos + 1:line_end]
            word = re.match(r"\s*([^\s|｜:：}｝]*)\s*[|｜:：]?\s*([a-zA-Zü:āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ0-5· ]*)", after)
            left, right = (word.group(1), word.group(2).strip()) if word else ("", "")
            hint = f"{{{left}|{right or suggest(left)}}}" if left and HAN_RE.search(left) else "{好|hǎo}"
            report(pos, f"unclosed override {text[pos:pos + 1 + len(left) + 1 + len(right)].strip()!s}: "
                        f"close it with a brace: {hint} (for a literal brace write \\{{)")
        else:
            before = text[line_start:pos]
            word = re.search(r"([^\s{｛|｜:：]*)\s*[|｜:：]([^|｜{｛}｝]*)$", before)
            left, right = "", ""
            if word:
                right = " ".join(word.group(2).split())
                han = [c for c in word.group(1) if HAN_RE.match(c)]
                left = "".join(han[-(len(right.split()) or 1):])
            hint = f"{{{left}|{right or suggest(left)}}}" if left else "{好|hǎo}"
            report(pos, f"'}}' without its opening brace: write {hint} (for a literal brace write \\}})")

    for start, end, new in reversed(edits):
        text = text[:start] + new + text[end:]
    problems.sort(key=lambda p: p[0])
    return text, problems


def _touches_han(text: str, pos: int, opening: bool, line_start: int, line_end: int) -> bool:
    """Whether the lone brace at ``pos`` is next to Chinese: after it (opening) or before its bar (closing)."""
    if opening:
        return bool(HAN_RE.match(text, pos + 1, line_end))
    before = text[line_start:pos]
    bar = max(before.rfind("|"), before.rfind("｜"), before.rfind(":"), before.rfind("："))
    return bar > 0 and bool(HAN_RE.search(before[bar - 1])) or bool(before[-1:] and HAN_RE.match(before[-1]))


def _han_only(text: str) -> str:
    return "".join(c for c in text if HAN_RE.match(c)) or "好"


def _looks_like_pinyin(text: str) -> bool:
    try:
        parse_syllable(text.split()[0] if text.split() else "")
        return True
    except PinyinError:
        return False
