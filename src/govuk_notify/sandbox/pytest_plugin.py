"""pytest fixtures for applications that send through GOV.UK Notify.

Installed with the package (entry point ``govuk_notify``), so the fixtures are there in every
test run; otherwise add ``-p govuk_notify.sandbox.pytest_plugin``.

* ``notify_sandbox``: a running :class:`~govuk_notify.sandbox.Sandbox` for the test, stopped
  after it. Read what was sent with ``notify_sandbox.sent_emails()``, ``sent_sms()``,
  ``sent_letters()``.
* ``notify_client``: a :class:`~govuk_notify.NotifyClient` with the sandbox's live key.

Options for one test go on a marker: ``@pytest.mark.notify_sandbox(rate_limit=60)`` passes its
keyword arguments to :class:`~govuk_notify.sandbox.Sandbox`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from .core import Sandbox

if TYPE_CHECKING:
    from ..client import NotifyClient

__all__ = ["notify_client", "notify_sandbox"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "notify_sandbox(**options): keyword arguments for the notify_sandbox fixture's Sandbox",
    )


@pytest.fixture
def notify_sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A GOV.UK Notify sandbox running for this test."""
    marker = request.node.get_closest_marker("notify_sandbox")
    options = dict(marker.kwargs) if marker is not None else {}
    with Sandbox(**options) as sandbox:
        yield sandbox


@pytest.fixture
def notify_client(notify_sandbox: Sandbox) -> NotifyClient:
    """A NotifyClient for ``notify_sandbox``, with its live key."""
    return notify_sandbox.client("live")
