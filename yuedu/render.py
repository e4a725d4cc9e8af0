"""One Markdown (with ruby) and one Jinja2 environment turn articles into HTML strings."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import markdown
from markdown.treeprocessors import Treeprocessor
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import vocab
from .errors import ContentError
from .ruby import RubyExtension

if TYPE_CHECKING:
    from .article import Article
    from .config import Config


#: The Content-Security-Policy of every page: only the site's own scripts, styles and data; no
#: inline script (the glossary data is JSON in a non-executed <script type="application/json">);
#: an article's recording and its timings (``<audio>``, ``<track>``) come from the site too.
#: ``serve`` relaxes it for livereload's inline script in preview only.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "
       "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'")

_GLOSS_ID = re.compile(r'<ruby data-g="\d+">')

#: URL schemes a link or image in an article may use; anything else (javascript:, data:,
#: vbscript:, …) is dropped. Relative URLs have no scheme and are kept.
SAFE_SCHEMES = frozenset({"", "http", "https", "mailto"})


class SafeLinksTreeprocessor(Treeprocessor):
    """Drop link and image URLs whose scheme is not on :data:`SAFE_SCHEMES`."""

    def run(self, root) -> None:
        for el in root.iter():
            for attr in ("href", "src"):
                url = el.get(attr)
                if url is not None and not _safe_url(url):
                    del el.attrib[attr]
            if el.tag == "img" and "src" not in el.attrib:  # an image we won't load: keep its text
                alt = el.get("alt", "")
                el.tag, el.text = "span", alt
                el.attrib.clear()


def _safe_url(url: str) -> bool:
    # Browsers ignore control characters and spaces inside a scheme ("java\tscript:"), so do we.
    cleaned = "".join(ch for ch in url if ch > " " and ch != "\x7f").lower()
    scheme = cleaned.split(":", 1)[0] if ":" in cleaned.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0] else ""
    return scheme in SAFE_SCHEMES


def _markdown(*extensions) -> markdown.Markdown:
    """A Markdown instance that treats raw HTML as text and drops unsafe URLs.

    Articles never carry HTML through (the content policy in docs/authoring.md).
    """
    md = markdown.Markdown(extensions=list(extensions), output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    # After inline (20), before our ruby (4): links exist as elements by then.
    md.treeprocessors.register(SafeLinksTreeprocessor(md), "yuedu_safe_links", 10)
    return md


def _strip_p(html: str) -> str:
    """Drop the ``<p>`` Markdown wraps a one-paragraph snippet in."""
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


@dataclass
class RenderedBlock:
    """A body block as HTML, with its translation."""

    kind: str
    html: Markup
    en: Markup | None
    line: int


@dataclass
class RenderedArticle:
    """An article's annotated parts, its words' glossary data and how often each occurs."""

    title: Markup
    byline: Markup
    blocks: list[RenderedBlock]
    #: Occurrences of each distinct word of the page (in the order of ``words``). The Word
    #: objects themselves are not kept: a result crosses from a worker and into the cache by
    #: pickle (a page's Word objects were half of it), and the summaries say all pages need.
    counts: list[int]
    #: One summary per distinct word (vocab.word_summary), in the order of ``counts``: what the
    #: pages and listings need beside the popup data. The glossary data itself crosses back
    #: only as the page's popup files (``gloss_files``, vocab.gloss_file's JSON): a page's
    #: gloss dicts took longer to unpickle in the build process than everything else of it.
    words: list[tuple]
    gloss_files: list[str]
    #: Words no source could explain (reported on every build).
    unexplained: list[str]
    #: Readings to review (:func:`yuedu.review.review_entries`): ``{"line", "word", "reading", "text"}``.
    audit: list[dict] = field(default_factory=list)
    #: Comprehension questions: ``{"q", "en", "choices", "answer", "explain"}`` (HTML with ruby).
    questions: list[dict] = field(default_factory=list)


class Renderer:
    """Render articles and pages; one instance serves a whole build."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._ruby: RubyExtension | None = None
        self.md_en = _markdown()
        self.env = Environment(
            loader=FileSystemLoader(str(config.templates_dir)),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["isodate"] = lambda d: d.isoformat() if isinstance(d, dt.date) else str(d)

    @property
    def ruby(self) -> RubyExtension:
        """The ruby extension, created on first use: a fully cached build never needs it."""
        if self._ruby is None:
            self._ruby = RubyExtension()
            self.md = _markdown(self._ruby)
        return self._ruby

    def english(self, text: str) -> Markup:
        """Render a translation (inline Markdown, no HTML) to safe HTML."""
        self.md_en.reset()
        return Markup(_strip_p(self.md_en.convert(text)))

    def article(self, article: Article, site_glossary: dict | None = None) -> RenderedArticle:
        """Annotate an article's title, byline and blocks, and gloss its words."""
        glossary = vocab.with_short_names({**(site_glossary or {}), **article.glossary})
        overrides = {**vocab.reading_overrides(glossary), **article.readings}
        ruby = self.ruby
        # glossary words are units; a word in ``readings:`` only fixes how it is read
        standard, dictionary_dir = self.config.hsk_standard, self.config.dictionary_dir
        ruby.start_page(overrides, whole=set(glossary),
                        lead=lambda first, word: vocab.occurrence_lead(first, word, glossary, standard, dictionary_dir))
        name = str(article.path)
        try:
            title = Markup(ruby.ruby_html(article.title))
            byline = Markup(ruby.ruby_html(article.byline)) if article.byline else Markup("")
        except ValueError as exc:
            raise ContentError(name, 1, f"front matter: {exc}") from None
        blocks = []
        for block in article.blocks:
            ruby.line = block.line
            self.md.reset()
            try:
                html = self.md.convert(block.text)
            except ValueError as exc:
                raise ContentError(name, block.line, str(exc)) from None
            if block.kind == "caption":
                html = _strip_p(html)
            en = self.english(block.en) if block.en else None
            blocks.append(RenderedBlock(block.kind, Markup(html), en, block.line))
        questions = [self._question(q, name) for q in article.questions]
        words = ruby.vocabulary.words
        glosses = vocab.page_glosses(words, glossary, self.config.hsk_standard, dictionary_dir)
        unexplained = [g["w"] for g in glosses if not vocab.has_english(g)]
        from . import glossary as cedict
        from .review import review_entries

        audit = review_entries(ruby.audit, glosses, cedict.load(dictionary_dir),
                               getattr(article, "reviewed", None)) if ruby.audit else []
        files = [vocab.gloss_file(glosses, k) for k in range(vocab.gloss_files(len(glosses)))]
        return RenderedArticle(title, byline, blocks, ruby.vocabulary.counts, [vocab.word_summary(g) for g in glosses],
                               files, unexplained, audit, questions)

    def _question(self, question, name: str) -> dict:
        """A comprehension question with ruby; its choices' words are not glossary words (a
        choice is a form control's label: nothing inside it may be a control of its own)."""
        ruby = self.ruby
        ruby.line = question.line
        try:
            def plain(text: str) -> Markup:
                return Markup(_GLOSS_ID.sub("<ruby>", ruby.ruby_html(text)))

            return {"q": Markup(ruby.ruby_html(question.question)), "en": question.question_en,
                    "choices": [plain(c) for c in question.choices], "answer": question.answer,
                    "explain": plain(question.explain) if question.explain else Markup("")}
        except ValueError as exc:
            raise ContentError(name, question.line, f"questions: {exc}") from None

    def fragment(self, template: str, **context) -> Markup:
        """Render a partial template (e.g. one index card) to safe HTML."""
        return Markup(self.env.get_template(template).render(site=self.config, **context))

    def page(self, template: str, **context) -> str:
        """Render a template with the site in context."""
        return self.env.get_template(template).render(site=self.config, csp=Markup(CSP), **context)
