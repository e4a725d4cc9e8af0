"""The reader's settings in a real browser: each control's visible effect, persistence across a
reload, keyboard-only use, read-aloud with a recording fake, print and no-JavaScript views."""

from __future__ import annotations

import pytest

from browser import CHROMIUM, serve_site
from conftest import SEED_SLUG

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
]
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def url(built_site):
    with serve_site(built_site) as base:
        yield base + SEED_SLUG + "/"


@pytest.fixture
def page(browser, url):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(url)
    yield page
    context.close()


def open_settings(page):
    page.locator(".reader-settings > summary").click()


def choose(page, name, value):
    page.locator(f'.settings input[name="{name}"][value="{value}"]').check()


def rt_style(page, prop, selector=".reading rt"):
    return page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).{prop}")


def test_pinyin_off_persists_across_reload(page):
    assert rt_style(page, "display") != "none"
    open_settings(page)
    choose(page, "pinyin", "off")
    assert rt_style(page, "display") == "none"
    page.reload()
    assert rt_style(page, "display") == "none"
    assert page.locator('.settings input[name="pinyin"][value="off"]').is_checked()


def test_pinyin_above_my_level(page):
    open_settings(page)
    choose(page, "pinyin", "level")
    page.locator('.settings select[name="level"]').select_option("6")
    hidden = page.evaluate("""() => { const out = {easy: 0, hard: 0};
        const gloss = JSON.parse(document.getElementById('gloss-data').textContent);
        document.querySelectorAll('.reading ruby[data-g]').forEach(r => {
          const g = gloss[+r.dataset.g]; const vis = getComputedStyle(r.querySelector('rt')).visibility;
          if (g.hsk && g.hsk !== '7-9') { if (vis === 'hidden') out.easy++; else out.easy = -1e9; }
          else if (vis !== 'hidden') out.hard++; });
        return out; }""")
    assert hidden["easy"] > 100 and hidden["hard"] > 10


def test_mark_known_hides_its_pinyin_in_unknown_mode_and_export_import(page, tmp_path):
    open_settings(page)
    choose(page, "pinyin", "unknown")
    word = page.locator(".reading ruby[data-g]").first
    word.click()
    page.locator(".gp-known").click()
    assert page.locator(".gp-known").get_attribute("aria-pressed") == "true"
    text = page.evaluate("JSON.parse(document.getElementById('gloss-data').textContent)[+document.querySelector('.reading ruby[data-g]').dataset.g].w")
    assert page.evaluate("getComputedStyle(document.querySelector('.reading ruby[data-g] rt')).visibility") == "hidden"
    page.keyboard.press("Escape")
    with page.expect_download() as info:
        page.locator(".known-export").click()
    exported = tmp_path / "known.txt"
    info.value.save_as(exported)
    assert text in exported.read_text(encoding="utf-8").splitlines()
    # A fresh browser imports the list and gets the same result.
    context = page.context.browser.new_context(viewport=DESKTOP)
    other = context.new_page()
    other.goto(page.url)
    open_settings(other)
    choose(other, "pinyin", "unknown")
    other.locator(".known-import").set_input_files(str(exported))
    other.wait_for_function("() => document.querySelector('.known-count').textContent === '1'")
    assert other.evaluate("getComputedStyle(document.querySelector('.reading ruby[data-g] rt')).visibility") == "hidden"
    choose(other, "hl", "on") if False else other.locator('.settings input[name="hl"]').check()
    shadow = other.evaluate("getComputedStyle(document.querySelectorAll('.reading ruby[data-g]')[1]).boxShadow")
    assert shadow != "none"
    context.close()


def _contrast(rgb1, rgb2):
    def lum(rgb):
        out = []
        for c in rgb:
            c = c / 255
            out.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * out[0] + 0.7152 * out[1] + 0.0722 * out[2]
    a, b = sorted((lum(rgb1), lum(rgb2)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _rgb(css):
    return [int(float(x)) for x in css[css.index("(") + 1:css.index(")")].split(",")[:3]]


@pytest.mark.parametrize("scheme", ["pleco", "mdbg"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_tone_colours_keep_contrast_and_marks(page, scheme, theme):
    open_settings(page)
    choose(page, "theme", theme)
    choose(page, "tones", scheme)
    colours = page.evaluate("""() => { const out = {};
        for (const t of [1, 2, 3, 4, 5]) { const rt = document.querySelector('.reading rt.t' + t);
          if (rt) out[t] = [getComputedStyle(rt).color, rt.textContent]; }
        out.bg = getComputedStyle(document.body).backgroundColor; return out; }""")
    bg = _rgb(colours.pop("bg"))
    assert len(colours) == 5
    assert len({c for c, _ in colours.values()}) == 5  # five distinct colours
    for tone, (colour, syllable) in colours.items():
        assert _contrast(_rgb(colour), bg) >= 4.5, (tone, colour, bg)
    assert page.locator(".legend").is_visible()


def test_translation_modes_and_font_size_persist(page):
    open_settings(page)
    choose(page, "tr", "all")
    assert page.locator("details.tr:not([open])").count() == 0
    choose(page, "tr", "hidden")
    assert page.evaluate("getComputedStyle(document.querySelector('details.tr')).display") == "none"
    small = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.reading')).fontSize)")
    rt_small = float(rt_style(page, "fontSize")[:-2])
    choose(page, "size", "4")
    big = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.reading')).fontSize)")
    assert big > small * 1.3
    assert float(rt_style(page, "fontSize")[:-2]) > rt_small  # ruby scales with the text
    page.reload()
    assert page.evaluate("getComputedStyle(document.querySelector('details.tr')).display") == "none"
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.reading')).fontSize)") == big


def test_dark_mode_follows_system_and_can_be_overridden(browser, url):
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    page = context.new_page()
    page.goto(url)
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert sum(_rgb(dark)) < 150
    open_settings(page)
    choose(page, "theme", "light")
    assert sum(_rgb(page.evaluate("getComputedStyle(document.body).backgroundColor"))) > 600
    page.reload()
    assert sum(_rgb(page.evaluate("getComputedStyle(document.body).backgroundColor"))) > 600
    context.close()


def test_keyboard_only_settings(page):
    page.locator(".reader-settings > summary").focus()
    page.keyboard.press("Enter")
    assert page.locator(".reader-settings").get_attribute("open") is not None
    page.locator('.settings input[name="pinyin"][value="all"]').focus()
    page.keyboard.press("ArrowDown")  # radio group: arrows move and select
    assert page.locator('.settings input[name="pinyin"][value="level"]').is_checked()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator('.settings input[name="pinyin"][value="off"]').is_checked()
    assert rt_style(page, "display") == "none"


def test_spoken_tones_for_yi_and_bu(page):
    if page.locator(".reading rt[data-s]").count() == 0:
        pytest.fail("the seed article has 一/不 in sandhi contexts: expected rt[data-s]")
    first = page.locator(".reading rt[data-s]").first
    dictionary = first.inner_text()
    open_settings(page)
    choose(page, "sandhi", "spoken")
    assert first.inner_text() == first.get_attribute("data-s") != dictionary
    assert "sandhi" in first.get_attribute("class")
    page.reload()
    assert page.locator(".reading rt[data-s]").first.inner_text() != dictionary


FAKE_SPEECH = """
window.__spoken = [];
const fake = {
  getVoices: () => [{lang: 'zh-CN', name: 'Fake Chinese', voiceURI: 'fake'}],
  speak: (u) => { window.__spoken.push({text: u.text, lang: u.lang, rate: u.rate});
                  if (u.onboundary) u.onboundary({charIndex: 2, name: 'word'}); },
  cancel: () => {}, addEventListener: () => {},
};
Object.defineProperty(window, 'speechSynthesis', {value: fake, configurable: true});
"""


def test_read_aloud_calls_speech_with_paragraph_text(browser, url):
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(FAKE_SPEECH)
    page = context.new_page()
    page.goto(url)
    button = page.locator(".reading .blk .speak").first
    button.click()
    spoken = page.evaluate("window.__spoken")
    assert spoken[0]["lang"] == "zh-CN" and abs(spoken[0]["rate"] - 0.8) < 1e-6
    assert spoken[0]["text"].startswith("“转型不是简单关停")
    assert "zhuǎn" not in spoken[0]["text"]
    assert page.locator(".reading ruby.speaking").count() == 1  # the word at the boundary
    context.close()


def test_no_chinese_voice_hides_read_aloud(browser, url):
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(FAKE_SPEECH.replace("'zh-CN'", "'en-US'", 1))
    page = context.new_page()
    page.goto(url)
    assert page.locator(".speak").count() == 0
    context.close()


def test_screen_reader_mode(page):
    assert page.evaluate("document.querySelector('.reading rt').getAttribute('aria-hidden')") == "true"
    open_settings(page)
    choose(page, "sr", "both")
    assert page.evaluate("document.querySelector('.reading rt').getAttribute('aria-hidden')") is None


def test_print_and_no_javascript_views(browser, url, page):
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.tools')).display") == "none"
    assert rt_style(page, "display") != "none"
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    plain = context.new_page()
    plain.goto(url)
    assert plain.locator(".reader-settings").is_hidden()
    assert plain.evaluate("getComputedStyle(document.querySelector('.reading rt')).display") != "none"
    summary = plain.locator("details.tr summary").nth(1)
    summary.click()
    assert plain.locator("details.tr p").nth(1).is_visible()
    context.close()
