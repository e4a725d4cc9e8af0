"""Preview server: build, serve ``site/`` at ``/`` with livereload, rebuild on every change.

A failed rebuild keeps the last good ``site/`` on disk and the server running; while the error
lasts, every page request is answered with an error page naming ``path:line: message`` (the same
text the terminal shows), and the next good save brings the pages back.
"""

from __future__ import annotations

import html
import logging
import re
import sys
import threading
from typing import TYPE_CHECKING

from .errors import BuildFailed, YueduError

if TYPE_CHECKING:
    from .config import Config

log = logging.getLogger("yuedu")


#: What the terminal adds under a failed build's errors: what the browser shows meanwhile.
FAILED_NOTE = ("Build failed: every page in the browser shows this error until you fix it and save "
               "(site/ keeps the last good build).")


class BuildState:
    """The outcome of the latest build, shared with the request handler."""

    def __init__(self) -> None:
        from .site import Session

        self.error: str | None = None
        self.lock = threading.Lock()
        # Kept between rebuilds: parsed articles, their metadata and the loaded reading engine,
        # so a save re-reads one file, annotates one article and renders only the pages that show it.
        self.session = Session(incremental=True)
        self._warned: set[str] = set()

    def rebuild(self, config: Config, *, defer_vocabulary: bool = False):
        """Build once; remember and print the error if it fails. Return the result, or None.

        ``yuedu.toml`` is read again each time, so a change to the site config applies too.
        """
        import time

        from . import site
        from .config import load_config

        with self.lock:
            start = time.perf_counter()
            try:
                config = load_config(config.root).with_options(debug=config.debug, strict=config.strict)
                result = site.build(config, session=self.session, defer_vocabulary=defer_vocabulary)
            except BuildFailed as exc:
                self.error = "\n".join([*(str(e) for e in exc.errors), f"Error: {exc}"])
            except YueduError as exc:
                self.error = f"Error: {exc}"
            except Exception as exc:  # a bug of ours must not kill the preview either
                log.exception("internal error during rebuild")
                self.error = f"internal error: {exc!r}"
            else:
                self.error = None
                for warning in result.warnings:  # each warning once per server, not per save
                    if warning not in self._warned:
                        print(f"WARNING: {warning}", file=sys.stderr)
                self._warned = set(result.warnings)
                took = time.perf_counter() - start
                print(f"Rebuilt in {took:.2f} s: {result.written} file(s) written, {result.reused} unchanged"
                      f" ({result.annotated} article(s) annotated"
                      f"{'; the site vocabulary follows' if result.deferred else ''})", file=sys.stderr)
                return result
            print(self.error, file=sys.stderr)
            print(FAILED_NOTE, file=sys.stderr)
            return None


class Rebuilder:
    """Rebuild on a thread of its own, so the server keeps answering (with the last good pages)
    while a build runs, and saves made during a build are coalesced into one more build.

    A rebuild renders the changed pages first -- the article, the index, the feed -- and
    reloads the browser; the site vocabulary (every word of every article, the slowest pages)
    is brought up to date by a second build right after, unless another save is waiting.
    """

    def __init__(self, state: BuildState, config: Config, reload) -> None:
        self.state, self.config, self.reload = state, config, reload
        self.wanted = threading.Event()
        self.thread = threading.Thread(target=self._run, name="yuedu-rebuild", daemon=True)
        self.thread.start()

    def request(self) -> None:
        self.wanted.set()

    def _run(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            result = self.state.rebuild(self.config, defer_vocabulary=True)
            self.reload()
            if result is not None and result.deferred and not self.wanted.is_set():
                if self.state.rebuild(self.config) is not None:
                    self.reload()


#: What ``serve`` answers for ``sw.js``: a worker that removes itself, so a service worker left by
#: a published build on the same address never answers in place of the live preview.
NO_SERVICE_WORKER = ('self.addEventListener("install", function () { self.skipWaiting(); });\n'
                     'self.addEventListener("activate", function (e) { e.waitUntil(self.registration.unregister()); });\n')


def preview_csp(html: str) -> str:
    """Make room in a page's CSP for livereload's inline script and websocket, and register no
    service worker (preview only: live reload must see every change)."""
    html = re.sub(r' data-sw="[^"]*"', "", html, count=1)
    return html.replace("script-src 'self';", "script-src 'self' 'unsafe-inline';", 1).replace(
        "connect-src 'self';", "connect-src 'self' ws: wss:;", 1)


def error_page(message: str) -> str:
    """An HTML page showing a build error, as the terminal shows it (livereload injects its
    script before ``</head>``); readable on a 390 px phone."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>Build error · Yuedu</title>"
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:60rem;"
        "color:#1a1a1a;background:#fff}h1{font-size:1.4rem;margin:0 0 .5rem}"
        "pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.9rem;background:#fff0f0;"
        "border-left:4px solid #b00020;padding:.75rem;margin:1rem 0}"
        "@media (prefers-color-scheme:dark){body{color:#eee;background:#121212}pre{background:#3a1518}}</style>"
        "</head><body><main><h1>Build error</h1>"
        "<p>The last build failed, so every page shows this error instead. The terminal running "
        "<code>build.py serve</code> shows the same message:</p>"
        f"<pre class=\"build-error\">{html.escape(message)}</pre>"
        "<p>Fix the problem and save: this page reloads by itself and the site comes back. "
        "<code>site/</code> keeps the last good build.</p></main></body></html>\n"
    )


def serve(config: Config, *, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> None:
    """Build, then serve and watch until Ctrl-C."""
    from livereload import Server
    from livereload.handlers import StaticFileHandler

    state = BuildState()
    state.rebuild(config)
    config.site_dir.mkdir(exist_ok=True)

    class Handler(StaticFileHandler):
        """Serve site/ files, or the error page for pages while the last build failed.

        Pages get a CSP relaxed for livereload (its inline script and websocket), in preview only.
        """

        def compute_etag(self):
            # Pages we answer ourselves (error page, CSP-patched HTML) have no file behind them.
            return super().compute_etag() if getattr(self, "absolute_path", None) else None

        async def get(self, path: str, include_body: bool = True) -> None:
            if path == "sw.js":
                self.set_header("Content-Type", "text/javascript; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(NO_SERVICE_WORKER)
                return
            is_page = path == "" or path.endswith(("/", ".html"))
            if state.error is not None and is_page:
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(error_page(state.error))
                return
            if is_page:
                file = config.site_dir / path / "index.html" if not path.endswith(".html") else config.site_dir / path
                try:
                    html = file.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    html = None
                if html is not None and file.resolve().is_relative_to(config.site_dir.resolve()):
                    self.set_header("Content-Type", "text/html; charset=utf-8")
                    self.set_header("Cache-Control", "no-store")
                    self.finish(preview_csp(html))
                    return
            await super().get(path, include_body)

    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado import ioloop

    class QuickWatcher(Watcher):
        """livereload's polling watcher, checking every 100 ms instead of every 800 ms; it never
        reloads the browser itself (the build thread does, when the new pages are on disk)."""

        def start(self, callback) -> bool:
            ioloop.PeriodicCallback(callback, 100).start()
            return True

        def examine(self):
            filepath, _ = super().examine()
            return filepath, "forever"

    server = Server(watcher=QuickWatcher())
    server.SFH = Handler
    loop: list = []

    def reload() -> None:  # from the build thread: the browser reloads once the pages are on disk
        if loop:
            loop[0].add_callback(LiveReloadHandler.reload_waiters)

    rebuilder = Rebuilder(state, config, reload)

    def on_change() -> None:
        if not loop:
            loop.append(ioloop.IOLoop.current())
        rebuilder.request()

    for path in (config.content_dir, config.templates_dir, config.root / "yuedu.toml"):
        if path.exists():
            server.watch(str(path), on_change)
    # livereload adds its own stderr handler; keep its lines single and drop per-request logs.
    logging.getLogger("livereload").propagate = False
    logging.getLogger("tornado").propagate = False
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    print(f"Serving {config.site_dir.name}/ at http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
    server.serve(port=port, host=host, root=str(config.site_dir), restart_delay=0,
                 open_url_delay=0.5 if open_browser else None)
