"""Kernels for a training room: a warm pool for the cohort, a cap, and no orphans.

Why a pool and not a picker drawn before its kernel: a picker is only usable once
its "Open" button reaches Python, so an officer would still wait for a kernel to
start and import the app (5-10 s on two busy cores, the complaint's 6.7-11.4 s).
Twenty officers opening the link together need twenty kernels that have already
run the app. So the self-assessment app keeps a pool of preheated kernels sized to
the machine's memory (at most ``COHORT``), and every visit takes a ready one.

What the kit changes in Voila's preheated pool (``voila_kernel_manager.py``):

* A pool kernel counts as ready only once it has run the app up to
  ``wait_for_request`` (or to the end), and only ready kernels are handed out; a
  visit that finds none gets a kernel of its own, as in plain Voila.
* Refills wait for a quiet moment (no visit for ``refill_quiet`` seconds) and start
  one kernel at a time: a refill started during a cohort's arrival would take the
  cores from the pages being opened.
* A cap on live kernels (pool included), sized to memory: a refill waits below it,
  and a visit that would need a kernel above it is refused with a polite page
  (``ccin_learn.apps.server``) instead of running the machine out of memory.
* A visit's kernel is shut down once no page has been connected to it for
  ``orphan_timeout`` seconds: a closed tab whose shutdown request was lost, or a
  plain GET (curl, a link checker) that never opens a websocket. The page's own
  shutdown request, refused by Voila with a 403 (voila#1458: the page sends the
  ``_xsrf`` cookie that Voila never set), works once the server sets that cookie.
* Pool kernels are never culled as idle: they wait for visitors by design.

Voila builds its kernel manager class inside ``Voila.init_settings`` (a class made
by ``voila_kernel_manager_factory`` around the configured base), so the kit's
policy is a mixin put in front of the class Voila builds (``kit_factory``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psutil
from tornado.ioloop import PeriodicCallback
from voila.request_info_handler import RequestInfoSocketHandler

COHORT = 20  # a training room: the most officers expected to open the app together
COHORT_APP = "self-assessment.ipynb"
KERNEL_BUDGET_MB = 200  # a self-assessment kernel with a council open measured 193 MB
MEMORY_SHARE = 0.5  # of the memory available at start; the rest is headroom
READY_TIMEOUT_S = 180.0  # a pool kernel that has not run its app by then is used anyway
READY_POLL_S = 0.1


class KernelCapReached(RuntimeError):
    """Starting a kernel for this visit would pass the cap on live kernels."""


@dataclass(frozen=True)
class KernelLimits:
    """How many kernels the server keeps: ``pool`` preheated for the cohort app, ``cap``
    live in all, and how long a visit's kernel lives with no page connected."""

    pool: int
    cap: int
    orphan_timeout: float = 60.0
    refill_quiet: float = 3.0


def sized_to_memory(available_bytes: int, other_pools: int = 0) -> KernelLimits:
    """The cap and cohort pool that fit in half the available memory.

    The cap leaves room for every other app's pool plus at least one visit; the
    cohort pool takes at most half of what is left, so visitors of the other
    tools, and officers beyond the cohort, still find room.
    """
    cap = max(int(available_bytes * MEMORY_SHARE / (KERNEL_BUDGET_MB * 2**20)), other_pools + 2)
    pool = max(1, min(COHORT, (cap - other_pools) // 2))
    return KernelLimits(pool=pool, cap=cap)


def default_limits(other_pools: int = 0) -> KernelLimits:
    return sized_to_memory(psutil.virtual_memory().available, other_pools)


class KitKernelPolicy:
    """The kit's rules for Voila's kernel manager; a mixin put before Voila's class.

    ``limits`` is set by the server right after the manager is made, before the
    event loop runs any pool start.
    """

    limits: KernelLimits
    _kernels: dict[str, Any]
    _kernel_connections: dict[str, int]
    _pools: dict[str, list[asyncio.Future[dict[str, Any]]]]
    log: Any

    def __init__(self, **kwargs: Any) -> None:
        self._visits: dict[str, float] = {}  # a visit's kernel -> last seen with a page
        self._pooled: set[str] = set()  # kernels started for a pool, not yet handed out
        self._reserved = 0  # kernels being started that _kernels may not list yet
        self._last_visit = float("-inf")
        self._start_lock = asyncio.Lock()
        self._reaper: PeriodicCallback | None = None
        super().__init__(**kwargs)

    # ---- counting ------------------------------------------------------------------------

    def live_kernels(self) -> int:
        return len(self._kernels) + self._reserved

    def ready_in_pool(self, notebook: str) -> int:
        return sum(1 for item in self._pools.get(notebook, []) if ready(item))

    def admits(self, notebook: str) -> bool:
        """A visit is served if a ready pool kernel waits for it, or if one more fits."""
        return self.ready_in_pool(notebook) > 0 or self.live_kernels() < self.limits.cap

    def note_visit(self) -> None:
        self._last_visit = time.monotonic()

    # ---- Voila's pool --------------------------------------------------------------------

    def get_pool_size(self, notebook_name: str) -> int:
        """Only ready kernels count: Voila's handler takes the pool path only if one is."""
        return self.ready_in_pool(notebook_name)

    async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any) -> Any:
        """Hand out a ready kernel (Voila takes the pool's first) and watch it as a visit's."""
        pool = self._pools.get(notebook_name, [])
        pool.sort(key=lambda item: not ready(item))
        result = await super().get_rendered_notebook(notebook_name, *args, **kwargs)  # type: ignore[misc]
        kernel_id = result[2]
        self._pooled.discard(kernel_id)
        self._visits[kernel_id] = time.monotonic()
        return result

    async def _initialize(
        self, notebook_path: str, kernel_id: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Start a pool kernel when the room is quiet and below the cap, one at a time,
        and finish only once it has run the app (so a done pool item is a ready kernel)."""
        if kernel_id is not None:  # Voila restarting a kernel in place
            return await super()._initialize(notebook_path, kernel_id, **kwargs)  # type: ignore[misc]
        async with self._start_lock:
            while not self._room_for_refill():
                await asyncio.sleep(0.5)
            self._reserved += 1
            try:
                content: dict[str, Any] = await super()._initialize(notebook_path, None, **kwargs)  # type: ignore[misc]
            finally:
                self._reserved -= 1
            self._pooled.add(content["kernel_id"])
            await until_ready(content)
        return content

    def _room_for_refill(self) -> bool:
        quiet = time.monotonic() - self._last_visit >= self.limits.refill_quiet
        return quiet and self.live_kernels() < self.limits.cap

    # ---- a visit's own kernel (no ready pool kernel) -----------------------------------

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        """Voila's handler starts a visit's kernel here (pool starts bypass it); refuse it
        above the cap, checked before any await so that concurrent visits count."""
        if self.live_kernels() >= self.limits.cap:
            raise KernelCapReached(f"{self.live_kernels()} kernels running, cap {self.limits.cap}")
        self._reserved += 1
        try:
            kernel_id: str = await super().start_kernel(*args, **kwargs)  # type: ignore[misc]
        finally:
            self._reserved -= 1
        self._visits[kernel_id] = time.monotonic()
        return kernel_id

    # ---- freeing ---------------------------------------------------------------------

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        self._visits.pop(kernel_id, None)
        self._pooled.discard(kernel_id)
        await super().shutdown_kernel(kernel_id, *args, **kwargs)  # type: ignore[misc]

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Idle culling is for visits; a pool kernel waits for its visitor however long."""
        if kernel_id in self._pooled:
            return
        await super().cull_kernel_if_idle(kernel_id)  # type: ignore[misc]

    def initialize_culler(self) -> None:
        """Voila's idle culler, and the kit's reaper of kernels no page is connected to."""
        super().initialize_culler()  # type: ignore[misc]
        if self._reaper is None:
            every = max(0.5, min(10.0, self.limits.orphan_timeout / 4))
            self._reaper = PeriodicCallback(self.free_orphans, every * 1000)
            self._reaper.start()

    async def free_orphans(self) -> None:
        """Shut down visits' kernels that no page has been connected to for a while."""
        now = time.monotonic()
        for kernel_id, seen in list(self._visits.items()):
            if kernel_id not in self._kernels:
                self._visits.pop(kernel_id, None)
            elif self._kernel_connections.get(kernel_id, 0) > 0:
                self._visits[kernel_id] = now
            elif now - seen >= self.limits.orphan_timeout:
                self.log.info(
                    "Freeing kernel %s: no page has been connected to it for %.0f s",
                    kernel_id,
                    now - seen,
                )
                await self.shutdown_kernel(kernel_id)

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
        """Stop the reaper and drop pool starts still waiting (Voila awaits each one)."""
        if self._reaper is not None:
            self._reaper.stop()
        for pool in self._pools.values():
            for item in [i for i in pool if not i.done()]:
                item.cancel()
                pool.remove(item)
        await super().shutdown_all(*args, **kwargs)  # type: ignore[misc]


def ready(item: asyncio.Future[Any]) -> bool:
    """A pool item holds a kernel that has run its app (not one that failed to start)."""
    return item.done() and not item.cancelled() and item.exception() is None


async def until_ready(content: dict[str, Any], timeout: float = READY_TIMEOUT_S) -> None:
    """Wait until a pool kernel has run its notebook, or waits in ``wait_for_request``
    (the app's cell 2: the kernel has opened Voila's request-info websocket)."""
    deadline = time.monotonic() + timeout
    task: asyncio.Task[Any] = content["task"]
    waiting = RequestInfoSocketHandler._waiters
    while not task.done() and content["kernel_id"] not in waiting:
        if time.monotonic() > deadline:
            return
        await asyncio.sleep(READY_POLL_S)


def kit_factory(voila_factory: Callable[..., type]) -> Callable[..., type]:
    """Wrap Voila's ``voila_kernel_manager_factory`` so the class it builds has the kit's
    policy in front (only when preheating: the policy manages Voila's pools)."""

    def factory(base_class: type, preheat_kernel: bool, *args: Any, **kwargs: Any) -> type:
        built = voila_factory(base_class, preheat_kernel, *args, **kwargs)
        if not preheat_kernel:
            return built
        return type("KitKernelManager", (KitKernelPolicy, built), {})

    return factory
