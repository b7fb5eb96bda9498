"""pytest fixtures for applications that send through GOV.UK Notify.

Installed with the package (entry point ``govuk_notify``), so the fixtures are there in every test
run; in a checkout where the package is not installed, add ``-p govuk_notify.pytest_plugin``.
Loading the plugin costs next to nothing: the sandbox is imported only when a test asks for one
of these fixtures.

Per test (a fresh sandbox, stopped after the test):

* ``notify_sandbox``: a running :class:`~govuk_notify.sandbox.Sandbox`. Read what was sent with
  ``notify_sandbox.sent_emails()``, ``sent_sms()``, ``sent_letters()``. Options for one test go
  on a marker: ``@pytest.mark.notify_sandbox(rate_limit=60)`` passes its keyword arguments to
  :class:`~govuk_notify.sandbox.Sandbox`.
* ``notify_client``: a :class:`~govuk_notify.NotifyClient` with that sandbox's live key.
* ``notify_async_client``: an :class:`~govuk_notify.AsyncNotifyClient` with that sandbox's live
  key (needs ``pip install 'govuk-notify[async]'``). It keeps no connection open between calls,
  so it works in any event loop the test runs: ``asyncio.run``, pytest-asyncio or anyio.

Shared by the whole run (faster: one server, one database):

* ``notify_sandbox_session``: one sandbox started for the test session.
* ``notify_shared_sandbox``: that sandbox, :meth:`~govuk_notify.sandbox.Sandbox.reset` before
  each test that asks for it (notifications, received texts and daily counts forgotten; keys
  and templates stay).
* ``notify_shared_client``: a client with its live key.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .async_client import AsyncNotifyClient
    from .client import NotifyClient
    from .sandbox import Sandbox

__all__ = [
    "notify_async_client",
    "notify_client",
    "notify_sandbox",
    "notify_sandbox_session",
    "notify_shared_client",
    "notify_shared_sandbox",
]


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``notify_sandbox`` marker."""
    config.addinivalue_line(
        "markers",
        "notify_sandbox(**options): keyword arguments for the notify_sandbox fixture's Sandbox",
    )


@pytest.fixture
def notify_sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A GOV.UK Notify sandbox running for this test."""
    from .sandbox import Sandbox

    marker = request.node.get_closest_marker("notify_sandbox")
    options = dict(marker.kwargs) if marker is not None else {}
    with Sandbox(**options) as sandbox:
        yield sandbox


@pytest.fixture
def notify_client(notify_sandbox: Sandbox) -> NotifyClient:
    """A NotifyClient for ``notify_sandbox``, with its live key."""
    return notify_sandbox.client("live")


@pytest.fixture
def notify_async_client(notify_sandbox: Sandbox) -> AsyncNotifyClient:
    """An AsyncNotifyClient for ``notify_sandbox``, with its live key.

    Its httpx2 client keeps no idle connection, so nothing is left bound to the event loop of
    one test when the next one starts, and there is nothing to close at the end.
    """
    import httpx2

    from .async_client import AsyncNotifyClient

    http_client = httpx2.AsyncClient(limits=httpx2.Limits(max_keepalive_connections=0))
    return AsyncNotifyClient(
        notify_sandbox.api_keys.for_type("live"),
        notify_sandbox.base_url,
        http_client=http_client,
    )


@pytest.fixture(scope="session")
def notify_sandbox_session() -> Iterator[Sandbox]:
    """One GOV.UK Notify sandbox for the whole test session."""
    from .sandbox import Sandbox

    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def notify_shared_sandbox(notify_sandbox_session: Sandbox) -> Sandbox:
    """The session's sandbox, reset before this test."""
    notify_sandbox_session.reset()
    return notify_sandbox_session


@pytest.fixture
def notify_shared_client(notify_shared_sandbox: Sandbox) -> NotifyClient:
    """A NotifyClient for ``notify_shared_sandbox``, with its live key."""
    return notify_shared_sandbox.client("live")
