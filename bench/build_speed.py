"""Build speed at any size: cold, warm, one-article edit in ``serve``, output size, memory.

Usage (from the project root)::

    python bench/build_speed.py [--sizes 1,100,200,1000] [--shared PATH] [--repo PATH]
                                [--keep DIR] [--no-serve] [--profile] [--import-cli]

``--sizes 10000`` (or ``--sizes 1,100,1000,10000``) adds the 10,000-article site; the default
sizes run in a few minutes. See ``bench/README.md`` for what each figure means.

For every size the script makes a temporary project (the repository's ``yuedu.toml`` and
``templates/`` copied in) and writes that many scraped-style pages (a title line, then
paragraphs, each paragraph a run of real Chinese sentences: the CPP dev sentences of
``<shared>/data/cpp/dev.sent`` with their ``▁`` markers removed, about 2,000 characters a
page). The pages go through the importer so the real article format is used: the first page
of every site through ``python build.py import PATH --slug SLUG`` as a process, the others
through :func:`yuedu.importer.import_page` in this process (one process per page would take
minutes at 1,000 pages; ``--import-cli`` does that anyway). Then, all as separate processes:

* **cold** -- ``python build.py --root DIR --clean``: no article cache, no ``site/``; the parsed
  CC-CEDICT, which a machine's first build makes and every later build and project shares
  (``yuedu.config.dictionary_dir``; jieba keeps its own parsed dictionary the same way), is
  there (the script makes sure first);
* **cold, CC-CEDICT not parsed yet** -- the same with an empty dictionary folder
  (``YUEDU_DICTIONARY_CACHE``): a machine's first build;
* **warm** -- the same without ``--clean``, nothing changed: ``yuedu.cli.main`` run by a
  probe that then lists which reading-engine modules (jieba, pypinyin, g2pM) were imported;
* **edit in serve** -- ``python build.py --root DIR serve --port P``; one paragraph of one
  article is replaced and the served page is polled until it changes; the first edit also
  loads the reading engine, so the figure is the median of the later edits (three of them,
  one where the server's start-up build takes over 30 s). ``serve`` renders the edited page,
  the index and the feed first and the site vocabulary (every word of every article) in a
  second build right after; the time until that second build is done is reported too;
* **pinyin pass** -- ``python build.py pinyin`` fed the same title and block texts as JSON
  lines (the bare reading pass, no Markdown, HTML, glossary or pages);
* **jieba+pypinyin** -- a small script: ``pypinyin.pinyin(jieba.lcut(text))`` over the same
  texts, for reference.

Each process is timed by wall clock and by CPU time (user + system, children included;
steadier on a loaded machine); memory is the peak RSS of the process (``wait4``'s
``ru_maxrss``, which also covers children it waited for) and the peak of the sum of RSS over
the process tree, sampled from ``/proc`` every 20 ms (worker processes run at the same time,
so their RSS adds up). All ratios in the table come from the same run on the same text.

``--profile`` also runs the cold build of the largest size up to 1,000 under cProfile and
prints where the time goes. ``--repo PATH`` benchmarks another checkout of Yuedu (its
``build.py``), e.g. one with a patch applied.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARK = "\u2581"
TARGET_CHARS = 2000

DICTIONARY_READY = r"""
import sys
from yuedu import glossary
from yuedu.config import load_config
config = load_config(sys.argv[1])
if hasattr(config, "dictionary_dir"):  # (a checkout from before it was kept per user: nothing to do)
    glossary.load(config.dictionary_dir)
"""

JIEBA_PYPINYIN = r"""
import json, sys
import jieba, pypinyin
jieba.setLogLevel(60)
jieba.initialize()
n = 0
for line in sys.stdin:
    if line.strip():
        text = json.loads(line)["text"]
        n += len(pypinyin.pinyin(jieba.lcut(text)))
print(n)
"""

ENGINE_PROBE = (
    "import sys; sys.path.insert(0, sys.argv[2]); from yuedu.cli import main; rc = main(['--root', sys.argv[1]]);"
    "heavy = [m for m in ('jieba', 'pypinyin', 'g2pM') if m in sys.modules];"
    "print(rc, heavy)"
)


# ---------------------------------------------------------------------------------------------
# Text


def load_sentences(shared: Path) -> list[str]:
    path = shared / "data" / "cpp" / "dev.sent"
    # A few sentences keep Wikipedia's conversion markup (-{家}-): drop it, its braces would
    # read as reading overrides.
    sents = [s.replace(MARK, "").replace("-{", "").replace("}-", "").strip()
             for s in path.read_text(encoding="utf-8").split("\n")]
    return [s for s in sents if s]


class PageMaker:
    """Deterministic scraped-style pages of ~2,000 characters from a sentence pool."""

    def __init__(self, sentences: list[str], seed: int = 8) -> None:
        self.pool = list(sentences)
        random.Random(seed).shuffle(self.pool)
        self.pos = 0

    def _next(self) -> str:
        s = self.pool[self.pos % len(self.pool)]
        self.pos += 1
        return s

    def paragraph(self, rng: random.Random) -> str:
        return "".join(self._next() for _ in range(rng.randint(3, 7)))

    def page(self, i: int) -> str:
        rng = random.Random(i)
        paras: list[str] = []
        while sum(map(len, paras)) < TARGET_CHARS:
            paras.append(self.paragraph(rng))
        # A title taken from inside the text (so the importer's title check trusts it): the
        # first clause of the second sentence of the second paragraph, 6-18 characters.
        body = re.split(r"(?<=[。！？])", paras[1])
        clause = re.split(r"[，。！？；、：“”（）,]", body[1] if len(body) > 2 else body[0])[0]
        title = clause[:18] if len(clause) >= 6 else f"第{i + 1}篇：{clause}"
        return title + "\n\n" + "\n\n".join(paras) + "\n"


def make_site(size: int, dest: Path, maker: PageMaker, repo: Path, *, import_cli: bool) -> tuple[Path, list[str]]:
    """A project with ``size`` imported articles; returns the root and the slugs."""
    from yuedu.importer import import_page

    root = dest / f"site-{size}"
    root.mkdir(parents=True)
    shutil.copy(repo / "yuedu.toml", root / "yuedu.toml")
    shutil.copytree(repo / "templates", root / "templates")
    # The scraped pages stay beside the project until the work folder goes: deleting them here,
    # just before the cold build, would make it pay for it on this kind of disk (ext4 without a
    # journal scans recently deleted inodes on every file it creates; see bench/README.md).
    raw = dest / f"raw-{size}"
    raw.mkdir()
    slugs = []
    for i in range(size):
        slug = f"article-{i:05d}"
        page = raw / f"{slug}.txt"
        page.write_text(maker.page(i), encoding="utf-8")
        if i == 0 or import_cli:
            run = subprocess.run(
                [sys.executable, str(repo / "build.py"), "--root", str(root), "import", str(page), "--slug", slug],
                capture_output=True, text=True)
            if run.returncode:
                sys.exit(f"import of {page} failed:\n{run.stderr}")
        else:
            import_page(page, root / "content", slug=slug)
        slugs.append(slug)
    return root, slugs


def reading_texts(root: Path) -> list[str]:
    """The reading texts of the imported articles: title, byline and each block."""
    from yuedu.article import read_article

    texts = []
    for path in sorted((root / "content").glob("*.md")):
        a = read_article(path)
        texts += [t for t in [a.title, a.byline] + [b.text.lstrip("#").strip() for b in a.blocks] if t]
    return texts


# ---------------------------------------------------------------------------------------------
# Processes


def _tree_rss(pid: int) -> int:
    """Sum of VmRSS (bytes) of ``pid`` and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def measure(cmd: list[str], *, stdin: Path | None = None, cwd: Path | None = None, env: dict | None = None) -> dict:
    """Run ``cmd`` to completion; wall time, peak RSS of the process and of its tree, output."""
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
    err = tempfile.TemporaryFile()
    out = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=fin, stdout=out, stderr=err, cwd=cwd, env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if stdin:
        fin.close()
    err.seek(0)
    stderr = err.read().decode("utf-8", "replace")
    err.close()
    out.seek(0)
    stdout = out.read(4096).decode("utf-8", "replace")
    out.close()
    if proc.returncode:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-4000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "kernel": usage.ru_stime, "rss": usage.ru_maxrss * 1024,
            "tree_rss": peak[0], "stderr": stderr, "stdout": stdout}


def du(path: Path) -> tuple[int, int, int]:
    """(apparent bytes, disk bytes, files) of a folder."""
    files = [p for p in path.rglob("*") if p.is_file()]
    apparent = sum(p.stat().st_size for p in files)
    disk = sum(p.stat().st_blocks * 512 for p in files)
    return apparent, disk, len(files)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except OSError:
        return 0, b""


def serve_edits(repo: Path, root: Path, slug: str, maker: PageMaker, edits: int = 4) -> dict:
    """Seconds from saving one edited paragraph to the rebuilt page being served, per edit.

    The first edit also loads the reading engine into the server (its start-up build was warm);
    the figure reported is the median of the later edits. Where the start-up build took more
    than 30 s, two edits only.
    """
    port = _free_port()
    log = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(repo / "build.py"), "--root", str(root), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}/{slug}/"
    times: list[float] = []
    whole: list[float] = []
    try:
        while _fetch(url)[0] != 200:
            if proc.poll() is not None or time.perf_counter() - start > 1800:
                log.seek(0)
                sys.exit(f"serve did not come up:\n{log.read().decode()[-4000:]}")
            time.sleep(0.05)
        startup = time.perf_counter() - start
        if startup > 30:
            edits = 2
        path = root / "content" / f"{slug}.md"
        rng = random.Random(12345)
        log.seek(0)
        done_builds = sum(ln.startswith("Rebuilt in") for ln in log.read().decode("utf-8", "replace").splitlines())
        for _ in range(edits):
            time.sleep(1.0)  # let the watcher settle: each edit is a separate save
            before = _fetch(url)[1]
            text = path.read_text(encoding="utf-8")
            # the first body paragraph after the front matter: replace it with new sentences
            body_at = text.index("\n---\n", 4) + 5
            paras = text[body_at:].split("\n\n")
            k = next(j for j, p in enumerate(paras) if p.strip() and not p.startswith(("en:", "caption:")))
            paras[k] = maker.paragraph(rng)
            path.write_text(text[:body_at] + "\n\n".join(paras), encoding="utf-8")
            saved = time.perf_counter()
            while True:
                status, body = _fetch(url)
                if status == 200 and body != before:
                    break
                if time.perf_counter() - saved > 600:
                    sys.exit("the edited page did not change within 600 s")
                time.sleep(0.01)
            times.append(time.perf_counter() - saved)
            # serve renders the edited page first and the site vocabulary right after: wait for
            # that second build too (the next save would queue behind it) and time it.
            while True:
                log.seek(0)
                lines = [ln for ln in log.read().decode("utf-8", "replace").splitlines() if ln.startswith("Rebuilt in")]
                if len(lines) > done_builds and "follows" not in lines[-1]:
                    break
                if time.perf_counter() - saved > 600:
                    sys.exit("the site vocabulary did not follow within 600 s")
                time.sleep(0.02)
            done_builds = len(lines)
            whole.append(time.perf_counter() - saved)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    return {"startup": startup, "edits": times, "median": statistics.median(times[1:] or times),
            "whole": whole, "whole_median": statistics.median(whole[1:] or whole)}


# ---------------------------------------------------------------------------------------------
# One size


def run_size(size: int, args, maker: PageMaker, work: Path) -> dict:
    repo = args.repo
    py = sys.executable
    t = time.perf_counter()
    root, slugs = make_site(size, work, maker, repo, import_cli=args.import_cli)
    made = time.perf_counter() - t
    texts = reading_texts(root)
    chars = sum(len(x) for x in texts)
    jsonl = work / f"texts-{size}.jsonl"
    jsonl.write_text("".join(json.dumps({"text": x}, ensure_ascii=False) + "\n" for x in texts), encoding="utf-8")
    print(f"[{size}] {len(slugs)} article(s) imported in {made:.1f} s; {len(texts)} texts, {chars:,} characters",
          file=sys.stderr)

    build = [py, str(repo / "build.py"), "--root", str(root)]
    r: dict = {"size": size, "chars": chars}
    # Cold: no article cache, no site/. The parsed CC-CEDICT is kept per user
    # (yuedu.config.dictionary_dir), parsed by the first build on a machine: make sure it is
    # there, then time that first build apart, with a dictionary folder of its own.
    subprocess.run([py, "-c", DICTIONARY_READY, str(root)], cwd=repo, check=True)
    r["cold"] = measure(build + ["--clean"])
    print(f"[{size}] cold {r['cold']['wall']:.2f} s", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="yuedu-bench-dictionary-") as fresh:
        r["first"] = measure(build + ["--clean"], env=dict(os.environ, YUEDU_DICTIONARY_CACHE=fresh))
    print(f"[{size}] cold, dictionary not parsed yet {r['first']['wall']:.2f} s", file=sys.stderr)
    # The warm build runs the CLI's main() in a probe that then lists the engine modules loaded.
    r["warm"] = measure([py, "-c", ENGINE_PROBE, str(root), str(repo)])
    r["warm_engine"] = r["warm"]["stdout"].strip()
    print(f"[{size}] warm {r['warm']['wall']:.2f} s (rc, engine modules: {r['warm_engine']})", file=sys.stderr)
    r["site"] = du(root / "site")
    # CI with the build cache restored but no previous site/ (the Pages workflow's case).
    aside = root / "site.bench-aside"
    os.replace(root / "site", aside)
    r["cache_only"] = measure(build)
    shutil.rmtree(root / "site")
    os.replace(aside, root / "site")
    print(f"[{size}] cache restored, no site/ {r['cache_only']['wall']:.2f} s", file=sys.stderr)
    if args.scheduler:
        r["dask"] = dask_builds(root, repo, work, r["cold"])
    if not args.no_reference:
        r["pinyin"] = measure([py, str(repo / "build.py"), "pinyin"], stdin=jsonl, cwd=repo)
        print(f"[{size}] pinyin pass {r['pinyin']['wall']:.2f} s", file=sys.stderr)
        script = work / "jieba_pypinyin.py"
        script.write_text(JIEBA_PYPINYIN, encoding="utf-8")
        r["jieba"] = measure([py, str(script)], stdin=jsonl)
        print(f"[{size}] jieba+pypinyin {r['jieba']['wall']:.2f} s", file=sys.stderr)
    if not args.no_serve:
        r["serve"] = serve_edits(repo, root, slugs[len(slugs) // 2], maker)
        print(f"[{size}] serve edits {['%.2f' % x for x in r['serve']['edits']]}, "
              f"with the site vocabulary {['%.2f' % x for x in r['serve']['whole']]}", file=sys.stderr)
    # What creating a file costs in this folder (kernel time; bench/file_churn.py): on ext4
    # without a journal it varies by folder, and the cold build's kernel time with it. Measured
    # last, so that its files, deleted again, cost no build anything.
    from file_churn import create

    probe = work / f"churn-{size}"
    wall, kernel = create(probe, 1632)
    shutil.rmtree(probe)
    r["file_cost"] = 1000 * kernel / 1632
    r["root"] = root
    return r


LOCAL_CLUSTER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[2])
from distributed import LocalCluster
from yuedu.cli import main
t = time.perf_counter()
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
out = {"start": time.perf_counter() - t, "builds": []}
for _ in range(2):  # fresh workers (they load the engine), then warm ones
    t = time.perf_counter()
    assert main(["--root", sys.argv[1], "build", "--clean", "--scheduler", cluster.scheduler_address]) == 0
    out["builds"].append(time.perf_counter() - t)
cluster.close()
print(json.dumps(out))
"""


def dask_builds(root: Path, repo: Path, work: Path, local: dict) -> dict:
    """Cold builds on a 2-worker LocalCluster and on `dask scheduler` + 2 `dask worker` processes.

    Each cluster builds twice with ``--clean``: on fresh workers (which load the engine, as the
    local pool's workers do in every build) and again on the same, warm workers.
    """
    py = sys.executable
    out: dict = {"tasks": task_figures(root, repo)}
    lc = measure([py, "-c", LOCAL_CLUSTER, str(root), str(repo)])
    out["local_cluster"] = json.loads(lc["stdout"].strip().splitlines()[-1])
    print(f"[dask] LocalCluster: start {out['local_cluster']['start']:.2f} s, builds "
          f"{['%.2f' % b for b in out['local_cluster']['builds']]}", file=sys.stderr)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(repo), os.environ.get("PYTHONPATH")])),
               YUEDU_WORKER_CACHE=str(work / "worker-cache"))
    sched_file = work / f"scheduler-{os.getpid()}.json"
    procs = [subprocess.Popen([py, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(sched_file)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        t = time.perf_counter()
        while not sched_file.exists() or not sched_file.read_text().strip().endswith("}"):
            time.sleep(0.05)
        address = json.loads(sched_file.read_text())["address"]
        for i in range(2):
            procs.append(subprocess.Popen([py, "-m", "dask", "worker", address, "--nthreads", "1", "--host",
                                           "127.0.0.1", "--no-dashboard", "--name", f"bench-{i}"], env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        out["processes_start"] = time.perf_counter() - t
        build = [py, str(repo / "build.py"), "--root", str(root), "build", "--clean", "--scheduler", address]
        out["processes"] = [measure(build)["wall"] for _ in range(2)]
        print(f"[dask] scheduler + workers: start {out['processes_start']:.2f} s, builds "
              f"{['%.2f' % b for b in out['processes']]}", file=sys.stderr)
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        sched_file.unlink(missing_ok=True)
    out["local"] = local["wall"]
    return out


def task_figures(root: Path, repo: Path, workers: int = 2) -> dict:
    """Tasks a cold build sends to ``workers`` single-threaded workers, and the bytes each way.

    Bytes out: each task's arguments pickled (articles, settings, site glossary, versions).
    Bytes back: the rendered articles pickled, as the build cache stores them (``articles/*.pickle``).
    """
    import pickle

    from yuedu import cluster
    from yuedu.config import load_config
    from yuedu.site import read_all, read_site_glossary

    config = load_config(root)
    articles, _ = read_all(config)
    site_glossary, _ = read_site_glossary(config)
    size = cluster.batch_size(len(articles), workers)
    batches = [articles[i:i + size] for i in range(0, len(articles), size)]
    sent = sum(len(pickle.dumps((cluster.versions(), cluster._settings(config), site_glossary, b),
                                protocol=pickle.HIGHEST_PROTOCOL)) for b in batches)
    back = sum(_rendered_bytes(p) for p in (root / ".yuedu-cache" / "articles").glob("*.pickle")
               if not p.name.endswith((".meta.pickle", ".lists.pickle")))
    return {"articles": len(articles), "batch": size, "tasks": len(batches), "sent": sent, "back": back}


def _rendered_bytes(entry: Path) -> int:
    """The bytes of the rendered article in a cache entry (what a Dask worker sends back): the
    entry less its key, metadata and lists (older checkouts kept those in other files)."""
    with entry.open("rb") as fh:
        head = pickle.load(fh)
        if isinstance(head, tuple) and len(head) == 3:  # (key, metadata, length of the lists)
            return entry.stat().st_size - fh.tell() - head[2]
    return entry.stat().st_size


def profile(root: Path, repo: Path, work: Path, top: int = 30) -> None:
    import pstats

    out = work / "cold.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), str(repo / "build.py"), "--root", str(root),
                    "--clean"], check=True, stderr=subprocess.DEVNULL)
    stats = pstats.Stats(str(out))
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


# ---------------------------------------------------------------------------------------------
# Report


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def report(results: list[dict]) -> None:
    rows = [
        ("articles", lambda r: f"{r['size']:,}"),
        ("reading characters", lambda r: f"{r['chars']:,}"),
        ("cold build (s)", lambda r: f"{r['cold']['wall']:.2f}"),
        ("  CPU time, process and children (s)", lambda r: f"{r['cold']['cpu']:.2f}"),
        ("    of which kernel (s)", lambda r: f"{r['cold']['kernel']:.2f}" if "kernel" in r["cold"] else "-"),
        ("  peak RSS, process", lambda r: _mb(r["cold"]["rss"])),
        ("  peak RSS, process tree", lambda r: _mb(r["cold"]["tree_rss"])),
        ("  characters / s", lambda r: f"{r['chars'] / r['cold']['wall']:,.0f}"),
        ("cold, CC-CEDICT not parsed yet (s)", lambda r: f"{r['first']['wall']:.2f}" if "first" in r else "-"),
        ("  CPU time, process and children (s)", lambda r: f"{r['first']['cpu']:.2f}" if "first" in r else "-"),
        ("warm no-change build (s)", lambda r: f"{r['warm']['wall']:.2f}"),
        ("  peak RSS, process tree", lambda r: _mb(r["warm"]["tree_rss"])),
        ("  engine modules loaded", lambda r: r["warm_engine"].split(" ", 1)[-1]),
        ("cache restored, no site/ (s)", lambda r: f"{r['cache_only']['wall']:.2f}"),
        ("pinyin pass (s)", lambda r: (f"{r['pinyin']['wall']:.2f}") if "pinyin" in r else "-"),
        ("  CPU time (s)", lambda r: (f"{r['pinyin']['cpu']:.2f}") if "pinyin" in r else "-"),
        ("  peak RSS", lambda r: (_mb(r["pinyin"]["tree_rss"])) if "pinyin" in r else "-"),
        ("jieba+pypinyin (s)", lambda r: (f"{r['jieba']['wall']:.2f}") if "jieba" in r else "-"),
        ("site/ size", lambda r: f"{r['site'][0] / 2**20:,.1f} MiB ({r['site'][0] / r['size'] / 1024:,.0f} KiB/article)"),
        ("site/ on disk, files", lambda r: f"{r['site'][1] / 2**20:,.1f} MiB, {r['site'][2]:,}"),
        ("creating a file here, kernel (ms)", lambda r: f"{r['file_cost']:.3f}  (bench/file_churn.py)"),
        ("serve: start until served (s)", lambda r: f"{r['serve']['startup']:.2f}" if "serve" in r else "-"),
        ("serve: one-article edit (s), later", lambda r: (
            f"{r['serve']['median']:.2f} (each: {', '.join('%.2f' % x for x in r['serve']['edits'])})" if "serve" in r else "-")),
        ("  ... and site vocabulary caught up (s)", lambda r: (
            f"{r['serve']['whole_median']:.2f} (each: {', '.join('%.2f' % x for x in r['serve']['whole'])})" if "serve" in r else "-")),
        ("RATIO cold / pinyin pass", lambda r: (f"{r['cold']['wall'] / r['pinyin']['wall']:.2f}x  (target <= 2.0x)") if "pinyin" in r else "-"),
        ("RATIO cold / pinyin pass, CPU time", lambda r: (f"{r['cold']['cpu'] / r['pinyin']['cpu']:.2f}x") if "pinyin" in r else "-"),
        ("RATIO cold, CC-CEDICT not parsed yet / pinyin", lambda r: (f"{r['first']['wall'] / r['pinyin']['wall']:.2f}x")
         if "pinyin" in r and "first" in r else "-"),
        ("RATIO cold / jieba+pypinyin", lambda r: (f"{r['cold']['wall'] / r['jieba']['wall']:.2f}x") if "jieba" in r else "-"),
        ("RATIO pinyin pass / jieba+pypinyin", lambda r: (f"{r['pinyin']['wall'] / r['jieba']['wall']:.2f}x") if "pinyin" in r and "jieba" in r else "-"),
        ("RATIO warm / cold", lambda r: f"{100 * r['warm']['wall'] / r['cold']['wall']:.1f}%  (target <= 5%)"),
        ("RATIO edit in serve / cold", lambda r: (
            f"{100 * r['serve']['median'] / r['cold']['wall']:.1f}%  (target <= 10%)" if "serve" in r else "-")),
    ]
    if any("dask" in r for r in results):
        rows += dask_rows()
    cells = [[label] + [fn(r) for r in results] for label, fn in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    for row in cells:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    big = [r for r in results if r["size"] >= 1000]
    for r in big:
        edit = r["serve"]["median"] if "serve" in r else None
        print(f"\nTargets at {r['size']:,} articles:")
        if "pinyin" in r:
            print(f"  cold <= 2.0x pinyin pass:   {r['cold']['wall'] / r['pinyin']['wall']:.2f}x "
                  f"{'PASS' if r['cold']['wall'] <= 2 * r['pinyin']['wall'] else 'FAIL'}")
        print(f"  warm <= 5% of cold:         {100 * r['warm']['wall'] / r['cold']['wall']:.1f}% "
              f"{'PASS' if r['warm']['wall'] <= 0.05 * r['cold']['wall'] else 'FAIL'}; engine loaded: "
              f"{r['warm_engine'].split(' ', 1)[-1]}")
        if edit is not None:
            print(f"  one-article edit <= 1 s:    {edit:.2f} s {'PASS' if edit <= 1 else 'FAIL'}")
        if r["size"] >= 10000:
            peak = max(r["cold"]["tree_rss"], r["warm"]["tree_rss"])
            print(f"  peak RSS < 2 GiB:           {_mb(peak)} {'PASS' if peak < 2 * 2**30 else 'FAIL'}")


def dask_rows() -> list:
    """Report rows of ``--scheduler``: the Dask builds beside the local pool, overhead in %."""
    def over(seconds: float, r: dict) -> str:
        return f"{seconds:.2f} ({100 * (seconds / r['dask']['local'] - 1):+.0f}%)"

    def d(fn):
        return lambda r: fn(r) if "dask" in r else "-"

    return [
        ("DASK local pool, cold (s)", d(lambda r: f"{r['dask']['local']:.2f}")),
        ("DASK 2-worker LocalCluster: start (s)", d(lambda r: f"{r['dask']['local_cluster']['start']:.2f}")),
        ("  cold, fresh workers (s, vs local)", d(lambda r: over(r["dask"]["local_cluster"]["builds"][0], r))),
        ("  cold, warm workers (s, vs local)", d(lambda r: over(r["dask"]["local_cluster"]["builds"][1], r))),
        ("DASK scheduler + 2 workers (processes): start (s)", d(lambda r: f"{r['dask']['processes_start']:.2f}")),
        ("  cold, fresh workers (s, vs local)", d(lambda r: over(r["dask"]["processes"][0], r))),
        ("  cold, warm workers (s, vs local)", d(lambda r: over(r["dask"]["processes"][1], r))),
        ("DASK tasks (articles per task)", d(lambda r: f"{r['dask']['tasks']['tasks']} ({r['dask']['tasks']['batch']})")),
        ("  bytes to workers, per article", d(lambda r: (
            f"{r['dask']['tasks']['sent'] / 2**20:,.1f} MiB, {r['dask']['tasks']['sent'] / r['size'] / 1024:,.1f} KiB"))),
        ("  bytes back, per article", d(lambda r: (
            f"{r['dask']['tasks']['back'] / 2**20:,.1f} MiB, {r['dask']['tasks']['back'] / r['size'] / 1024:,.1f} KiB"))),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,100,200,1000", help="comma-separated article counts (default 1,100,200,1000)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder (data/cpp/dev.sent)")
    parser.add_argument("--repo", type=Path, default=ROOT, help="the Yuedu checkout to benchmark (default: this one)")
    parser.add_argument("--keep", type=Path, help="build the sites under this folder and keep them")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve edit measurement")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip the pinyin pass and jieba+pypinyin (no cold/pinyin ratio; for 10,000)")
    parser.add_argument("--profile", action="store_true", help="profile the cold build of the largest size <= 1000")
    parser.add_argument("--scheduler", action="store_true",
                        help="also build on a 2-worker LocalCluster and on `dask scheduler` + 2 `dask worker` "
                             "processes (needs the dask extra); Dask overhead in %%")
    parser.add_argument("--import-cli", action="store_true", help="import every page with `build.py import` (slow)")
    args = parser.parse_args(argv)
    args.repo = args.repo.resolve()
    sys.path.insert(0, str(args.repo))
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    maker = PageMaker(load_sentences(args.shared))
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="yuedu-bench-", dir=args.keep))
    print(f"work folder {work}; repo {args.repo}; {os.cpu_count()} CPU(s)", file=sys.stderr)
    try:
        results = [run_size(n, args, maker, work) for n in sizes]
        print()
        report(results)
        if args.profile:
            small = [r for r in results if r["size"] <= 1000]
            if small:
                target = max(small, key=lambda r: r["size"])
                print(f"\ncProfile of the cold build at {target['size']:,} articles:")
                profile(target["root"], args.repo, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
