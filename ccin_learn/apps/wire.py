"""A visit to a Voila app as its page makes it on the wire, timed, without drawing it.

Why: on the kit's server a visit costs the server about 0.3 CPU-seconds, while
drawing Voila's page costs the browser about 2. A room of officers brings a browser
each; one machine running both the server and 20 browsers times its own browser. So
a room is measured here as the server sees it: GET the app's page, open its kernel's
websocket, ask for the widgets' state (what ipywidgets' manager does first), and
stop the clock when the state holds the text the visitor needs (a saved council's
name). Then leave as the page does on closing: its shutdown request, with its
``_xsrf`` cookie. The benchmark and the training-room tests use it.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

from tornado.httpclient import AsyncHTTPClient, HTTPRequest, HTTPResponse
from tornado.websocket import WebSocketClientConnection, websocket_connect

KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]{36})"')
CONTROL_TARGET = "jupyter.widget.control"  # ipywidgets 8's comm for all widgets' state
CONTROL_VERSION = "1.0.0"  # its protocol, checked by the kernel (major version)


class WireError(RuntimeError):
    """The visit did not reach the widgets' state."""


async def visit(app_url: str, needed: str, timeout: float = 60.0) -> float:
    """Seconds from the GET of ``app_url`` until the widgets' state holds ``needed``."""
    start = time.perf_counter()
    page = await AsyncHTTPClient().fetch(app_url, request_timeout=timeout)
    found = KERNEL_ID.search(page.body.decode())
    if not found:
        raise WireError(f"no kernel id in the page at {app_url}")
    kernel_id = found.group(1)
    base = app_url[: app_url.index("/voila/")] + "/"
    socket = await websocket_connect(
        f"ws{base[4:]}api/kernels/{kernel_id}/channels?session_id={uuid4().hex}"
    )
    try:
        await asyncio.wait_for(widget_state_with(socket, needed), timeout)
        elapsed = time.perf_counter() - start
    finally:
        socket.close()
    await leave(base, kernel_id, page)
    return elapsed


async def room(app_url: str, needed: str, visits: int, window: float) -> list[float]:
    """``visits`` visits arriving evenly within ``window`` seconds; each one's seconds."""

    async def arrive(n: int) -> float:
        await asyncio.sleep(n * window / visits)
        return await visit(app_url, needed)

    return list(await asyncio.gather(*(arrive(n) for n in range(visits))))


def timed_room(app_url: str, needed: str, visits: int, window: float) -> list[float]:
    """``room`` from synchronous code, on an event loop of its own in a thread of its own
    (the caller's thread may run one already: Playwright's synchronous API does)."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, room(app_url, needed, visits, window)).result()


async def widget_state_with(socket: WebSocketClientConnection, needed: str) -> None:
    comm_id = uuid4().hex
    opening = {"comm_id": comm_id, "target_name": CONTROL_TARGET, "data": {}}
    await socket.write_message(shell_message("comm_open", opening, {"version": CONTROL_VERSION}))
    asking = {"comm_id": comm_id, "data": {"method": "request_states"}}
    await socket.write_message(shell_message("comm_msg", asking))
    while True:
        raw = await socket.read_message()
        if raw is None:
            raise WireError("the kernel's websocket closed before the widgets' state came")
        data = message_data(raw)
        if holds_state(data) and needed in json.dumps(data, ensure_ascii=False):
            return


def holds_state(data: object) -> bool:
    return isinstance(data, dict) and data.get("method") == "update_states"


def shell_message(
    msg_type: str, content: Mapping[str, object], metadata: Mapping[str, str] | None = None
) -> str:
    header = {
        "msg_id": uuid4().hex,
        "msg_type": msg_type,
        "username": "",
        "session": "",
        "version": "5.3",
    }
    return json.dumps(
        {
            "header": header,
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
    )


def message_data(raw: str | bytes) -> object:
    """A kernel message's ``content.data`` from Jupyter's websocket: JSON text, or binary
    (a count, offsets, the JSON, then buffers)."""
    if isinstance(raw, bytes):
        count = int.from_bytes(raw[:4], "big")
        offsets = [int.from_bytes(raw[4 * (i + 1) : 4 * (i + 2)], "big") for i in range(count)]
        raw = raw[offsets[0] : offsets[1] if count > 1 else None].decode()
    content = json.loads(raw).get("content")
    return content.get("data") if isinstance(content, dict) else None


async def leave(base: str, kernel_id: str, page: HTTPResponse) -> None:
    """The page's shutdown request on closing, with the cookies the page was given."""
    cookies = [c.split(";", 1)[0] for c in page.headers.get_list("Set-Cookie")]
    xsrf = next((c.split("=", 1)[1] for c in cookies if c.startswith("_xsrf=")), "")
    request = HTTPRequest(
        f"{base}voila/api/shutdown/{kernel_id}",
        method="POST",
        body=f"_xsrf={xsrf}",
        headers={"Cookie": "; ".join(cookies)},
    )
    await AsyncHTTPClient().fetch(request)
