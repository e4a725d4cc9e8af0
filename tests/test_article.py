"""The article format: front matter, blocks, translations paired by position, errors with lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from yuedu.article import parse_article, read_article
from yuedu.errors import BuildFailed

CASES = Path(__file__).parent / "fixtures" / "content"


def errors_of(name: str) -> list[str]:
    with pytest.raises(BuildFailed) as info:
        read_article(CASES / name, f"content/{name}")
    return [str(e) for e in info.value.errors]


def test_good_article_blocks_and_translations():
    article = read_article(CASES / "article_good.md")
    assert article.title == "银行"
    assert article.date == dt.date(2026, 11, 5)
    assert [b.kind for b in article.blocks] == ["text", "text", "caption"]
    assert article.blocks[0].is_heading
    assert article.blocks[2].text == "银行门口 王小明 | 摄"
    assert article.blocks[2].en == "The bank entrance. Photo: Wang Xiaoming"
    assert [b.line for b in article.blocks] == [9, 13, 17]
    assert article.warnings == ()


def test_misaligned_translation_names_file_and_lines():
    errors = errors_of("article_misaligned_translation.md")
    assert errors == [
        "content/article_misaligned_translation.md:11: missing translation: "
        "this block has no 'en:' block after it (它很喜欢睡觉。)",
        "content/article_misaligned_translation.md:17: extra translation: "
        "this 'en:' block does not follow a Chinese block",
    ]


def test_broken_front_matter_names_the_line():
    (error,) = errors_of("article_broken_front_matter.md")
    assert error.startswith("content/article_broken_front_matter.md:4: front matter:")


def test_bad_date_and_missing_title():
    assert errors_of("article_bad_date.md") == [
        "content/article_bad_date.md:3: front matter: 'date' '2026-13-45' is not a date YYYY-MM-DD"]
    assert errors_of("article_no_title.md") == [
        "content/article_no_title.md:1: front matter: 'title' is missing or empty"]


def test_not_utf8_names_the_line():
    (error,) = errors_of("article_not_utf8.md")
    assert error == "content/article_not_utf8.md:6: not valid UTF-8 (byte 0xff); save the file as UTF-8"


def test_untranslated_article_is_a_draft_with_a_warning():
    article = read_article(CASES / "article_untranslated.md", "content/article_untranslated.md")
    assert not article.has_translations
    assert article.warnings == ("content/article_untranslated.md: no translations yet "
                                "(add an 'en:' block after each block)",)


def test_editing_chinese_keeps_its_translation():
    source = "---\ntitle: 题\ndate: 2026-01-01\n---\n\n{zh}\n\nen: First.\n\n第二段。\n\nen: Second.\n"
    before = parse_article(source.format(zh="第一段。"), "a.md", slug="a")
    after = parse_article(source.format(zh="第一段改了很多字。"), "a.md", slug="a")
    assert [b.en for b in before.blocks] == [b.en for b in after.blocks] == ["First.", "Second."]


@pytest.mark.parametrize("source, message", [
    ("title: x\n---\n", ":1: front matter: the file must start with a '---' line"),
    ("---\ntitle: x\n", ":1: front matter: no closing '---' line"),
    ("---\ntitle: x\ndate: 2026-01-01\ncolour: red\n---\n\n字\n", ":4: front matter: unknown key 'colour'"),
    ("---\ntitle: x\ndate: 2026-01-01\n---\n", ":4: the article has no body text"),
    ("---\n- a\n- b\n---\n\n字\n", ":2: front matter: expected 'key: value' lines"),
    ("---\ntitle: x\ndate: 2026-01-01\n---\n\nen: Orphan.\n\n字\n", ":6: extra translation"),
])
def test_front_matter_and_body_errors(source, message):
    with pytest.raises(BuildFailed) as info:
        parse_article(source, "a.md", slug="a")
    assert message in str(info.value.errors[0])


def test_crlf_and_bom_are_accepted(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf" + "---\r\ntitle: 题\r\ndate: 2026-01-01\r\n---\r\n\r\n字。\r\n\r\nen: A word.\r\n".encode())
    article = read_article(path)
    assert article.blocks[0].text == "字。"
    assert article.blocks[0].en == "A word."


def test_empty_truncated_and_huge_files_get_messages(tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    truncated = tmp_path / "truncated.md"
    truncated.write_text("---\ntitle: 断了\ndate: 2026-01-0", encoding="utf-8")
    huge = tmp_path / "huge.md"
    huge.write_text("---\ntitle: 大\ndate: 2026-01-01\n---\n\n" + "很长的文章。" * 200_000, encoding="utf-8")
    expected = {
        empty: "empty.md:1: front matter: the file must start with a '---' line",
        truncated: "truncated.md:1: front matter: no closing '---' line",
        huge: "huge.md: the article is 3.6 MB; the limit is 2 MB (split it into several articles)",
    }
    for path, message in expected.items():
        with pytest.raises(BuildFailed) as info:
            read_article(path, path.name)
        assert [str(e) for e in info.value.errors] == [message]


def test_symlink_loop_is_an_error_not_a_hang(tmp_path):
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    with pytest.raises(BuildFailed) as info:
        read_article(loop, "content/loop.md")
    assert str(info.value.errors[0]).startswith("content/loop.md: cannot read file:")


def test_mixed_width_punctuation_is_kept_as_written():
    source = "---\ntitle: 标点\ndate: 2026-01-01\n---\n\n他说,“好!”她说：“行？”(真的)（真的）\n\nen: Mixed.\n"
    article = parse_article(source, "a.md", slug="a")
    assert article.blocks[0].text == "他说,“好!”她说：“行？”(真的)（真的）"
