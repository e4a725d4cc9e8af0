"""The reading page in a real browser (Playwright + Debian chromium), served under a sub-path."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import CHROMIUM, serve_site
from conftest import ROOT, SEED_SLUG

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
]
SHOTS = ROOT / "test-artifacts"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture(scope="module")
def base_url(built_site: Path):
    with serve_site(built_site) as url:
        yield url


@pytest.mark.parametrize("device", VIEWPORTS)
def test_article_reveal_translation_no_overflow(browser, base_url, device):
    context = browser.new_context(viewport=VIEWPORTS[device], has_touch=device == "phone",
                                  is_mobile=device == "phone")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    failed: list[str] = []
    page.on("requestfailed", lambda req: failed.append(req.url))
    response = page.goto(base_url + SEED_SLUG + "/")
    assert response.status == 200
    # Styles and script load through relative links under the sub-path.
    assert page.evaluate("getComputedStyle(document.querySelector('rt')).userSelect") == "none"
    first = page.locator("details.tr").nth(1)
    translation = first.locator("p")
    assert not translation.is_visible()
    summary = first.locator("summary")
    summary.tap() if device == "phone" else summary.click()
    assert translation.is_visible()
    assert "Transformation" in translation.inner_text() or translation.inner_text().strip()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"horizontal overflow of {overflow}px at {device}"
    # Pinyin is legible: not tiny.
    rt_px = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.reading rt')).fontSize)")
    assert rt_px >= 10
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"article-{device}.png"))
    assert not errors and not failed
    context.close()


def test_reveal_all_translations(browser, base_url):
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(base_url + SEED_SLUG + "/")
    button = page.get_by_role("button", name="Show all translations")
    button.click()
    assert page.locator("details.tr:not([open])").count() == 0
    page.get_by_role("button", name="Hide all translations").click()
    assert page.locator("details.tr[open]").count() == 0
    page.close()


def test_copy_gives_hanzi_without_pinyin(browser, base_url):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(base_url + SEED_SLUG + "/")
    copied = page.evaluate("""() => {
        const p = document.querySelector('.reading .blk p');
        const range = document.createRange();
        range.selectNodeContents(p);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        const data = new DataTransfer();
        const event = new ClipboardEvent('copy', {clipboardData: data, bubbles: true, cancelable: true});
        p.dispatchEvent(event);
        return data.getData('text/plain');
    }""")
    assert copied.startswith("“转型不是简单关停，而是")
    assert "zhuǎn" not in copied
    context.close()


def test_index_links_work_under_sub_path(browser, base_url):
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    page.goto(base_url)
    page.locator(f'a[href="{SEED_SLUG}/"]').first.click()
    assert page.url == base_url + SEED_SLUG + "/"
    page.get_by_role("link", name="All articles").click()
    assert page.url == base_url
    page.close()


def _popup_box(page):
    return page.evaluate("""() => { const p = document.getElementById('gloss-pop');
        const r = p.getBoundingClientRect();
        return {hidden: p.hidden, left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                vw: document.documentElement.clientWidth, vh: window.innerHeight, text: p.innerText}; }""")


def test_hover_word_shows_pinyin_and_english(browser, base_url):
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(base_url + SEED_SLUG + "/")
    word = page.locator('.reading ruby[data-g]').filter(has_text="银行").first
    if word.count() == 0:
        word = page.locator(".reading ruby[data-g]").nth(3)
    word.hover()
    page.wait_for_function("() => !document.getElementById('gloss-pop').hidden", timeout=1000)
    box = _popup_box(page)
    assert box["text"].strip()
    # the senses come with the word's glossary file, a moment after the popup opens
    page.wait_for_function("() => document.querySelector('#gloss-pop .senses li, #gloss-pop .gp-parts li')",
                           timeout=5000)
    gloss = page.evaluate("""() => { const w = document.querySelector('#gloss-pop');
        return [w.querySelector('.gp-pinyin').textContent, w.querySelectorAll('.senses li, .gp-parts li').length]; }""")
    assert gloss[0] and gloss[1] >= 1
    page.close()


def test_tap_word_popup_inside_viewport_on_phone(browser, base_url):
    context = browser.new_context(viewport=VIEWPORTS["phone"], has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(base_url + SEED_SLUG + "/")
    words = page.locator(".reading ruby[data-g]")
    # Words near both edges of the screen: the popup must stay inside the viewport.
    for index in (0, 7, 25):
        word = words.nth(index)
        word.scroll_into_view_if_needed()
        word.tap()
        page.locator("#gloss-pop").wait_for(state="visible")  # its data may come with the tap
        box = _popup_box(page)
        assert not box["hidden"]
        assert box["left"] >= 0 and box["top"] >= 0, box
        assert box["right"] <= box["vw"] and box["bottom"] <= box["vh"], box
    page.wait_for_function("() => document.querySelector('#gloss-pop .senses li, #gloss-pop .gp-parts li')",
                           timeout=5000)
    page.screenshot(path=str(SHOTS / "popup-phone.png"))  # the popup open, its senses in
    # Tapping outside closes it.
    page.locator(".article-head .meta").first.tap()
    assert _popup_box(page)["hidden"]
    context.close()


def test_keyboard_reaches_words_and_escape_closes(browser, base_url):
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(base_url + SEED_SLUG + "/")
    for _ in range(40):  # one tab stop into the text: reachable in a few presses
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.zh ruby[data-g]')"):
            break
    else:
        pytest.fail("no word reachable by Tab")
    page.locator("#gloss-pop").wait_for(state="visible")  # its data may come with the first focus
    first = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") != first
    page.locator(".zh ruby[data-g][aria-describedby=gloss-pop]").wait_for()
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "gloss-pop"
    page.keyboard.press("Escape")
    assert _popup_box(page)["hidden"]
    # Words are not hundreds of tab stops: the next Tab leaves the text.
    tabbable = page.evaluate("document.querySelectorAll('.zh ruby[tabindex=\"0\"]').length")
    assert tabbable == 1
    page.close()
