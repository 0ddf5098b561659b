"""How much memory each part of a hub holds, as measured, and what to allow it.

The one source of the sizing figures: ``ccin-learn hub helm-values`` writes its
``singleuser`` limits from them, and the deployment guide (``book/deploy-the-hub.md``)
shows :func:`markdown_tables` verbatim (a test keeps the page and these in step).
The measured figures are resident memory (RSS) on a development machine (2 cores,
Linux, Python 3.11); ``benchmarks/hub_sizing.py`` and ``benchmarks/app_tti.py``
measure them again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Each allowance is the measured figure and half as much again, rounded up to 64 MB.
HEADROOM = 1.5
ROUND_TO_MB = 64
# The self-assessment service's kernels: preheated, and most alive at once. Set in the
# service's environment (CCIN_KERNEL_POOL, CCIN_KERNEL_CAP): in a container the kit's
# defaults would be sized to the node's memory, not to the pod's limit.
APP_KERNEL_POOL = 4
APP_KERNEL_CAP = 8
# Autograde workers on a trainer's server (the kit's default is one per core).
GRADING_WORKERS = 2
# CPU: chosen, not measured. A learner's server idles; the limit stops one server
# taking a whole node while a notebook runs.
SINGLEUSER_CPU_GUARANTEE = 0.1
SINGLEUSER_CPU_LIMIT = 1.0
STORAGE_CAPACITY = "1Gi"


@dataclass(frozen=True)
class Part:
    """One process of the hub and its measured memory."""

    key: str
    name: str
    measured_mb: int
    how: str

    @property
    def allowance_mb(self) -> int:
        return round_up(self.measured_mb * HEADROOM)


def round_up(mb: float) -> int:
    return int(math.ceil(mb / ROUND_TO_MB) * ROUND_TO_MB)


PARTS = (
    Part(
        "learner_server",
        "A learner's server, one assessment notebook open",
        180,
        "`benchmarks/hub_sizing.py`: `jupyter server` with the kit's extensions (126 MB "
        "after start, 128 MB with the notebook open) and a kernel that has run every cell "
        "of an assessment notebook (52 MB)",
    ),
    Part(
        "learner_kernel",
        "Each further notebook a learner opens",
        52,
        "`benchmarks/hub_sizing.py`: the kernel of that assessment notebook",
    ),
    Part(
        "app_kernel",
        "A self-assessment app kernel",
        145,
        "`benchmarks/app_tti.py`: 140 MB after a visit, 145 MB after its downloads",
    ),
    Part(
        "report_process",
        "The report process (one per app server)",
        220,
        "`benchmarks/app_tti.py`: the process that makes every visit's downloads",
    ),
    Part(
        "voila_server",
        "The Voila server itself",
        112,
        "`benchmarks/hub_sizing.py`: the kit's server after start, kernels apart",
    ),
    Part(
        "grading_worker",
        "An autograde worker and its kernel",
        171,
        "`benchmarks/hub_sizing.py`: the largest seen while grading four submissions "
        "(the worker 118 MB, with its kernel 171 MB; "
        "the kernel is also capped at 1024 MB of address space)",
    ),
)


def part(key: str) -> Part:
    return next(p for p in PARTS if p.key == key)


@dataclass(frozen=True)
class Pod:
    """What to give one kind of pod: Kubernetes' request (guarantee) and limit, in MB."""

    name: str
    guarantee_mb: int
    limit_mb: int
    sum: str


def pods() -> tuple[Pod, ...]:
    """The learner's pod, the self-assessment service's pod and a trainer's pod."""
    server, kernel = part("learner_server").allowance_mb, part("learner_kernel").allowance_mb
    learner = Pod(
        "A learner's server (`singleuser.memory`)",
        server,
        server + 2 * kernel,
        "guarantee: the server with one notebook; limit: two notebooks more",
    )
    base = part("voila_server").allowance_mb + part("report_process").allowance_mb
    app = part("app_kernel").allowance_mb
    service = Pod(
        f"The self-assessment service (pool {APP_KERNEL_POOL}, cap {APP_KERNEL_CAP})",
        base + APP_KERNEL_POOL * app,
        base + APP_KERNEL_CAP * app,
        "server and report process, plus the pool's kernels (guarantee) or the cap's (limit)",
    )
    grading = GRADING_WORKERS * part("grading_worker").allowance_mb
    trainer = Pod(
        f"A trainer's server grading with {GRADING_WORKERS} workers",
        learner.guarantee_mb + grading,
        learner.limit_mb + grading,
        "a learner's server plus the workers",
    )
    return learner, service, trainer


def singleuser_memory() -> tuple[str, str]:
    """``singleuser.memory`` (guarantee, limit) in KubeSpawner's units."""
    learner = pods()[0]
    return f"{learner.guarantee_mb}M", f"{learner.limit_mb}M"


def markdown_tables() -> str:
    """The guide's two sizing tables, as the page shows them."""
    lines = [
        "| Part | Measured (RSS) | How measured | Allowance |",
        "| --- | --- | --- | --- |",
    ]
    for p in PARTS:
        lines.append(f"| {p.name} | {p.measured_mb} MB | {p.how} | {p.allowance_mb} MB |")
    lines += [
        "",
        "| Pod | Guarantee | Limit | Made of |",
        "| --- | --- | --- | --- |",
    ]
    for pod in pods():
        lines.append(f"| {pod.name} | {pod.guarantee_mb} MB | {pod.limit_mb} MB | {pod.sum} |")
    return "\n".join(lines) + "\n"
