"""`build.py serve`: live reload on edits, an error page on a broken article, recovery."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import ROOT, SEED_SLUG, make_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def wait_for(check, timeout: float) -> float:
    """Poll ``check`` until it is true; return the seconds it took (fail after ``timeout``)."""
    start = time.monotonic()
    while True:
        if check():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            pytest.fail(f"condition not met within {timeout} s")
        time.sleep(0.05)


@pytest.fixture
def server(tmp_path):
    root = make_project(tmp_path / "p")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"

    def up():
        try:
            return fetch(url)[0] == 200
        except OSError:
            return False

    wait_for(up, 60)
    yield root, url, proc
    proc.terminate()
    proc.wait(10)


def test_edit_reloads_error_page_and_recovery(server):
    root, url, proc = server
    page = url + SEED_SLUG + "/"
    status, html = fetch(page)
    assert status == 200 and "livereload.js" in html
    # The CSP makes room for livereload's inline script in preview only.
    assert "script-src 'self' 'unsafe-inline';" in html
    built = (root / "site" / SEED_SLUG / "index.html").read_text(encoding="utf-8")
    assert "unsafe-inline" not in built
    path = root / "content" / f"{SEED_SLUG}.md"
    source = path.read_text(encoding="utf-8")

    path.write_text(source.replace("title_en: ", "title_en: Edited! ", 1), encoding="utf-8")
    wait_for(lambda: "Edited!" in fetch(page)[1], 2.0)

    path.write_text(source.replace("date: 2026-11-28", "date: 28/11/2026", 1), encoding="utf-8")
    wait_for(lambda: fetch(page)[0] == 500, 5.0)
    status, html = fetch(page)
    assert f"content/{SEED_SLUG}.md:4: front matter: &#x27;date&#x27;" in html
    assert "livereload.js" in html
    assert proc.poll() is None
    assert (root / "site" / SEED_SLUG / "index.html").exists()  # the last good site stays

    path.write_text(source, encoding="utf-8")
    wait_for(lambda: fetch(page)[0] == 200, 5.0)
    assert "Edited!" not in fetch(page)[1]


def test_browser_reloads_by_itself_and_site_vocabulary_follows(server, browser):
    """A real page with livereload's script connected: a save reloads it with the new text,
    without anyone pressing reload; the site vocabulary (rebuilt just after) gains the new word."""
    root, url, proc = server
    page = browser.new_page()
    page.goto(url + SEED_SLUG + "/")
    page.wait_for_function("() => window.LiveReload !== undefined || document.querySelector('script[src*=livereload]')")
    # No service worker in preview (it would answer from its cache instead of the new build).
    assert page.evaluate("() => document.documentElement.hasAttribute('data-sw')") is False
    assert page.evaluate("() => navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
    assert "unregister()" in fetch(url + "sw.js")[1]
    time.sleep(0.5)  # let the websocket handshake finish
    page.evaluate("window.__stillHere = true")
    path = root / "content" / f"{SEED_SLUG}.md"
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace("title_en: ", "title_en: Reloaded ", 1), encoding="utf-8")
    page.wait_for_function("() => !window.__stillHere && document.title !== ''", timeout=10_000)
    assert "Reloaded" in page.locator(".title-en").inner_text()
    # 鹦鹉 (parrot) is in no other article: it reaches the site vocabulary after the article.
    assert "鹦鹉" not in (root / "site" / "vocabulary" / "vocabulary.tsv").read_text(encoding="utf-8")
    path.write_text(source.rstrip("\n") + "\n\n鹦鹉会说话。\n\nen: The parrot can talk.\n", encoding="utf-8")
    wait_for(lambda: "鹦鹉" in (root / "site" / "vocabulary" / "vocabulary.tsv").read_text(encoding="utf-8"), 10.0)
    assert proc.poll() is None
    page.close()
