"""The command line: parse arguments, run a command, turn Yuedu errors into messages and exit codes.

Reports and warnings go to stderr; stdout carries only machine output (``import --json``,
``pinyin``, ``timings``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from .errors import BuildFailed, ContentError, YueduError

COMMANDS = ("build", "serve", "import", "pinyin", "timings")
log = logging.getLogger("yuedu")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build a bilingual Chinese reading site from content/ into site/.")
    parser.add_argument("--root", default=".", help="project folder (default: current folder)")
    sub = parser.add_subparsers(dest="command")

    build = sub.add_parser("build", help="build content/ into site/ (the default command)")
    build.add_argument("--clean", action="store_true", help="discard caches and build from scratch")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--debug", action="store_true", help="show tracebacks and debug logging")
    build.add_argument("--scheduler", metavar="ADDRESS", default=os.environ.get("YUEDU_SCHEDULER") or None,
                       help="annotate on the Dask cluster whose scheduler is at ADDRESS, e.g. tcp://10.0.0.5:8786 "
                            "(default: $YUEDU_SCHEDULER, else this machine's cores)")

    serve = sub.add_parser("serve", help="build, serve site/ and rebuild on every change")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    serve.add_argument("--debug", action="store_true")

    imp = sub.add_parser("import", help="turn a scraped page into a draft article in content/")
    imp.add_argument("path", help="the scraped page (text or HTML)")
    imp.add_argument("--slug", help="slug (file name) of the draft")
    imp.add_argument("--force", action="store_true", help="overwrite an existing article")
    imp.add_argument("--json", action="store_true", help="print the cleaned article as JSON instead of writing it")
    imp.add_argument("--keep-punctuation", action="store_true",
                     help="keep half-width , : ; ? ! between Chinese characters as the page has them")
    imp.add_argument("--debug", action="store_true")

    tim = sub.add_parser("timings", help="print a WebVTT skeleton for an article's recording (one cue per sentence)")
    tim.add_argument("article", help="the article, e.g. content/<slug>.md")
    tim.add_argument("--debug", action="store_true")

    pin = sub.add_parser("pinyin", help='JSON lines {"text": ...} on stdin -> {"pinyin": [...], "words": [...]} on stdout')
    pin.add_argument("--debug", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # `python build.py --clean` means `python build.py build --clean`.
    if not any(a in COMMANDS for a in argv if not a.startswith("-")) and "-h" not in argv and "--help" not in argv:
        root_args = []
        if "--root" in argv:
            i = argv.index("--root")
            root_args, argv = argv[i:i + 2], argv[:i] + argv[i + 2:]
        argv = root_args + ["build"] + argv
    args = _parser().parse_args(argv)
    debug = getattr(args, "debug", False)
    logging.basicConfig(level=logging.DEBUG if debug else logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        return _run(args)
    except BuildFailed as exc:
        for error in exc.errors:
            print(str(error), file=sys.stderr)
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    except ContentError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except YueduError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception:
        if debug:
            raise
        log.exception("Internal error (please report it); run with --debug for details")
        return 2


def _run(args: argparse.Namespace) -> int:
    from .config import load_config

    config = load_config(args.root)
    if args.command == "build":
        return _build(config.with_options(strict=args.strict, debug=args.debug, scheduler=args.scheduler),
                      clean=args.clean)
    if args.command == "serve":
        from .serve import serve

        serve(config.with_options(debug=args.debug), host=args.host, port=args.port, open_browser=args.open)
        return 0
    if args.command == "import":
        return _import(config, args)
    if args.command == "pinyin":
        return _pinyin()
    if args.command == "timings":
        return _timings(config, args)
    raise AssertionError(args.command)


def _build(config, *, clean: bool = False) -> int:
    from . import site

    start = time.perf_counter()
    result = site.build(config, clean=clean, progress=True)
    for line in result.review:
        print(line, file=sys.stderr)
    if result.review:
        print(f"{len(result.review)} reading(s) to review (confirm with reviewed: or fix with an override; "
              "see reports/pinyin-audit.txt)", file=sys.stderr)
    for line in result.levels:
        print(line, file=sys.stderr)
    missing = sum(len(m) for _, _, m in result.no_entry)
    if missing:
        print(f"{missing} word unit(s) without a dictionary entry: reports/word-entries.txt", file=sys.stderr)
    for warning in result.warnings:
        print(f"WARNING: {warning}", file=sys.stderr)
    took = time.perf_counter() - start
    print(f"Built {len(result.articles)} article(s), {result.pages} page(s) into "
          f"{config.site_dir.relative_to(config.root)}/ in {took:.2f} s", file=sys.stderr)
    return 0


def _import(config, args: argparse.Namespace) -> int:
    from . import importer

    path = Path(args.path)
    if args.json:
        if not path.is_file():
            raise YueduError(f"{path}: no such file")
        cleaned = importer.clean_page(importer.read_structured(path), check_readings=True,
                                      keep_punctuation=args.keep_punctuation)
        print(importer.format_report(cleaned), file=sys.stderr)
        json.dump(importer.to_json(cleaned), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    # The page's own pinyin annotations are compared with the engine's readings: the report lists
    # where they disagree (the page is often wrong, and sometimes we are).
    written, cleaned = importer.import_page(path, config.content_dir, slug=args.slug, force=args.force,
                                            check_readings=True, keep_punctuation=args.keep_punctuation)
    print(importer.format_report(cleaned), file=sys.stderr)
    print(f"Wrote {written.relative_to(config.root) if written.is_relative_to(config.root) else written}",
          file=sys.stderr)
    return 0


def _timings(config, args: argparse.Namespace) -> int:
    """Print a WebVTT skeleton for the article's recording: the author then adjusts the times."""
    from .article import read_article
    from .audio import skeleton

    path = Path(args.article)
    if not path.is_absolute() and not path.exists():
        path = config.root / path
    path = path.resolve()
    display = path.relative_to(config.root.resolve()).as_posix() if path.is_relative_to(config.root.resolve()) \
        else str(path)
    sys.stdout.write(skeleton(read_article(path, display), display))
    return 0


def _pinyin() -> int:
    """Answer each JSON line on stdin with one JSON line on stdout, as it comes."""
    from .reading import pinyin_and_words, warm_up

    warm_up()
    for lineno, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            text = json.loads(line)["text"]
            if not isinstance(text, str):
                raise TypeError("'text' must be a string")
        except (ValueError, KeyError, TypeError) as exc:
            raise ContentError("<stdin>", lineno, f"expected a JSON object with a 'text' string: {exc}") from None
        readings, words = pinyin_and_words(text)
        sys.stdout.write(json.dumps({"pinyin": readings, "words": words}, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0
