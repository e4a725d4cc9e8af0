"""Page weight: everything the seed article loads, up to the first tap of a word, is at most
60 KB gzip (issue 18), measured in a real browser; the article's word list still sorts.

Counted at the server: every file it sends in full during the visit, to the page or to the
service worker (which saves the page and the files it loaded for offline reading, revalidating
them: a 304 sends no body), gzip-compressed as a web server would.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from browser import serve_site
from conftest import SEED_SLUG

pytestmark = pytest.mark.browser

#: The budget, in bytes of gzip (level 6, what web servers commonly use).
BUDGET = 60_000


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def test_seed_article_load_and_first_tap_within_budget(browser, built_site: Path):
    article = built_site / SEED_SLUG
    html = (article / "index.html").read_text(encoding="utf-8")
    assert "<rp>" not in html
    requests: list[tuple[str, int]] = []
    with serve_site(built_site, requests) as base:
        prefix = base[base.index("/", len("http://")):]
        context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
        page = context.new_page()
        url = f"{base}{SEED_SLUG}/"
        page.goto(url, wait_until="networkidle")
        # The worker has saved this page and its files for offline reading before the tap.
        page.wait_for_function("""async () => { const r = await navigator.serviceWorker.ready;
            const k = await caches.keys(); if (k.length !== 1) return false;
            const c = await caches.open(k[0]);
            return !!(await c.match(location.href)) && !!(await c.match(new URL('../static/yuedu.css', location.href).href)); }""",
                               timeout=10000)
        page.locator(".reading ruby[data-g]").nth(10).tap()
        page.wait_for_function("() => !document.getElementById('gloss-pop').hidden", timeout=5000)
        # The popup opens at once; its senses follow when the word's glossary file arrives.
        page.wait_for_function("() => document.querySelectorAll('#gloss-pop .senses li').length >= 1", timeout=10000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)  # anything the worker still fetches after the tap counts too
        fetched = {p for p, status in requests}
        # Files the page links to that a headless browser may not fetch (icon, manifest) count too.
        for ref in re.findall(r'<(?:link|script)\b[^>]*?(?:href|src)="([^"]+)"', html):
            full = urljoin(url, ref)
            if full.startswith(base) and full[len(base) - len(prefix):] not in fetched and not ref.endswith((".xml", "/")):
                context.request.get(full)
        context.close()
        sent = [(p[len(prefix):], status) for p, status in requests]
    assert [p for p, status in sent if status == 200 and re.search(r"/\d+\.json$", p)], sent  # fetched on the tap
    assert not [p for p, status in sent if status >= 400], sent
    # Whichever word is tapped first: count the article's largest glossary file for each one sent.
    worst_tap = max(gz(p.read_bytes()) for p in article.glob("[0-9]*.json"))
    files: dict[str, int] = {}
    for rel, status in sent:
        if status in (200, 206):
            n = worst_tap if re.search(r"/\d+\.json$", rel) else gz(_file(built_site, rel))
            files[rel] = files.get(rel, 0) + n
    total = sum(files.values())
    revalidated = sorted(p for p, status in sent if status == 304)
    report = ", ".join(f"{u} {n / 1000:.1f}" for u, n in sorted(files.items()))
    print(f"first visit: {total / 1000:.1f} KB gzip ({report}); revalidated (304): {revalidated}")
    assert total <= BUDGET, f"{total / 1000:.1f} KB gzip: {report}"
    assert any(u.endswith(".css") for u in files) and any(u.endswith(".js") for u in files)
    # Saving the page for offline use did not download its files again.
    assert len([p for p, status in sent if p == "static/yuedu.css" and status == 200]) == 1, sent


def _file(site: Path, rel: str) -> bytes:
    path = site / rel
    return (path / "index.html" if rel.endswith("/") or not rel else path).read_bytes()


def test_article_word_list_sorts_by_its_cells(browser, built_site: Path):
    with serve_site(built_site) as base:
        page = browser.new_page()
        page.goto(f"{base}{SEED_SLUG}/")
        page.locator(".vocab-list summary").click()
        rows = page.locator(".vocab tbody tr")
        counts = lambda: [int(c) for c in rows.evaluate_all("rs => rs.map(r => r.cells[4].textContent)")]  # noqa: E731
        page.locator(".vocab th button[data-sort=count]").click()
        assert counts() == sorted(counts()) and counts()[0] < counts()[-1]
        page.locator(".vocab th button[data-sort=count]").click()
        assert counts() == sorted(counts(), reverse=True)
        page.locator(".vocab th button[data-sort=w]").click()
        pinyin = rows.evaluate_all("rs => rs.map(r => r.cells[1].textContent)")
        assert pinyin == sorted(pinyin, key=lambda p: p) or page.evaluate(
            "(p) => p.every((x, i) => i === 0 || p[i - 1].localeCompare(x) <= 0)", pinyin)
        page.close()
