"""What only the async client has: the same surface as NotifyClient, ``async with``, a caller's
``httpx2.AsyncClient`` left open, cancellation that leaves no half-open connection and never
hides a send that may have gone out, and the message when httpx2 is missing."""

from __future__ import annotations

import asyncio
import inspect
import logging
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from govuk_notify import AsyncNotifyClient, NotifyClient, RetryPolicy, SmsResponse, Template
from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS, Sandbox

from . import bodies
from .processes import child_env
from .wire import Reply, WireServer

httpx2 = pytest.importorskip("httpx2", reason="AsyncNotifyClient needs httpx2 (Python 3.11+)")

FAST = RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.02)
REFERENCE = "order-77"
DEADLINE = 10.0
"""Generous: a loaded machine must not fail these tests."""


# --- one surface --------------------------------------------------------------------------------


def public_methods(cls: type) -> dict[str, Any]:
    return {
        name: member
        for name, member in vars(cls).items()
        if callable(member) and not name.startswith("_")
    }


def test_every_method_of_the_sync_client_is_there_with_the_same_arguments() -> None:
    sync = public_methods(NotifyClient)
    asynchronous = public_methods(AsyncNotifyClient)
    assert set(sync) - {"close"} == set(asynchronous) - {"aclose"}
    for name, method in sync.items():
        if name == "close":
            continue
        ours = inspect.signature(method)
        if name == "send_many":  # journal= is the threaded batch's only (its look-ups are sync)
            ours = ours.replace(
                parameters=[p for p in ours.parameters.values() if p.name != "journal"]
            )
        theirs = inspect.signature(asynchronous[name])
        names = [p.name for p in ours.parameters.values()]
        other = [p.name for p in theirs.parameters.values()]
        if name == "send_many":  # threads are workers, tasks are concurrency
            names = [n if n != "workers" else "concurrency" for n in names]
        assert names == other, name
        for param in ours.parameters.values():
            twin = theirs.parameters[param.name if param.name != "workers" else "concurrency"]
            assert (param.kind, param.default) == (twin.kind, twin.default), (name, param.name)
        # The annotations as written (both modules postpone them): the same types, with
        # AsyncIterator where the sync client has Iterator.
        hints = dict(method.__annotations__)
        hints.pop("journal", None)
        other_hints = dict(asynchronous[name].__annotations__)
        other_hints.pop("concurrency", None)
        hints.pop("workers", None)
        if name.endswith("_iterator"):
            assert not inspect.iscoroutinefunction(asynchronous[name])
            hints["return"] = "Async" + hints["return"]
        else:
            assert inspect.iscoroutinefunction(asynchronous[name]), name
        assert hints == other_hints, name


def test_the_constructor_takes_the_same_arguments_with_an_httpx2_client() -> None:
    sync = list(inspect.signature(NotifyClient).parameters)
    asynchronous = list(inspect.signature(AsyncNotifyClient).parameters)
    assert asynchronous == [name if name != "session" else "http_client" for name in sync]


# --- lifetime -----------------------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[WireServer]:
    with WireServer() as wire:
        yield wire


def test_async_with_closes_its_own_client_and_leaves_a_callers_open(server: WireServer) -> None:
    server.default = Reply(200, bodies.template())

    async def main() -> tuple[bool, bool]:
        async with AsyncNotifyClient(bodies.API_KEY, server.url) as own:
            assert isinstance(await own.get_template(bodies.TEMPLATE_ID), Template)
        made = own._transport.is_closed
        http = httpx2.AsyncClient()
        async with AsyncNotifyClient(bodies.API_KEY, server.url, http_client=http) as theirs:
            await theirs.get_template(bodies.TEMPLATE_ID)
        kept = not http.is_closed
        await http.aclose()
        return made, kept

    assert asyncio.run(main()) == (True, True)
    assert server.last.headers["User-Agent"].startswith("NOTIFY-API-PYTHON-GOVUK-NOTIFY/")


def test_a_client_that_is_not_httpx2_is_refused() -> None:
    from govuk_notify import ConfigurationError

    with pytest.raises(ConfigurationError, match=r"httpx2\.AsyncClient"):
        AsyncNotifyClient(bodies.API_KEY, http_client=object())  # type: ignore[arg-type]


def test_without_httpx2_the_error_says_what_to_install() -> None:
    program = (
        "import sys; sys.modules['httpx2'] = None\n"
        "import govuk_notify\n"
        "try:\n"
        f"    govuk_notify.AsyncNotifyClient({bodies.API_KEY!r})\n"
        "except ImportError as err:\n"
        "    print(err)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=child_env(),
    )
    assert "pip install 'govuk-notify[async]'" in done.stdout
    assert "Python 3.11" in done.stdout


# --- cancellation -------------------------------------------------------------------------------


class Silent:
    """Accepts connections, reads each request, never answers, and notes when the client closes
    its end (the read returns EOF): a connection left half-open would never be noted."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.requests: list[bytes] = []
        self.closed = threading.Semaphore(0)
        self.received = threading.Semaphore(0)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._hold, args=(conn,), daemon=True).start()

    def _hold(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(60)
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                self.requests.append(data)
                self.received.release()
                while conn.recv(65536):
                    pass
            except OSError:
                pass
            self.closed.release()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def silent() -> Iterator[Silent]:
    listener = Silent()
    yield listener
    listener.close()


def pool_connections(client: AsyncNotifyClient) -> list[Any]:
    """The connections in the pool the client made."""
    pool = client._transport.pool
    assert pool is not None
    return pool.connections


async def until_received(silent: Silent) -> None:
    """Poll (the event loop must keep running) until the server has the request; fail after a
    generous deadline."""
    deadline = time.monotonic() + DEADLINE
    while not silent.received.acquire(blocking=False):
        assert time.monotonic() < deadline, "the request never reached the server"
        await asyncio.sleep(0.01)


WAIT_FOR = 3.0
"""The wait_for timeout: the request is out long before it on any machine but a stalled one."""


async def send(client: AsyncNotifyClient) -> SmsResponse:
    return await client.send_sms_notification(
        "07700900123", bodies.TEMPLATE_ID, {"code": "1"}, reference=REFERENCE
    )


def test_wait_for_timing_out_a_send_closes_its_connection_and_says_it_may_have_gone(
    silent: Silent, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="govuk_notify")

    async def main() -> list[Any]:
        async with AsyncNotifyClient(
            bodies.API_KEY, silent.url, retry=FAST, timeout=(5, 30)
        ) as client:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(send(client), WAIT_FOR)
            return pool_connections(client)

    left = asyncio.run(main())
    assert silent.closed.acquire(timeout=DEADLINE)  # the client closed its end
    assert len(silent.requests) == 1  # sent once, never retried
    assert all(c.is_closed() for c in left)
    warning = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warning) == 1
    assert warning[0].notify_error == "CancelledError"  # type: ignore[attr-defined]
    assert "may have been sent" in warning[0].getMessage()
    assert REFERENCE in warning[0].getMessage()


def test_cancelling_a_send_task_closes_the_connection_and_the_pool_stays_usable(
    silent: Silent, server: WireServer
) -> None:
    server.default = Reply(200, bodies.template())

    seen: list[asyncio.CancelledError] = []

    async def sending(client: AsyncNotifyClient) -> None:
        try:
            await send(client)
        except asyncio.CancelledError as cancelled:  # the very error the task's code sees
            seen.append(cancelled)
            raise

    async def main() -> tuple[BaseException | None, list[Any], Template]:
        async with AsyncNotifyClient(bodies.API_KEY, silent.url, timeout=(5, 30)) as client:
            task = asyncio.ensure_future(sending(client))
            await until_received(silent)  # the request is out
            task.cancel()
            caught = (await asyncio.gather(task, return_exceptions=True))[0]
            left = pool_connections(client)
            client._transport.base_url = server.url  # the same pool, another server
            template = await client.get_template(bodies.TEMPLATE_ID)
            return caught, left, template

    caught, left, template = asyncio.run(main())
    assert isinstance(caught, asyncio.CancelledError)
    if sys.version_info >= (3, 11):
        assert any("may have been sent" in note for note in seen[0].__notes__)
    assert silent.closed.acquire(timeout=DEADLINE)
    assert len(silent.requests) == 1
    assert all(c.is_closed() for c in left)
    assert template.version == 3


def test_cancelling_a_read_is_not_reported_as_a_send(
    silent: Silent, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="govuk_notify")

    async def main() -> None:
        async with AsyncNotifyClient(bodies.API_KEY, silent.url, timeout=(5, 30)) as client:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.get_template(bodies.TEMPLATE_ID), WAIT_FOR)

    asyncio.run(main())
    assert silent.closed.acquire(timeout=DEADLINE)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_cancelled_send_in_a_batch_is_unknown_never_retried(silent: Silent) -> None:
    from govuk_notify import SmsRequest

    requests = [
        SmsRequest(phone_number="07700900123", template_id=bodies.TEMPLATE_ID, reference=f"b-{n}")
        for n in range(3)
    ]

    async def main() -> list[Any]:
        async with AsyncNotifyClient(bodies.API_KEY, silent.url, timeout=(5, 30)) as client:
            batch = asyncio.ensure_future(client.send_many(requests, concurrency=1))
            await until_received(silent)
            batch.cancel()
            await asyncio.gather(batch, return_exceptions=True)
            assert batch.cancelled()
            return pool_connections(client)

    left = asyncio.run(main())
    assert silent.closed.acquire(timeout=DEADLINE)
    assert len(silent.requests) == 1
    assert all(c.is_closed() for c in left)


# --- the pytest plugin's fixture -----------------------------------------------------------------


def test_the_plugin_gives_an_async_client_usable_from_any_event_loop(
    notify_async_client: AsyncNotifyClient, notify_sandbox: Sandbox
) -> None:
    template = DEFAULT_TEMPLATE_IDS["sms"]

    async def send_one(code: str) -> SmsResponse:
        return await notify_async_client.send_sms_notification(
            "07700900123", template, {"name": "Ann", "code": code}, reference=code
        )

    first = asyncio.run(send_one("1"))  # one event loop ...
    second = asyncio.run(send_one("2"))  # ... then another: nothing was left bound to the first
    sent = {n.reference: n.id for n in notify_sandbox.sent_sms()}
    assert sent == {"1": str(first.id), "2": str(second.id)}


def test_many_tasks_share_one_client(notify_sandbox: Sandbox) -> None:
    template = DEFAULT_TEMPLATE_IDS["sms"]

    async def main() -> list[SmsResponse]:
        async with AsyncNotifyClient(
            notify_sandbox.api_keys.for_type("live"), notify_sandbox.base_url
        ) as client:
            return await asyncio.gather(
                *(
                    client.send_sms_notification(
                        "07700900123", template, {"name": "Ann", "code": n}, reference=f"t-{n}"
                    )
                    for n in range(30)
                )
            )

    responses = asyncio.run(main())
    assert [r.reference for r in responses] == [f"t-{n}" for n in range(30)]
    assert {n.id for n in notify_sandbox.sent_sms()} == {str(r.id) for r in responses}


def test_from_env_reads_the_key_and_base_url(
    server: WireServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.default = Reply(200, bodies.template())
    monkeypatch.setenv("NOTIFY_API_KEY", bodies.API_KEY)
    monkeypatch.setenv("NOTIFY_BASE_URL", server.url)

    async def main() -> Template:
        async with AsyncNotifyClient.from_env(timeout=5) as client:
            assert client.base_url == server.url
            assert client.timeout == 5
            return await client.get_template(bodies.TEMPLATE_ID)

    assert asyncio.run(main()).version == 3
    monkeypatch.delenv("NOTIFY_API_KEY")
    from govuk_notify import ConfigurationError

    with pytest.raises(ConfigurationError, match="NOTIFY_API_KEY"):
        AsyncNotifyClient.from_env()
