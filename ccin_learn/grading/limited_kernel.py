"""Start an IPython kernel under a memory limit, for grading learners' notebooks.

A learner's notebook runs arbitrary code; a memory bomb must fail inside that
learner's kernel (as a MemoryError in their cell) and not take the grading
machine down. Used as the kernel command of the grading workers' kernelspec:
``python -m ccin_learn.grading.limited_kernel MEMORY_MB -f CONNECTION_FILE``.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

MB = 1024 * 1024


def write_kernelspec(folder: Path, memory_mb: int) -> Path:
    """A ``python3`` kernelspec under ``folder/kernels`` that starts this launcher.

    Put ``folder`` first on JUPYTER_PATH and every notebook asking for ``python3``
    gets the limited kernel.
    """
    spec_dir = folder / "kernels" / "python3"
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [
            sys.executable,
            "-m",
            "ccin_learn.grading.limited_kernel",
            str(memory_mb),
            "-f",
            "{connection_file}",
        ],
        "display_name": f"Python 3 (grading, {memory_mb} MB limit)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return spec_dir


def main() -> None:
    memory_mb = int(sys.argv[1])
    limit = memory_mb * MB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.argv = ["ipykernel_launcher", *sys.argv[2:]]
    # lazy: imported only after the memory limit is set, so the limit covers the kernel too
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
