"""The sense a popup leads with: context flags (yuedu.reading.roles) and the rules of
yuedu.glossary.rank_senses that read them, on sentences written for these tests; the built site's
popups follow them, per occurrence."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from yuedu import glossary
from yuedu.reading import annotate

from conftest import ROOT, make_project


@pytest.fixture(scope="module")
def real() -> glossary.Dictionary:
    return glossary.load(ROOT / glossary.CACHE_DIR_NAME)


def _word(text: str, word: str):
    return next(x for x in annotate(text) if x.text == word)


def _lead(real: glossary.Dictionary, text: str, word: str) -> str:
    return glossary.gloss(_word(text, word), real)["senses"][0]


# ---- context flags -----------------------------------------------------------------------------

@pytest.mark.parametrize("text,word,flag", [
    ("她会游泳。", "会", "bv"),            # a verb follows
    ("我想学中文。", "想", "bv?=学"),      # jieba tags 学 a noun here: the dictionary decides
    ("妹妹叫弟弟来。", "叫", "pivot"),     # verb + person + verb
    ("她叫李华。", "叫", "name"),           # verb + a person's name
    ("你给她一杯茶。", "给", "dobj"),       # coverb + person + thing, no verb after
    ("我们周末去爬山，行吗？", "行", "reply"),  # a clause of its own, asked with 吗
    ("他下了山。", "下", "o=山"),           # the separable word 下山 with 了 inside
    ("他在看电视呢。", "呢", "endd"),       # the clause ends, not asking
    ("我买了一盘菜。", "菜", "m=盘"),        # numeral + measure word before the noun
    ("那扇窗户开着。", "窗户", "m=扇"),      # demonstrative + measure word
    ("你吃饭了吗？", "吗", "endq"),          # the clause ends with a question mark
    ("作业做好了。", "好", "av"),           # after a verb
])
def test_context_flags(text: str, word: str, flag: str) -> None:
    assert flag in _word(text, word).context


@pytest.mark.parametrize("text,word,flag", [
    ("请给我打电话。", "给", "dobj"),     # a verb follows the person: 给 is a preposition
    ("我们在公园见面。", "在", "dobj"),    # a place, and jieba's noun 见面, are no double object
    ("他大声叫。", "叫", "name"),
    ("我想去上海。", "去", "av"),          # after an auxiliary, 去 is the main verb
    ("他行不行，我不知道。", "行", "reply"),  # 行 has a subject here: "is he capable"
    ("我去中国。", "去", "name"),          # a place, not a person's name
    ("路上有一座座小山。", "座", "m=座"),    # a repeated measure word is no noun
])
def test_context_flags_absent(text: str, word: str, flag: str) -> None:
    assert all(flag not in w.context for w in annotate(text) if w.text == word)


def test_flags_leave_pos_and_readings_alone() -> None:
    w = _word("我想学中文。", "想")
    assert w.pos == "v" and w.pinyin == ("xiǎng",)
    assert [x.text for x in annotate("我想学中文。")] == ["我", "想", "学", "中文", "。"]


# ---- rules of the ranking ----------------------------------------------------------------------

@pytest.mark.parametrize("text,word,lead", [
    ("我想学中文。", "想", "to desire; to want (to)"),               # auxiliary before a verb
    ("老师让我们回家。", "让", "to let sb do sth"),                    # verb + person + verb
    ("她叫李华。", "叫", "to be called"),                             # verb + name
    ("你给她一杯茶。", "给", "to give"),                              # double object: main verb
    ("我们周末去爬山，行吗？", "行", "all right"),                     # agreement
    ("他看过这本书。", "过", "(experienced action marker)"),          # neutral-tone particle entry
    ("妹妹在看书。", "在", "(used before a verb to indicate an action in progress)"),  # CEDICT's condition
    ("作业做好了。", "好", "(verb complement indicating completion)"),
    ("这条河很长。", "长", "long"),                                   # not "length" after 很
    ("他下了山。", "下", "to go down"),                               # 下山 "to go down a hill"
    ("我用手机看新闻。", "用", "to use"),                             # "to have to" is no preposition
    ("他在看电视呢。", "呢", "(at the end of a declarative sentence) particle indicating continuation of a state or action"),
    ("饭已经凉了。", "了", "(modal particle indicating change of state, situation now)"),  # ends its clause
    ("我买了一盘菜。", "菜", "dish (of food) (CL:样 (yàng),道 (dào),盘 (pán))"),  # CC-CEDICT's CL: note
    ("地里有一棵菜。", "菜", "vegetable; greens (CL:棵 (kē))"),
    ("那扇门开着。", "门", "gate"),                                   # "classifier: 扇" after gate, door
])
def test_the_construction_decides_the_lead(real, text: str, word: str, lead: str) -> None:
    w = _word(text, word)
    g = glossary.gloss(w, real)
    assert g["senses"][0] == lead
    assert len(g["senses"]) == len(set(g["senses"]))


@pytest.mark.parametrize("text,word,not_lead", [
    ("我想他。", "想", "to desire; to want (to)"),   # no verb follows: not the auxiliary
    ("他大声叫。", "叫", "to be called"),             # no name follows
    ("他行不行，我不知道。", "行", "all right"),      # 行 with a subject: capable or not
    ("这件事很好。", "好", "(verb complement indicating completion)"),  # no verb before
    ("她买了两斤苹果。", "了", "(modal particle indicating change of state, situation now)"),  # mid-clause
    ("这种方法适用于大学生。", "于", "sentence-final interrogative particle"),  # not at the end
    ("学校与北京大学、清华大学签了协议。", "与", "to give"),  # 、 lists items; a verb follows
    ("我们以学生为主。", "以", "to use"),                    # 为 follows: no double object
    ("这个门坏了。", "门", "gateway"),                        # 个 goes with any noun: no evidence
    ("他住在离学校不远的地方。", "在", "(used before a verb to indicate an action in progress)"),  # after 住
    ("我们在公园。", "在", "(used before a verb to indicate an action in progress)"),
])
def test_without_the_construction_the_sense_does_not_lead(real, text: str, word: str, not_lead: str) -> None:
    assert _lead(real, text, word) != not_lead


def test_particle_reading_keeps_every_sense(real) -> None:
    """过 read guò as a particle: the guo5 marker leads, the guò senses follow, none twice."""
    w = _word("他看过这本书。", "过")
    g = glossary.gloss(w, real)
    assert g["p"] == "".join(w.pinyin)  # the popup shows the sentence's reading
    assert "to cross" in g["senses"]
    assert all(o["p"] != "guo" for o in g["other"])


# ---- the built site: each occurrence leads with its own sense -------------------------------------

def test_site_popup_leads_per_occurrence(tmp_path, browser) -> None:
    from browser import serve_site

    root = make_project(tmp_path / "p", content=False)
    text = "我很想他。我想学中文。\n"
    (root / "content" / "a.md").write_text("---\ntitle: 朋友\ndate: 2026-01-02\n---\n\n" + text, encoding="utf-8")
    out = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), "build"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    site = root / "site"
    html = (site / "a" / "index.html").read_text(encoding="utf-8")
    words = json.loads(re.search(r'<script type="application/json" id="gloss-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    gid = next(i for i, w in enumerate(words) if w["w"] == "想")
    senses = json.loads((site / "a" / "0.json").read_text(encoding="utf-8"))[gid]["senses"]
    assert senses[0] != "to desire; to want (to)"  # the page met 想 first as 想他
    marks = re.findall(rf'<ruby data-g="{gid}"( data-l="(\d+)")?>', html)
    assert len(marks) == 2 and not marks[0][0] and senses[int(marks[1][1])] == "to desire; to want (to)"

    with serve_site(site) as url:
        page = browser.new_page()
        page.goto(url + "a/")
        firsts = []
        for k in range(2):
            page.locator(f'.reading ruby[data-g="{gid}"]').nth(k).hover()
            page.wait_for_function("() => !document.getElementById('gloss-pop').hidden"
                                   " && document.querySelector('#gloss-pop .senses li')", timeout=5000)
            firsts.append(page.evaluate("() => document.querySelector('#gloss-pop .senses li').textContent"))
            page.mouse.move(0, 0)
        page.close()
    assert firsts == [senses[0], "to desire; to want (to)"]


def test_short_english_drops_a_nested_qualifier() -> None:
    assert glossary.short_english({"senses": ["(same as 就是 (jiùshì)) merely; simply"]}) == "merely"
    assert glossary.short_english({"senses": ["(bound form) class; rank"]}) == "class"
