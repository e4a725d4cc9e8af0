"""Reading offline and installing to the home screen: the web app manifest and the service worker.

The service worker (``templates/sw.js``, plain JavaScript) is written to the site's root with
its version, a digest of everything the site is built from, so identical inputs give a
byte-identical ``sw.js`` and any change makes browsers install the new one.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import Config

#: The manifest's colours: the page background and the accent of ``yuedu.css``.
BACKGROUND, THEME = "#fdfcf9", "#a3261b"


def manifest(config: Config) -> str:
    """The web app manifest (``site.webmanifest``); every URL in it is relative to it."""
    short = config.title.split()[0] if len(config.title) > 12 and config.title.split() else config.title
    data = {
        "name": config.title,
        "short_name": short,
        "description": config.tagline,
        "lang": "zh-Hans",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": BACKGROUND,
        "theme_color": THEME,
        "icons": [
            {"src": "static/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": "static/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
            {"src": "static/favicon.svg", "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def service_worker(config: Config, version: str, shell: dict[str, list[str]]) -> str:
    """``sw.js`` for this build: ``version`` names its cache; ``shell`` maps each edition's prefix
    to the paths (relative to the site's root) saved once the reader opens a second page in it."""
    source = (config.templates_dir / "sw.js").read_text(encoding="utf-8")
    paths = {prefix: sorted(set(files)) for prefix, files in sorted(shell.items())}
    return (source.replace('"__VERSION__"', json.dumps(version[:20]))
            .replace("__SHELL__", json.dumps(paths, separators=(",", ":"))))
