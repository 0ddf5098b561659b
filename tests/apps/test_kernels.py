"""The kernel policy for a training room, on a stand-in for Voila's kernel manager.

The browser tests (tests/browser/test_training_room.py) run it in Voila; these pin
its rules one by one, fast: what is freed, what is kept, who is admitted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest

from ccin_learn.apps.kernels import (
    COHORT,
    KERNEL_BUDGET_MB,
    KernelCapReached,
    KernelLimits,
    KitKernelPolicy,
    kit_factory,
    sized_to_memory,
)

MB = 2**20


class VoilaLikeManager:
    """What the policy uses of Voila's pooled kernel manager, without processes."""

    def __init__(self, **_kwargs: Any) -> None:
        self._kernels: dict[str, object] = {}
        self._kernel_connections: dict[str, int] = {}
        self._pools: dict[str, list[asyncio.Future[Any]]] = {}
        self.log = logging.getLogger("test-kernels")
        self.shut: list[str] = []
        self.culled: list[str] = []

    async def start_kernel(self, **_kwargs: Any) -> str:
        kernel_id = f"k{len(self._kernels) + len(self.shut)}"
        self._kernels[kernel_id] = object()
        self._kernel_connections[kernel_id] = 0
        return kernel_id

    async def shutdown_kernel(self, kernel_id: str, *_args: Any, **_kwargs: Any) -> None:
        self._kernels.pop(kernel_id)
        self.shut.append(kernel_id)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        self.culled.append(kernel_id)

    async def get_rendered_notebook(self, notebook_name: str, **_kwargs: Any) -> Any:
        content = await self._pools[notebook_name].pop(0)
        return None, [], content["kernel_id"]

    def initialize_culler(self) -> None:
        pass


class Manager(KitKernelPolicy, VoilaLikeManager):
    pass


@pytest.fixture
def manager() -> Manager:
    made = Manager()
    made.limits = KernelLimits(pool=1, cap=3, orphan_timeout=0.2, refill_quiet=0.1)
    return made


def pool_kernel(manager: Manager, notebook: str, kernel_id: str) -> asyncio.Future[Any]:
    """A ready pool item holding ``kernel_id`` (a started kernel)."""
    manager._kernels[kernel_id] = object()
    manager._kernel_connections[kernel_id] = 0
    manager._pooled.add(kernel_id)
    item: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    item.set_result({"kernel_id": kernel_id})
    manager._pools.setdefault(notebook, []).append(item)
    return item


def test_pool_and_cap_fit_half_the_available_memory():
    limits = sized_to_memory(8 * 1024 * MB, other_pools=6)
    assert limits.cap == 4 * 1024 // KERNEL_BUDGET_MB  # 20 kernels of 200 MB in 4 GB
    assert limits.pool == (limits.cap - 6) // 2
    assert sized_to_memory(64 * 1024 * MB).pool == COHORT  # never more than a room


def test_a_small_machine_still_serves_one_visit_beside_every_pool():
    limits = sized_to_memory(300 * MB, other_pools=6)
    assert limits.pool == 1
    assert limits.cap == 6 + 2  # the other pools, the cohort pool and one visit


async def test_a_visit_kernel_with_no_page_is_freed_after_the_timeout(manager):
    kernel_id = await manager.start_kernel()
    await manager.free_orphans()
    assert manager.shut == []
    await asyncio.sleep(0.25)
    await manager.free_orphans()
    assert manager.shut == [kernel_id]


async def test_a_connected_kernel_is_kept_and_freed_once_its_page_goes(manager):
    kernel_id = await manager.start_kernel()
    manager._kernel_connections[kernel_id] = 1
    await asyncio.sleep(0.25)
    await manager.free_orphans()
    assert manager.shut == []
    manager._kernel_connections[kernel_id] = 0
    await manager.free_orphans()
    assert manager.shut == [], "the timeout runs from the moment the page went"
    await asyncio.sleep(0.25)
    await manager.free_orphans()
    assert manager.shut == [kernel_id]


async def test_pool_kernels_are_neither_reaped_nor_culled(manager):
    pool_kernel(manager, "app.ipynb", "pooled")
    await asyncio.sleep(0.25)
    await manager.free_orphans()
    await manager.cull_kernel_if_idle("pooled")
    assert manager.shut == [] and manager.culled == []


async def test_a_handed_out_pool_kernel_becomes_a_visit(manager):
    pool_kernel(manager, "app.ipynb", "pooled")
    await manager.get_rendered_notebook("app.ipynb")
    await manager.cull_kernel_if_idle("pooled")
    assert manager.culled == ["pooled"]
    await asyncio.sleep(0.25)
    await manager.free_orphans()
    assert manager.shut == ["pooled"]


async def test_only_ready_pool_kernels_count_and_are_handed_out_first(manager):
    starting: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    manager._pools["app.ipynb"] = [starting]
    assert manager.get_pool_size("app.ipynb") == 0
    failed: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    failed.set_exception(RuntimeError("the kernel died at start"))
    manager._pools["app.ipynb"].append(failed)
    assert manager.get_pool_size("app.ipynb") == 0
    pool_kernel(manager, "app.ipynb", "ready")
    assert manager.get_pool_size("app.ipynb") == 1
    assert (await manager.get_rendered_notebook("app.ipynb"))[2] == "ready"
    assert manager._pools["app.ipynb"] == [starting, failed]


async def test_at_the_cap_a_visit_needs_a_ready_pool_kernel(manager):
    for _ in range(3):
        await manager.start_kernel()
    assert not manager.admits("app.ipynb")
    with pytest.raises(KernelCapReached):
        await manager.start_kernel()
    pool_kernel(manager, "app.ipynb", "pooled")  # one over: an operator's pool, say
    assert manager.admits("app.ipynb")


async def test_a_refill_waits_for_a_quiet_room(manager):
    manager.note_visit()
    started = time.monotonic()
    while not manager._room_for_refill():
        await asyncio.sleep(0.01)
    assert time.monotonic() - started >= 0.09


async def test_a_refill_waits_below_the_cap(manager):
    for _ in range(3):
        await manager.start_kernel()
    assert not manager._room_for_refill()
    await manager.shutdown_kernel("k0")
    assert manager._room_for_refill()


def test_the_policy_goes_in_front_of_voilas_pooled_manager_only():
    def voila_factory(base: type, preheat: bool, *_args: Any) -> type:
        return type("Built", (base,), {})

    factory = kit_factory(voila_factory)
    pooled = factory(VoilaLikeManager, True, 1)
    assert pooled.__mro__[1:3] == (KitKernelPolicy, pooled.__mro__[2])
    assert pooled.__mro__[2].__name__ == "Built"
    assert not issubclass(factory(VoilaLikeManager, False, 1), KitKernelPolicy)


def test_the_busy_page_says_what_to_do_in_the_kits_style():
    from ccin_learn.apps.catalogue import default_tools
    from ccin_learn.apps.server import busy_html

    html = busy_html(default_tools(), "http://book.example/", "/")
    assert "The app is busy" in html and "try again in a minute" in html
    assert 'href="http://book.example/"' in html and "kit.css" in html
