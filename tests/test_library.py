"""The site as a library: index cards and filters, site vocabulary, traditional edition, search, feed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from browser import CHROMIUM, CHROMIUM_ARGS, serve_site
from conftest import SEED_SLUG

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_is_valid_atom_with_every_article(library_site):
    feed = ET.parse(library_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) >= 4
    for entry in entries:
        for child in ("title", "id", "updated", "link"):
            assert entry.find(f"{ATOM}{child}") is not None, child
        assert re.match(r"\d{4}-\d\d-\d\dT00:00:00Z$", entry.find(f"{ATOM}updated").text)
    assert feed.find(f"{ATOM}id").text.startswith("https://")


def test_index_cards_show_level_counts_and_reading_time(library_site):
    html = (library_site / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<li class="card" data-level="([^"]+)" data-tags="([^"]*)"', html)
    assert len(cards) >= 4
    assert len({level for level, _ in cards}) >= 3  # clearly different levels
    for label in ("Characters", "Unique words", "Words above", "Reading time"):
        assert html.count(f"<dt>{label}") == len(cards)
    dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)"', html)
    assert dates == sorted(dates, reverse=True)  # newest first


def test_site_vocabulary_page_and_tsv(library_site):
    overview = (library_site / "vocabulary" / "index.html").read_text(encoding="utf-8")
    levels = re.findall(r'<li><a href="\.\./(vocabulary/[a-z0-9-]+/)"', overview)
    assert "vocabulary/hsk-1/" in levels and "vocabulary/other/" in levels
    pages = sorted((library_site / "vocabulary").glob("**/index.html"))
    html = "".join(p.read_text(encoding="utf-8") for p in pages if p.parent.name != "vocabulary")
    rows = re.findall(r"<tr data-count=", html)
    assert len(rows) > 500
    # Long levels are split into pages of at most PAGE_ROWS rows.
    from yuedu.vocab import PAGE_ROWS

    assert all(p.read_text(encoding="utf-8").count("<tr data-count=") <= PAGE_ROWS for p in pages)
    tsv = (library_site / "vocabulary" / "vocabulary.tsv").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("#") and "CC BY-SA 4.0" in line for line in tsv)
    cards = [line.split("\t") for line in tsv if not line.startswith("#")]
    assert len(cards) == len(rows) and all(len(c) == 4 for c in cards)
    # A word used in two articles lists both, with links that resolve from the level's page.
    first = (library_site / "vocabulary" / "hsk-1" / "index.html").read_text(encoding="utf-8")
    link = re.search(r'</a>, <a href="\.\./\.\./([a-z-]+)/"', first)
    assert link and (library_site / link.group(1) / "index.html").is_file()


def test_traditional_edition_converted_with_same_pinyin(library_site):
    simp = (library_site / SEED_SLUG / "index.html").read_text(encoding="utf-8")
    trad = (library_site / "zh-hant" / SEED_SLUG / "index.html").read_text(encoding="utf-8")
    assert 'lang="zh-Hant"' in trad and '<div class="reading" lang="zh-Hant">' in trad
    assert "業" in trad and "业<rt" not in trad
    rts = lambda html: re.findall(r"<rt[^>]*>([^<]*)</rt>", html)  # noqa: E731
    assert rts(trad) == rts(simp)  # the pinyin stays that of the simplified source
    assert f'hreflang="zh-Hant" href="https://' in simp and f'hreflang="zh-Hans" href="https://' in trad
    assert f'href="../zh-hant/{SEED_SLUG}/" lang="zh-Hant"' in simp
    assert f'href="../../{SEED_SLUG}/" lang="zh-Hans"' in trad


def test_search_index_has_words_with_toneless_pinyin(library_site):
    import json

    index = json.loads((library_site / "search" / "index.json").read_text(encoding="utf-8"))
    seed = next(doc for doc in index if doc["u"] == f"{SEED_SLUG}/")
    assert "湘乡" in seed["w"]
    assert seed["p"][seed["w"].index("湘乡")] == "xiangxiang"


browser_only = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def page(library_site):
    sync_api = pytest.importorskip("playwright.sync_api")
    with serve_site(library_site) as url, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.base = url
        yield page
        browser.close()


@browser_only
def test_index_filters_by_level_and_tag(page):
    page.goto(page.base)
    total = page.locator(".card").count()
    level = page.locator(".card").first.get_attribute("data-level")
    page.locator('form.filters select[name="level"]').select_option(level)
    visible = page.locator(".card:visible").count()
    assert 0 < visible < total
    assert all(c.get_attribute("data-level") == level for c in page.locator(".card:visible").all())
    page.locator('form.filters select[name="level"]').select_option("")
    tag = page.locator('form.filters input[name="tag"]').nth(1)
    tag.check()
    value = tag.get_attribute("value")
    assert all(value in c.get_attribute("data-tags").split("|") for c in page.locator(".card:visible").all())
    assert page.locator(".card:visible").count() < total


@browser_only
@pytest.mark.parametrize("query, expected", [("湘乡", SEED_SLUG), ("xiangxiang", SEED_SLUG), ("gaotie", "zuo-gaotie-hui-laojia")])
def test_search_by_hanzi_and_toneless_pinyin(page, query, expected):
    page.goto(page.base + "search/")
    page.wait_for_function("() => (document.querySelector('.search-status') || {textContent: ''}).textContent.startsWith('Type')")
    page.locator("#q").fill(query)
    first = page.locator(".results li a").first
    first.wait_for()
    assert first.get_attribute("href").endswith(f"{expected}/")


@browser_only
def test_site_vocabulary_levels_find_and_sort(page):
    page.goto(page.base + "vocabulary/")
    page.locator(".vocab-levels a", has_text="HSK 1").click()
    assert page.url == page.base + "vocabulary/hsk-1/"
    rows = page.locator(".site-vocab tbody tr")
    total = rows.count()
    counts = [int(c) for c in rows.evaluate_all("rs => rs.map(r => r.dataset.count)")]
    assert counts == sorted(counts, reverse=True)  # most frequent first
    page.locator('form.vocab-filter input[name="q"]').fill("ren")  # toneless pinyin: rén, rèn …
    shown = page.locator(".site-vocab tbody tr:visible")
    assert 0 < shown.count() < total
    assert all("ren" in t for t in shown.evaluate_all("rs => rs.map(r => r.dataset.w.normalize('NFD').replace(/[\\u0300-\\u036f]/g, ''))"))
    assert page.locator(".filter-count").inner_text() == f"{shown.count()} of {total} words"
    page.locator('form.vocab-filter input[name="q"]').fill("")
    page.locator(".site-vocab th button[data-sort=count]").click()  # now ascending
    counts = [int(c) for c in rows.evaluate_all("rs => rs.map(r => r.dataset.count)")]
    assert counts == sorted(counts)


@browser_only
def test_edition_switching(page):
    page.goto(page.base + SEED_SLUG + "/")
    page.locator("a.edition").click()
    assert page.url == page.base + f"zh-hant/{SEED_SLUG}/"
    assert "業" in page.locator("h1").inner_text()
    page.locator("a.edition").click()
    assert page.url == page.base + f"{SEED_SLUG}/"


def test_site_vocabulary_stays_small_with_many_articles():
    from types import SimpleNamespace

    from yuedu.vocab import SiteVocabulary

    site = SiteVocabulary()
    row = {"w": "银行", "p": "yínháng", "en": "bank", "hsk": "3", "rank": 3, "name": False, "count": 2}
    for i in range(40):
        site.add(SimpleNamespace(slug=f"a{i}", title=f"文章{i}"), [row])
    (entry,) = site.rows()
    assert entry["count"] == 80 and entry["in"] == 40
    assert len(entry["articles"]) == SiteVocabulary.SHOWN
