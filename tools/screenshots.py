"""Take the README's screenshots of the built site: article page at phone and desktop width, light
and dark, with a glossary popup open. Usage: python build.py && python tools/screenshots.py"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS, serve_site  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

SLUG = "xiangxiang-goes-green"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def main() -> None:
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with serve_site(ROOT / "site") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for device, viewport in SIZES.items():
            for scheme in ("light", "dark"):
                context = browser.new_context(viewport=viewport, color_scheme=scheme,
                                              is_mobile=device == "phone", has_touch=device == "phone")
                page = context.new_page()
                page.goto(base + SLUG + "/")
                page.locator("details.tr").nth(1).locator("summary").click()
                word = page.locator(".reading ruby[data-g]").nth(14)
                word.click()
                page.evaluate("document.getElementById('b1').scrollIntoView({block: 'start'})")
                word.click()
                page.wait_for_timeout(150)
                path = out / f"article-{device}-{scheme}.png"
                page.screenshot(path=str(path))
                print(path.relative_to(ROOT))
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
