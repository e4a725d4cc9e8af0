"""Small HTML readers for tests: text without pinyin, ruby statistics."""

from __future__ import annotations

from html.parser import HTMLParser

from yuedu.reading import HAN_RE


class ReadingText(HTMLParser):
    """Collect text of the elements matching a class, skipping <rt>/<rp>, and ruby statistics."""

    VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source"}

    def __init__(self, classes: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.classes = classes
        self.stack: list[tuple[str, bool]] = []  # (tag, inside a wanted element)
        self.skip = 0
        self.in_ruby = 0
        self.blocks: list[list[str]] = []
        self.han_total = 0
        self.han_in_ruby = 0
        self.rt_empty = 0
        self._rt_buf: list[str] | None = None

    def _inside(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        wanted = self._inside() or bool(self.classes & set((attrs.get("class") or "").split()))
        if wanted and not self._inside():
            self.blocks.append([])
        if wanted and tag == "details":
            wanted = False  # translations are not reading text
            self.skip += 1
        self.stack.append((tag, wanted))
        if tag in ("rt", "rp"):
            self.skip += 1
            if tag == "rt":
                self._rt_buf = []
        if tag == "ruby":
            self.in_ruby += 1

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag in ("rt", "rp", "details"):
                if open_tag == "details" and self.skip:
                    self.skip -= 1
                elif open_tag in ("rt", "rp"):
                    self.skip -= 1
                if open_tag == "rt" and self._rt_buf is not None:
                    if not "".join(self._rt_buf).strip():
                        self.rt_empty += 1
                    self._rt_buf = None
            if open_tag == "ruby":
                self.in_ruby -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._rt_buf is not None:
            self._rt_buf.append(data)
        if not self._inside() or self.skip:
            return
        self.blocks[-1].append(data)
        han = len(HAN_RE.findall(data))
        self.han_total += han
        if self.in_ruby:
            self.han_in_ruby += han

    def texts(self) -> list[str]:
        return ["".join(b).strip() for b in self.blocks]


def reading_text(html: str, classes=("zh",)) -> ReadingText:
    parser = ReadingText(set(classes))
    parser.feed(html)
    parser.close()
    return parser
