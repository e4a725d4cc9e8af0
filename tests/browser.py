"""Real-browser helpers: Debian's chromium driven by Playwright, and a loopback server
that serves a site under a GitHub-Pages-style sub-path."""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SUB_PATH = "/yuedu/"


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the site only under SUB_PATH; everything else is 404, like a Pages project site."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(SUB_PATH):
            return str(Path(self.directory) / "__outside_sub_path__")
        return super().translate_path("/" + path[len(SUB_PATH):])

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def log_request(self, code="-", size="-") -> None:
        """Keep (path, status) of every answer when the server has a ``requests`` list."""
        requests = getattr(self.server, "requests", None)
        if requests is not None:
            requests.append((self.path.split("?", 1)[0], int(getattr(code, "value", code))))

    def send_head(self):
        """Answer ``Range: bytes=a-b`` with 206 as every real host does (media can't seek without it)."""
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "").strip())
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/") and (path / "index.html").is_file():
            path = path / "index.html"
        if match is None and path.is_file():
            return self._send_whole(path)
        if match is None or not path.is_file() or match.group() == "bytes=-":
            return super().send_head()
        size = path.stat().st_size
        first, last = match.groups()
        start = int(first) if first else max(0, size - int(last))
        end = min(int(last), size - 1) if first and last else size - 1
        if start >= size or start > end:
            self.send_error(416)
            return None
        with path.open("rb") as fh:
            fh.seek(start)
            body = fh.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return io.BytesIO(body)


    def _send_whole(self, path: Path):
        """A whole file with validators derived from its content, always revalidated
        (``Cache-Control: no-cache``); a matching ``If-None-Match`` or ``If-Modified-Since`` gets 304.

        The standard handler's ``Last-Modified`` is the file's time to the second, so a rebuild
        within the same second as the copy a browser holds was answered 304 with the old content.
        Chromium revalidates with ``If-Modified-Since`` only, so the date itself is made from the
        content's digest (a test server's validator, not a real time).
        """
        body = path.read_bytes()
        digest = hashlib.sha1(body).hexdigest()
        etag = '"' + digest + '"'
        modified = self.date_time_string(1_500_000_000 + int(digest[:12], 16) % 100_000_000)
        if (etag in [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]
                or (not self.headers.get("If-None-Match") and self.headers.get("If-Modified-Since") == modified)):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Last-Modified", modified)
        self.send_header("ETag", etag)
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve_site(site: Path, requests: list | None = None):
    """Serve ``site`` on a free loopback port; yield the base URL (ending in SUB_PATH). With
    ``requests``, append (path, status) for each request answered."""
    handler = functools.partial(_SubPathHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.requests = requests
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    finally:
        server.shutdown()
        server.server_close()
