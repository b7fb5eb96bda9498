"""Both clients behind one sync interface, so that one test set runs against each.

``make_client("async", ...)`` builds a real :class:`AsyncNotifyClient` (on the pool it makes
itself) and ``make_client("async-httpx2", ...)`` one on an ``httpx2.AsyncClient`` the test passes,
as a user may; each is wrapped in
:class:`AsyncDriver`, which runs each awaited method to completion on an event loop of its own
(and an async iterator page by page, lazily). Nothing is faked: the async client talks to the
same real local servers over real sockets.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from types import TracebackType
from typing import Any, Literal, cast

import pytest

from govuk_notify import AsyncNotifyClient, NotifyClient

Flavour = Literal["sync", "async", "async-httpx2"]
_NEEDS_HTTPX2 = pytest.mark.skipif(
    importlib.util.find_spec("httpx2") is None,
    reason="AsyncNotifyClient needs httpx2 (Python 3.11+): govuk-notify[async]",
)
FLAVOURS: tuple[Any, ...] = (
    "sync",
    pytest.param("async", marks=_NEEDS_HTTPX2),
    pytest.param("async-httpx2", marks=_NEEDS_HTTPX2),
)
"""Both clients, the async one on its own pool and on a caller's ``httpx2.AsyncClient``, for
``parametrize``; the async ones are skipped, saying why, without httpx2."""


class AsyncDriver:
    """An :class:`AsyncNotifyClient` driven from sync code, one event loop per driver."""

    def __init__(self, client: AsyncNotifyClient, http_client: Any = None) -> None:
        self.client = client
        self.http_client = http_client
        """A caller's ``httpx2.AsyncClient``: left open by the client, closed by the driver."""
        self.loop = asyncio.new_event_loop()

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.client, name)
        if inspect.iscoroutinefunction(attribute):
            return self._blocking(attribute)
        if name.endswith("_iterator"):
            return self._iterating(attribute)
        return attribute

    def _blocking(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if "workers" in kwargs:  # send_many: the async client calls it concurrency
                kwargs["concurrency"] = kwargs.pop("workers")
            return self.loop.run_until_complete(method(*args, **kwargs))

        return call

    def _iterating(self, method: Callable[..., AsyncIterator[Any]]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Iterator[Any]:
            iterator = method(*args, **kwargs)  # arguments are checked here, as in the sync one

            def pages() -> Iterator[Any]:
                while True:
                    try:
                        yield self.loop.run_until_complete(iterator.__anext__())
                    except StopAsyncIteration:
                        return

            return pages()

        return call

    def __repr__(self) -> str:
        return repr(self.client)

    def close(self) -> None:
        if not self.loop.is_closed():
            self.loop.run_until_complete(self.client.aclose())
            if self.http_client is not None:
                self.loop.run_until_complete(self.http_client.aclose())
            self.loop.close()

    def __enter__(self) -> AsyncDriver:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def make_client(flavour: Flavour, api_key: str, base_url: str, **options: Any) -> NotifyClient:
    """A client of either flavour, typed as the sync one (the async driver has its methods)."""
    if flavour == "sync":
        return NotifyClient(api_key, base_url=base_url, **options)
    if flavour == "async-httpx2":
        import httpx2

        http_client = httpx2.AsyncClient()
        client = AsyncNotifyClient(api_key, base_url=base_url, http_client=http_client, **options)
        return cast(NotifyClient, AsyncDriver(client, http_client))
    return cast(NotifyClient, AsyncDriver(AsyncNotifyClient(api_key, base_url=base_url, **options)))
