"""Start-up and throughput of ``python build.py pinyin``, as a client sees them.

Usage (from the project root)::

    python bench/pinyin_speed.py [--shared PATH] [--lines N]

Starts ``python build.py pinyin``, sends one line and times the answer (start-up: process
start, imports, loading the dictionaries, jieba and g2pM, first reading), then streams the CPP
dev sentences (one JSON line each, the way a client would) and times their answers:
characters per second after start-up. Prints the process's CPU seconds too (Linux), since
wall time on a shared machine also counts what other processes take.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARK = "\u2581"


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    ap = argparse.ArgumentParser(description="python build.py pinyin: start-up and chars/s")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--lines", type=int, default=3000, help="CPP dev sentences to send")
    args = ap.parse_args()
    sents = [s.replace(MARK, "") for s in (args.shared / "data/cpp/dev.sent").read_text(encoding="utf-8").split("\n") if s]
    sents = sents[:args.lines]
    chars = sum(len(s) for s in sents)

    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "pinyin"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, encoding="utf-8", cwd=ROOT)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(json.dumps({"text": "你好，世界。"}, ensure_ascii=False) + "\n")
    proc.stdin.flush()
    json.loads(proc.stdout.readline())
    startup = time.perf_counter() - t0
    cpu0 = cpu_seconds(proc.pid)

    def feed() -> None:
        for s in sents:
            proc.stdin.write(json.dumps({"text": s}, ensure_ascii=False) + "\n")  # type: ignore[union-attr]
        proc.stdin.close()  # type: ignore[union-attr]

    t1 = time.perf_counter()
    writer = threading.Thread(target=feed)
    writer.start()
    answered = 0
    cpu1 = cpu0
    for _ in proc.stdout:
        answered += 1
        if answered == len(sents):
            cpu1 = cpu_seconds(proc.pid)  # before the process exits
    secs = time.perf_counter() - t1
    writer.join()
    proc.wait()
    assert answered == len(sents), (answered, len(sents))
    print(f"start-up (first answer): {startup:.2f} s")
    print(f"throughput after start-up: {chars / secs:,.0f} chars/s ({len(sents)} sentences, {chars:,} chars, {secs:.1f} s wall)")
    if cpu1 > cpu0:
        print(f"CPU time after start-up: {cpu1 - cpu0:.1f} s ({chars / (cpu1 - cpu0):,.0f} chars per CPU second; "
              f"{cpu0:.2f} CPU s to start)")


if __name__ == "__main__":
    main()
