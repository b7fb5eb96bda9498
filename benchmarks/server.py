"""A local stand-in for the Notify API that answers at once, for the benchmarks.

It runs in a process of its own (``python -m benchmarks.server``) so that its CPU time is not
charged to the client being measured. It speaks just enough HTTP/1.1 for ``requests``: keep-alive,
``Content-Length`` bodies, one request at a time per connection, many connections at once.

Bodies are shaped as server-contract.md section 2 describes them:

* ``POST /v2/notifications/sms``: the 201 answer to a text message;
* ``GET /v2/notifications``: pages of 250 notifications (texts, emails and letters, every key the
  server sends), ``PAGES`` of them in all, then an empty page. The page is chosen by
  ``older_than``, which is the id of the last notification of the previous page;
* ``GET /v2/received-text-messages``: a page of 250 received texts, then an empty page.

Other paths get the server's 404 body. Nothing is validated: the point is to cost nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = [
    "PAGES",
    "PAGE_SIZE",
    "SERVICE_ID",
    "BenchServer",
    "encode_body",
    "notification_page",
    "received_texts_page",
    "running_server",
    "sms_response",
]

PAGES = 400
"""Non-empty pages of notifications served before the empty one."""
PAGE_SIZE = 250

SERVICE_ID = "a2c3e4f5-1111-4c2d-9e8f-0123456789ab"
SECRET = "d4e5f6a7-2222-4b3c-8d9e-abcdef012345"
API_KEY = f"bench_key-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
NOTIFY_HOST = "https://api.notifications.service.gov.uk"

_MAX_HEADER_BYTES = 65536


def _notification_id(page: int, row: int) -> str:
    # The page number lives in the first group, so that ``older_than`` says which page is next.
    return f"{page:08x}-{row:04x}-4{row:03x}-8000-{page * PAGE_SIZE + row:012x}"


def _page_after(older_than: str) -> int:
    """The page that follows the one whose last notification has id ``older_than``."""
    try:
        return int(older_than[:8], 16) + 1
    except ValueError:
        return PAGES


def _timestamp(second: int) -> str:
    minutes, seconds = divmod(second, 60)
    hours, minutes = divmod(minutes, 60)
    return f"2026-05-17T{hours % 24:02d}:{minutes:02d}:{seconds:02d}.{(second * 7919) % 10**6:06d}Z"


def sms_response(host: str = NOTIFY_HOST) -> dict[str, Any]:
    """The 201 body of ``POST /v2/notifications/sms`` (server-contract.md 2.1)."""
    notification_id = "740e5834-3a29-46b4-9a6f-16142fde533a"
    return {
        "id": notification_id,
        "reference": "bench-ref-0001",
        "content": {
            "body": "Hello Amala, your appointment is on Tuesday 12 June at 10:30. "
            "Reply STOP to opt out.",
            "from_number": "GOVUK",
        },
        "uri": f"{host}/v2/notifications/{notification_id}",
        "template": {
            "id": TEMPLATE_ID,
            "version": 3,
            "uri": f"{host}/services/{SERVICE_ID}/templates/{TEMPLATE_ID}",
        },
        "scheduled_for": None,
    }


def _notification(page: int, row: int, host: str) -> dict[str, Any]:
    """One notification as ``GET /v2/notifications`` lists it (server-contract.md 2.6): 7 texts,
    2 emails and 1 letter in every 10."""
    created = 86399 - (page * PAGE_SIZE + row) % 86000
    kind = row % 10
    notification: dict[str, Any] = {
        "id": _notification_id(page, row),
        "reference": f"batch-2026-05-17-{row:05d}",
        "email_address": None,
        "phone_number": None,
        "line_1": None,
        "line_2": None,
        "line_3": None,
        "line_4": None,
        "line_5": None,
        "line_6": None,
        "postcode": None,
        "type": "sms",
        "status": "delivered",
        "template": {
            "id": TEMPLATE_ID,
            "version": 3,
            "uri": f"{host}/v2/template/{TEMPLATE_ID}/version/3",
        },
        "body": "Hello Amala, your appointment is on Tuesday 12 June at 10:30. "
        "Reply STOP to opt out.",
        "subject": None,
        "created_at": _timestamp(created),
        "created_by_name": None,
        "sent_at": _timestamp(created + 1),
        "completed_at": _timestamp(created + 4),
        "scheduled_for": None,
        "postage": None,
        "one_click_unsubscribe_url": None,
        "is_cost_data_ready": True,
        "cost_in_pounds": 0.0227,
        "cost_details": {
            "billable_sms_fragments": 1,
            "international_rate_multiplier": 1.0,
            "sms_rate": 0.0227,
        },
    }
    if kind < 7:
        notification["phone_number"] = f"+44 7700 900{row % 1000:03d}"
        if kind == 6:
            notification["status"] = "temporary-failure"
    elif kind < 9:
        notification.update(
            type="email",
            email_address=f"amala.{row}@example.gov.uk",
            subject="Your appointment on Tuesday",
            body="Dear Amala\r\n\r\nYour appointment is on **Tuesday 12 June** at 10:30.\r\n\r\n"
            "Bring this email with you.",
            one_click_unsubscribe_url="https://example.gov.uk/unsubscribe?id=1",
            cost_in_pounds=0.0,
            cost_details={},
        )
    else:
        notification.update(
            type="letter",
            status="received",
            line_1="Amala Bird",
            line_2="123 High Street",
            line_3="Richmond upon Thames",
            line_4=None,
            line_5=None,
            line_6=None,
            postcode="SW14 6BF",
            subject="Your council tax",
            body="Your council tax for 2026 to 2027 is \u00a31,234.56.",
            postage="second",
            estimated_delivery=_timestamp(created + 3 * 3600),
            cost_in_pounds=0.85,
            cost_details={"billable_sheets_of_paper": 2, "postage": "second"},
        )
    return notification


def notification_page(page: int, host: str = NOTIFY_HOST) -> dict[str, Any]:
    """Page ``page`` (from 0) of ``GET /v2/notifications`` (server-contract.md 2.7)."""
    current = f"{host}/v2/notifications"
    if page >= PAGES:
        return {"notifications": [], "links": {"current": current}}
    rows = [_notification(page, row, host) for row in range(PAGE_SIZE)]
    return {
        "notifications": rows,
        "links": {"current": current, "next": f"{current}?older_than={rows[-1]['id']}"},
    }


def received_texts_page(page: int, host: str = NOTIFY_HOST) -> dict[str, Any]:
    """Page ``page`` of ``GET /v2/received-text-messages`` (server-contract.md 2.12); only page 0
    holds messages."""
    current = f"{host}/v2/received-text-messages"
    if page > 0:
        return {"received_text_messages": [], "links": {"current": current}}
    rows = [
        {
            "id": _notification_id(0, row),
            "created_at": _timestamp(86000 - row),
            "service_id": SERVICE_ID,
            "notify_number": "07700900000",
            "user_number": f"4477009{row:05d}",
            "content": "Yes please, Tuesday at 10:30 suits me. Thanks!",
        }
        for row in range(PAGE_SIZE)
    ]
    return {
        "received_text_messages": rows,
        "links": {"current": current, "next": f"{current}?older_than={rows[-1]['id']}"},
    }


def encode_body(body: dict[str, Any]) -> bytes:
    """A body as the server sends it: compact JSON in UTF-8."""
    return json.dumps(body, separators=(",", ":")).encode()


_REASONS = {200: b"OK", 201: b"CREATED", 404: b"NOT FOUND"}
_OLDER_THAN = re.compile(rb"[?&]older_than=([0-9a-fA-F-]{36})")


def _response(status: int, body: bytes) -> bytes:
    return (
        b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
        % (status, _REASONS[status], len(body))
    ) + body


class _Pages:
    """Bodies of the notification pages. All pages share one shape, so page ``p`` is made from a
    template by writing ``p`` into the first group of every id: cheap, and nothing is kept but the
    template."""

    _MARK = b"PPPPPPPP"

    def __init__(self, host: str) -> None:
        body = encode_body(notification_page(0, host))
        self._template = body.replace(b"00000000-", self._MARK + b"-")
        self._empty = _response(200, encode_body(notification_page(PAGES, host)))

    def response(self, page: int) -> bytes:
        if page >= PAGES:
            return self._empty
        return _response(200, self._template.replace(self._MARK, b"%08x" % page))


class _Routes:
    def __init__(self, host: str) -> None:
        self.sms = _response(201, encode_body(sms_response(host)))
        self.pages = _Pages(host)
        self.received = _response(200, encode_body(received_texts_page(0, host)))
        self.received_empty = _response(200, encode_body(received_texts_page(1, host)))
        self.not_found = _response(
            404,
            encode_body(
                {
                    "status_code": 404,
                    "errors": [{"error": "NoResultFound", "message": "No result found"}],
                }
            ),
        )

    def answer(self, method: bytes, target: bytes) -> bytes:
        path, _, _query = target.partition(b"?")
        if method == b"POST" and path == b"/v2/notifications/sms":
            return self.sms
        if method == b"GET" and path == b"/v2/notifications":
            match = _OLDER_THAN.search(target)
            return self.pages.response(0 if match is None else _page_after(match.group(1).decode()))
        if method == b"GET" and path == b"/v2/received-text-messages":
            return self.received if _OLDER_THAN.search(target) is None else self.received_empty
        return self.not_found


class _Connection(asyncio.Protocol):
    def __init__(self, routes: _Routes, latency: float = 0.0) -> None:
        self._routes = routes
        self._latency = latency
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        transport = self._transport
        assert transport is not None
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > _MAX_HEADER_BYTES:
                    transport.close()
                return
            head = bytes(buffer[:end])
            lines = head.split(b"\r\n")
            parts = lines[0].split(b" ")
            if len(parts) != 3:
                transport.close()
                return
            length = 0
            close = False
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            if len(buffer) < end + 4 + length:
                return
            del buffer[: end + 4 + length]
            answer = self._routes.answer(parts[0], parts[1])
            if self._latency:
                # Answer later without blocking the loop: one request at a time per connection,
                # so the answers of a connection stay in order.
                loop = asyncio.get_running_loop()
                loop.call_later(self._latency, self._send_late, answer, close)
                continue
            transport.write(answer)
            if close:
                transport.close()
                return

    def _send_late(self, answer: bytes, close: bool) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        transport.write(answer)
        if close:
            transport.close()


async def _serve(port: int, ready: Any, latency: float = 0.0) -> None:
    loop = asyncio.get_running_loop()
    holder: dict[str, _Routes] = {}
    server = await loop.create_server(
        lambda: _Connection(holder["routes"], latency), "127.0.0.1", port, backlog=512
    )
    bound = server.sockets[0].getsockname()[1]
    holder["routes"] = _Routes(f"http://127.0.0.1:{bound}")
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    ready(bound)
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="answer each request this much later"
    )
    args = parser.parse_args(argv)

    def ready(port: int) -> None:
        print(port, flush=True)

    asyncio.run(_serve(args.port, ready, args.latency_ms / 1000.0))
    return 0


class BenchServer:
    """The server process, and its base URL."""

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def running_server(latency_ms: float = 0.0) -> Iterator[BenchServer]:
    """Start the server in a process of its own, answering ``latency_ms`` late; stop it on the
    way out."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.server", "--latency-ms", str(latency_ms)],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.strip().isdigit():
        process.kill()
        process.wait()
        raise RuntimeError("the benchmark server did not start")
    server = BenchServer(process, int(line))
    try:
        yield server
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
