"""Preview server: build, serve ``site/`` at ``/`` with livereload, rebuild on every change.

A failed rebuild keeps the last good ``site/`` on disk and the server running; while the error
lasts, every page request is answered with an error page naming ``path:line: message`` (the same
text the terminal shows), and the next good save brings the pages back.
"""

from __future__ import annotations

import html
import logging
import sys
import threading
from typing import TYPE_CHECKING

from .errors import BuildFailed, YueduError

if TYPE_CHECKING:
    from .config import Config

log = logging.getLogger("yuedu")


class BuildState:
    """The outcome of the latest build, shared with the request handler."""

    def __init__(self) -> None:
        self.error: str | None = None
        self.lock = threading.Lock()

    def rebuild(self, config: Config) -> bool:
        """Build once; remember and print the error if it fails. Return True on success."""
        from . import site

        with self.lock:
            try:
                result = site.build(config)
            except BuildFailed as exc:
                self.error = "\n".join(str(e) for e in exc.errors)
            except YueduError as exc:
                self.error = str(exc)
            except Exception as exc:  # a bug of ours must not kill the preview either
                log.exception("internal error during rebuild")
                self.error = f"internal error: {exc!r}"
            else:
                self.error = None
                for warning in result.warnings:
                    print(f"WARNING: {warning}", file=sys.stderr)
                print(f"Rebuilt {result.pages} page(s)", file=sys.stderr)
                return True
            print(self.error, file=sys.stderr)
            print("Build failed; still serving the last good site.", file=sys.stderr)
            return False


def preview_csp(html: str) -> str:
    """Make room in a page's CSP for livereload's inline script and websocket (preview only)."""
    return html.replace("script-src 'self';", "script-src 'self' 'unsafe-inline';", 1).replace(
        "connect-src 'self';", "connect-src 'self' ws: wss:;", 1)


def error_page(message: str) -> str:
    """An HTML page showing a build error (livereload injects its script before ``</head>``)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Build error · Yuedu</title>"
        "<style>body{font:16px system-ui,sans-serif;margin:2rem;max-width:60rem}"
        "pre{white-space:pre-wrap;background:#fff0f0;border-left:4px solid #b00020;padding:1rem}</style>"
        "</head><body><h1>Build error</h1>"
        "<p>The last build failed. Fix the problem and save; this page reloads by itself.</p>"
        f"<pre class=\"build-error\">{html.escape(message)}</pre></body></html>\n"
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

    server = Server()
    server.SFH = Handler

    def on_change() -> None:
        state.rebuild(config)

    for path in (config.content_dir, config.templates_dir, config.root / "yuedu.toml"):
        if path.exists():
            server.watch(str(path), on_change, delay=0.05)
    # livereload adds its own stderr handler; keep its lines single and drop per-request logs.
    logging.getLogger("livereload").propagate = False
    logging.getLogger("tornado").propagate = False
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    print(f"Serving {config.site_dir.name}/ at http://{host}:{port}/ (Ctrl-C to stop)", file=sys.stderr)
    server.serve(port=port, host=host, root=str(config.site_dir), restart_delay=0,
                 open_url_delay=0.5 if open_browser else None)
