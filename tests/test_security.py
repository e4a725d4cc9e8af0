"""Hostile input: nothing executes, nothing escapes its context, and the CSP holds in normal use."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from browser import CHROMIUM, CHROMIUM_ARGS, serve_site
from conftest import make_project
from xss_payloads import FLAG, PAYLOADS
from yuedu.config import load_config
from yuedu.render import _safe_url
from yuedu.site import build
from yuedu.vocab import json_for_script

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def article_with(payload: str, i: int) -> str:
    """An article carrying ``payload`` in every field an author or a scraped page controls."""
    meta = {
        "title": f"标题{i}{payload}", "title_en": payload, "date": f"2026-01-{1 + i % 28:02d}",
        "byline": f"记者{payload}", "byline_en": payload, "source": payload, "tags": [payload, "安全"],
        "glossary": {"猫": payload, f"狗{payload}": {"en": payload}},
    }
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    body = (f"## 小标题{payload}\n\nen: Heading {payload}\n\n"
            f"我家的猫很可爱{payload}，狗也很好。`{payload}` [链接]({payload.split()[0] if payload.strip() else 'x'})\n\n"
            f"en: {payload} [link]({payload.split()[0] if payload.strip() else 'x'})\n\n"
            f"caption: 照片{payload} | 摄\n\nen: Photo {payload}\n")
    return f"---\n{front}---\n\n{body}"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("xss") / "proj", content=False)
    config = (root / "yuedu.toml").read_text(encoding="utf-8")
    config = re.sub(r'^title = .*$', lambda m: "title = " + json.dumps("阅读" + PAYLOADS[0]), config, flags=re.M)
    config = re.sub(r'^tagline = .*$', lambda m: "tagline = " + json.dumps(PAYLOADS[2]), config, flags=re.M)
    (root / "yuedu.toml").write_text(config, encoding="utf-8")
    for i, payload in enumerate(PAYLOADS):
        (root / "content" / f"xss-{i:02d}.md").write_text(article_with(payload, i), encoding="utf-8")
    build(load_config(root))
    return root / "site"


#: Every element our templates and Markdown produce; a payload that became markup would add others.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "link", "script", "body", "a", "header", "nav", "main", "footer", "span",
    "h1", "h2", "h3", "p", "div", "ruby", "rt", "rp", "details", "summary", "figure", "figcaption", "time",
    "button", "aside", "table", "thead", "tbody", "tr", "th", "td", "form", "fieldset", "legend", "label", "input",
    "select", "option", "article", "ul", "ol", "li", "strong", "em", "code", "dl", "dt", "dd", "br", "hr",
    "pre", "blockquote", "section", "kbd", "img",  # Markdown images (safe URLs only) are allowed content
}


def page_tags(html: str) -> dict:
    """Elements outside :data:`ALLOWED_TAGS` and event-handler attributes in a page."""
    from html.parser import HTMLParser

    found = {"unexpected": [], "handlers": [], "urls": []}

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in ALLOWED_TAGS:
                found["unexpected"].append(tag)
            found["handlers"] += [name for name, _ in attrs if name.startswith("on")]
            found["urls"] += [value or "" for name, value in attrs if name in ("href", "src", "action")]

    Parser().feed(html)
    return found


def tag_depth(page: Path, site: Path) -> int:
    return len(page.relative_to(site).parts) - 1


def test_corpus_is_large_enough():
    assert len(PAYLOADS) >= 50


def test_no_payload_reaches_the_html_unescaped(hostile_site):
    pages = list(hostile_site.rglob("*.html"))
    assert len(pages) > 2 * len(PAYLOADS)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        # The only scripts are ours: the site script and (on articles) the glossary JSON.
        scripts = re.findall(r"<script\b[^>]*>", html, flags=re.I)
        site_script = "/yuedu/" if page.name == "404.html" else "../" * tag_depth(page, hostile_site)
        gloss_data = re.compile(r'<script type="application/json" id="gloss-data" '
                                r'data-src="(?:\.\./)+[a-z0-9-]+/" data-n="\d+">')
        assert all(tag in ('<script src="' + site_script + 'static/yuedu.js" defer>',
                           '<script src="' + site_script + 'static/review.js" defer>') or gloss_data.fullmatch(tag)
                   for tag in scripts), (page, scripts)
        tags = page_tags(html)
        assert not tags["unexpected"], (page, tags["unexpected"])
        assert not tags["handlers"], (page, tags["handlers"])
        for url in tags["urls"]:
            assert _safe_url(url), (page, url)
        # Inline JSON never closes its script element early or breaks a JavaScript parser.
        for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S):
            assert "<" not in block and "\u2028" not in block and "\u2029" not in block
            json.loads(block)


def test_json_for_script_escapes_every_breakout():
    text = json_for_script({"x": "</script><!--\u2028\u2029&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"x": "</script><!--\u2028\u2029&"}


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a", True), ("../x/", True), ("#frag", True), ("mailto:a@b.c", True),
    ("javascript:alert(1)", False), (" JavaScript:alert(1)", False), ("java\tscript:x", False),
    ("data:text/html,x", False), ("vbscript:x", False), ("/path:with:colons", True),
])
def test_safe_url(url, ok):
    assert _safe_url(url) is ok


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_no_payload_executes_in_a_browser(hostile_site):
    sync_api = pytest.importorskip("playwright.sync_api")
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html")
                   if not p.relative_to(hostile_site).as_posix().startswith("zh-hant/xss-"))
    with serve_site(hostile_site) as base, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_init_script(WATCH)
        dialogs: list[str] = []
        context.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page = context.new_page()
        for rel in pages:
            url = base + (rel[:-len("index.html")] if rel.endswith("index.html") else rel)
            page.goto(url)
            if page.locator(".reading ruby[data-g]").count():
                page.locator(".reading ruby[data-g]").first.hover()  # open a popup: glossary data rendered
                page.locator("details.tr summary").first.click()
            state = page.evaluate("({xss: window.__xss, csp: window.__csp})")
            assert state["xss"] is None, url
            assert state["csp"] == [], (url, state["csp"])
        assert dialogs == []
        browser.close()


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_csp_allows_normal_use(library_site):
    """Settings, popups, read-aloud controls, search and filters all work under the CSP."""
    sync_api = pytest.importorskip("playwright.sync_api")
    page_html = (library_site / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'self\';' in page_html
    with serve_site(library_site) as base, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_init_script(WATCH)
        page = context.new_page()
        page.goto(base + "xiangxiang-goes-green/")
        page.locator(".reader-settings > summary").click()
        page.locator('input[name="tones"][value="pleco"]').check()
        page.locator(".reading ruby[data-g]").nth(3).hover()
        assert page.locator("#gloss-pop").is_visible()
        page.goto(base + "search/")
        page.locator("#q").fill("湘乡")
        page.locator(".results li").first.wait_for()
        page.goto(base)
        page.locator('form.filters select[name="level"]').select_option(index=1)
        assert page.evaluate("window.__csp") == []
        browser.close()
