"""Builds on a Dask cluster (``build --scheduler``): a scheduler and two workers started with the
``dask`` command on loopback build a 40-article site byte-identical to a local build, also when
a worker is killed mid-build; a worker of another engine version is refused; a lost cluster
fails the build and keeps ``site/``.

The tests share one cluster and run in file order (the last one stops the scheduler).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the dask extra (pip install -e '.[dask]') is not installed")

from conftest import ROOT, make_project  # noqa: E402
from test_parallel import PARAGRAPHS  # noqa: E402
from yuedu import cli, cluster  # noqa: E402
from yuedu.config import load_config  # noqa: E402
from yuedu.errors import YueduError  # noqa: E402
from yuedu.site import build  # noqa: E402

N_ARTICLES = 40


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    # Workers import the package under test from this checkout, as the tests do.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [extra.pop("PYTHONPATH", str(ROOT)), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


class Cluster:
    """``dask scheduler`` and ``dask worker`` processes on 127.0.0.1, on ports they pick."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.file = base / "scheduler.json"
        self.procs: list[subprocess.Popen] = []
        self.scheduler = self._start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                      "--scheduler-file", str(self.file)], "scheduler")
        deadline = time.monotonic() + 60
        while not self.file.exists() or not self.file.read_text().strip().endswith("}"):
            assert self.scheduler.poll() is None, (base / "scheduler.log").read_text()
            assert time.monotonic() < deadline, "scheduler did not start"
            time.sleep(0.1)
        self.address = json.loads(self.file.read_text())["address"]
        self.workers = [self.add_worker(f"w{i}") for i in (1, 2)]
        from distributed import Client

        self.client = Client(self.address, timeout=30, set_as_default=False)
        self.wait_for(2)

    def _start(self, args: list[str], name: str, **env: str) -> subprocess.Popen:
        log = (self.base / f"{name}.log").open("wb")
        proc = subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=log, stderr=subprocess.STDOUT,
                                env=_env(**env), cwd=self.base)
        self.procs.append(proc)
        return proc

    def add_worker(self, name: str, **env: str) -> subprocess.Popen:
        """A ``dask worker`` (with its nanny, which restarts it if it dies)."""
        env.setdefault("YUEDU_WORKER_CACHE", str(self.base / "worker-cache"))
        return self._start(["worker", "--scheduler-file", str(self.file), "--host", "127.0.0.1",
                            "--nthreads", "1", "--no-dashboard", "--name", name, "--death-timeout", "30"],
                           name, **env)

    def wait_for(self, n: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.client.scheduler_info()["workers"]) != n:
            assert time.monotonic() < deadline, f"expected {n} workers"
            time.sleep(0.1)

    def states(self) -> dict[str, dict]:
        return self.client.run(cluster.worker_state)

    def stop(self) -> None:
        try:
            self.client.close(timeout=5)
        except Exception:
            pass
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()


def write_articles(root: Path, n: int) -> None:
    """``n`` short articles of real sentences, each with translations."""
    for i in range(n):
        paras = [PARAGRAPHS[(i + k) % len(PARAGRAPHS)] for k in range(3)]
        body = "\n\n".join(f"{p}\n\nen: Paragraph {k + 1} of article {i + 1}." for k, p in enumerate(paras))
        (root / "content" / f"a{i:02d}.md").write_text(
            f"---\ntitle: 第{i + 1}篇短文\ndate: 2024-{i // 28 + 1:02d}-{i % 28 + 1:02d}\n---\n\n{body}\n",
            encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("cluster") / "p", content=False)
    write_articles(root, N_ARTICLES)
    return root


@pytest.fixture(scope="module")
def local_build(project) -> tuple[dict[str, bytes], str]:
    """The site as a local build (process pool) makes it, and the dask modules that build imported."""
    code = ("import sys; from yuedu import cli; code = cli.main(['--root', sys.argv[1], 'build', '--clean']); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))); sys.exit(code)")
    run = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True,
                         env=_env(YUEDU_SCHEDULER=""))
    assert run.returncode == 0, run.stderr
    assert f"Built {N_ARTICLES} article(s)" in run.stderr
    return snapshot(project / "site"), run.stdout.strip()


@pytest.fixture(scope="module")
def local_site(local_build) -> dict[str, bytes]:
    return local_build[0]


def test_local_build_does_not_import_dask(local_build):
    assert local_build[1] == "[]"


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory, local_site, project):
    base = tmp_path_factory.mktemp("dask")
    # Workers find the parsed CC-CEDICT where the local build left it: the session's dictionary
    # folder (conftest's YUEDU_DICTIONARY_CACHE, which they inherit), as on a real host they
    # find the user's.
    running = Cluster(base)
    yield running
    running.stop()


def _build_in_thread(config) -> tuple[threading.Thread, dict]:
    out: dict = {}

    def run() -> None:
        try:
            out["result"] = build(config, clean=True)
        except BaseException as exc:  # noqa: BLE001 -- handed to the test
            out["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def _wait_for_batches(dask_cluster: Cluster, thread: threading.Thread) -> dict[str, dict]:
    """Worker states once some worker has rendered a batch of this build (the build still running)."""
    before = sum(s["batches"] for s in dask_cluster.states().values())
    deadline = time.monotonic() + 120
    while True:
        states = dask_cluster.states()
        if sum(s["batches"] for s in states.values()) > before:
            return states
        assert thread.is_alive() and time.monotonic() < deadline, "the build ended before a batch was seen"
        time.sleep(0.05)


def test_cluster_build_is_byte_identical_to_local(project, local_site, dask_cluster):
    before = sum(s["batches"] for s in dask_cluster.states().values())
    result = build(load_config(project).with_options(scheduler=dask_cluster.address), clean=True)
    assert result.annotated == N_ARTICLES
    states = dask_cluster.states()
    assert sum(s["batches"] for s in states.values()) > before  # the workers did the work
    assert snapshot(project / "site") == local_site


def test_worker_killed_mid_build_loses_nothing(project, local_site, dask_cluster, monkeypatch):
    monkeypatch.setattr(cluster, "MAX_BATCH", 1)  # many small tasks: the build outlives the kill
    thread, out = _build_in_thread(load_config(project).with_options(scheduler=dask_cluster.address))
    states = _wait_for_batches(dask_cluster, thread)
    victim = max(states.values(), key=lambda s: s["batches"])["pid"]
    os.kill(victim, signal.SIGKILL)
    assert thread.is_alive()  # killed mid-build
    thread.join(300)
    assert "error" not in out, out.get("error")
    assert out["result"].annotated == N_ARTICLES
    assert snapshot(project / "site") == local_site
    dask_cluster.wait_for(2)  # the nanny restarted the worker for the next test
    assert victim not in {s["pid"] for s in dask_cluster.states().values()}


def test_worker_of_another_engine_is_refused(project, local_site, dask_cluster, tmp_path, capsys):
    other = tmp_path / "other"
    shutil.copytree(ROOT / "yuedu", other / "yuedu", ignore=shutil.ignore_patterns("__pycache__"))
    with (other / "yuedu" / "render.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# a changed engine\n")
    odd = dask_cluster.add_worker("odd", PYTHONPATH=str(other))
    try:
        dask_cluster.wait_for(3)
        code = cli.main(["--root", str(project), "build", "--clean", "--scheduler", dask_cluster.address])
        err = capsys.readouterr().err
        assert code == 1
        assert "odd" in err and "another engine" in err and "install the same Yuedu on every worker" in err
        assert snapshot(project / "site") == local_site  # site/ kept
    finally:
        odd.terminate()
        odd.wait()
    dask_cluster.wait_for(2)


def test_unreachable_scheduler_fails_clearly(project, local_site, monkeypatch, capsys):
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2)
    monkeypatch.setenv("YUEDU_SCHEDULER", f"tcp://127.0.0.1:{port}")
    assert cli.main(["--root", str(project), "build", "--clean"]) == 1
    err = capsys.readouterr().err
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in err
    assert snapshot(project / "site") == local_site


def test_cluster_gone_mid_build_fails_and_keeps_site(project, local_site, dask_cluster, monkeypatch):
    monkeypatch.setattr(cluster, "MAX_BATCH", 1)
    thread, out = _build_in_thread(load_config(project).with_options(scheduler=dask_cluster.address))
    _wait_for_batches(dask_cluster, thread)
    dask_cluster.stop()  # scheduler and workers, all at once
    thread.join(120)
    assert not thread.is_alive()
    assert isinstance(out.get("error"), YueduError), out
    assert "lost the Dask scheduler" in str(out["error"])
    assert snapshot(project / "site") == local_site
    assert not list(project.glob("site.tmp-*"))
