"""Async tests of this folder run on a fresh event loop in a thread of their own.

A pytest worker that has run a browser test holds Playwright's sync event loop,
still marked as running in the main thread, so asyncio (or anyio's plugin)
cannot start another loop there ("Cannot run the event loop while another loop
is running"). A thread of its own has no loop, whatever ran before.
"""

from __future__ import annotations

import asyncio
import inspect
from concurrent.futures import ThreadPoolExecutor

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run an ``async def`` test with ``asyncio.run`` in a new thread."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    arguments = {name: pyfuncitem.funcargs[name] for name in names}
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, pyfuncitem.obj(**arguments)).result()
    return True
