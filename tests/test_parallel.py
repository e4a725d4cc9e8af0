"""Parallel annotation (``yuedu.parallel``): same results as serial, errors per article, order kept."""

from __future__ import annotations

import inspect
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import make_project
from yuedu import parallel
from yuedu.article import read_article
from yuedu.cache import ArticleCache
from yuedu.config import load_config
from yuedu.errors import BuildFailed, ContentError
from yuedu.render import Renderer

PARAGRAPHS = [
    "他每天早上六点起床，先去公园跑步，然后回家吃早饭。",
    "这家银行的行长说，今年的利率还会再降一点。",
    "我们都觉得这个问题不难，只是需要多一点时间。",
    "长江是中国最长的河流，全长六千三百多公里。",
    "她把手机落在出租车上了，只好重新买了一个。",
    "为了准备考试，他看了很多书，也做了不少练习。",
    "老师教我们怎么写汉字，还教我们唱中文歌。",
    "这种水果很便宜，味道也不错，大家都喜欢吃。",
    "昨天下了一场大雨，路上的行人都打着伞。",
    "我还没想好明天去哪儿，你有什么好主意吗？",
]


def write_articles(root: Path, n: int = 10, *, bad: int | None = None) -> None:
    """``n`` short articles; article ``bad`` (if any) has a reading marker with the wrong
    number of syllables, which only rendering finds."""
    content = root / "content"
    content.mkdir(exist_ok=True)
    for i in range(n):
        paras = [PARAGRAPHS[(i + k) % len(PARAGRAPHS)] for k in range(3)]
        if i == bad:
            paras[1] = f"这是{BAD_MARKER}的一条路。"
        body = "\n\n".join(f"{p}\n\nen: Paragraph {k + 1} of article {i + 1}." for k, p in enumerate(paras))
        (content / f"a{i:02d}.md").write_text(
            f"---\ntitle: 第{i + 1}篇短文\ndate: 2024-01-{i + 1:02d}\n---\n\n{body}\n", encoding="utf-8")


BAD_MARKER = "{长|cháng cháng}"


def articles_of(root: Path):
    """The articles as read; the one with a bad marker (which reading already refuses, see
    yuedu.overrides) is read without it and then given it back, so rendering meets it too."""
    out = []
    for p in sorted((root / "content").glob("*.md")):
        text = p.read_text(encoding="utf-8")
        if BAD_MARKER not in text:
            out.append(read_article(p))
            continue
        with pytest.raises(BuildFailed):
            read_article(p)
        p.write_text(text.replace(BAD_MARKER, "长"), encoding="utf-8")
        article = read_article(p)
        p.write_text(text, encoding="utf-8")
        blocks = [replace(b, text=b.text.replace("这是长的", "这是" + BAD_MARKER + "的")) for b in article.blocks]
        out.append(replace(article, blocks=tuple(blocks)))
    return out


@pytest.fixture(scope="module")
def small_project(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("par") / "p", content=False)
    write_articles(root, bad=6)
    return root


@pytest.fixture(scope="module")
def serial_and_parallel(small_project):
    config = load_config(small_project)
    articles = articles_of(small_project)
    serial = list(parallel.render_articles(config, articles, {}, jobs=1))
    par = list(parallel.render_articles(config, articles, {}, jobs=2, min_parallel=2))
    return articles, serial, par


def test_parallel_matches_serial_in_order(serial_and_parallel):
    articles, serial, par = serial_and_parallel
    assert [a.slug for a, _ in par] == [a.slug for a in articles]
    assert [a.slug for a, _ in serial] == [a.slug for a in articles]
    for (a, s), (_, p) in zip(serial, par):
        if isinstance(s, ContentError):
            continue
        # every field: the HTML of title, byline and blocks, vocabulary, glosses, warnings
        assert p == s, a.slug
        assert [b.html for b in p.blocks] == [b.html for b in s.blocks]


def test_content_error_comes_back_per_article(serial_and_parallel):
    articles, serial, par = serial_and_parallel
    bad = [(a.slug, str(r)) for a, r in par if isinstance(r, ContentError)]
    assert bad == [(a.slug, str(r)) for a, r in serial if isinstance(r, ContentError)]
    assert [slug for slug, _ in bad] == ["a06"]
    assert "a06.md:" in bad[0][1]
    assert sum(not isinstance(r, ContentError) for _, r in par) == len(articles) - 1


def test_small_batches_stay_in_process(small_project, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a process pool was started for a small batch")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    config = load_config(small_project)
    articles = articles_of(small_project)[:3]
    out = list(parallel.render_articles(config, articles, {}, jobs=4))  # 3 < MIN_PARALLEL
    assert [a.slug for a, _ in out] == [a.slug for a in articles]
    monkeypatch.setenv("YUEDU_JOBS", "1")
    assert parallel.default_jobs() == 1


def test_rendered_articles_uses_and_fills_the_cache(tmp_path):
    root = make_project(tmp_path / "p", content=False)
    write_articles(root, 4)
    config = load_config(root)
    articles = articles_of(root)
    store = ArticleCache(config.cache_dir)
    renderer = Renderer(config)

    def key_of(a):
        return store.key(a.digest, "", config.hsk_standard)

    first = list(parallel.rendered_articles(config, articles, {}, store, key_of, renderer=renderer))
    assert [fresh for _, _, fresh in first] == [True] * 4
    for a in articles:  # the cheap key check recognises what the cache wrote
        assert store.has(a.slug, key_of(a))
    second = list(parallel.rendered_articles(config, articles, {}, store, key_of, renderer=renderer))
    assert [fresh for _, _, fresh in second] == [False] * 4
    assert [r for _, r, _ in second] == [r for _, r, _ in first]
    # a damaged entry that still looks valid is read, found bad, and rendered again
    entry = store.dir / f"{articles[1].slug}.pickle"
    entry.write_bytes(entry.read_bytes()[:200])
    third = list(parallel.rendered_articles(config, articles, {}, store, key_of, renderer=renderer))
    assert [fresh for _, _, fresh in third] == [False, True, False, False]
    assert [r for _, r, _ in third] == [r for _, r, _ in first]


def site_bytes(root: Path) -> dict:
    return {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}


def test_site_built_in_parallel_is_byte_identical(tmp_path, monkeypatch):
    from yuedu import site

    if "parallel" not in inspect.getsource(site):
        pytest.skip("yuedu/site.py does not call yuedu.parallel yet")
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)
    built = {}
    # one process; workers forked from the build (the engine loaded once, in it); spawned workers
    for jobs, method in (("1", "fork"), ("2", "fork"), ("2", "spawn")):
        root = make_project(tmp_path / f"jobs{jobs}{method}", content=False)
        write_articles(root, 10)
        monkeypatch.setenv("YUEDU_JOBS", jobs)
        monkeypatch.setenv("YUEDU_START_METHOD", method)
        result = site.build(load_config(root))
        assert result.annotated == 10
        built[jobs, method] = site_bytes(root)
        # the workers stored their articles in the cache: a second build renders nothing
        assert site.build(load_config(root)).annotated == 0
    assert built["1", "fork"] == built["2", "fork"] == built["2", "spawn"]
    # and a failing article fails the parallel build with its path and line
    root = make_project(tmp_path / "bad", content=False)
    write_articles(root, 10, bad=3)
    with pytest.raises(BuildFailed) as info:
        site.build(load_config(root))
    assert [e.path.endswith("a03.md") for e in info.value.errors] == [True]


def test_workers_end_when_the_build_is_killed(tmp_path):
    """SIGKILL on a build with worker processes leaves no worker behind (they hold ~350 MiB each)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from conftest import ROOT

    root = make_project(tmp_path / "p", content=False)
    write_articles(root, n=parallel.MIN_PARALLEL * 3)
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(root)],
                            env={**os.environ, "YUEDU_JOBS": "2"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def children() -> list[int]:
        try:
            out = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        except OSError:
            return []
        # workers are forked from the build (same command line) or, where it cannot fork, spawned
        own = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
        workers = []
        for pid in out:
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if cmdline == own or b"spawn_main" in cmdline:
                workers.append(int(pid))
        return workers

    deadline = time.monotonic() + 60
    while len(workers := children()) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, "no workers started"
        time.sleep(0.05)
    time.sleep(1.0)  # past the workers' initialiser
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
              for pid in workers):
        assert time.monotonic() < deadline, f"workers {workers} outlived the killed build"
        time.sleep(0.1)
