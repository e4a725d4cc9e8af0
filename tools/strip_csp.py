"""Copy a built site without its Content-Security-Policy meta tags, for the sitecheck harness.

sitecheck injects axe-core as an inline <script>, which our CSP (rightly) blocks. The copy lets axe
run; the CSP itself is proven in a real browser by tests/test_security.py.
Usage: python tools/strip_csp.py SITE_DIR COPY_DIR
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')


def strip_csp(site: Path, copy: Path) -> int:
    """Copy ``site`` to ``copy`` and remove the CSP meta tag from every HTML page; return pages changed."""
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(site, copy)
    changed = 0
    for page in copy.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        stripped = CSP_META.sub("", html)
        if stripped != html:
            page.write_text(stripped, encoding="utf-8")
            changed += 1
    return changed


if __name__ == "__main__":
    print(f"{strip_csp(Path(sys.argv[1]), Path(sys.argv[2]))} pages without CSP in {sys.argv[2]}", file=sys.stderr)
