"""Grammar rules: the reading a character's context decides (particles, measure words, names)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .dictionary import _char_readings, _word_readings, tables as _dict_tables
from .segment import _Token
from .units import segmenter
from .syllables import HAN, HAN_RE, is_han


@dataclass
class _Ctx:
    """What a rule sees: the text, the tokens and where the character is."""

    text: str
    tokens: list[_Token]
    ti: int  # index of the character's token
    i: int  # index of the character in text

    @property
    def tok(self) -> _Token:
        return self.tokens[self.ti]

    def prev_tok(self, k: int = 1) -> _Token | None:
        j = self.ti - k
        return self.tokens[j] if j >= 0 else None

    def next_tok(self, k: int = 1) -> _Token | None:
        j = self.ti + k
        return self.tokens[j] if j < len(self.tokens) else None

    def prev_char(self, k: int = 1) -> str:
        j = self.i - k
        return self.text[j] if j >= 0 else ""

    def next_char(self, k: int = 1) -> str:
        j = self.i + k
        return self.text[j] if j < len(self.text) else ""

    @property
    def single(self) -> bool:
        """The character is a token of its own."""
        return self.tok.end - self.tok.start == 1

    def clause_before(self, width: int = 14) -> str:
        """Text before the character back to the last clause punctuation."""
        seg = self.text[max(0, self.i - width):self.i]
        cut = max(seg.rfind(p) for p in "，。！？；：,.!?;:\n")
        return seg[cut + 1:]


# --------------------------------------------------------------------------------------
# Rules for function words, measure words and names
# --------------------------------------------------------------------------------------
# Each rule sees the character in its context (jieba tokens with their dictionary POS tags)
# and returns a tone-number reading, or None to leave the decision to the word readings,
# g2pM and the defaults. A rule only runs where no dictionary word fixed the character
# (the character is a token of its own, or its token is a word no dictionary knows); the
# few exceptions say so. Rules encode grammar, not sentences: each has its own tests.

_NUMERAL_CHARS = set("零〇一二三四五六七八九十两几百千万亿半每")
_DEMONSTRATIVES = set("这那哪每某各该此本另")
_DEGREE = {"很", "太", "多", "好", "更", "最", "挺", "真", "特别", "非常", "比较", "那么", "这么",
           "十分", "相当", "越来越", "有点", "有点儿", "不", "没", "没有", "还", "又", "也", "都"}
_PRONOUNS = {"我", "你", "您", "他", "她", "它", "我们", "你们", "他们", "她们", "它们", "咱们",
             "咱", "大家", "自己", "谁", "人家", "别人"}
_ADVERBS_BEFORE_MODAL = {"还", "就", "也", "都", "总", "又", "才", "只", "必须", "可", "真", "总是",
                         "肯定", "一定", "恐怕", "可能", "大概", "非", "先", "现在", "今天", "明天",
                         "早上", "晚上", "马上", "必需", "都", "只好", "只能", "就是", "还是"}
_TITLES = {"先生", "女士", "小姐", "老师", "教授", "医生", "大夫", "同学", "师傅", "总", "经理",
           "局长", "主任", "校长", "书记", "部长", "阿姨", "叔叔", "大爷", "老板", "太太", "夫人",
           "博士", "律师", "记者", "警官", "队长", "导演", "主席", "院长", "市长", "县长", "省长",
           "同志", "老", "家", "氏", "姓", "总理", "委员", "科长", "处长", "厂长", "师父", "大姐",
           "大哥", "奶奶", "爷爷", "伯伯", "老先生"}
#: Surname readings that differ from the character's common reading.
_SURNAMES = {"单": "shan4", "曾": "zeng1", "解": "xie4", "查": "zha1", "仇": "qiu2", "朴": "piao2",
             "区": "ou1", "盖": "ge3", "华": "hua4", "乐": "yue4", "覃": "qin2", "缪": "miao4",
             "翟": "zhai2", "召": "shao4", "尉": "yu4", "种": "chong2", "燕": "yan1", "纪": "ji3",
             "繁": "po2", "员": "yun4", "秘": "bi4", "折": "she2", "都": "du1", "重": "chong2"}


def _is_verb(t: _Token | None) -> bool:
    return t is not None and t.tag[:1] == "v"


def _can_be_verb(t: _Token | None) -> bool:
    """jieba tags the token as a verb, or CC-CEDICT glosses it as one ("to ..."): jieba's
    single tag per word often misses the verb (学 n, 节省 n, 过 ug). A fixed expression
    (tag l/i: 感到高兴) counts when its first word is a verb."""
    if t is None or not HAN_RE.match(t.text):
        return False
    verbs = _dict_tables().verbs
    return _is_verb(t) or t.text in verbs or (t.tag in ("l", "i") and (t.text[:2] in verbs or t.text[:1] in verbs))


def _is_adj(t: _Token | None) -> bool:
    return t is not None and t.tag in ("a", "ad", "an", "z", "b", "ag")


def _is_numeral(t: _Token | None) -> bool:
    """A numeral or demonstrative (the things a measure word follows)."""
    if t is None:
        return False
    last = t.text[-1]
    return last in _NUMERAL_CHARS or t.text in _DEMONSTRATIVES or (
        not HAN_RE.match(t.text) and t.text.strip()[-1:].isdigit())


def _is_clause_end(t: _Token | None) -> bool:
    return t is None or not HAN_RE.match(t.text)


#: Degree adverbs that make the word after them an adjective (很干, 太难, 不太难); unlike
#: :data:`_DEGREE`, no negation or 'also/still' (不干 'won't do it', 还干 'still doing').
_DEGREE_ADJ = {"很", "太", "真", "挺", "更", "最", "特别", "非常", "比较", "那么", "这么", "十分", "相当",
               "越来越", "有点", "有点儿", "不太", "不大", "太过", "极", "极其", "多么"}


def _after_degree(ctx: _Ctx, wc) -> bool:
    """A degree adverb comes right before the character: as the token before it, or glued in
    front of it inside a token no dictionary reads (jieba's HMM made 包太重 one name)."""
    prev = ctx.prev_tok()
    if ctx.single or ctx.i == ctx.tok.start:
        return prev is not None and (prev.text in _DEGREE_ADJ or (ctx.prev_char() in "太" and len(prev.text) > 1
                                                                  and not _word_readings(prev.text)))
    return not wc and ctx.prev_char() in ("很", "太", "真", "挺", "更", "最")


#: What follows 打的 dǎdī 'take a taxi': the end of the clause or a motion.
_AFTER_TAXI = ("了", "吧", "去", "回", "回家", "来", "走", "到", "过去", "过来", "上班", "回去", "回来")


def _rule_de_particle(ctx: _Ctx, wc) -> str | None:  # 的: de5; dī in 打的 'take a taxi'
    if not ctx.single:
        return None
    prev, nxt = ctx.prev_tok(), ctx.next_tok()
    if prev is not None and prev.text == "打" and not _clause_has(ctx, ("是",)):
        before = ctx.prev_tok(2)
        if (nxt is not None and nxt.text in _AFTER_TAXI) or (_is_clause_end(nxt) and before is not None and (
                before.tag[:1] in ("v", "d") or before.text in _ADVERBS_BEFORE_MODAL)):
            return "di1"  # 我们打的去吧, 只能打的了, 还是打的。 (这是他打的, 他打的。: the particle)
    return "de5"


def _rule_di(ctx: _Ctx, wc) -> str | None:  # 地: adverbial particle de vs 'ground' dì
    if not ctx.single:
        return None
    prev, nxt = ctx.prev_tok(), ctx.next_tok()
    if nxt is not None and (nxt.tag == "f" or nxt.text in ("上", "下", "里", "面", "上面", "下面", "底下")):
        return "di4"
    if prev is None or _is_clause_end(prev):
        return "di4"
    before = ctx.text[max(0, ctx.i - 4):ctx.i]
    if len(before) == 4 and before[0] == before[2] == "一" and before[1] == before[3] and is_han(before[1]):
        return "de5"  # 一个一个地说, 一步一步地爬: a repeated measure phrase says how
    if _is_numeral(prev) or prev.tag in ("q", "r", "p") or prev.text in ("块", "片", "土", "草", "田"):
        # after a numeral, a demonstrative or a preposition (把地扫了) it is a noun
        return "di4"
    if prev.text.endswith("性") and ctx.i >= 2 and is_han(ctx.text[ctx.i - 2]) and _can_be_verb(nxt):
        return "de5"  # an adjective in -性 before a verb: 创造性地解决, 预见性地警告 (警告 tagged n)
    if not _is_clause_end(nxt) and nxt.text[:1] in ("往", "向", "朝") and (
            _is_adj(prev) or _can_be_verb(prev) or prev.tag in ("d", "i", "l")):
        return "de5"  # 拼命地往前跑: a direction phrase after 地 belongs to the verb it modifies
    reduplicated = len(prev.text) >= 2 and prev.text[-1] == prev.text[-2]
    manner = reduplicated or _is_adj(prev) or prev.tag in ("d", "i", "l", "z", "vn")
    verb_tagged_noun = (not _is_clause_end(nxt) and _can_be_verb(nxt) and len(nxt.text) >= 2
                        and nxt.tag[:2] not in ("nr", "ns", "nt"))
    if (nxt is not None and nxt.text.strip()[:1] in ("，", ",") and
            (reduplicated or prev.tag in ("d", "ad") or prev.text.endswith("然"))):
        return "de5"  # 慢慢地，她交了很多朋友: an adverbial set off by a comma
    if _is_clause_end(nxt) or (nxt.tag[:1] == "n" and nxt.tag != "nv" and not (manner and verb_tagged_noun)):
        return "di4"  # adverbial 地 is always followed by the verb phrase it modifies (有效地利用:
        # jieba tags 利用 a noun, but after a word of manner + 地 it is the verb)
    if manner and verb_tagged_noun:
        return "de5"
    if reduplicated or _is_adj(prev) or prev.tag in ("d", "i", "l", "ad", "z") or prev.text.endswith(("然", "地")):
        return "de5"
    if _is_verb(nxt) or (nxt is not None and nxt.tag in ("d", "p")):
        return "de5"
    return "di4"


#: Single-character verbs of feeling or state that jieba tags as nouns but that take a
#: 得 complement (气得发抖, 病得很重).
_STATE_VERBS = {"气", "病", "冻", "饿", "困", "渴", "吓", "醉", "疼", "痛", "乐", "忙", "急", "烦", "怕"}
#: Common single-character adjectives (HSK 1-4) that jieba's one tag per word often files as
#: something else (咸 ns, 热 n, 多 m, 辣 n): before 得 they take a complement (热得像蒸笼,
#: 车多得走不动). Not 老/真/可 (adverbs before the modal 得 děi: 老得加班, 真得谢谢他).
_ADJ_CHARS = set("好坏大小多少高低矮短快慢早晚冷热暖凉新旧胖瘦远近累饿渴困急甜苦辣酸咸香臭"
                 "干湿脏乱吵静亮暗黑白红深浅重轻厚薄宽窄细粗硬软紧松美丑穷富闲贵难易久满空烫晕傻笨懒乖"
                 "忙疼痛怕烦气醉肥嫩鲜淡浓稳准滑")


def _ends_in_verb(t: _Token | None) -> bool:
    """A token jieba's HMM glued (tag x, 车开) whose last character is a verb on its own."""
    return t is not None and t.tag == "x" and len(t.text) > 1 and segmenter().tags.get(t.text[-1], "")[:1] == "v"


#: What one gets (得 dé) in 得了…: prizes, places, marks and illnesses (得了冠军, 得了一百分,
#: 得了重感冒); after a verb, 得了 is otherwise the potential liǎo (吃得了).
_GOTTEN = ("第", "冠军", "亚军", "季军", "奖", "金牌", "银牌", "铜牌", "满分", "分", "名", "病", "感冒", "癌", "炎",
           "胜", "优", "表扬", "好评")


def _gets(text: str, j: int) -> bool:
    """``text[j:]`` (what follows 得了) names something one gets, before the clause ends."""
    seg = text[j:j + 8]
    cut = min((k for k in (seg.find(p) for p in "，。！？；：,.!?;:\n") if k >= 0), default=len(seg))
    seg = seg[:cut]
    if seg.startswith(_GOTTEN):
        return True  # 得了冠军, 得了第一
    # after a number or a size: 得了一百分, 得了三块金牌, 得了重感冒
    return (seg[:1] in _NUMERAL_CHARS or seg[:1] in "重大小") and any(g in seg for g in _GOTTEN)


#: Units of time and money: after V得 they say what doing it takes (děi).
_SPANS = ("分钟", "小时", "钟头", "天", "年", "个月", "星期", "礼拜", "周", "块", "元", "万")
#: Complements of a potential form V得C: 拿得动, 还得起, 穿得出去.
_POTENTIAL = ("起", "动", "完", "清", "出去", "出来", "进去", "下", "上", "过来", "过去", "回来", "回去", "开", "住")


#: What shows a complement of degree after 乐得: 合不拢嘴, 直拍手, 跳了起来, 说不出话.
_DEGREE_RESULTS = ("不拢", "不上", "不得了", "直", "起来", "跳", "蹦", "哈哈", "眼泪", "说不出", "要命", "睡不着", "眉开眼笑",
                   "手舞足蹈", "不行")


def _rule_de_get(ctx: _Ctx, wc) -> str | None:  # 得: de (complement) / děi (must) / dé (obtain)
    verb = ctx.prev_tok(2) if ctx.single and ctx.prev_tok() is not None and ctx.prev_tok().text == "不" else (
        ctx.prev_tok() if ctx.tok.text == "不得" and ctx.i == ctx.tok.end - 1 else None)
    if (ctx.prev_char() == "不" and verb is not None and len(verb.text) == 1 and _can_be_verb(verb)
            and ctx.next_char() not in ("不", "已", "了", "而")):
        return "de5"  # V不得 'cannot': 记不得他叫什么, 这种蘑菇吃不得 (不得不, 不得了, 不得已: words and rules)
    if not ctx.single:
        if ctx.tok.text == "乐得" and any(x in _object_phrase(ctx, 8) for x in _DEGREE_RESULTS):
            return "de5"  # 乐 'happy' + a complement of degree: 乐得合不拢嘴 (乐得清闲 'glad to' is lèdé)
        prev = ctx.prev_tok()
        if ctx.i == ctx.tok.start and prev is not None and (_is_adj(prev) or prev.text in _STATE_VERBS) and not (
                ctx.tok.end < len(ctx.text) and _is_clause_end(ctx.next_tok())):
            return "de5"  # an adjective + 得 + complement, where 得 starts a word: 紧张得手都在抖 (not 得手)
        return None
    prev, nxt = ctx.prev_tok(), ctx.next_tok()
    if _ends_in_verb(prev) and nxt is not None and not _is_clause_end(nxt):
        return "de5"  # 这辆车开得真稳: jieba glued 车开, but 开 + 得 is verb + complement
    prev_text = prev.text if prev is not None and not _is_clause_end(prev) else ""
    nxt_text = nxt.text if nxt is not None and not _is_clause_end(nxt) else ""
    if nxt_text == "了" and _gets(ctx.text, ctx.i + 2):
        return "de2"  # 比赛得了冠军, 考试得了一百分, 他得了重感冒
    if nxt_text == "的":
        return "de2"  # 他们得的奖, 他得的是感冒: what one got (a complement never precedes 的)
    after = ctx.next_tok(2)
    if (prev_text and prev_text not in _PRONOUNS and nxt_text in _POTENTIAL
            and (_is_clause_end(after) or after.text in ("吗", "吧", "呢", "了"))
            and (prev_text not in _ADVERBS_BEFORE_MODAL or prev_text == "还")):
        return "de5"  # a potential complement ending the clause: 穿得出去吗, 这点钱还得起 (你得出去: děi)
    if (prev_text and prev_text not in _PRONOUNS and _can_be_verb(prev) and nxt is not None and _is_numeral(nxt)
            and any(u in _object_phrase(ctx, 8) for u in _SPANS)):
        return "dei3"  # 走着去得二十分钟, 修好得三天: doing it takes (a complement is no bare amount)
    counted = ctx.prev_tok(2) is not None and (ctx.prev_tok(2).tag == "q" or ctx.prev_tok(2).text[-1:] in ("种", "个", "样"))
    if prev_text and prev_text not in _PRONOUNS and prev_text not in _ADVERBS_BEFORE_MODAL and (
            _is_verb(prev) or _is_adj(prev) or prev.tag in ("vn", "i", "l")
            or (prev_text in _STATE_VERBS or prev_text in _ADJ_CHARS) and not counted):
        return "de5"  # V/A + 得 + complement: 跑得快, 高兴得跳起来
    if prev_text and prev_text not in _PRONOUNS and prev_text not in _ADVERBS_BEFORE_MODAL and _can_be_verb(prev) and (
            nxt_text in _DEGREE or nxt_text[:1] in _DEGREE or nxt_text[:2] in _DEGREE or _is_adj(nxt)
            or nxt_text in ("好", "快", "慢", "早", "晚", "多", "少", "对", "不错")):
        return "de5"  # a verb jieba tags otherwise, before a degree word or adjective: 过得很快乐, 学得很认真
    if nxt_text in ("了", "过", "到", "知", "以", "出") or (nxt is not None and _is_numeral(nxt) and nxt_text not in ("多",)):
        return "de2"  # 得了冠军, 得100分, 得出结论
    if nxt_text:
        return "dei3"  # 你得去, 我们还得等, 这件事得当面说
    return "de5"


def _rule_le(ctx: _Ctx, wc) -> str | None:  # 了: le (particle) / liǎo (potential complement)
    if not ctx.single:
        tok = ctx.tok
        if (wc and len(set(wc)) > 1 and "liao3" in wc and ctx.i == tok.end - 1 and _word_readings(tok.text)
                and tok.text.endswith(("不了", "不得了"))):
            return "liao3"  # a word ending in the potential complement: 高兴得不得了, 少不了
        return None
    prev, prev2 = ctx.prev_tok(), ctx.prev_tok(2)
    if prev is not None and prev.text in ("得", "不") and _is_verb(prev2) and prev2.text not in _PRONOUNS and not (
            prev.text == "得" and _gets(ctx.text, ctx.i + 1)):
        return "liao3"  # 吃得了, 来不了 (比赛得了冠军: got, le)
    return "le5"


#: Verbs that take 着 zháo as a result complement ('reach, manage to'): 找着, 买着, 见着, 猜着.
_ZHAO_VERBS = set("找买见猜碰摸够睡逮捉遇撞吓冻累饿烫淋伤借租摔磕扭闪吃喝抢")


def _rule_zhe(ctx: _Ctx, wc) -> str | None:  # 着: zhe (aspect) / zháo (reach, result)
    t, i = ctx.text, ctx.i
    if (i >= 1 and is_han(t[i - 1]) and t[i + 1:i + 3] == t[i - 1] + "着") or (
            i >= 3 and is_han(t[i - 1]) and t[i - 3:i - 1] == t[i - 1] + "着"):
        return "zhe5"  # V着V着 'while doing': 想着想着 (jieba: 想|着想|着), 走着走着
    if ctx.single:
        prev, nxt = ctx.prev_tok(), ctx.next_tok()
        if prev is not None and prev.text in ("不", "得") and (_is_verb(ctx.prev_tok(2)) or (
                ctx.prev_tok(2) is not None and ctx.prev_tok(2).text in _ZHAO_AFTER_BU)):
            return "zhao2"  # 睡不着, 用得着
        if nxt is not None and nxt.text in ("了", "过") and prev is not None and not _is_clause_end(prev):
            return "zhao2"  # the aspect 着 takes no 了 after it: 买着了, 睡着了, 着了凉 are zháo
        if prev is not None and prev.text in _ZHAO_VERBS and prev.text not in ("借",) and (
                _is_clause_end(nxt) or ctx.prev_tok(2) is not None and ctx.prev_tok(2).text in ("没", "没有", "才", "终于", "就")):
            return "zhao2"  # 没找着钥匙, 才见着他, 找了半天才找着。
        if prev is not None and prev.text in _ZHAO_VERBS and prev.text not in ("借",) and _object_phrase(ctx).endswith("了"):
            return "zhao2"  # 我见着你哥哥了: the clause ends in 了, which the aspect 着 does not take
        return _separated_verb(ctx, wc) or "zhe5"  # 你着什么急: 着急 split by 什么
    if ctx.tok.text == "穿着" and ctx.i == ctx.tok.end - 1:
        prev = ctx.prev_tok()
        if prev is None or prev.text != "的":
            return "zhe5"  # 她穿着外套 (verb + aspect); 她的穿着 'attire' keeps zhuó
    return None


_WEI2_BEFORE = set("成作称视认改分变化选定评列立封尊拜奉誉推命名译转折换结合沦降升划归设任聘更简略大极最甚颇较尤广")


def _rule_wei(ctx: _Ctx, wc) -> str | None:  # 为: wéi (be, act as, 以…为) / wèi (for)
    if not ctx.single:
        return None
    prev, nxt = ctx.prev_tok(), ctx.next_tok()
    clause_tokens = []
    for k in range(ctx.ti - 1, -1, -1):
        t = ctx.tokens[k]
        if _is_clause_end(t) and any(p in t.text for p in "，。！？；：,.!?;:\n"):
            break
        clause_tokens.append(t.text)
    if "以" in clause_tokens:
        return "wei2"  # 以…为…: 以科技创新为引擎
    if prev is not None and len(prev.text) == 1 and prev.text in _WEI2_BEFORE:
        return "wei2"  # 改为, 大为
    if prev is not None and prev.text in ("别", "不要", "不必", "何必", "不用", "甭") and nxt is not None and not _is_clause_end(nxt):
        return "wei4"  # 别为这点小事生气: an imperative's 为 is 'for, about' (为难 is a word)
    if nxt is not None and (nxt.tag == "m" or (not HAN_RE.match(nxt.text) and nxt.text.strip()[:1].isdigit())) and (
            nxt.text[:1] not in _DEMONSTRATIVES):
        return "wei2"  # 人口为300万 (为这点小事: a demonstrative, not a number)
    after = ctx.next_tok(2)
    if nxt is not None and (nxt.text in _PRONOUNS or nxt.tag in ("r", "n", "nr", "nt")) and after is not None and (
            _is_verb(after) or _is_adj(after)) and not after.text.startswith("所"):
        return "wei4"  # 为 + beneficiary + verb: 为人民服务, 为他高兴 (为…所 is wéi)
    return _wei_before_verb_phrase(ctx)


#: Tokens a noun phrase after 为 is made of: nouns, pronouns, places, times, adjectives and
#: distinguishing words, 的 and conjunctions (tags), and unknown words.
_NP_TAGS = ("n", "r", "s", "t", "f", "a", "b", "uj", "c", "x", "j", "m", "q", "z")


#: Clause-final verbs of cheering and feeling that take 为 + whom/what: 为友谊干杯, 为大家鼓掌.
_WEI4_ENDS = {"干杯", "加油", "鼓掌", "欢呼", "喝彩", "祝福", "祈祷", "担心", "操心", "着急", "难过", "骄傲", "自豪",
              "高兴", "开心", "伤心", "感动", "庆祝", "报仇", "服务"}


def _wei_before_verb_phrase(ctx: _Ctx) -> str | None:
    """为 + noun phrase + verb phrase is the preposition wèi 'for': 为企业节省成本, 为面对面的
    协作和交流留出了余地, 为这个项目投入了时间. The copula (X 为 Y: wéi) has no verb after
    its noun phrase. A verb right after 的/和 belongs to the noun phrase (的协作); a verb
    followed by 的 opens a relative clause (为他发明的游戏 'is a game he invented'), and a
    verb that ends the clause may be a noun (其主要产业为农业生产): those are left alone."""
    tokens = ctx.tokens
    seen = 0
    for k in range(ctx.ti + 1, min(len(tokens), ctx.ti + 9)):
        t = tokens[k]
        if _is_clause_end(t):
            return None
        if t.text.startswith("所"):
            return "wei2"  # 为…所: 为人所知
        if seen and tokens[k - 1].text not in ("的", "和", "与", "及", "或", "、") and _can_be_verb(t) and t.text not in (
                "是", "有", "为", "在", "成", "作") and t.tag[:1] not in ("c", "p", "u", "d", "m", "q", "r", "f", "t", "s"):
            rest = []
            for j in range(k + 1, min(len(tokens), k + 5)):
                if _is_clause_end(tokens[j]):
                    break
                rest.append(tokens[j].text)
            if "的" in rest:
                return None
            if not rest and t.tag not in ("l", "i") and t.text not in _WEI4_ENDS:
                return None  # a verb ending the clause may be a noun or a title (农业生产, 使)
            return "wei4"
        if not (t.tag.startswith(_NP_TAGS) or t.text in _PRONOUNS or t.tag == "vn" and tokens[k - 1].text == "的"):
            return None
        seen += 1
    return None


def _rule_gan(ctx: _Ctx, wc) -> str | None:  # 干: gān 'dry' as an adjective / gàn 'do'
    if not _free_verb(ctx, wc):
        return None  # words decide: 干净 gān, 干部 gàn, 能干 gàn
    if _after_degree(ctx, wc):
        return "gan1"  # 天气很干, 面包太干了 (不干 'won't do it' is gàn)
    nxt = ctx.next_tok()
    if ctx.single and nxt is not None and nxt.text in ("燥", "巴巴"):
        return "gan1"
    prev = ctx.prev_tok()
    if ctx.single and prev is not None and (prev.text in _PRONOUNS or prev.text == "谁") and ctx.next_char() in (
            "的", "完", "活", "什", "啥", "嘛", "过", "着", "得", "不"):
        return "gan4"  # a person doing: 这是他干的, 你干什么 (我干了这杯 is the toast: gān)
    if ctx.single and (_is_clause_end(nxt) or ctx.next_char() in ("了", "透", "得", "吗", "呢", "没", "不", "的")):
        before = ctx.clause_before(12)
        if _WET_THING_BEFORE.search(before) or before.endswith("等") or (
                before.endswith("是") and ctx.next_char() == "的"):
            return "gan1"  # 衣服干了, 油漆还没干, 毛巾是干的, 等干了再穿: a wet thing dry(ing) (等干完活: gàn;
            # 是干的 with no doer between is the adjective: 是他干的 is gàn)
    if ctx.single and (ctx.text[ctx.i + 1:ctx.i + 4].startswith(("不了", "得了", "不完", "得完", "完", "活", "什么", "啥"))
                       or "活" in _object_phrase(ctx, 8)):
        return "gan4"  # doing work: 干不了这么多活, 干完了 (衣服一天干不了 is caught above: gān)
    return None


#: Things that get wet and dry (subjects of 干 gān 'dry'): 衣服干了, 油漆还没干.
_WET = ("衣服", "裤子", "袜子", "鞋子", "鞋", "头发", "毛巾", "被子", "床单", "油漆", "墙", "地板", "地面",
        "路面", "墨水", "颜料", "胶水", "伤口", "嘴唇", "皮肤", "嗓子", "喉咙", "泥", "衬衫", "裙子", "外套", "手", "盘子",
        "碗", "杯子", "桌子", "雨伞", "伞", "草地", "河", "井", "池塘", "湖", "水")
#: Adverbs between such a subject and its predicate: 还没, 已经, 都快.
_STILL = ("还", "没有", "没", "都", "已经", "快", "就", "也", "全", "总算", "终于", "早就", "差不多", "完全", "一直")


#: Words that say someone has or lacks free time before 空 kòng: 有空, 没空, 抽空.
_FREE_TIME_BEFORE = ("有", "没", "没有", "抽", "得")


def _rule_kong(ctx: _Ctx, wc) -> str | None:  # 空: kòng 'free time' after 有/没 / kōng 'empty'
    if not ctx.single:
        return None
    if ctx.text[ctx.i + 1:ctx.i + 3] in ("出来", "出一", "出两", "出几", "出了") or ctx.text[ctx.i + 1:ctx.i + 4] == "出来了":
        return "kong4"  # make room: 把箱子空出来, 空出一个位子 (空出 kòngchū)
    prev, nxt = ctx.prev_tok(), ctx.next_tok()
    if prev is None or prev.text not in _FREE_TIME_BEFORE:
        return None
    nxt2 = ctx.next_tok(2)
    if (_is_clause_end(nxt) or nxt.text in ("吗", "吧", "呢", "了", "啊", "时", "儿", "再", "就", "一起", "去", "来", "陪", "帮")
            or (nxt.text == "的" and nxt2 is not None and nxt2.text in ("时候", "时", "话"))):
        return "kong4"  # 我最近没空。有空的时候 (有空的房间 'an empty room' keeps kōng)
    return None


def _rule_juan(ctx: _Ctx, wc) -> str | None:  # 卷: juǎn 'roll up' as a verb / juàn 'volume'
    if not ctx.single:
        return None
    nxt = ctx.next_tok()  # (after a number it counts rolls, 一卷纸, or volumes, 四卷: no rule)
    if nxt is not None and nxt.text[:1] in ("起", "成", "上", "着", "了", "好", "入", "进"):
        return "juan3"  # 卷起来, 卷成一团
    return None


def _rule_tu(ctx: _Ctx, wc) -> str | None:  # 吐: tù 'vomit' with no object / tǔ 'spit out'
    if not ctx.single:
        return None
    prev = ctx.prev_tok()
    after = _object_phrase(ctx)
    if after.startswith("了"):
        after = after[1:]
    if after == "" or after.startswith(("一晚上", "一地", "一身", "好几次", "几次", "出来了", "了")) or (
            prev is not None and prev.text in ("想", "要", "快", "又", "还") and after[:1] in ("", "了")):
        return "tu4"  # 他吐了, 吐了一晚上, 恶心想吐: vomiting takes no object (吐了一口痰: tǔ)
    return None


def _rule_san(ctx: _Ctx, wc) -> str | None:  # 散: sǎn 'loose' as an adjective / sàn 'scatter'
    return "san3" if ctx.single and _after_degree(ctx, wc) else None  # 内容很散


def _rule_chong_toward(ctx: _Ctx, wc) -> str | None:  # 冲: chòng 'facing; blunt' / chōng 'rush'
    if not _free_verb(ctx, wc):
        return None
    if ctx.next_char() == "着" and ctx.next_tok() is not None and (ctx.next_tok().text == "着" or ctx.tok.text == "冲着"):
        return "chong4"  # 冲着我笑: towards
    if ctx.single and _after_degree(ctx, wc):
        return "chong4"  # 说话很冲: blunt
    nxt = ctx.next_tok()
    if ctx.single and nxt is not None and (nxt.text in _PRONOUNS or nxt.tag[:2] == "nr" or nxt.text in _PERSONS) and any(
            ctx.text[nxt.end:].startswith(v) for v in _AIMED):
        return "chong4"  # 冲我笑了笑, 冲他喊: a look or a word aimed at someone
    return None


#: What one does 冲 (chòng) someone: smile, shout, nod, wave (冲我笑).
_AIMED = ("笑", "微笑", "喊", "叫", "嚷", "吼", "点头", "点了点头", "招手", "招了招手", "挥手", "挥了挥手", "摆手", "眨",
          "发火", "发脾气", "生气", "瞪", "说", "大喊", "大叫", "做鬼脸", "吐舌头", "竖起")


def _rule_za(ctx: _Ctx, wc) -> str | None:  # 扎: zā 'tie up' (扎辫子) / zhā 'prick'
    if ctx.single and (ctx.next_char() in ("辫", "马") or "辫" in _object_phrase(ctx, 8) or "头发" in ctx.clause_before(8) and ctx.next_char() in ("起", "成", "了", "个", "好")):
        return "za1"  # 扎辫子, 把头发扎起来 (扎针, 扎破 zhā)
    return None


def _rule_ba(ctx: _Ctx, wc) -> str | None:  # 吧: the particle ba at a clause's end where jieba glued 酒吧 'bar'
    if ctx.tok.text == "酒吧" and ctx.i == ctx.tok.end - 1 and _is_clause_end(ctx.next_tok()) and any(
            v in ctx.clause_before(10) for v in ("喝", "来", "倒", "敬", "干")):
        return "ba5"  # 少喝点酒吧, 再来杯酒吧 (去酒吧 'the bar' keeps bā)
    if ctx.single:
        return "ba5"  # on its own 吧 is the particle (bā 'bar' lives in words: 网吧, 吧台)
    return None


def _rule_fen(ctx: _Ctx, wc) -> str | None:  # 分: fèn in 过分 where jieba cut 不过|分
    prev = ctx.prev_tok()
    if ctx.single and prev is not None and prev.text == "不过" and (
            _is_clause_end(ctx.next_tok()) or ctx.next_char() in ("了", "吧", "吗", "啊", "呢", "的")):
        return "fen4"  # 一点儿都不过分: 不 + 过分 'excessive'
    return None


def _rule_le_happy(ctx: _Ctx, wc) -> str | None:  # 乐: lè 'laugh, be happy' as a verb / yuè (music)
    if not ctx.single:
        return None
    prev = ctx.prev_tok()
    if (prev is not None and prev.text in ("都", "就", "也", "又", "直", "一", "偷偷", "不禁", "给")) or ctx.next_char() in (
            "了", "得", "坏", "呵", "开", "出", "起", "着", "滋"):
        return "le4"  # 大家都乐了, 他一说话大家就乐, 乐坏了 (音乐, 乐器: words)
    return None


def _rule_zhang_swell(ctx: _Ctx, wc) -> str | None:  # 涨: zhàng 'swell, flush' / zhǎng 'rise'
    if ctx.single and ("脸" in ctx.clause_before(8) or ctx.next_char() == "红"):
        return "zhang4"  # 脸涨得通红, 涨红了脸: flushing (水涨了, 物价涨了: zhǎng)
    return None


def _rule_xiao(ctx: _Ctx, wc) -> str | None:  # 削: xiāo 'peel, pare' on its own / xuē in words (削减, 剥削)
    if not (ctx.single or not (wc or _word_readings(ctx.tok.text))):
        return None
    if ctx.text[ctx.i + 1:ctx.i + 3].startswith(_PARED) or ctx.prev_char() == "皮" or any(
            x in _object_phrase(ctx, 6) for x in ("苹果", "梨", "铅笔", "土豆", "皮")):
        return "xiao1"  # 削苹果, 把苹果皮削了 (jieba glued 皮削/nr); 削籍 'strip of rank' (literary) is xuē
    return None


#: What follows 削 xiāo 'pare': an aspect marker, a result, a measure word.
_PARED = ("了", "个", "好", "掉", "成", "下", "一", "皮", "着", "完", "得")


def _rule_zang(ctx: _Ctx, wc) -> str | None:  # 脏: zāng 'dirty' on its own / zàng 'organ' in words (心脏)
    if ctx.single and ctx.prev_char() not in ("内", "心", "肝", "肾", "脾", "肺", "五"):
        return "zang1"  # 很耐脏, 弄脏了, 衣服脏了
    return None


def _rule_tiao_pick(ctx: _Ctx, wc) -> str | None:  # 挑: tiāo 'choose; carry on a pole' / tiǎo 'raise, stir up'
    if ctx.single and ctx.next_char() not in ("起", "战", "衅", "拨", "逗", "明", "破", "开", "亮", "刺", "动"):
        return "tiao1"  # 挑一个, 挑水 (挑起矛盾, 挑开: tiǎo; 挑战 is a word)
    return None


def _rule_bao_peel(ctx: _Ctx, wc) -> str | None:  # 剥: bāo 'peel' on its own (现汉: 口语) / bō in words (剥削)
    return "bao1" if ctx.single and is_han(ctx.next_char()) else None  # 剥橘子, 剥了皮 (not the sound 剥！)


#: Foods that are deep-fried (炸 zhá): what 炸 cooks, rather than blows up (zhà).
_FRIED = ("鸡", "鱼", "肉", "虾", "薯条", "油条", "丸子", "春卷", "豆腐", "花生", "糕", "馒头", "排骨", "酱", "茄子", "土豆")


def _rule_zha(ctx: _Ctx, wc) -> str | None:  # 炸: zhá 'deep-fry' / zhà 'explode'
    if _free_verb(ctx, wc) and any(f in _object_phrase(ctx) for f in _FRIED):
        return "zha2"  # 炸了一盘鸡翅, 炸薯条
    return None


#: Objects of the verb 好 hào 'be fond of' that a learner meets (好面子, 好吹牛); 好 before them
#: is no 'good' (好酒 'good wine' is left out: it reads both ways).
_LIKED = ("面子", "吹牛", "虚荣", "喝酒", "抽烟", "赌博", "打扮", "管闲事", "吃零食", "占便宜", "说大话", "打听")


def _rule_hao(ctx: _Ctx, wc) -> str | None:  # 好: hào 'be fond of' before a liked activity / hǎo
    if not ctx.single:
        return None
    if _object_phrase(ctx).startswith(_LIKED):
        return "hao4"  # 他好面子, 她特别好打扮
    prev = ctx.prev_tok()
    if prev is not None and (_is_verb(prev) or _ends_in_verb(prev)) and prev.text not in ("爱", "喜欢", "是", "有") and (
            _is_clause_end(ctx.next_tok()) or ctx.next_char() in ("了", "吗", "吧", "呢", "没", "的", "再", "就")):
        return "hao3"  # a result complement: 没睡好, 把门关好了, 准备好再走
    return None


def _rule_meng(ctx: _Ctx, wc) -> str | None:  # 蒙: méng 'cover' before its result / mēng 'fool, guess'
    if ctx.single and ctx.text[ctx.i + 1:ctx.i + 3].startswith(("住", "上", "着", "起来", "在")):
        return "meng2"  # 用手蒙住眼睛, 蒙上一层布
    if ctx.single and ctx.next_char() in ("对", "错"):
        return "meng1"  # 蒙对了: guessed
    return None


def _rule_yun(ctx: _Ctx, wc) -> str | None:  # 晕: yūn 'dizzy, faint'; yùn only in words (晕车, 晕船)
    if ctx.tok.start != ctx.i:
        return None  # words decide: 头晕 yūn
    if ctx.text[ctx.i + 1:ctx.i + 4].startswith(("过去", "倒", "了过去", "死", "厥")):
        return "yun1"  # 他晕过去了: fainted
    return None  # words decide (晕车 yùn); 晕 on its own is left to the choice (坐车会晕 yūn: tests/test_reading.py)


def _rule_hai(ctx: _Ctx, wc) -> str | None:  # 还: hái (still) / huán (give back)
    if not ctx.single:
        return None
    nxt, prev = ctx.next_tok(), ctx.prev_tok()
    if nxt is not None and nxt.text in ("给", "钱", "书", "债", "款", "清", "回", "贷款", "欠款", "借款"):
        return "huan2"
    nxt2 = ctx.next_tok(2)
    if (nxt is not None and nxt.text in ("得", "不") and nxt2 is not None and nxt2.text in ("起", "清", "上", "完")
            and (_is_clause_end(ctx.next_tok(3)) or ctx.next_tok(3).text in ("吗", "吧", "呢", "了"))):
        return "huan2"  # 还得起, 还不清: repaying, in the potential form
    if nxt is not None and nxt.text in _PRONOUNS and nxt.text not in ("自己", "大家", "谁") and (
            _is_clause_end(nxt2) or nxt2.text == "的" or _is_numeral(nxt2) or nxt2.text[:1] in _NUMERAL_CHARS):
        return "huan2"  # 还 + person + amount or thing: 你先还我五十块, 还你的书, 明天还你。 (the adverb
        # hái comes before a predicate, not before a person with what is owed)
    if (nxt is not None and nxt.text in ("回去", "回来") and prev is not None and prev.text in (
            "就", "早就", "已经", "都", "先", "快", "马上", "记得", "要", "得", "必须", "应该", "请", "忘了", "记着")
            and (_is_clause_end(nxt2) or nxt2.text in ("了", "吧"))):
        return "huan2"  # 书早就还回去了, 看完了就还回去吧 (你还回来吗? is hái)
    if prev is not None and prev.text in ("借", "不", "没", "要", "按时", "归", "偿", "退", "有借有") and _is_clause_end(nxt):
        return "huan2"  # 借了不还。
    if prev is not None and not _is_clause_end(prev) and (
            _is_clause_end(nxt) or nxt.text in ("了", "吗", "呢", "吧", "啊", "过", "完")):
        return "huan2"  # the adverb hái always precedes its predicate: 什么时候还？, 早就还了
    return "hai2"


#: Words after 这只/那只 that make 只 the adverb 'only' (这只是个开始).
_ADVERB_ONLY_AFTER = set("是有能要会好剩不差在可想需算看说用讲够怪得为")


def _rule_zhi(ctx: _Ctx, wc) -> str | None:  # 只: zhī (measure word) / zhǐ (only)
    if ctx.single:
        prev, nxt = ctx.prev_tok(), ctx.next_tok()
        if _is_numeral(prev) and not _is_clause_end(nxt) and not (
                _is_verb(nxt) or _is_adj(nxt) or nxt.tag in ("d", "p", "c") or nxt.text in ("是", "有", "能", "要", "会", "好", "剩", "不", "差")):
            return "zhi1"
        if (prev is not None and prev.text in ("这", "那", "哪", "每", "另") and nxt is not None and len(nxt.text) == 1
                and is_han(nxt.text) and nxt.tag[:1] not in ("d", "p", "c", "u", "y") and nxt.text not in _ADVERB_ONLY_AFTER):
            return "zhi1"  # 这只表: a one-character noun jieba tags as a verb (这只是, 这只能, 这只算: zhǐ)
        return "zhi3"
    if ctx.tok.text[-1] == "只" and ctx.i == ctx.tok.end - 1 and ctx.tok.text[:-1] and all(
            c in _NUMERAL_CHARS or c in _DEMONSTRATIVES for c in ctx.tok.text[:-1]):
        return "zhi1"  # 一只, 两只, 这只
    return None


def _rule_xing(ctx: _Ctx, wc) -> str | None:  # 行: háng (row, line) / xíng (go, OK)
    prev_c = ctx.prev_char()
    if (prev_c in _NUMERAL_CHARS or prev_c in _DEMONSTRATIVES) and (ctx.single or ctx.i == ctx.tok.end - 1):
        if ctx.tok.text == "一行" and not (ctx.prev_tok() and ctx.prev_tok().text[-1:] in _DEMONSTRATIVES):
            if ctx.prev_tok() is not None and ctx.prev_tok().text[-1:] in ("成", "排", "站", "坐", "写") and _is_clause_end(ctx.next_tok()):
                return "hang2"  # 排成一行, 站成一行: a row (一行人 'a party' is xíng)
            return None  # 一行 'a party' vs 'one line': the dictionary decides, but 这一行 is háng
        nxt = ctx.next_tok() if ctx.i == ctx.tok.end - 1 else None
        if nxt is not None and nxt.text in ("人", "动", "走", "为"):
            return "xing2"
        return "hang2"  # 三行字, 这行代码
    if ctx.single:
        return "xing2"
    return None


#: Words before an adjective predicate 长 cháng besides the degree words: 不够长, 够长, 有多长.
_ENOUGH = ("够", "不够", "足够", "还不够", "多么", "一样", "这样", "那样", "不太", "不大")


def _rule_zhang(ctx: _Ctx, wc) -> str | None:  # 长: zhǎng (grow; head of) / cháng (long)
    if ctx.text[ctx.i:ctx.i + 3] == "长长了" and ctx.prev_char() not in ("长", "很", "太", "的"):
        return "zhang3"  # 头发长长了: grown long (verb + result), whatever jieba glued (毛长长/nr)
    if ctx.text[ctx.i - 1:ctx.i + 2] == "长长了" and ctx.prev_char(2) not in ("长", "很", "太", "的"):
        return "chang2"
    if (ctx.tok.start == ctx.i and ctx.next_char() in _NUMERAL_CHARS and "岁" in ctx.text[ctx.i + 2:ctx.i + 5]
            and _clause_has(ctx, ("比",))):
        return "zhang3"  # 他比我长三岁: older by (jieba glues 长三, a word of its own)
    if not ctx.single and not (ctx.tok.start == ctx.i and not wc):
        return None
    nxt_c = ctx.next_char()
    prev = ctx.prev_tok()
    if nxt_c in ("得", "大", "高", "出", "满", "成", "胖", "肉", "个", "着") and ctx.single:
        return "zhang3"  # 长得, 长高, 长出
    if ctx.single and ctx.text[ctx.i + 1:ctx.i + 3] in ("这么", "那么", "多么") and ctx.next_char(3) in ("大", "高", "胖"):
        return "zhang3"  # 长这么大: grown this big
    if ctx.single and "岁" in ctx.text[ctx.i + 1:ctx.i + 5] and (nxt_c in _NUMERAL_CHARS or ctx.next_tok() is not None
                                                               and ctx.next_tok().text in _PRONOUNS):
        return "zhang3"  # 他比我长两岁, 长他三岁: older by
    if ctx.single and _clause_has(ctx, ("比",)) and nxt_c in ("了", "多", "一", "些", "点", "。", "，"):
        return "chang2"  # a comparison: 比那条长了五厘米, 比我的长多了
    if ctx.single and nxt_c == "了" and ctx.next_char(2) in _NUMERAL_CHARS:
        return "zhang3"  # 树长了十几年, 一年长了五厘米
    if prev is not None and (prev.text in _DEGREE or prev.text in _ENOUGH):
        return "chang2"  # 很长, 太长, 不够长: the adjective as a predicate
    return None  # otherwise g2pM decides (it reads 长 well: both readings are common in CPP)


def _rule_zhong_heavy(ctx: _Ctx, wc) -> str | None:  # 重: chóng (again, layer) / zhòng (heavy)
    if ctx.tok.text == "重重" and ctx.text[ctx.tok.end:ctx.tok.end + 1] == "地":
        return "zhong4"  # 重重地摔了一跤: heavily (困难重重 'layer upon layer' is chóngchóng)
    if ctx.tok.text == "多重" and ctx.i == ctx.tok.end - 1 and ctx.prev_tok() is not None and (
            ctx.prev_tok().text[-1:] in ("斤", "克", "吨", "两", "磅", "有") or ctx.prev_tok().text in ("有", "没有")):
        return "zhong4"  # 两斤多重, 有多重: weight (多重 'multiple' is duōchóng)
    if not ctx.single:
        return "zhong4" if _after_degree(ctx, wc) else None  # 你的包太重了 (jieba: 包太重 | 了)
    prev, nxt = ctx.prev_tok(), ctx.next_tok()
    if _is_numeral(prev):
        return "chong2"  # 两重, 九重
    if nxt is not None and nxt.text in ("得", "了", "极了", "死了"):
        return "zhong4"  # 重得背不动, 太重了: the adjective 'heavy' before its complement
    if nxt is not None and len(nxt.text) == 1 and _is_verb(nxt) and (prev is None or prev.text not in _DEGREE):
        return "chong2"  # 重写, 重来
    if prev is not None and prev.text in _DEGREE:
        return "zhong4"
    return None


def _rule_zhong_kind(ctx: _Ctx, wc) -> str | None:  # 种: zhǒng (kind) / zhòng (plant)
    if not ctx.single:
        return None
    prev, nxt = ctx.prev_tok(), ctx.next_tok()
    if _is_numeral(prev) or (prev is not None and prev.text[-1:] in _DEMONSTRATIVES):
        return "zhong3"
    if nxt is not None and (nxt.text in ("了", "过", "着", "下", "上", "出", "满", "树", "花", "菜", "地", "田", "草", "稻", "麦", "瓜", "豆")
                            or nxt.text in ("下去", "上去", "下来", "出来", "好", "活", "完")):
        return "zhong4"  # 种了, 种下去, 种活
    if prev is not None and (prev.text in _PRONOUNS or prev.text in ("要", "会", "想", "去", "来", "能", "在", "正在", "喜欢", "爱", "开始", "帮", "可以", "用", "不", "没")):
        return "zhong4"
    if prev is not None and prev.text[-1:] in "多各何某同":
        return "zhong3"  # 多种, 何种
    if (_can_be_verb(prev) and prev.text not in ("有", "是", "像", "属于", "成为", "作为", "叫", "算")
            and nxt is not None and nxt.tag[:1] == "n" and not _is_clause_end(nxt)):
        return "zhong4"  # verb + 种 + noun: 适合种葡萄, 打算种玉米 (有种感觉, 是种习惯: zhǒng)
    return None


def _rule_dang(ctx: _Ctx, wc) -> str | None:  # 当: dàng (treat as) / dāng
    if not ctx.single:
        if ctx.i == ctx.tok.start and _clause_has(ctx, ("把", "将")):
            return "dang4"  # 把这里当家: 'treat as', even where jieba read 当家 as a word
        return None
    nxt = ctx.next_tok()
    if nxt is not None and nxt.text in ("作", "做", "成", "真"):
        return "dang4"
    for k in range(ctx.ti - 1, max(-1, ctx.ti - 8), -1):
        t = ctx.tokens[k]
        if _is_clause_end(t):
            break
        if t.text in ("把", "将"):
            return "dang4"  # 把他当朋友
    rest = _object_phrase(ctx, 10)
    if (nxt is not None and (nxt.text in _PRONOUNS or nxt.tag[:1] == "n") and "是" in rest[len(nxt.text):]
            and "时" not in rest and "候" not in rest):
        return "dang4"  # 我当他是开玩笑: 'take for' (当他是学生的时候 'when' is dāng)
    prev = ctx.prev_tok()
    if (prev is not None and prev.text in ("就", "只", "权", "全", "就只") and ctx.prev_tok(2) is not None
            and ctx.prev_tok(2).text in _PRONOUNS and any(x in rest for x in ("没", "不", "是"))
            and "时" not in rest and "候" not in rest):
        return "dang4"  # 你就当我没说过, 就当是交学费: 'just take it as' (他就当了老师: dāng)
    return "dang1"


_ER_WORDS = set("女婴孤幼健男胎宠患少育托")
#: Characters that spell foreign names; 儿 after them ends a name (笛卡儿), it is not erhua.
_TRANSLITERATION = set("卡克莱琪弥蜜黛德迪莉斯特拉尔妮娜莎丝")


def _rule_er(ctx: _Ctx, wc) -> str | None:  # 儿: erhua r / ér
    if wc and len(set(wc)) == 1:
        return None
    tok = ctx.tok
    if ctx.i == tok.start:
        if ctx.single and ctx.i > 0 and is_han(ctx.prev_char()) and ctx.prev_char() not in _ER_WORDS:
            return "r5"  # a separate 儿 right after a syllable is erhua: 玩儿, 一点儿
        return "er2"  # word-initial: 儿子, 儿童
    if ctx.i == tok.end - 1 and len(tok.text) >= 3 and ctx.prev_char() in _TRANSLITERATION:
        return "er2"  # a transliterated name: 笛卡儿, 克莱儿, 安琪儿
    if ctx.i == tok.end - 1 and ctx.prev_char() not in _ER_WORDS:
        return "r5"  # token-final in a word no dictionary knows: 小孩儿, 花儿
    return None


#: Surnames whose other reading is common enough on its own (曾 céng 'once', 单 dān, 解
#: jiě, 查 chá …) that a following given name, not just a title, has to be seen.
_NAME_SURNAMES = set("曾单解查仇朴区盖华缪翟覃召尉纪")
#: Characters common in given names that rarely start the phrase after 曾/单/解/查… used as
#: a word of their own (no verbs, prepositions or numerals: 曾是, 曾在, 曾一度, 查一查).
_GIVEN_NAME_CHARS = set(
    "明丽伟强刚华军平芳娜敏静杰磊洋勇艳涛超霞燕鹏辉玲婷红英秀兰宇浩轩晨欣怡佳琳雪梅莉峰"
    "斌波俊龙林东文志国建海亮飞丹凯宁鑫萍颖倩慧嘉琪璐瑶薇彬岩毅鸿晶蕾楠媛婉梓涵睿博"
    "翔昊泽瑞琦婕妍霖诗蓉菲娟玉珍凤桂春秋冬芬莹洁琴云新庆祥福荣贵生德仁义礼智信忠"
    "子天之元")
#: Words before a name that leave its first character free to be a surname (not a subject
#: before the adverb 曾 'once').
_BEFORE_NAME = {"和", "跟", "与", "同", "及", "叫", "是", "给", "对", "向", "让", "请", "问", "找",
                "告诉", "见", "认识", "喜欢", "谢谢", "感谢", "等", "帮", "陪", "像", "被", "把",
                "遇到", "碰到", "看见", "通知", "介绍", "同学", "朋友", "邻居", "老师"}


def _given_name_after(ctx: _Ctx) -> bool:
    """The one or two characters after the character look like a given name (曾小明, 曾丽)."""
    j = ctx.i + 1
    g1, g2 = ctx.next_char(), ctx.next_char(2)
    if not g1:
        return False
    seg = segmenter()
    freq, tags = seg.lex, seg.tags
    pair = ctx.text[j:j + 2]
    if len(pair) == 2 and freq.get(pair) and tags.get(pair, "x")[:2] != "nr" and g1 not in "小晓阿":
        return False  # the next two characters are a word of their own: 曾明确, 都明白
    if g1 in "小晓阿" and g2 in _GIVEN_NAME_CHARS:
        return True
    return g1 in _GIVEN_NAME_CHARS


def _rule_surname(ctx: _Ctx, wc) -> str | None:  # 单/曾/解… as surnames
    ch = ctx.text[ctx.i]
    tok, prev, nxt = ctx.tok, ctx.prev_tok(), ctx.next_tok()
    if ctx.single or (ctx.i == tok.start and not wc):
        if prev is not None and prev.text in ("姓", "老", "小") and ctx.single:
            return _SURNAMES[ch]
        if ctx.single and nxt is not None and nxt.text in _TITLES:
            return _SURNAMES[ch]
        if not ctx.single and tok.tag in ("nr", "nrfg", "nrt", "x") and len(tok.text) in (2, 3) and tok.text[1:] in _TITLES:
            return _SURNAMES[ch]
    if ctx.i == tok.start and tok.tag[:2] == "nr" and not wc and len(tok.text) in (2, 3) and (
            len(tok.text) == 3 or ch in _NAME_SURNAMES and ctx.next_char() in _GIVEN_NAME_CHARS):
        return _SURNAMES[ch]  # a personal name no dictionary reads: 曾小明, 单丽丽
    # before a given name (jieba splits 曾/小/明说 or glues 曾刚 as an unknown word), where
    # the clause starts or a preposition/verb precedes: 曾小明说…, 我和曾丽是同学
    if (ch in _NAME_SURNAMES and ctx.i == tok.start and (ctx.single or tok.tag in ("x", "nr", "nrfg"))
            and not (not ctx.single and wc)
            and (_is_clause_end(prev) or prev.text in _BEFORE_NAME or prev.tag in ("p", "c"))
            and _given_name_after(ctx)):
        return _SURNAMES[ch]
    return None


def _rule_dou(ctx: _Ctx, wc) -> str | None:  # 都: dōu (all) unless a word says dū
    if not ctx.single:
        prev = ctx.prev_tok()
        if ctx.tok.text == "大都" and prev is not None and prev.text in _DEGREE:
            return "dou1"  # 声音太大都听不见: 太大 + 都, not 大都 'mostly'
        if ctx.tok.text == "首都" and prev is not None and (_is_numeral(prev) or prev.text[-1:] in _DEMONSTRATIVES):
            return "dou1"  # 这首都是他写的: the measure word 首 + 都 'all', not 首都 'capital'
        return None
    prev = ctx.prev_tok()
    if (prev is not None and len(prev.text) >= 2 and prev.text[-1] == "大" and prev.tag in ("j", "n", "nt", "nz")
            and ctx.tokens[ctx.ti - 1].end == ctx.i):
        # jieba took 大 into the word before (人大 'NPC'), but 大都 'mostly' is the word:
        # 来的人大都是学生
        return "du1"
    return "dou1"


_DOUGH = ("面", "泥")  # 和面, 和泥: huó 'mix with water, knead'


def _rule_he(ctx: _Ctx, wc) -> str | None:  # 和: hé (and) / huó (knead: 和面)
    if not ctx.single:
        return None
    prev, nxt, nxt2 = ctx.prev_tok(), ctx.next_tok(), ctx.next_tok(2)
    if nxt is not None and nxt.text in _DOUGH and (
            _is_clause_end(prev) or prev.text in _PRONOUNS or prev.tag[:1] in ("r", "v", "d")) and (
            _is_clause_end(nxt2) or nxt2.text in ("了", "吗", "呢", "吧", "的", "时", "用", "做", "包", "呀", "啊")):
        return "huo2"  # 教我和面吗, 她在和面。 (米和面 is 'rice and flour')
    if nxt is not None and nxt.text == "的" and nxt2 is not None and nxt2.text in _DOUGH:
        return "huo2"  # 我和的面
    if prev is not None and prev.text[-1:] in _DOUGH and nxt is not None and nxt.text in (
            "好", "匀", "一下", "了", "成") and (prev.text[:1] == "把" or _clause_has(ctx, ("把",))):
        return "huo2"  # 把面和好
    return "he2"


def _rule_chao(ctx: _Ctx, wc) -> str | None:  # 朝阳: zhāoyáng 'morning sun' / Cháoyáng (place)
    tok = ctx.tok
    if tok.text != "朝阳" or ctx.i != tok.start:
        return None
    prev, nxt = ctx.prev_tok(), ctx.next_tok()
    if nxt is not None and nxt.text[:1] in tuple("区市县门路街镇村公医中小大"):
        return None  # 朝阳区, 朝阳公园
    if (prev is not None and (prev.text in ("的", "轮", "初升", "东升") or prev.text.endswith("轮"))) or (
            nxt is not None and nxt.text in ("升起", "初升", "东升", "冉冉", "照", "照耀", "照在", "产业", "行业", "般")):
        return "zhao1"  # 清晨的朝阳, 一轮朝阳, 朝阳产业
    if prev is not None and prev.tag[:1] == "n" and prev.tag[:2] != "nr" and (
            _is_clause_end(nxt) or nxt.text in ("的", "了", "吗", "吧")):
        return "chao2"  # 这个房间朝阳: a room faces the sun (cháo), the predicate after its subject
    return None


def _rule_xue(ctx: _Ctx, wc) -> str | None:  # 血: xiě on its own, xuè before a noun (血常规)
    if not ctx.single:
        return None
    nxt = ctx.next_tok()
    if nxt is not None and not _is_clause_end(nxt) and (nxt.tag[:1] == "n" or nxt.tag == "vn") and len(nxt.text) >= 2:
        return "xue4"
    return "xie3"


def _rule_jiao_horn(ctx: _Ctx, wc) -> str | None:  # 口角: kǒujué 'quarrel' / kǒujiǎo 'mouth corner'
    if ctx.tok.text != "口角" or ctx.i != ctx.tok.start + 1:
        return None
    prev, nxt = ctx.prev_tok(), ctx.next_tok()
    if (prev is not None and prev.text in ("发生", "起", "产生", "有", "场", "次", "争", "了")) or (
            nxt is not None and nxt.text in ("之争", "纠纷")) or _clause_has(ctx, ("发生", "吵", "争吵")):
        return "jue2"
    return None


def _rule_chu(ctx: _Ctx, wc) -> str | None:  # 处: chù as a measure word (一处, 几处)
    tok = ctx.tok
    if ctx.single and ctx.text[ctx.i + 1:ctx.i + 3] in ("得来", "不来", "得很", "得不", "得好", "得挺", "得还", "得非", "得特"):
        return "chu3"  # get along: 他们俩处得不错, 跟他处不来 (好处, 到处 are words)
    if ctx.i == tok.end - 1 and len(tok.text) > 1 and all(c in _NUMERAL_CHARS for c in tok.text[:-1]):
        return "chu4"
    if ctx.single and _is_numeral(ctx.prev_tok()) and ctx.prev_tok().text[-1] in _NUMERAL_CHARS:
        return "chu4"
    return None


def _rule_ying(ctx: _Ctx, wc) -> str | None:  # 应: yīng 'should' before a verb / yìng
    if not ctx.single:
        return None
    nxt = ctx.next_tok()
    if nxt is not None and (_is_verb(nxt) or nxt.tag in ("d", "p") or nxt.text in ("多", "少")) and nxt.text not in (
            "了", "着", "过", "声", "一声"):
        return "ying1"  # 应追溯至, 你应多休息 (他应了一声 is yìng)
    return None


def _unread_end(ctx: _Ctx, wc) -> bool:
    """The character is a token of its own, or ends a token no dictionary reads."""
    return ctx.single or (not wc and ctx.i == ctx.tok.end - 1 and ctx.tok.tag in ("x", "nr", "ns", "nz"))


_RANKS = set("参副主守偏裨骁猛敌名武魏蜀吴汉楚秦晋齐燕赵韩宋金辽元明清")


def _rule_jiang(ctx: _Ctx, wc) -> str | None:  # 将: jiàng 'general' as a noun ending a phrase
    nxt = ctx.next_char()
    if _unread_end(ctx, wc) and ctx.prev_char() in _RANKS and (not is_han(nxt) or nxt == "后"):
        return "jiang4"  # 参将, 魏将 (将 'will, shall' is followed by its verb)
    return None


def _rule_chong(ctx: _Ctx, wc) -> str | None:  # 涌: chōng 'creek' in Cantonese place names
    nxt = ctx.next_char()
    prev = ctx.prev_tok()
    # in a name no dictionary knows: glued to the character before it in one token, or (as
    # learner units leave it) a single character after another one
    in_name = (not ctx.single and not wc and ctx.tok.tag in ("x", "nr", "ns", "nz")) or (
        ctx.single and prev is not None and len(prev.text) == 1 and is_han(prev.text))
    if (in_name and (not is_han(nxt) or nxt in "河口边村" or ctx.text[ctx.i + 1:ctx.i + 3] == "两岸")
            and ctx.prev_char() not in "汹泉浪潮喷奔翻蜂云泪血"):
        return "chong1"  # 麻涌, 凤安涌两岸 (涌 yǒng 'surge' is a verb: 涌入, 涌出)
    return None


def _rule_ai(ctx: _Ctx, wc) -> str | None:  # 挨: ái 'suffer' / āi 'next to, one by one'
    if not ctx.single:
        return None
    nxt, prev = ctx.next_tok(), ctx.prev_tok()
    if nxt is not None and nxt.text.startswith(("打", "骂", "饿", "冻", "揍", "批", "训", "罚", "了", "过", "踢", "咬", "晒", "淋", "刀", "枪", "耳光", "处分")):
        return "ai2"  # 挨打, 挨了一顿骂
    if (prev is not None and prev.text in ("紧", "一个", "挨")) or (
            nxt is not None and nxt.text.startswith(("着", "近", "家", "个", "门", "户", "肩", "在"))):
        return "ai1"  # 紧挨着, 挨家挨户
    return None


def _rule_cha(ctx: _Ctx, wc) -> str | None:  # 差: chà (lacking, poor) when a token of its own
    return "cha4" if ctx.single else None


def _rule_pao(ctx: _Ctx, wc) -> str | None:  # 刨: páo 'dig' / bào 'plane (wood)'
    if not ctx.single:
        return None  # words decide: 刨子, 刨花 bào; 刨根问底, 刨除 páo
    if ctx.next_char() in "子床刀花平光" or "木" in _object_phrase(ctx, 3):
        return "bao4"  # the carpenter's plane and what it does: 刨平, 刨光, 刨木头
    return "pao2"  # a verb of its own digs: 刨坑, 刨出来, 刨土


def _rule_gao(ctx: _Ctx, wc) -> str | None:  # 镐: gǎo 'pick(axe)' / Hào (镐京, names)
    if not ctx.single:
        return None  # words decide: 镐头 gǎo, 镐京 hào, 李昌镐
    before = ctx.text[max(0, ctx.i - 2):ctx.i]
    if before[-1:] in ("铁", "斧", "钢", "洋", "用") or before in ("十字", "鹤嘴") or ctx.next_char() == "头":
        return "gao3"  # the tool: 一把铁镐, 斧镐, 十字镐, 用镐挖
    return None  # a given name (孙大镐) is g2pM's to read


def _rule_bao(ctx: _Ctx, wc) -> str | None:  # 薄: báo 'thin' as an adjective of its own / bó
    if not ctx.single:
        return None  # words decide: 薄弱 bó, 单薄 bó; a name decides itself (薄谷开来 Bó)
    prev, nxt = ctx.prev_tok(), ctx.next_tok()
    if (prev is not None and prev.text in _DEGREE) or (nxt is not None and (
            _is_clause_end(nxt) or nxt.text in ("的", "了", "得", "一点", "一些", "薄"))) and prev is not None and not _is_clause_end(prev):
        return "bao2"  # 很薄, 这本书太薄了, 薄薄的
    return None


def _single(reading: str) -> Callable[[_Ctx, list[str] | None], str | None]:
    """A character whose free-standing use has one reading; its other readings occur only
    inside words the dictionaries know (尽 jìn alone, jǐn in 尽管 尽量)."""

    def rule(ctx: _Ctx, wc) -> str | None:
        return reading if ctx.single else None

    return rule


def _after_numeral(after: str, otherwise: str | None) -> Callable[[_Ctx, list[str] | None], str | None]:
    """Free-standing character read ``after`` following a number (三更), else ``otherwise``."""

    def rule(ctx: _Ctx, wc) -> str | None:
        if not ctx.single:
            return None
        prev = ctx.prev_tok()
        return after if prev is not None and prev.text[-1] in "一二三四五六七八九十两几" else otherwise

    return rule


def _clause_has(ctx: _Ctx, words: Iterable[str], width: int = 8) -> bool:
    """Some token of ``words`` precedes the character in its clause (把…)."""
    words = set(words)
    for k in range(ctx.ti - 1, max(-1, ctx.ti - width), -1):
        t = ctx.tokens[k]
        if _is_clause_end(t):
            return False
        if t.text in words:
            return True
    return False


def _rule_shu(ctx: _Ctx, wc) -> str | None:  # 数: shǔ (count) / shù (number)
    nxt = ctx.next_tok()
    if not ctx.single:
        # 把钱数了两遍: jieba glued 钱数, but after 把 a noun + 数 + 了 is 'count'
        if (ctx.i == ctx.tok.end - 1 and _clause_has(ctx, ("把",)) and nxt is not None
                and nxt.text[:1] in ("了", "过", "一", "清", "完", "错")):
            return "shu3"
        return None
    if nxt is not None and nxt.text[:1] in ("了", "过", "着", "一", "不", "到", "清", "完", "错", "得"):
        return "shu3"
    if _clause_has(ctx, ("把",)):
        return "shu3"
    return None


_GUARDED = {"孩子", "小孩", "大门", "门", "家", "店", "摊", "摊子", "仓库", "羊", "牛", "犯人", "行李", "东西", "房子", "大楼"}


def _rule_kan(ctx: _Ctx, wc) -> str | None:  # 看: kān (look after) / kàn
    if not ctx.single:
        return None
    for k in range(ctx.ti + 1, min(len(ctx.tokens), ctx.ti + 6)):
        t = ctx.tokens[k]
        if t.text in _GUARDED:
            return "kan1"  # 看孩子, 看一会儿孩子, 看了一晚上的孩子, 看大门
        if t.text not in ("一会儿", "一下", "着", "了", "的", "一天", "几天", "一晚上", "晚上", "一整天", "点儿", "一点儿", "好") and t.tag[:1] not in ("m", "q"):
            break
    return None


def _rule_luo(ctx: _Ctx, wc) -> str | None:  # 落: là (leave behind: 把手机落在车上) / luò
    if ctx.tok.text == "落下" and ctx.i == ctx.tok.start:
        prev, obj = ctx.prev_tok(), _object_phrase(ctx)[1:]
        if (prev is not None and prev.text in ("别", "不要", "千万别", "可别", "没", "没有", "忘", "不会")) or obj.startswith("什么") or any(
                x in obj for x in ("东西", "功课", "课", "作业", "进度") + _BELONGINGS):
            return "la4"  # 别落下东西, 落下了两节课: leaving behind, falling behind (太阳落下 luò)
    if not ctx.single or ctx.next_tok() is None or ctx.next_tok().text not in ("在", "下", "了"):
        return None
    prev = ctx.prev_tok()
    if _clause_has(ctx, ("把",)) or (prev is not None and prev.text in _PRONOUNS):
        return "la4"  # a person leaves something behind: 我落了一把伞, 他把书落在家里 (叶子落了: luò)
    place = _object_phrase(ctx)
    if (ctx.next_tok().text == "在" and any(b in ctx.text[max(0, ctx.i - 12):ctx.i] for b in _BELONGINGS)
            and not place[1:].startswith(("地", "水", "头", "身", "脸", "肩", "桌", "床"))):
        return "la4"  # 钱包可能落在出租车上了: a belonging left somewhere (手机落在地上 falls: luò)
    return None


#: Things people leave behind (落在车上 là).
_BELONGINGS = ("钱包", "手机", "钥匙", "雨伞", "伞", "书包", "背包", "眼镜", "作业", "本子", "帽子", "外套",
               "证件", "护照", "身份证", "手套", "围巾", "充电器", "电脑")


def _rule_po(ctx: _Ctx, wc) -> str | None:  # 泊: pō (lake) after a place name / bó
    prev, tok = ctx.prev_tok(), ctx.tok
    if ctx.single and prev is not None and prev.tag in ("ns", "nr", "nz"):
        return "po1"
    if not wc and ctx.i == tok.end - 1 and len(tok.text) >= 3 and tok.tag in ("ns", "nr", "nz"):
        return "po1"  # a lake's name no dictionary reads: 梁山泊
    return None


#: Result complements: a word a dictionary reads as a noun turns out to be verb + result when
#: an aspect particle or an object follows (教会 jiàohuì 'church' / 教会了我们 jiāohuì 'taught us').
_RESULTS = set("会懂好完成")


def _rule_jiao(ctx: _Ctx, wc) -> str | None:  # 教: jiāo 'teach' as a verb; jiào in words (教室, 宗教)
    if ctx.single:
        if _word_readings(ctx.text[ctx.i:ctx.i + 2]) and ctx.next_char() not in _RESULTS:
            return None  # jieba cut a word apart (教学): the word's reading is the better guess
        return "jiao1"  # a free-standing 教 is the verb: 教我们做饭, 专门教钢琴
    tok, nxt = ctx.tok, ctx.next_tok()
    if (ctx.i == tok.start and len(tok.text) == 2 and tok.text[1] in _RESULTS and nxt is not None
            and (nxt.text in ("了", "过") or nxt.text in _PRONOUNS)):
        return "jiao1"  # 教会了我们, 教懂他: verb + result, not the noun 教会 'church'
    if not wc and _free_verb(ctx, wc):
        return "jiao1"  # a token no dictionary reads, glued by jieba
    return None


#: What 调 tiáo 'adjust' sets something to: 调小, 调高一点, 调成静音, 调好.
#: Things one sets (调到静音 tiáo): devices and their settings.
_DEVICES = ("手机", "空调", "电视", "闹钟", "音量", "温度", "声音", "收音机", "频道", "灯", "表", "时钟", "电脑", "屏幕", "亮度")
_ADJUSTED = set("高低大小好亮暗快慢准匀细粗松紧成浓淡")
#: What follows 调 diào 'transfer, move': 调走, 调往, 调回, 调动.
_TRANSFERRED = set("走往去回动任离派")


def _rule_tiao(ctx: _Ctx, wc) -> str | None:  # 调: tiáo 'adjust' / diào 'transfer' as a free verb
    if not _free_verb(ctx, wc):
        return None  # inside words the dictionaries decide: 空调 tiáo, 调查 diào, 声调 diào
    nxt, after = ctx.next_char(), ctx.next_char(2)
    prev = ctx.prev_tok()
    if ctx.single and prev is not None and (_is_numeral(prev) or prev.text in ("这个", "那个", "哪个", "个", "的")) and (
            _is_clause_end(ctx.next_tok()) or ctx.next_tok().text in _PRONOUNS or nxt in ("太", "很", "有", "是", "不", "好", "真", "挺")):
        return "diao4"  # the noun 'tune, tone': 这个调我唱不上去, 他说话的调很怪
    if nxt in _ADJUSTED or (nxt == "得" and ctx.single and after in _DEGREE_AFTER_DE):
        return "tiao2"  # 调小, 味道调得正好 (adjusting, judged by a degree)
    if nxt in _TRANSFERRED:
        return "diao4"
    if nxt == "到":  # 调到最大 / 调到二十六度 (adjust) vs 调到北京 (transfer)
        if after == "了":
            after = ctx.next_char(3)
        if any(d in ctx.clause_before(12) for d in _DEVICES):
            return "tiao2"  # 把手机调到静音: a setting (调到北京 is a transfer)
        return "tiao2" if after in _ADJUSTED or after in "最很更" or after in _NUMERAL_CHARS or after.isdigit() else "diao4"
    return None


#: What 背 bēi carries (背着书包, 背孩子) and what 背 bèi recites (背课文, 背单词).
_CARRIED = ("包", "书包", "背包", "孩子", "行李", "箱子", "袋", "篓", "筐", "老人", "伤员", "枪", "起", "上", "回", "走")
_RECITED = ("书", "课文", "单词", "生词", "诗", "台词", "公式", "歌词", "诵", "熟", "下来")


def _free_verb(ctx: _Ctx, wc) -> bool:
    """The character stands alone, or in a token no reading dictionary knows that jieba either
    does not know (its HMM glued 调小, 我系) or tags as a verb (背着, 倒杯); a pronoun before it
    in the token is the subject (我系)."""
    if ctx.single:
        return True
    tok = ctx.tok
    head = ctx.text[tok.start:ctx.i]
    if (wc and len(set(wc)) == 1) or (head and head not in _PRONOUNS):  # a word's one reading stands
        return False
    return bool(wc) or not segmenter().lex.get(tok.text) or tok.tag == "v"


def _rule_bei(ctx: _Ctx, wc) -> str | None:  # 背: bēi 'carry on the back' / bèi 'recite; back'
    if not _free_verb(ctx, wc):
        return None
    rest = ctx.text[ctx.i + 1:ctx.i + 5]
    if rest.startswith(("得动", "不动", "得起", "不起")):
        return "bei1"  # 你背得动吗: able to carry
    if rest[:1] in ("着", "了"):
        rest = rest[1:]
    if rest.startswith(_CARRIED):  # checked first: 书包 before 书
        return "bei1"
    if rest.startswith(_RECITED):
        return "bei4"
    goal = rest[2:3] if rest[1:2] == "了" else rest[1:2]
    if rest[:1] in ("到", "进", "去") and goal and goal not in _DEMONSTRATIVES and goal not in _NUMERAL_CHARS \
            and goal not in ("第", "哪", "底", "最", "后", "现", "一", "，", "。"):
        return "bei1"  # 背到医院, 背进屋里: carried to a place (背到第三课, 背到这儿 'recited up to': bèi)
    phrase = _object_phrase(ctx)  # 背着一个大书包: the object after a numeral and measure word
    if any(x in phrase for x in _CARRIED[:10]):
        return "bei1"
    if ctx.single:
        nxt, nxt2 = ctx.next_tok(), ctx.next_tok(2)
    else:  # the token 背着
        nxt, nxt2 = (ctx.tok, ctx.next_tok()) if ctx.tok.text == "背着" and ctx.i == ctx.tok.start else (None, None)
    if (nxt is not None and nxt.text.endswith("着") and nxt2 is not None and nxt2.tag[:1] == "n"
            and (nxt2.tag[:2] != "nr" or _word_readings(nxt2.text)) and nxt2.text not in _PERSONS and nxt2.text[:1] not in ("手", "身", "脸")):
        return "bei1"  # 背着 + a thing: 背着吉他 (背着手 'hands behind the back', 背着父母 'behind their back': bèi)
    return None


#: People one does something behind the back of (背着父母 bèi), not things one carries.
_PERSONS = {"父母", "爸爸", "妈妈", "家人", "老师", "老板", "领导", "同学", "朋友", "别人", "大家", "丈夫",
            "妻子", "家里", "家长", "同事"}


def _object_phrase(ctx: _Ctx, width: int = 7) -> str:
    """The text after the character up to the clause's end (at most ``width`` characters)."""
    seg = ctx.text[ctx.i + 1:ctx.i + 1 + width]
    cut = min((k for k in (seg.find(p) for p in "，。！？；：,.!?;:\n") if k >= 0), default=len(seg))
    return seg[:cut]


#: What 倒 dào pours, empties or reverses: 倒水, 倒杯茶, 倒垃圾, 倒车, 倒掉.
_POURED = ("水", "茶", "酒", "咖啡", "饮料", "牛奶", "杯", "一杯", "碗", "垃圾", "掉", "进", "出", "入", "满", "车", "退")


#: What follows the adverb 倒 dào 'on the contrary, actually': a predicate (倒也不错, 倒挺好, 你倒说说).
_AFTER_DAO_ADVERB = ("也", "挺", "很", "还", "真", "蛮", "不是", "没", "说", "想", "会", "能", "可以", "像", "比")


#: Verbs whose result is 倒 dǎo 'fall over': 吹倒, 推倒, 撞倒, 绊倒.
_FELLERS = {"吹", "推", "撞", "摔", "滑", "绊", "砍", "踢", "压", "碰", "挤", "刮", "冲", "打", "放", "拉", "晕",
            "累", "病", "跌", "撂", "扳", "震", "砸"}


def _rule_dao(ctx: _Ctx, wc) -> str | None:  # 倒: dào 'pour, reverse' / dǎo 'fall'
    if not _free_verb(ctx, wc):
        return None
    rest = ctx.text[ctx.i + 1:ctx.i + 4]
    prev = ctx.prev_tok()
    if ctx.single and prev is not None and prev.text in _FELLERS and (rest[:1] in ("了", "在", "过", "一") or _is_clause_end(ctx.next_tok())):
        return "dao3"  # verb + result 倒 'fall over': 被风吹倒了, 把他推倒在地上 (倒 is no object here)
    if ctx.single and rest.startswith(_AFTER_DAO_ADVERB) and not _is_clause_end(ctx.prev_tok()):
        return "dao4"  # the adverb: 这个办法倒也不错, 你倒说说看
    if rest.startswith(_POURED):
        return "dao4"
    if rest[:1] == "了" and any(x in _object_phrase(ctx) for x in _POURED[:9]):
        return "dao4"  # 倒了两杯茶
    if _clause_has(ctx, ("把",)) and rest[:1] in ("了", "在"):
        return "dao4"  # 把水倒了, 把汤倒在碗里 (倒 with 把 moves the object: pour)
    if ctx.single and rest[:1] == "在" and not any(x in ctx.clause_before(10) for x in _POURED[:9]):
        return "dao3"  # 他倒在了地上: falling somewhere (水倒在杯子里 is poured)
    return None


#: What 系 jì ties: 系鞋带, 系好安全带, 系上围巾.
_TIED = ("鞋带", "领带", "安全带", "带子", "围巾", "围裙", "扣子", "绳", "好", "上", "紧", "一下", "个结")


def _rule_ji(ctx: _Ctx, wc) -> str | None:  # 系: jì 'tie' as a free verb / xì (system, department)
    if _free_verb(ctx, wc) and ctx.text[ctx.i + 1:ctx.i + 4].startswith(_TIED):
        return "ji4"
    return None


#: What 中 zhòng hits or wins: 中奖, 中了一等奖, 中毒, 中暑, 中弹.
_HIT = ("奖", "彩", "毒", "暑", "弹", "枪", "计", "标", "圈套", "病毒", "邪")


def _rule_zhong_hit(ctx: _Ctx, wc) -> str | None:  # 中: zhòng 'hit, win' as a verb / zhōng
    if not _free_verb(ctx, wc):
        return None
    rest = ctx.text[ctx.i + 1:ctx.i + 4]
    if rest[:1] == "了" and not _is_clause_end(ctx.prev_tok()) and (
            rest[1:].startswith(_HIT) or rest[1:2] in _NUMERAL_CHARS or rest[1:2] in ("头", "大")):
        return "zhong4"  # 他中了一等奖, 中了头奖
    if rest.startswith(_HIT):
        return "zhong4"
    return None


def _rule_zhuan(ctx: _Ctx, wc) -> str | None:  # 转: zhuàn 'spin' / zhuǎn 'turn, pass on'
    if not _free_verb(ctx, wc):
        return None
    rest = ctx.text[ctx.i + 1:ctx.i + 4]
    if rest.startswith(("着", "圈", "个不停", "来转去", "转", "得", "一转")) or ctx.clause_before(4).endswith(("不停地", "不停", "一直")):
        return "zhuan4"  # 风车转着, 转了三圈, 轮子转得很快: turning round; 转转 'stroll about'
    if _ROUNDS_COUNTED.match(_object_phrase(ctx)):
        return "zhuan4"  # 转了好几圈, 转过两圈, 转个圈: rounds counted
    if any(w in ctx.clause_before(12) for w in ("绕着", "围着", "围绕", "绕")) and _is_clause_end(ctx.next_tok()):
        return "zhuan4"  # 地球绕着太阳转: going round something
    if rest.startswith(("向", "到", "给", "身", "弯", "告", "交", "学", "车", "机", "账")):
        return "zhuan3"  # 向左转, 转给他, 转身
    return None


def _rule_jue(ctx: _Ctx, wc) -> str | None:  # 觉: jiào 'sleep' (睡…觉) / jué 'feel'
    if _free_verb(ctx, wc) and "睡" in ctx.clause_before(10):
        return "jiao4"  # 睡了五个小时的觉, 睡个好觉
    if ctx.single and ctx.prev_char() == "一" and ctx.next_char() in ("睡", "醒"):
        return "jiao4"  # 一觉醒来, 这一觉睡得很香: a sleep counted, then 睡/醒
    return None


#: Words before a free-standing 难 nàn 'disaster, trouble': 遇难, 逃难, 避难.
_NAN4_BEFORE = set("遇遭逃避救患落受发赴殉罹")


def _rule_nan(ctx: _Ctx, wc) -> str | None:  # 难: nán 'hard' on its own / nàn in words (难民, 灾难)
    if not ctx.single:
        return None
    prev, nxt = ctx.prev_tok(), ctx.next_tok()
    if (prev is not None and prev.text[-1:] in _NAN4_BEFORE) or (nxt is not None and nxt.text[:1] == "民"):
        return None
    return "nan2"  # 这次考试不太难, 难不难?


def _rule_yan(ctx: _Ctx, wc) -> str | None:  # 燕: yàn 'swallow' in given names / Yān the surname
    tok = ctx.tok
    prev_c = ctx.prev_char()
    in_name = tok.tag[:2] in ("nr", "x") or not wc
    if ctx.i > tok.start and in_name and (prev_c in _GIVEN_NAME_CHARS or prev_c in "小晓阿" or (
            tok.tag[:2] == "nr" and len(tok.text) >= 3 and ctx.i == tok.end - 1)):
        return "yan4"  # 周晓燕, 王丽燕: a given name, not the surname
    if ctx.single and prev_c in "小晓阿" and prev_c:
        return "yan4"  # 晓燕, 小燕 as a given name or a pet name
    return None


def _verb_use(reading: str, after: Iterable[str], before: Iterable[str]) -> Callable[[_Ctx, list[str] | None], str | None]:
    """A free-standing character read ``reading`` where it is used as a verb: followed by a
    complement/aspect marker (``after``), preceded by 把/被 or a word in ``before``, or
    after a pronoun subject. Elsewhere (names, literary compounds) it is left alone."""
    after, before = tuple(after), set(before) | {"把", "被", "给", "帮", "都", "也", "又", "再"}

    def rule(ctx: _Ctx, wc) -> str | None:
        if not ctx.single:
            return None
        nxt, prev = ctx.next_tok(), ctx.prev_tok()
        if nxt is not None and nxt.text.startswith(after):
            return reading
        if prev is not None and (prev.text in before or prev.text in _PRONOUNS or _clause_has(ctx, ("把", "被"), 4)):
            return reading
        return None

    return rule


_FAN = _verb_use("shan1", ("着", "了", "风", "扇子", "一下", "耳光"), ())


def _rule_shan(ctx: _Ctx, wc) -> str | None:  # 扇: shàn, the measure word for doors and windows / shān 'fan'
    if ctx.single and _is_numeral(ctx.prev_tok()):
        return "shan4"  # 一扇门, 那扇窗户
    return _FAN(ctx, wc)  # the verb: 扇着扇子, 扇了一下


_DIRECTIONS = set("南北方向走两部长宽侧岸城街路线轴半")


def _rule_dongxi(ctx: _Ctx, wc) -> str | None:  # 东西: dōngxi 'thing' unless it means east-west
    if ctx.tok.text != "东西":
        return None
    nxt, prev = ctx.next_char(), ctx.prev_char()
    if nxt in _DIRECTIONS or prev in ("南", "北", "贯", "横", "纵"):
        return "xi1"  # 东西走向, 南北东西, 横贯东西
    return "xi5"


def _rule_bian(ctx: _Ctx, wc) -> str | None:  # 便宜 'cheap' is piányi
    return "pian2" if ctx.next_char() == "宜" else None


#: What 场 cháng counts (现汉: 场 cháng 量 "用于事情的经过": 一场透雨, 一场大战, 一场病):
#: weather, illness and fighting; for everything else -- performances, matches, meetings,
#: exams, films -- the measure word is chǎng (一场电影, 一场比赛, 一场场视频会议).
_CHANG2_EVENTS = ("雨", "雪", "风", "雾", "霜", "雹", "冰雹", "暴雨", "大雨", "小雨", "大雪", "暴雪", "风雪", "风暴",
                  "台风", "寒潮", "病", "大病", "重病", "感冒", "发烧", "高烧", "瘟疫", "疫病", "大战", "仗", "恶战",
                  "战斗", "战争", "架", "梦")


def _rule_chang(ctx: _Ctx, wc) -> str | None:  # 场 as a measure word: chǎng, or cháng for an episode
    tok = ctx.tok
    before = ctx.text[tok.start:ctx.i]
    if before and all(c in _NUMERAL_CHARS or c in _DEMONSTRATIVES or c == "场" for c in before):
        counted = True  # 一场, 这场, 一场场
    elif ctx.single or ctx.i == tok.start:
        counted = _is_numeral(ctx.prev_tok()) and not before
    else:
        counted = False
    if not counted or ctx.i != tok.end - 1 and ctx.text[ctx.i + 1] != "场":
        return None
    rest = ctx.text[tok.end:tok.end + 3]
    rest = rest[1:] if rest[:1] in ("大", "小", "透", "急", "重") and rest[1:2] not in ("会", "型") else rest
    if rest.startswith(_CHANG2_EVENTS) or ctx.text[tok.end:tok.end + 3].startswith(_CHANG2_EVENTS):
        return "chang2"  # 一场雨, 一场大病
    return "chang3"


# Patterns and sets the rules test per character, made once.
_WET_THING_BEFORE = re.compile(f"(?:{'|'.join(_WET)})(?:{'|'.join(_STILL)})*(?:是|不是)?$")
_ROUNDS_COUNTED = re.compile(f"[了过]?(?:[{''.join(sorted(_NUMERAL_CHARS))}好]+|个)圈")
_DEGREE_AFTER_DE = frozenset(_DEGREE_ADJ | {"正", "刚", "太", "不", "好", "很"})
_ZHAO_AFTER_BU = frozenset({"点", "烧", *_ZHAO_VERBS})
_A_NOT_A = re.compile(f"([{HAN}])[不没]\\1")
_V_YI_V = re.compile(f"([{HAN}])一\\1")

_RULES: dict[str, Callable[[_Ctx, list[str] | None], str | None]] = {
    "场": _rule_chang,
    "的": _rule_de_particle, "地": _rule_di, "得": _rule_de_get, "了": _rule_le, "着": _rule_zhe,
    "为": _rule_wei, "还": _rule_hai, "好": _rule_hao, "蒙": _rule_meng, "晕": _rule_yun, "只": _rule_zhi, "行": _rule_xing, "长": _rule_zhang,
    "重": _rule_zhong_heavy, "种": _rule_zhong_kind, "当": _rule_dang, "儿": _rule_er,
    "都": _rule_dou, "和": _rule_he, "差": _rule_cha, "没": _single("mei2"),  # mò only in words (淹没, 没收)
    "难": _rule_nan, "空": _rule_kong,
    "干": _rule_gan, "散": _rule_san, "脏": _rule_zang, "挑": _rule_tiao_pick, "炸": _rule_zha,
    "剥": _rule_bao_peel, "冲": _rule_chong_toward, "扎": _rule_za, "吧": _rule_ba, "分": _rule_fen, "涨": _rule_zhang_swell,
    "削": _rule_xiao, "乐": _rule_le_happy,
    "哄": _verb_use("hong3", ("了", "着", "孩子", "他", "她", "我", "你", "好", "睡", "一下"), ("会", "去", "来", "别")), "卷": _rule_juan, "吐": _rule_tu,
    "缝": _verb_use("feng2", ("好", "上", "了", "着", "起", "补", "衣服", "扣子", "一下", "几针", "在"), ("会", "帮", "要", "正在")),
    "钻": _verb_use("zuan1", ("进", "出", "到", "过", "入", "山洞", "洞", "了", "着", "来", "去"), ("去", "往", "想", "会", "要")),
    "扇": _rule_shan,
    "尽": _single("jin4"), "少": _single("shao3"), "血": _rule_xue, "薄": _rule_bao,
    "更": _after_numeral("geng1", "geng4"),
    "宿": _after_numeral("xiu3", None),  # 住了一宿, 一宿没睡: a night counted (宿舍 sù)
    "累": _verb_use("lei4", ("得", "了", "坏", "死", "极", "着", "倒", "病", "。", "，"), _DEGREE),
    "塞": _verb_use("sai1", ("进", "入", "到", "满", "给", "在", "了", "着", "住", "上"), ()),
    "藏": _verb_use("cang2", ("在", "起", "着", "了", "好", "进", "到", "于", "身", "匿"), ("躲", "偷偷", "悄悄", "收", "所")),
    "量": _verb_use("liang2", ("了", "过", "着", "一", "体", "身", "血", "尺", "长", "宽"), ("先", "再", "来", "去")),
    "刨": _rule_pao, "镐": _rule_gao,
    "数": _rule_shu, "看": _rule_kan, "落": _rule_luo, "泊": _rule_po,
    "教": _rule_jiao, "便": _rule_bian, "西": _rule_dongxi,
    "调": _rule_tiao, "背": _rule_bei, "倒": _rule_dao, "系": _rule_ji, "中": _rule_zhong_hit,
    "觉": _rule_jue, "转": _rule_zhuan,
    "将": _rule_jiang, "涌": _rule_chong,
    "朝": _rule_chao, "角": _rule_jiao_horn, "处": _rule_chu, "应": _rule_ying, "挨": _rule_ai,
    "弄": _verb_use("nong4", ("干", "清", "坏", "好", "脏", "丢", "错", "乱", "湿", "明白", "懂", "得", "不",
                              "成", "到", "出", "了", "过", "着", "掉", "破", "断", "醒", "完"), ("别", "要", "会", "想", "才")),
    "撒": _verb_use("sa3", ("上", "在", "满", "下", "些", "点", "盐", "糖", "到", "入", "向", "进"), ()),
    "铺": _verb_use("pu1", ("上", "在", "满", "开", "好", "着", "了", "成", "平", "床", "路"), ()),
    "钉": _verb_use("ding4", ("在", "上", "住", "进", "到", "好", "了", "着", "扣"), ()),
    "盛": _verb_use("cheng2", ("饭", "汤", "米", "粥", "菜", "碗", "一", "满", "了", "上", "好", "点", "些", "出"), ("去",)),
    "粘": _verb_use("zhan1", ("在", "上", "住", "到", "了", "满", "起", "牢", "好"), ()),
}


#: Characters whose rules look at whole tokens or at characters: a token holding them is not
#: cut up for them (角斗士 stays one word, and so do 西瓜, 方便).
_WHOLE_TOKEN_RULES = set("分乐吧扎晕好朝角将涌西便场教调背倒系中觉转")


#: Characters the rules need to see as tokens of their own (see :func:`segment._segment`).
ALONE = frozenset(c for c in _RULES if c not in _WHOLE_TOKEN_RULES)


#: Terms of address read with a neutral second syllable (现汉: 大爷 dàye, 师傅 shīfu, 先生
#: xiānsheng), where CC-CEDICT also lists a full-tone sense (大爷 dàyé 'idler').
_ADDRESS = {"大爷", "大娘", "大妈", "大伯", "师傅", "先生", "太太", "姑娘", "老爷", "少爷", "姥爷", "爷爷", "奶奶",
            "叔叔", "阿姨", "伯伯", "舅舅", "姐姐", "哥哥", "弟弟", "妹妹", "妈妈", "爸爸", "姥姥", "婶婶"}
#: Words whose adjective sense has its own reading (现汉): 地道 dìdao 'authentic' / dìdào
#: 'tunnel', 精神 jīngshen 'lively' / jīngshén 'spirit', 大意 dàyi 'careless' / dàyì 'gist',
#: 大方 dàfang 'generous' / dàfāng 'expert'.
_ADJECTIVE_SENSE = {"地道": ("di4", "dao5"), "精神": ("jing1", "shen5"), "大意": ("da4", "yi5"),
                    "大方": ("da4", "fang5")}
#: Words read by their everyday sense (现汉), where the dictionaries also give, or give only, a
#: historical or religious one: 大夫 dàifu 'doctor' (dàfū, an ancient rank: 士大夫), 说法
#: shuōfa 'wording, view' (shuōfǎ 'preach Buddhism'). The characters after the readings, seen
#: shortly before the word, mark the other sense.
_EVERYDAY_SENSE = {"大夫": (("dai4", "fu5"), "士卿"), "说法": (("shuo1", "fa5"), "佛经僧禅")}
#: Nouns whose full-tone reading is a modifier sense, used right before another noun: 地方
#: dìfāng 'local' (地方政府); elsewhere 地方 is dìfang 'place' (这个地方).
_MODIFIER_SENSE = {"地方": (("di4", "fang1"), ("di4", "fang5"))}


def _rule_word_variant(ch: str, ctx: _Ctx, wc: list[str] | None) -> str | None:
    """Between a word's full-tone and neutral-tone readings (both in the dictionaries), the
    grammar decides: terms of address take the neutral tone (刘大爷 dàye), and an adjective
    sense shows after a degree word or before 的 (很地道, 地道的重庆菜 dìdao)."""
    tok = ctx.tok
    sense = _EVERYDAY_SENSE.get(tok.text)
    if sense is not None and not any(c in ctx.text[max(0, tok.start - 8):tok.start] for c in sense[1]):
        return sense[0][ctx.i - tok.start]
    if not wc or len(wc) < 2 or not any(x.endswith("5") for x in wc):
        return None
    neutral = next(x for x in wc if x.endswith("5"))
    if ctx.text[ctx.i - 1:ctx.i + 1] in _ADDRESS and ctx.i > 0:
        return neutral
    tok = ctx.tok
    sense = _ADJECTIVE_SENSE.get(tok.text)
    if sense is not None:
        prev, nxt = ctx.prev_tok(), ctx.next_tok()
        adjective = (prev is not None and (prev.text in _DEGREE or prev.text[-1:] in ("很", "真", "太", "挺", "够"))) or (
            nxt is not None and nxt.text in ("的", "极了", "得很") and not _is_numeral(prev) and not (prev is not None and prev.tag == "q"))
        if adjective:
            return sense[ctx.i - tok.start]
    if tok.text == "多少" and ctx.i == tok.start + 1:
        nxt = ctx.next_tok()
        adverbial = nxt is not None and not _is_clause_end(nxt) and (
            nxt.tag[:1] in ("d", "v") and nxt.text not in ("钱",) or nxt.text[:2] in ("有点", "有些"))
        return "shao3" if adverbial else neutral  # 现汉: 多少钱 duōshao; 多少有点紧张 duōshǎo 'somewhat'
    pair = _MODIFIER_SENSE.get(tok.text)
    if pair is not None:
        nxt = ctx.next_tok()
        modifier = nxt is not None and nxt.tag[:1] == "n" and nxt.text != "的"
        return pair[0 if modifier else 1][ctx.i - tok.start]
    return None


#: What may stand between the verb and the object of a separable word (照张相, 洗了个澡, 帮个忙,
#: 睡个好觉): aspect markers, numerals, measure words, a few adjectives and 的.
_SEPARATING = set("了过着个张次场顿口回趟下会儿一二三四五六七八九十两几半好大小的些点天年周星期礼拜钟头")  # 放了三天假


_SEP_PHRASES = ("什么", "了什么", "个什么")


def _separates(between: str) -> bool:
    """``between`` can stand inside a split verb-object word: a measure phrase or 什么
    (着什么急, 生什么气)."""
    return all(c in _SEPARATING for c in between) or between in _SEP_PHRASES


def _separated_object(ctx: _Ctx, wc) -> str | None:
    """The object half of a verb-object word split by a measure phrase (照张相 xiàng: 照相)
    reads as in the whole word."""
    if not ctx.single or wc:
        return None
    for k in range(2, 7):
        j = ctx.i - k
        if j < 0:
            break
        between = ctx.text[j + 1:ctx.i]
        if not _separates(between):
            if any(x.startswith(between) for x in _SEP_PHRASES):
                continue  # part of 什么
            break
        word = ctx.text[j] + ctx.text[ctx.i]
        readings = _word_readings(word)
        if len(readings) == 1 and word in _dict_tables().verbs:  # CC-CEDICT glosses it "to ..."
            return readings[0][1]
    return None


def _separated_verb(ctx: _Ctx, wc) -> str | None:
    """The verb half of a verb-object word split by a measure phrase (干了一杯 gān: 干杯, 当了
    三年兵 dāng: 当兵) reads as in the whole word."""
    if not ctx.single or wc:
        return None
    for k in range(2, 7):
        j = ctx.i + k
        if j >= len(ctx.text):
            break
        between = ctx.text[ctx.i + 1:j]
        if not _separates(between):
            if any(x.startswith(between) for x in _SEP_PHRASES):
                continue  # part of 什么
            break
        if "了" not in between and "个" not in between and "什么" not in between:
            continue  # an aspect marker, 个 or 什么 shows the split (干一杯 alone could be 干 + 一杯)
        word = ctx.text[ctx.i] + ctx.text[j]
        readings = _word_readings(word)
        if len(readings) == 1 and word in _dict_tables().verbs:
            return readings[0][0]
    return None


def _apply_rules(ch: str, ctx: _Ctx, wc: list[str] | None) -> str | None:
    """The reading a rule gives ``ch`` here, or None."""
    variant = _rule_word_variant(ch, ctx, wc)
    if variant:
        return variant
    if ch == "燕":
        r = _rule_yan(ctx, wc)  # a given name (周晓燕) before the surname rule (燕老师)
        if r:
            return r
    if ch in _SURNAMES:
        r = _rule_surname(ctx, wc)
        if r:
            return r
    rule = _RULES.get(ch)
    ruled = rule(ctx, wc) if rule else None
    if ruled is None and len(_char_readings(ch)) > 1:
        ruled = _separated_object(ctx, wc) or _separated_verb(ctx, wc)
    return ruled


def _a_not_a(text: str, chars: list[_Char | None]) -> None:
    """A-not-A questions (累不累, 长没长, 了不了解): the first A takes the reading decided for
    the second, which the grammar sees better (不 before it marks a predicate: 不累 lèi, 不长
    cháng; 了解 is a word)."""
    for m in _A_NOT_A.finditer(text):
        i = m.start()
        first, second = chars[i], chars[i + 2]
        if (first is None or second is None or first.source in ("override", "fixed") or not second.reading
                or first.reading == second.reading or second.reading not in _char_readings(text[i])):
            continue
        if text[i] == "得" and first.source == "rule" and first.reading == "de5":
            continue  # 高兴得不得了: the complement marker after a predicate is no A of A-not-A
        first.reading, first.source = second.reading, "rule"
        first.candidates = tuple(dict.fromkeys([second.reading, *first.candidates]))


def _v_yi_v(text: str, chars: list[_Char | None]) -> None:
    """A verb said twice round 一 (数一数, 量一量, 看一看): the second takes the first's
    syllable, which the verb's context decides (before 一); a neutral tone on the second
    (a dictionary's 看一看 kàn yi kan) stays."""
    for m in _V_YI_V.finditer(text):
        i = m.start()
        first, second = chars[i], chars[i + 2]
        if (first is None or second is None or second.source in ("override", "fixed") or not first.reading
                or first.reading[:-1] == second.reading[:-1] and second.reading.endswith("5")
                or first.reading == second.reading or first.reading not in _char_readings(text[i])):
            continue
        second.reading, second.source = first.reading, "rule"
        second.candidates = tuple(dict.fromkeys([first.reading, *second.candidates]))
