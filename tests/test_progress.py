"""Build progress: a redrawn bar on a terminal, a line per tenth elsewhere, nothing for small builds."""

from __future__ import annotations

import io

from yuedu.progress import MIN_ITEMS, Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def ticking():
    t = [0.0]

    def clock() -> float:
        t[0] += 0.5
        return t[0]
    return clock


def test_plain_lines_in_a_log(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    out = io.StringIO()
    bar = Progress(200, stream=out, clock=ticking())
    for _ in range(200):
        bar.advance()
    bar.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 10 and "\r" not in out.getvalue()
    assert lines[0].startswith("rendered 20/200 articles (10%)")
    assert lines[-1].startswith("rendered 200/200 articles (100%)")


def test_bar_on_a_terminal_but_lines_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    term = Terminal()
    bar = Progress(50, stream=term, clock=ticking())
    for _ in range(50):
        bar.advance()
    bar.close()
    text = term.getvalue()
    assert text.count("\r[") >= 10 and "50/50 articles" in text and text.endswith("\r\033[K")
    assert "\n" not in text
    monkeypatch.setenv("CI", "true")
    term = Terminal()
    bar = Progress(50, stream=term, clock=ticking())
    for _ in range(50):
        bar.advance()
    assert "\r" not in term.getvalue() and term.getvalue().count("\n") == 10


def test_small_builds_stay_quiet():
    out = Terminal()
    bar = Progress(MIN_ITEMS - 1, stream=out, clock=ticking())
    for _ in range(MIN_ITEMS - 1):
        bar.advance()
    bar.close()
    assert out.getvalue() == ""
