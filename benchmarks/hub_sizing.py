"""Measure what a hub's pods hold in memory: the figures behind the sizing table.

Prints, in MB of resident memory (RSS, read with psutil):

- a learner's own Jupyter server (``jupyter server`` in the kit's environment, its
  extensions loaded) just after start, then with an assessment notebook open in a
  kernel whose code cells have run;
- the kit's Voila server (``python -m ccin_learn.apps.server``, one preheated kernel)
  on its own, after start-up;
- one autograde worker (the pool process and its memory-limited kernel), the
  largest seen while it grades a handful of submissions;

and the load average before and after, since a busy machine is slower, not bigger.
The recommended limits are in ``ccin_learn/hub/sizing.py``; this script only measures.

    python benchmarks/hub_sizing.py [--skip-voila] [--skip-grading]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ASSIGNMENT = "community-wealth-building"
MB = 2**20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mb(process: psutil.Process) -> float:
    return float(process.memory_info().rss / MB)


def wait_http(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the server stopped (exit code {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.Error:
        children = []
    for child in children:
        child.terminate()
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


def learner_server(tmp: Path) -> dict[str, float]:
    """RSS of ``jupyter server`` after start, and with an assessment notebook's kernel."""
    from jupyter_client import BlockingKernelClient

    work, runtime = tmp / "learner", tmp / "runtime"
    work.mkdir()
    source = ROOT / "assessments" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebook = work / source.name
    shutil.copy(source, notebook)
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)}
    command = [sys.executable, "-m", "jupyter", "server", "--no-browser", f"--port={port}"]
    command += [f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}"]
    if os.geteuid() == 0:  # a container or CI runner: Jupyter refuses root without this
        command.append("--allow-root")
    log = (tmp / "learner.log").open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/api/status?token={token}", process)
        time.sleep(2)
        server = psutil.Process(process.pid)
        started = rss_mb(server)
        body = json.dumps(
            {"path": notebook.name, "type": "notebook", "kernel": {"name": "python3"}}
        ).encode()
        request = urllib.request.Request(
            f"{base}/api/sessions",
            data=body,
            headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            kernel_id = json.load(answer)["kernel"]["id"]
        connection = runtime / f"kernel-{kernel_id}.json"
        deadline = time.monotonic() + 60
        while not connection.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        client = BlockingKernelClient(connection_file=str(connection))
        client.load_connection_file()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        cells = [c.source for c in nbformat.read(notebook, as_version=4).cells]
        for code in cells:
            client.execute_interactive(code, timeout=60, output_hook=lambda _msg: None)
        client.stop_channels()
        time.sleep(1)
        kernels = server.children(recursive=True)
        kernel = max(rss_mb(k) for k in kernels) if kernels else 0.0
        return {
            "server_after_start": started,
            "server_with_notebook": rss_mb(server),
            "kernel_with_notebook": kernel,
        }
    finally:
        stop(process)
        log.close()


def voila_server(tmp: Path) -> dict[str, float]:
    """RSS of the kit's Voila server process itself, its kernels and report process apart."""
    from ccin_learn.apps.launcher import voila_command, voila_environment

    port = free_port()
    env = voila_environment("http://127.0.0.1:1/", f"sqlite:///{tmp / 'store.sqlite'}")
    env["CCIN_KERNEL_POOL"] = "1"
    log = (tmp / "voila.log").open("wb")
    command = voila_command("127.0.0.1", port)
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp)
    try:
        wait_http(f"http://127.0.0.1:{port}/", process, timeout=180)
        time.sleep(15)  # the pool's kernel runs the app's notebook once
        server = psutil.Process(process.pid)
        children = [rss_mb(child) for child in server.children(recursive=True)]
        return {"voila_server": rss_mb(server), "voila_children_total": sum(children)}
    finally:
        stop(process)
        log.close()


def grading_worker(tmp: Path, learners: int = 4) -> dict[str, float]:
    """The largest RSS of one autograde worker (pool process plus its kernel)."""
    from benchmarks.autograde import build_cohort
    from ccin_learn.grading.autograde import DEFAULT_MEMORY_MB, autograde
    from ccin_learn.grading.cohort import open_cohort

    root = build_cohort(tmp / "cohort", ASSIGNMENT, learners)
    me = psutil.Process()
    peak = {"worker": 0.0, "worker_and_kernel": 0.0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for worker in me.children():
                try:
                    alone = rss_mb(worker)
                    total = alone + sum(rss_mb(k) for k in worker.children(recursive=True))
                except psutil.Error:
                    continue
                peak["worker"] = max(peak["worker"], alone)
                peak["worker_and_kernel"] = max(peak["worker_and_kernel"], total)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        report = autograde(open_cohort(root), ASSIGNMENT, workers=1)
    finally:
        done.set()
        sampler.join()
    if not report.graded:
        raise SystemExit("grading failed: no figure")
    peak["memory_limit_per_kernel"] = float(DEFAULT_MEMORY_MB)
    return peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-voila", action="store_true")
    parser.add_argument("--skip-grading", action="store_true")
    args = parser.parse_args()
    print("load average before: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="ccin-sizing-") as tmp:
        figures |= learner_server(Path(tmp))
        if not args.skip_voila:
            figures |= voila_server(Path(tmp))
        if not args.skip_grading:
            figures |= grading_worker(Path(tmp))
    for name, value in figures.items():
        print(f"  {name:28} {value:7.0f} MB")
    print("load average after: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"{psutil.cpu_count()} CPU core(s), {psutil.virtual_memory().total / 2**30:.1f} GiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
