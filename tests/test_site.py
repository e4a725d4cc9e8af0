"""The built seed site: ruby coverage, lossless text, structure, safety of failed builds."""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, SEED_SLUG, make_project
from helpers import reading_text
from yuedu.clean import full_width_punctuation
from yuedu.config import load_config
from yuedu.errors import BuildFailed
from yuedu.site import build

SEED_RAW = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_61b27a5be6fad6c5.txt"
ANNOTATION = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü\s]+[)）]")


@pytest.fixture(scope="module")
def seed_html(built_site: Path) -> str:
    return (built_site / SEED_SLUG / "index.html").read_text(encoding="utf-8")


def test_site_layout(built_site):
    for rel in ("index.html", f"{SEED_SLUG}/index.html", "about/index.html", "static/yuedu.css", "static/yuedu.js"):
        assert (built_site / rel).is_file(), rel


def test_ruby_covers_the_reading_text(seed_html, seed_article):
    text = reading_text(seed_html)
    assert text.han_total > 1500
    assert text.han_in_ruby / text.han_total >= 0.995
    assert text.rt_empty == 0
    expected = [seed_article.title, seed_article.byline] + [
        b.text.lstrip("#").strip() for b in seed_article.blocks]
    assert text.texts() == expected


def test_every_seed_paragraph_once_and_no_scraping_debris(seed_html, seed_article):
    raw = SEED_RAW.read_text(encoding="utf-8") if SEED_RAW.exists() else None
    page = "".join(reading_text(seed_html).texts())
    blocks = [b.text.lstrip("#").strip() for b in seed_article.blocks]
    for block in blocks:
        assert page.count(block) == 1, block
    assert not ANNOTATION.search(page)
    for debris in ("相关推荐", "评论列表", "发表评论", "暂无评论", "校网共建"):
        assert debris not in seed_html
    if raw is not None:
        # Every line of the source's body (annotations removed) is in the article exactly once.
        # The article has the importer's print-style punctuation: 关停,而是 -> 关停，而是.
        lines = [full_width_punctuation(ANNOTATION.sub("", line).strip())[0] for line in raw.splitlines()]
        start = next(i for i, line in enumerate(lines) if line.startswith("“转型"))
        end = next(i for i, line in enumerate(lines) if line.startswith("“从机器轰鸣"))
        body = [line for line in lines[start:end + 1] if line]
        assert body == blocks


def test_byline_captions_and_translations(seed_html, seed_article):
    assert "本刊记者" in "".join(reading_text(seed_html, classes=("byline",)).texts())
    captions = reading_text(seed_html, classes=("caption",)).texts()
    assert captions == ["湘乡全景 辜晋| 摄", "裕能科技 樊洛|摄", "镁基科技 樊洛| 摄"]
    blocks = re.findall(r'<div class="blk[^"]*" id="b\d+">(.*?)</div>', seed_html, re.S)
    assert len(blocks) == len(seed_article.blocks) == 27
    for block in blocks:
        assert '<details class="tr" lang="en">' in block


def test_lang_attributes_and_relative_links(built_site, seed_html):
    assert '<div class="reading" lang="zh-Hans">' in seed_html
    for page in built_site.rglob("*.html"):
        if page.name == "404.html":
            continue
        html = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:href|src)="([^"]+)"', html):
            assert not url.startswith("/"), f"{page}: root-absolute link {url}"
            if not re.match(r"https?:", url):
                target = (page.parent / url.split("#")[0])
                assert target.exists(), f"{page}: broken link {url}"


def test_index_lists_article_with_level_and_standard(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert f'href="{SEED_SLUG}/"' in html
    assert "老工业基地“逐绿而行”" in html
    assert re.search(r'<span class="badge">HSK (\d|7-9|beyond HSK 9)</span>', html)
    assert "HSK 3.0 (2025 exam syllabus)" in html


def test_two_builds_are_byte_identical(tmp_path):
    root = make_project(tmp_path / "p")
    build(load_config(root))
    first = tmp_path / "first"
    shutil.copytree(root / "site", first)
    build(load_config(root))
    cmp = filecmp.dircmp(first, root / "site")
    assert not cmp.diff_files and not cmp.left_only and not cmp.right_only
    for sub in cmp.subdirs.values():
        assert not sub.diff_files


@pytest.mark.parametrize("fixture", ["article_misaligned_translation.md", "article_broken_front_matter.md"])
def test_failed_build_leaves_previous_site_intact(tmp_path, fixture):
    root = make_project(tmp_path / "p")
    build(load_config(root))
    before = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    shutil.copy(FIXTURES / "content" / fixture, root / "content" / fixture.replace("_", "-"))
    with pytest.raises(BuildFailed) as info:
        build(load_config(root))
    assert f"content/{fixture.replace('_', '-')}:" in str(info.value.errors[0])
    after = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before
    assert not list(root.glob("site.tmp-*")) and not list(root.glob("site.old-*"))


def test_every_problem_of_every_file_is_reported(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    for name in ("article_bad_date.md", "article_no_title.md", "article_good.md"):
        shutil.copy(FIXTURES / "content" / name, root / "content" / name.replace("_", "-"))
    with pytest.raises(BuildFailed) as info:
        build(load_config(root))
    assert [e.path for e in info.value.errors] == ["content/article-bad-date.md", "content/article-no-title.md"]


def test_invalid_slug_is_an_error(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    shutil.copy(FIXTURES / "content" / "article_good.md", root / "content" / "Bad Name.md")
    with pytest.raises(BuildFailed) as info:
        build(load_config(root))
    assert "not a valid slug" in str(info.value.errors[0])


def test_untranslated_article_builds_with_warning(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    shutil.copy(FIXTURES / "content" / "article_untranslated.md", root / "content" / "zaofan.md")
    result = build(load_config(root))
    assert any("no translations yet" in w for w in result.warnings)
    assert (root / "site" / "zaofan" / "index.html").exists()


def test_prev_next_navigation(tmp_path):
    root = make_project(tmp_path / "p")
    shutil.copy(FIXTURES / "content" / "article_good.md", root / "content" / "yinhang.md")
    build(load_config(root))
    newest = (root / "site" / SEED_SLUG / "index.html").read_text(encoding="utf-8")
    older = (root / "site" / "yinhang" / "index.html").read_text(encoding="utf-8")
    assert 'rel="next" href="../yinhang/"' in newest
    assert f'rel="prev" href="../{SEED_SLUG}/"' in older
    assert 'href="../"' in older


def test_pages_files_and_meta(built_site, seed_html):
    import xml.etree.ElementTree as ET

    assert (built_site / ".nojekyll").exists()
    robots = (built_site / "robots.txt").read_text()
    assert "Sitemap: https://" in robots
    urls = [e.text for e in ET.parse(built_site / "sitemap.xml").iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(u.endswith(f"/{SEED_SLUG}/") for u in urls) and all(u.startswith("https://") for u in urls)
    assert '<meta property="og:type" content="article">' in seed_html
    assert re.search(r'<link rel="canonical" href="https://[^"]+/xiangxiang-goes-green/">', seed_html)
    assert re.search(r'<meta name="description" content="[^"]{20,}">', seed_html)
    page404 = (built_site / "404.html").read_text(encoding="utf-8")
    assert 'href="/yuedu/static/yuedu.css"' in page404  # absolute under the base_url path


def test_pages_workflow_publishes_with_official_actions():
    import yaml

    from conftest import ROOT

    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    assert flow["permissions"]["pages"] == "write" and flow["permissions"]["id-token"] == "write"
    steps = [s.get("uses", "") for job in flow["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in steps)
    assert any(u.startswith("actions/deploy-pages@") for u in steps)
    build_step = next(s for s in flow["jobs"]["build"]["steps"] if "run" in s)
    assert "python build.py" in build_step["run"]


def test_seed_polyphones_read_right(seed_html):
    """The readings the issue names, as a learner sees them in the built page."""
    pairs = re.findall(r"([^>])<rt[^>]*>([^<]*)</rt>", seed_html)
    chars = "".join(c for c, _ in pairs)

    def reading(phrase: str, word: str) -> str:
        at = chars.index(phrase) + phrase.index(word)
        return " ".join(r for _, r in pairs[at:at + len(word)])

    assert reading("以科技创新为引擎", "为") == "wéi"
    assert reading("对接长株潭", "长株潭") == "cháng zhū tán"
    assert reading("污水处理厂", "处理") == "chǔ lǐ"


def test_symlink_loop_in_content_is_reported(tmp_path):
    root = make_project(tmp_path / "p")
    (root / "content" / "loop.md").symlink_to(root / "content" / "loop.md")
    with pytest.raises(BuildFailed) as info:
        build(load_config(root))
    assert str(info.value.errors[0]).startswith("content/loop.md: cannot read file:")


def test_glossary_words_are_kept_whole_and_explained(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    (root / "content" / "glossary.yaml").write_text("小马过河: a fable title (Little Horse Crosses the River)\n",
                                                   encoding="utf-8")
    (root / "content" / "ma.md").write_text(
        "---\ntitle: 故事\ndate: 2026-01-01\n---\n\n我们读了小马过河这个故事。\n", encoding="utf-8")
    build(load_config(root))
    html = (root / "site" / "ma" / "index.html").read_text(encoding="utf-8")
    inside = r"(?:(?!</ruby>).)*?"  # within one <ruby>
    assert re.search(rf"<ruby data-g=\"\d+\">小<rt{inside}马<rt{inside}过<rt{inside}河<rt{inside}</ruby>", html)
    glosses = "".join(p.read_text(encoding="utf-8") for p in (root / "site" / "ma").glob("[0-9]*.json"))
    assert "a fable title (Little Horse Crosses the River)" in glosses  # the popup data
