"""The ruby treeprocessor: input Markdown beside the HTML it renders."""

from __future__ import annotations

import markdown
import pytest

from yuedu.ruby import RubyExtension


@pytest.fixture
def md():
    ext = RubyExtension()
    md = markdown.Markdown(extensions=[ext])
    md.ext = ext
    return md


def assert_renders(md, source: str, expected: str) -> None:
    md.reset()
    assert md.convert(source) == expected


def r(word: str, *syllables: str, gid: int) -> str:
    inner = "".join(f'{c}<rt aria-hidden="true">{s}</rt>' for c, s in zip(word, syllables))
    return f'<ruby data-g="{gid}">{inner}</ruby>'


def test_words_become_ruby_and_other_text_stays(md):
    assert_renders(md, "我有2个银行卡。", "<p>" + r("我", "wǒ", gid=0) + r("有", "yǒu", gid=1) + "2"
                   + r("个", "gè", gid=2) + r("银行卡", "yín", "háng", "kǎ", gid=3) + "。</p>")


def test_code_is_untouched_and_emphasis_and_tails_are_annotated(md):
    html = (md.reset(), md.convert("**你好**，`中文` 再见"))[1]
    assert "<code>中文</code>" in html
    assert html.startswith("<p><strong>" + r("你好", "nǐ", "hǎo", gid=0) + "</strong>，")
    assert html.endswith(r("再见", "zài", "jiàn", gid=1) + "</p>")


def test_heading_and_list(md):
    md.reset()
    html = md.convert("## 大学\n\n- 中文\n- English")
    assert html.startswith("<h2>" + r("大学", "dà", "xué", gid=0) + "</h2>")
    assert "<li>" + r("中文", "zhōng", "wén", gid=1) + "</li>" in html
    assert "<li>English</li>" in html


def test_vocabulary_counts_each_word_and_reading_once(md):
    md.ext.start_page()
    md.convert("他在银行工作。银行很大。他行走。")
    vocab = md.ext.vocabulary
    counts = {(w.text, w.pinyin): c for w, c in zip(vocab.words, vocab.counts)}
    assert len(counts) == len(vocab.words)  # each word and reading once
    assert counts[("银行", ("yín", "háng"))] == 2
    assert counts[("他", ("tā",))] == 2
    assert counts[("行走", ("xíng", "zǒu"))] == 1


def test_escapes_survive(md):
    md.reset()
    assert md.convert(r"\*字\*") == "<p>*" + r("字", "zì", gid=0) + "*</p>"
