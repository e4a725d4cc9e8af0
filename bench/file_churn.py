"""What creating a site's files costs on this disk: in a fresh folder and right after deleting them.

    python bench/file_churn.py [--files 1632] [--dir PATH]

A cold build of 100 articles creates about 1,530 files (site and article cache). On tmpfs that
costs about 0.01 ms of kernel time a file. On this project's sandboxes (ext4 *without a
journal*) it costs 0.02-0.35 ms depending on the folder, and more again in some folders right
after files there were deleted: ``perf`` puts the time in ext4's check for recently deleted
inodes (``find_inode_bit`` -> ``recently_deleted``, a buffer lookup per free inode it skips),
which ext4 makes only when it has no journal. So a build's kernel time, and a cold build's
wall time beside a CPU hog, depends on where its project lies and on what was deleted there
lately; ``bench/build_speed.py`` prints this figure for its own work folder.

The script creates ``--files`` small files in article-like folders under ``--dir`` (default:
a new folder in the system's temporary folder), three times: in a fresh folder, then twice
right after deleting the previous ones, and prints each round's wall and kernel time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

PER_FOLDER = 12  # a page, its popup files and flashcard files
DATA = b"x" * 3000


def create(root: Path, files: int) -> tuple[float, float]:
    """Create ``files`` files under ``root``; wall and kernel seconds."""
    t, before = time.perf_counter(), os.times()
    for i in range(-(-files // PER_FOLDER)):
        folder = root / f"article-{i:05d}"
        folder.mkdir(parents=True)
        for k in range(min(PER_FOLDER, files - i * PER_FOLDER)):
            with open(folder / f"{k}.json", "wb") as fh:
                fh.write(DATA)
    return time.perf_counter() - t, os.times().system - before.system


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1632, help="files per round (default 1632)")
    parser.add_argument("--dir", type=Path, help="where to make the test folder (default: the temporary folder)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="yuedu-churn-", dir=args.dir))
    try:
        rounds = []
        for label in ("fresh folder", "right after deleting them", "again"):
            if rounds:
                shutil.rmtree(work / "site")
            rounds.append((label, *create(work / "site", args.files)))
        base_wall, base_sys = rounds[0][1], rounds[0][2]
        print(f"{args.files:,} files in {work}")
        for label, wall, kernel in rounds:
            print(f"  {label:27s} wall {wall:6.3f} s ({wall / base_wall:5.1f}x)  "
                  f"kernel {kernel:6.2f} s  {1000 * wall / args.files:.3f} ms/file")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
