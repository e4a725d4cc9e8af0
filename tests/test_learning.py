"""The learning loop: comprehension questions, words saved for review on the SM-2 schedule, and
reading offline (manifest, service worker), each through the real path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from browser import serve_site
from conftest import ROOT, SEED_SLUG, make_project
from yuedu.article import parse_article
from yuedu.config import load_config
from yuedu.errors import BuildFailed
from yuedu.serve import NO_SERVICE_WORKER, preview_csp
from yuedu.site import build

QUIZ_SLUG = "zuo-gaotie-hui-laojia"

ARTICLE = """---
title: 我们去北京
date: 2026-11-20
questions:
  - question: 他们去哪儿？
    question_en: Where are they going?
    choices: [上海, 北京]
    answer: {answer}
    explain: 他们去北京。
---

我们明天去北京。

en: We are going to Beijing tomorrow.
"""


# ---- Questions: front matter -----------------------------------------------------------------

def test_questions_are_parsed_with_their_lines():
    a = parse_article(ARTICLE.format(answer=2), "content/x.md", slug="x")
    (q,) = a.questions
    assert (q.question, q.choices, q.answer, q.question_en, q.explain, q.line) == (
        "他们去哪儿？", ("上海", "北京"), 2, "Where are they going?", "他们去北京。", 5)


@pytest.mark.parametrize("questions, expected", [
    ("  - question: 好吗？\n    choices: [好, 不好]\n    answer: 3\n",
     "content/x.md:7: questions: question 1: 'answer' is 3, out of range: there are 2 choices (1-2)"),
    ("  - question: 好吗？\n    choices: [好, 不好]\n    answer: 0\n",
     "content/x.md:7: questions: question 1: 'answer' is 0, out of range"),
    ("  - question: 好吗？\n    choices: []\n    answer: 1\n",
     "content/x.md:6: questions: question 1: 'choices' must be a list of at least two answers"),
    ("  - question: 好吗？\n    choices: [好, '']\n    answer: 1\n",
     "content/x.md:6: questions: question 1: every choice must be non-empty text"),
    ("  - question: 好吗？\n    choices: [好, 不好]\n    answer: 1\n    hint: 好\n",
     "content/x.md:8: questions: question 1: unknown key 'hint'"),
    ("  - question: 好吗？\n    choices: [好, 不好]\n    answer: 1\n  - question: ''\n    choices: [a, b]\n    answer: 1\n",
     "content/x.md:8: questions: question 2: 'question' is missing or empty"),
    ("  - question: 好吗？\n    choices: [好, 不好]\n    answer: 二\n",
     "content/x.md:7: questions: question 1: 'answer' must be the number of the right choice"),
    ("  just text\n", "content/x.md:4: questions: expected a list"),
])
def test_bad_questions_are_reported_with_file_and_line(questions, expected):
    text = f"---\ntitle: 好\ndate: 2026-11-20\nquestions:\n{questions}---\n\n你好。\n"
    with pytest.raises(BuildFailed) as info:
        parse_article(text, "content/x.md", slug="x")
    assert any(str(e).startswith(expected) for e in info.value.errors), [str(e) for e in info.value.errors]


def test_out_of_range_answer_fails_the_build_and_keeps_the_site(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    (root / "content" / "beijing.md").write_text(ARTICLE.format(answer=2), encoding="utf-8")
    run = [sys.executable, str(ROOT / "build.py"), "--root", str(root), "build"]
    assert subprocess.run(run, capture_output=True, timeout=300).returncode == 0
    before = {p: p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()}
    (root / "content" / "beijing.md").write_text(ARTICLE.format(answer=3), encoding="utf-8")
    out = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert out.returncode == 1 and out.stdout == ""
    assert "content/beijing.md:8: questions: question 1: 'answer' is 3, out of range" in out.stderr
    assert {p: p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()} == before


def test_questions_render_with_ruby_and_no_controls_inside_choices(library_site):
    for prefix, lang in (("", "zh-Hans"), ("zh-hant/", "zh-Hant")):
        html = (library_site / prefix / QUIZ_SLUG / "index.html").read_text(encoding="utf-8")
        quiz = html[html.index('<section class="quiz"'):html.index("</section>", html.index('<section class="quiz"'))]
        assert quiz.count("<fieldset") == 3 and quiz.count("<legend>") == 3
        assert f'<span class="zh" lang="{lang}"><ruby data-g=' in quiz  # the question: ruby and popups
        labels = re.findall(r'<label class="choice">(.*?)</label>', quiz, re.S)
        assert len(labels) == 10
        for label in labels:
            assert label.count("<input") == 1 and "<rt" in label
            assert "data-g" not in label and "tabindex" not in label and "<button" not in label
    assert "孫子" in (library_site / "zh-hant" / QUIZ_SLUG / "index.html").read_text(encoding="utf-8")


# ---- Offline: manifest, service worker -------------------------------------------------------

def test_every_page_links_the_manifest(library_site):
    manifest = json.loads((library_site / "site.webmanifest").read_text(encoding="utf-8"))
    assert manifest["start_url"] == "./" and manifest["scope"] == "./" and manifest["name"]
    assert manifest["theme_color"] and manifest["background_color"] and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert (library_site / icon["src"]).is_file()
    assert {"192x192", "512x512"} <= {i["sizes"] for i in manifest["icons"]}
    pages = sorted(library_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        depth = len(page.relative_to(library_site).parts) - 1
        if page.name == "404.html":
            assert 'rel="manifest" href="/yuedu/site.webmanifest"' in html
            continue
        assert f'<link rel="manifest" href="{"../" * depth}site.webmanifest">' in html, page
        assert f'data-sw="{"../" * depth}sw.js"' in html, page


def test_service_worker_version_is_a_digest_of_the_inputs(tmp_path):
    root = make_project(tmp_path / "p")
    config = load_config(root)
    build(config)
    sw = (root / "site" / "sw.js").read_text(encoding="utf-8")
    version = re.search(r'var VERSION = "([0-9a-f]{20})";', sw).group(1)
    shell = json.loads(re.search(r"var SHELL = (\{.*?\});", sw).group(1))
    assert {"", "review/", "static/yuedu.js", "static/review.js", "site.webmanifest"} <= set(shell[""])
    assert {"zh-hant/", "zh-hant/review/", "static/yuedu.js"} <= set(shell["zh-hant/"])
    assert not {"zh-hant/", "zh-hant/review/"} & set(shell[""])  # not the other edition's pages
    assert not [p for s in shell.values() for p in s if p.startswith("static/audio.")]  # saved where used
    first = build(config)  # nothing changed: every file reused, sw.js too
    assert first.written == 0 and (root / "site" / "sw.js").read_text(encoding="utf-8") == sw
    article = root / "content" / f"{SEED_SLUG}.md"
    article.write_text(article.read_text(encoding="utf-8").replace("title: ", "title: 新", 1), encoding="utf-8")
    build(config)
    assert version not in (root / "site" / "sw.js").read_text(encoding="utf-8")


def test_serve_registers_no_service_worker(built_site):
    html = (built_site / SEED_SLUG / "index.html").read_text(encoding="utf-8")
    assert "data-sw=" in html and "data-sw=" not in preview_csp(html)
    assert "unregister" in NO_SERVICE_WORKER


# ---- In the browser --------------------------------------------------------------------------

def _page(browser, **kw):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True, **kw)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors


def _store(page, key):
    return page.evaluate("k => JSON.parse(localStorage.getItem(window.yuedu.prefix + k))", key)


@pytest.fixture(scope="module")
def base(library_site):
    with serve_site(library_site) as url:
        yield url


@pytest.mark.browser
def test_sm2_intervals_match_the_published_algorithm(browser, base):
    pytest.importorskip("playwright.sync_api")
    context, page, errors = _page(browser)
    page.goto(base + "review/")
    run = """([grades]) => { let c = {}; const out = [];
        for (const g of grades) { c = YueduSRS.schedule(c, g, 0); out.push([c.ivl, c.ef, c.reps]); } return out; }"""
    # Good (q=4) keeps EF at 2.5: I(1)=1, I(2)=6, then I(n)=I(n-1)*EF rounded up: 15, 38, 95.
    assert page.evaluate(run, [[3, 3, 3, 3, 3]]) == [[1, 2.5, 1], [6, 2.5, 2], [15, 2.5, 3], [38, 2.5, 4], [95, 2.5, 5]]
    # Easy (q=5) adds 0.1 to EF each time; Hard (q=3) takes 0.14 off.
    assert page.evaluate(run, [[4, 4, 4]]) == [[1, 2.6, 1], [6, 2.7, 2], [17, 2.8, 3]]
    assert page.evaluate(run, [[2, 2, 2]]) == [[1, 2.36, 1], [6, 2.22, 2], [13, 2.08, 3]]
    # EF never drops below 1.3.
    assert page.evaluate(run, [[2] * 12])[-1][1] == 1.3
    # Again (q=1 < 3) starts the repetitions again from I(1) without changing EF.
    assert page.evaluate(run, [[3, 3, 3, 1, 3]])[-2:] == [[1, 2.5, 0], [1, 2.5, 1]]
    assert page.evaluate("YueduSRS.SM2") == {"startEF": 2.5, "minEF": 1.3, "first": 1, "second": 6,
                                              "quality": {"1": 1, "2": 3, "3": 4, "4": 5}}
    assert errors == []
    context.close()


@pytest.mark.browser
def test_tab_while_a_word_entry_loads_moves_on_without_an_error(browser, base):
    """A keyboard reader faster than the network: Tab on a word whose glossary file has not come
    yet goes on to the next stop (the popup has no buttons until then) and throws nothing."""
    pytest.importorskip("playwright.sync_api")
    context, page, errors = _page(browser, service_workers="block")  # every fetch goes by the route
    held: list = []
    page.route(re.compile(r".*/\d+\.json$"), lambda route: held.append(route))  # never answered
    page.goto(base + SEED_SLUG + "/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.zh ruby[data-g]')"):
            break
    first = page.evaluate("document.activeElement.dataset.g")
    _until(page, "!document.getElementById('gloss-pop').hidden")
    assert page.locator("#gloss-pop .gp-label").text_content().startswith("Loading")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.g") != first  # moved on, not stuck
    assert errors == []
    context.close()


@pytest.mark.browser
def test_add_review_grade_and_the_interval_grows(browser, base):
    pytest.importorskip("playwright.sync_api")
    context, page, errors = _page(browser)
    page.goto(base + SEED_SLUG + "/")
    # Keyboard only: Tab into the text, Tab into the popup, to "Add to review".
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.zh ruby[data-g]')"):
            break
    page.keyboard.press("ArrowRight")
    word = page.evaluate("JSON.parse(document.getElementById('gloss-data').textContent)"
                         "[+document.activeElement.dataset.g].w")
    # The popup opens at once and gets its buttons when the word's glossary file has come.
    _until(page, "!!document.querySelector('#gloss-pop .gp-review')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#gloss-pop') !== null")
    for _ in range(3):
        if page.evaluate("document.activeElement.classList.contains('gp-review')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Add to review"
    page.keyboard.press("Enter")
    assert page.locator(".gp-review").text_content() == "Remove from review"
    card = _store(page, "review")["cards"][word]
    sentence = "".join(s if isinstance(s, str) else s[0] for s in card["s"])
    assert card["s"][card["i"]][0] == word and word in sentence and sentence.endswith(("。", "！", "？", "”"))
    assert 4 < len(sentence) < 200 and card["p"] and card["u"] == f"{SEED_SLUG}/" and card["senses"]
    page.keyboard.press("Escape")

    page.goto(base + "zh-hant/review/")  # the other edition sees the same deck
    assert page.locator(".rv-new").text_content() == "1" and page.locator(".rv-due").text_content() == "0"
    assert page.locator(".rv-target").text_content().startswith(word[0]) or page.locator(".rv-target").is_visible()
    # The word's pinyin is hidden until the answer is shown.
    vis = "getComputedStyle(document.querySelector('.rv-target rt')).visibility"
    assert page.evaluate(vis) == "hidden"
    assert not page.locator(".rv-back").is_visible()
    page.keyboard.press("Space")
    assert page.locator(".rv-back").is_visible() and page.evaluate(vis) == "visible"
    assert page.locator(".rv-pinyin").text_content() == card["p"]
    assert page.locator(".rv-link").get_attribute("href") == f"../../{SEED_SLUG}/"
    assert page.locator('.rv-grades button[data-grade="3"] .rv-ivl').text_content() == "1 day"
    page.keyboard.press("3")
    after = _store(page, "review")["cards"][word]
    assert (after["reps"], after["ivl"]) == (1, 1)
    assert page.locator(".rv-learned").text_content() == "1" and page.locator(".rv-done").is_visible()
    # A day later the card is due again; Good now schedules it six days on, then fifteen.
    for expected in (6, 15):
        page.evaluate("""w => { const k = window.yuedu.prefix + 'review'; const d = JSON.parse(localStorage.getItem(k));
            d.cards[w].due = Date.now() - 1000; localStorage.setItem(k, JSON.stringify(d)); }""", word)
        page.reload()
        assert page.locator(".rv-due").text_content() == "1"
        page.locator(".rv-show").click()
        page.locator('.rv-grades button[data-grade="3"]').click()
        assert _store(page, "review")["cards"][word]["ivl"] == expected
    assert errors == []
    context.close()


@pytest.mark.browser
def test_export_import_round_trip_and_a_damaged_store(browser, base, tmp_path):
    pytest.importorskip("playwright.sync_api")
    context, page, errors = _page(browser)
    page.goto(base + SEED_SLUG + "/")
    page.locator(".reading ruby[data-g]").nth(5).click()
    page.locator(".gp-review").click()
    page.locator(".gp-known").click()
    page.goto(base + "review/")
    deck, known = _store(page, "review"), _store(page, "known")
    assert len(deck["cards"]) == 1 and len(known) == 1
    with page.expect_download() as info:
        page.locator(".rv-export").click()
    path = tmp_path / "export.json"
    info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "yuedu" and data["review"] == deck and data["known"] == known
    # A damaged store is reported on the page, nothing crashes, and an import repairs it.
    page.evaluate("localStorage.clear(); localStorage.setItem(window.yuedu.prefix + 'review', '{not json')")
    page.reload()
    assert page.locator(".rv-error").is_visible() and "damaged" in page.locator(".rv-error").text_content()
    page.evaluate("""localStorage.setItem(window.yuedu.prefix + 'review',
        JSON.stringify({v: 1, cards: {x: {w: 'x', s: [5], due: 'soon'}}}))""")
    page.reload()  # valid JSON, wrong shape: reported the same way
    assert page.locator(".rv-error").is_visible() and page.locator(".rv-card").is_hidden()
    page.evaluate("localStorage.setItem(window.yuedu.prefix + 'review', '{not json')")
    page.goto(base + SEED_SLUG + "/")  # the article page still works, and never overwrites it
    page.locator(".reading ruby[data-g]").nth(5).click()
    assert page.locator(".gp-review").count() == 0
    page.goto(base + "review/")
    page.locator(".rv-import").set_input_files(str(path))
    page.locator(".rv-data-status").filter(has_text="Imported").wait_for()
    assert _store(page, "review") == deck and _store(page, "known") == known
    assert not page.locator(".rv-error").is_visible() and page.locator(".rv-new").text_content() == "1"
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "other"}', encoding="utf-8")
    page.locator(".rv-import").set_input_files(str(bad))
    page.locator(".rv-data-status").filter(has_text="Import failed").wait_for()
    assert _store(page, "review") == deck
    assert errors == []
    context.close()


@pytest.mark.browser
def test_quiz_right_and_wrong_and_the_score_on_the_index(browser, base):
    pytest.importorskip("playwright.sync_api")
    context, page, errors = _page(browser)
    page.goto(base + QUIZ_SLUG + "/")
    q1, q2 = page.locator(".quiz .q").nth(0), page.locator(".quiz .q").nth(1)
    # A tap on a choice's words selects it (no popup inside a label).
    q1.locator(".choice").nth(0).locator("ruby").first.click()
    assert q1.locator("input").nth(0).is_checked()
    assert page.locator("#gloss-pop").is_hidden()
    assert "Not quite" in q1.locator(".q-feedback").text_content()
    assert "2: 十几个小时" in q1.locator(".q-feedback").text_content()
    assert q1.locator(".q-explain").is_visible()
    # Keyboard: focus the second group's first choice and pick it with Space.
    q2.locator("input").nth(0).focus()
    page.keyboard.press("Space")
    assert q2.locator(".q-feedback").text_content().startswith("✓ Right")
    assert page.locator(".quiz-score").text_content() == "Your score: 1 of 3 (2 answered)"
    q1.locator("input").nth(1).check()  # a second try shows right, the score keeps the first
    assert q1.locator(".q-feedback").text_content().startswith("✓ Right")
    assert page.locator(".quiz-score").text_content() == "Your score: 1 of 3 (2 answered)"
    page.goto(base)
    card = page.locator(f'.card[data-slug="{QUIZ_SLUG}"] .quiz-card')
    assert card.text_content() == "1 of 3 right"
    assert errors == []
    context.close()


# ---- Offline, in the browser -----------------------------------------------------------------

def _until(page, script: str, arg=None, timeout: float = 15) -> None:
    """Poll ``script`` until it is true (wait_for_function evaluates strings, which the CSP forbids)."""
    import time

    end = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        if time.monotonic() > end:
            pytest.fail(f"timed out waiting for {script}")
        time.sleep(0.1)


def _wait_controlled(page):
    _until(page, "() => !!(navigator.serviceWorker && navigator.serviceWorker.controller)")


@pytest.mark.browser
def test_offline_after_a_visit_and_a_new_build_after_reload(browser, tmp_path):
    pytest.importorskip("playwright.sync_api")
    root = make_project(tmp_path / "p")
    config = load_config(root)
    build(config)
    context, page, errors = _page(browser)
    with serve_site(root / "site") as url:
        page.goto(url)  # the index: open before the worker takes control
        # Once the worker is ready, the page it found open is in its cache (saved while installing).
        assert page.evaluate("""async () => { await navigator.serviceWorker.ready; const k = await caches.keys();
            return k.length === 1 && !!(await (await caches.open(k[0])).match(location.href)); }""")
        _wait_controlled(page)
        names = page.evaluate("caches.keys()")
        assert len(names) == 1 and names[0].startswith("yuedu /yuedu/ ")
        page.goto(url + SEED_SLUG + "/")
        title = page.locator("h1").text_content()
        # A new build shows on the next visit.
        article = root / "content" / f"{SEED_SLUG}.md"
        article.write_text(article.read_text(encoding="utf-8").replace("title: ", "title: 新", 1), encoding="utf-8")
        build(config)
        page.reload()
        assert page.locator("h1").text_content().startswith("新")
        _until(page, "async n => { const k = await caches.keys(); return k.length === 1 && k[0] !== n; }", names[0])
        page.goto(url + "review/")
    # The server is gone and the browser offline: what was visited still loads.
    context.set_offline(True)
    for path, text in (("", "Save all articles"), (SEED_SLUG + "/", "新"), ("review/", "Review")):
        page.goto(url + path)
        assert text in page.content(), path
    page.goto(url + SEED_SLUG + "/")
    assert page.evaluate("getComputedStyle(document.querySelector('.reading')).lineHeight") != "normal"  # CSS too
    # Glossary entries (files fetched on a tap) were saved with the page: popups work offline.
    for n in (3, 400):
        page.locator(".reading ruby[data-g]").nth(n).click()
        page.locator("#gloss-pop .senses li").first.wait_for(timeout=5000)
        assert "could not be loaded" not in page.locator("#gloss-pop").text_content()
    assert title != page.locator("h1").text_content()
    context.close()
    assert errors == []


@pytest.mark.browser
def test_first_visit_saves_its_page_and_the_next_page_saves_the_shell(browser, base):
    """The first article visit saves only itself and its files (it stays light, issue 18); the
    next page the reader opens saves its edition's shell, so the index and review/ then work
    offline without having been opened, and the other edition's pages are not fetched."""
    context, page, errors = _page(browser)
    cached = """async paths => { const k = await caches.keys(); if (k.length !== 1) return null;
        const c = await caches.open(k[0]);
        return Promise.all(paths.map(async p => !!(await c.match(new URL(p, location.href).href)))); }"""
    first = ["./", "../static/yuedu.css", "../static/yuedu.js"]
    shell = ["../", "../review/", "../static/review.js", "../static/review.css", "../zh-hant/"]
    page.goto(base + SEED_SLUG + "/")
    _until(page, f"async () => {{ const r = await ({cached})({json.dumps(first)}); return !!r && r.every(Boolean); }}")
    assert page.evaluate(cached, shell) == [False] * len(shell)
    page.goto(base + QUIZ_SLUG + "/")  # a second page, under the worker's control
    _until(page, f"async () => {{ const r = await ({cached})({json.dumps(shell[:4])}); return !!r && r.every(Boolean); }}")
    assert page.evaluate(cached, shell[4:]) == [False]  # not the other edition
    context.set_offline(True)
    for path, text in (("", "Save all articles"), ("review/", "Review"), (SEED_SLUG + "/", "")):
        page.goto(base + path)
        assert text in page.content(), path
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)"  # CSS too
    context.close()
    assert errors == []


@pytest.mark.browser
def test_save_all_articles_and_sites_sharing_one_origin(browser, tmp_path):
    """Two sites at /a/ and /b/ of one origin: their storage keys and caches stay apart, a new
    build of one never deletes the other's cache; "Save all" makes unvisited articles readable
    offline."""
    pytest.importorskip("playwright.sync_api")
    import functools
    import http.server
    import threading
    from urllib.parse import unquote

    sites = {}
    for name in ("a", "b"):
        root = make_project(tmp_path / name, library=name == "b")
        build(load_config(root))
        sites[name] = root

    class Handler(http.server.SimpleHTTPRequestHandler):
        """/a/… from site a, /b/… from site b: two project sites on one origin."""

        def translate_path(self, path):
            parts = path.split("?", 1)[0].split("#", 1)[0].split("/", 2)
            if len(parts) < 3 or parts[1] not in sites:
                return str(tmp_path / "__nothing__")
            return str(sites[parts[1]] / "site") + "/" + unquote(parts[2])

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    context, page, errors = _page(browser)
    try:
        for name in ("a", "b"):
            page.goto(f"{origin}/{name}/")
            _wait_controlled(page)
        page.goto(f"{origin}/a/{SEED_SLUG}/")
        page.locator(".reading ruby[data-g]").first.click()
        page.locator(".gp-review").click()
        page.goto(f"{origin}/b/review/")
        assert page.locator(".rv-done").text_content().startswith("No words saved yet")
        keys = page.evaluate("Object.keys(localStorage)")
        assert keys and all(k.startswith("yuedu:/a/:") for k in keys)
        _until(page, "async () => (await caches.keys()).length === 2")
        before = sorted(page.evaluate("caches.keys()"))
        assert [n.split(" ")[1] for n in before] == ["/a/", "/b/"]
        # Save all of b's articles for offline.
        page.goto(f"{origin}/b/")
        page.locator(".save-offline button").click()
        page.locator(".save-offline [role=status]").filter(has_text="Saved").wait_for(timeout=30000)
        total = page.locator(".card").count()
        assert page.locator(".save-offline [role=status]").text_content() == \
            f"Saved {total} of {total} articles for offline reading."
        # A new build of b: b's new version replaces b's old cache; a's cache stays.
        article = sites["b"] / "content" / f"{SEED_SLUG}.md"
        article.write_text(article.read_text(encoding="utf-8").replace("title: ", "title: 新", 1), encoding="utf-8")
        build(load_config(sites["b"]))
        page.reload()
        _until(page, "o => caches.keys().then(k => k.length === 2 && k.indexOf(o) < 0)",
               [n for n in before if " /b/ " in n][0], timeout=20)
        after = sorted(page.evaluate("caches.keys()"))
        assert after[0] == before[0]
    finally:
        server.shutdown()
        server.server_close()
    context.set_offline(True)
    page.goto(f"{origin}/b/{QUIZ_SLUG}/")  # never opened: saved by "Save all"
    assert page.locator(".quiz").count() == 1
    context.close()
    assert errors == []


@pytest.mark.browser
def test_review_card_and_answered_quiz_pass_axe_and_fit_a_phone(browser, base):
    """The states sitecheck cannot reach (a card's answer shown, questions answered): axe-core
    finds nothing and nothing overflows at 390 px, in both themes."""
    pytest.importorskip("playwright.sync_api")
    import os

    axe = Path(os.environ.get("SITECHECK_HOME", ROOT / ".sitecheck")) / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.exists():
        pytest.skip("axe-core comes with sitecheck (../shared/tools/sitecheck/install.sh)")
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()

    def check(where):
        page.add_script_tag(path=str(axe))
        found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")
        assert found == [], (where, found)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, where

    page.goto(base + QUIZ_SLUG + "/")
    page.locator(".reading ruby[data-g]").nth(2).tap()
    page.locator(".gp-review").tap()
    for theme in ("light", "dark"):
        page.emulate_media(color_scheme=theme)
        page.goto(base + QUIZ_SLUG + "/")
        page.locator(".quiz .q").nth(0).locator("input").nth(0).check()
        page.locator(".quiz .q").nth(1).locator("input").nth(0).check()
        check(f"quiz answered, {theme}")
        page.goto(base + "review/")
        page.locator(".rv-show").tap()
        check(f"review card, answer shown, {theme}")
    context.close()


@pytest.mark.browser
def test_review_reads_the_sentence_aloud_with_the_readers_speed(browser, base):
    pytest.importorskip("playwright.sync_api")
    from test_reader import FAKE_SPEECH

    context, page, errors = _page(browser)
    context.add_init_script(FAKE_SPEECH)
    page.goto(base + SEED_SLUG + "/")
    page.locator(".reader-settings > summary").click()
    page.locator('.settings select[name="rate"]').select_option("0.6")
    page.locator(".reading ruby[data-g]").nth(8).click()
    page.locator(".gp-review").click()
    card = next(iter(_store(page, "review")["cards"].values()))
    page.goto(base + "review/")
    page.locator(".rv-speak").click()
    spoken = page.evaluate("window.__spoken")
    sentence = "".join(s if isinstance(s, str) else s[0] for s in card["s"])
    assert sentence.startswith("“转型不是简单关停") and sentence.endswith("培育新动能。”")  # quotes closed
    assert [(s["text"], s["lang"], round(s["rate"], 3)) for s in spoken] == [(sentence, "zh-CN", 0.6)]
    assert errors == []
    context.close()


def test_question_text_is_escaped(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    (root / "content" / "x.md").write_text(textwrap.dedent(f"""\
        ---
        title: 好
        date: 2026-11-20
        questions:
          - question: "你好{payload}"
            question_en: "{payload}"
            choices: ["好{payload}", "不好"]
            answer: 1
            explain: "{payload}"
        ---

        你好。
        """), encoding="utf-8")
    build(load_config(root))
    html = (root / "site" / "x" / "index.html").read_text(encoding="utf-8")
    quiz = html[html.index('<section class="quiz"'):]
    assert "<script>alert" not in quiz and "<img" not in quiz
    assert quiz.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 4
