"""Start a learner's grading kernel in its sandbox, under whole-submission limits.

Used as the kernel command of a grading worker's kernelspec:
``python -m ccin_learn.grading.limited_kernel SETTINGS.json -f CONNECTION_FILE``.
This launcher runs outside the sandbox, with the grader's rights, for a moment:
it puts itself in the kernel's cgroup (so every process the learner starts is
counted and capped together), sets the per-process limits, then execs bwrap,
which starts ``ipykernel`` inside the sandbox. Where no cgroup is writable it
stays as the sandbox's parent and watches it instead (``sandbox.watch``).

The kernel takes the guard's snapshot (``snapshot.SNAPSHOT``) before any learner
code runs, through IPython's ``exec_lines``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from ccin_learn.grading.sandbox import Cgroup, Limits, bwrap_command, process_limits, watch
from ccin_learn.grading.snapshot import snapshot_line

WATCHDOG = "watchdog"
THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def write_kernelspec(
    folder: Path,
    limits: Limits,
    *,
    sandbox: bool,
    mechanism: str,
    cgroup: str,
    allowed: Path,
    runtime: Path,
    stash: str,
) -> Path:
    """A ``python3`` kernelspec under ``folder/kernels`` that starts this launcher.

    Put ``folder`` first on JUPYTER_PATH and every notebook asking for ``python3``
    gets the sandboxed, limited kernel. The display name says how it is contained.
    Interrupts go as messages: a signal to bwrap would not reach the kernel, which
    is in a session of its own.
    """
    spec_dir = folder / "kernels" / "python3"
    spec_dir.mkdir(parents=True, exist_ok=True)
    settings = {
        "limits": asdict(limits),
        "sandbox": sandbox,
        "mechanism": mechanism,
        "cgroup": cgroup,
        "allowed": str(allowed),
        "runtime": str(runtime),
        "stash": stash,
    }
    (spec_dir / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    where = "bubblewrap sandbox" if sandbox else "NO sandbox"
    spec = {
        "argv": [
            sys.executable,
            "-m",
            "ccin_learn.grading.limited_kernel",
            str(spec_dir / "settings.json"),
            "-f",
            "{connection_file}",
        ],
        "display_name": f"Python 3 (grading, {where}, {mechanism}, {limits.describe()})",
        "language": "python",
        "interrupt_mode": "message",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return spec_dir


def kernel_command(arguments: list[str], stash: str) -> list[str]:
    """ipykernel, with the guard's snapshot taken before any cell runs."""
    return [
        sys.executable,
        "-m",
        "ipykernel_launcher",
        *arguments,
        f"--IPKernelApp.exec_lines={json.dumps([snapshot_line(stash)])}",
    ]


def inside(path: str, folder: str) -> bool:
    real, root = os.path.realpath(path), os.path.realpath(folder)
    return real == root or real.startswith(root + os.sep)


def main() -> None:
    settings = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    limits = Limits(**settings["limits"])
    cwd = os.getcwd()
    if not inside(cwd, settings["allowed"]):
        sys.exit(f"refusing to start a grading kernel outside its scratch folder: {cwd}")
    os.dup2(2, 1)  # the kernel's start-up notes go to the worker's log, not the screen
    command = kernel_command(sys.argv[2:], settings["stash"])
    if settings["sandbox"]:
        command = bwrap_command(command, cwd, [cwd, settings["runtime"]], limits)
    else:
        os.environ.update(THREAD_ENV)
    if settings["mechanism"] == WATCHDOG:
        watched(command, limits)
    group = Cgroup.named(settings["cgroup"])
    if group is None:
        sys.exit("the grading cgroup is no longer writable")
    group.remove()  # anything a previous kernel of this worker left behind
    group.create(limits)
    group.join()
    process_limits(limits, address_space=True)
    os.execvp(command[0], command)


def watched(command: list[str], limits: Limits) -> None:
    """No cgroup: per-process limits, the watchdog, and bwrap's pid namespace."""
    process_limits(limits, address_space=True)
    if os.getuid() != 0:  # the count is per account, so allow for the trainer's own
        mine = sum(1 for p in Path("/proc").iterdir() if p.name.isdigit() and owned(p))
        nproc = mine + limits.processes
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    sys.exit(watch(subprocess.Popen(command), limits))


def owned(proc: Path) -> bool:
    try:
        return proc.stat().st_uid == os.getuid()
    except OSError:
        return False


if __name__ == "__main__":
    main()
