"""The sandbox's web inbox over HTTP: pages, filters, live JSON, actions and who may open it.

The browser tests (test_sandbox_inbox_browser.py) drive the same pages in Chromium; these make the
requests directly, so they run everywhere.
"""

from __future__ import annotations

import html
import io
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from govuk_notify import prepare_upload
from govuk_notify.sandbox import (
    CallbackEndpoint,
    CallbackRetry,
    Sandbox,
    ServiceSettings,
    minimal_pdf,
)
from govuk_notify.sandbox.api import Request
from govuk_notify.sandbox.inbox import Inbox, InboxAccess, is_loopback

from .processes import child_env, finish
from .test_sandbox_support import EMAIL_PERSONALISATION, LETTER_PERSONALISATION

SMS_TEMPLATE = "27977601-9753-4b18-afab-ef47bb93bc78"
EMAIL_TEMPLATE = "6ddb7845-8c78-41be-a04f-c94057b5aabf"
LETTER_TEMPLATE = "a7fbf154-fb22-468b-8fd8-4e236b126152"
SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture
def http() -> Iterator[requests.Session]:
    session = requests.Session()
    yield session
    session.close()


def _send_three(sandbox: Sandbox) -> tuple[str, str, str]:
    client = sandbox.client()
    sms = client.send_sms_notification(
        "07700 900123", SMS_TEMPLATE, personalisation={"name": "Ann", "code": "4321"},
        reference="ref-sms",
    )  # fmt: skip
    document = prepare_upload(io.BytesIO(b"%PDF-1.4 a report"), filename="report.pdf")
    email = client.send_email_notification(
        "ann@example.com", EMAIL_TEMPLATE,
        personalisation={**EMAIL_PERSONALISATION, "link_to_file": document},
        reference="ref-email",
    )  # fmt: skip
    letter = client.send_letter_notification(
        LETTER_TEMPLATE, LETTER_PERSONALISATION, reference="ref-letter"
    )
    return str(sms.id), str(email.id), str(letter.id)


def _ids_in(page: str) -> list[str]:
    return re.findall(r'<tr data-id="([0-9a-f-]{36})"', page)


def test_the_base_url_leads_to_the_inbox_and_lists_every_message_newest_first(
    sandbox: Sandbox, http: requests.Session
) -> None:
    sms, email, letter = _send_three(sandbox)
    response = http.get(sandbox.base_url + "/", timeout=10)
    assert response.status_code == 200
    assert response.url == sandbox.inbox_url
    assert response.headers["Content-Type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    page = response.text
    assert _ids_in(page) == [letter, email, sms]
    assert "http://" not in page.replace(sandbox.base_url, "")  # nothing fetched from elsewhere
    assert '<html lang="en">' in page
    assert '<label for="filter-recipient">Recipient</label>' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=sms", ["sms"]),
        ("type=letter", ["letter"]),
        ("recipient=ann%40example", ["email"]),
        ("recipient=447700900123", ["sms"]),
        ("reference=REF-LET", ["letter"]),
        ("status=accepted", ["letter"]),
        ("type=email&reference=ref-sms", []),
        ("text=security+code+is+4321", ["sms"]),
        ("text=YOUR+APPLICATION", ["letter"]),
    ],
)
def test_the_list_filters_by_type_status_recipient_and_reference(
    sandbox: Sandbox, http: requests.Session, query: str, expected: list[str]
) -> None:
    ids = dict(zip(("sms", "email", "letter"), _send_three(sandbox), strict=True))
    wanted = [ids[kind] for kind in ("letter", "email", "sms") if kind in expected]
    page = http.get(f"{sandbox.inbox_url}?{query}", timeout=10).text
    assert _ids_in(page) == wanted
    live = http.get(f"{sandbox.base_url}/_sandbox/api/notifications?{query}", timeout=10).json()
    assert _ids_in(live["rows_html"]) == wanted
    assert live["count"] == len(wanted)


def test_the_live_list_changes_version_when_a_message_arrives(
    sandbox: Sandbox, http: requests.Session
) -> None:
    url = sandbox.base_url + "/_sandbox/api/notifications"
    before = http.get(url, timeout=10).json()
    assert before["count"] == 0
    assert http.get(url, timeout=10).json()["version"] == before["version"]
    sms, _, _ = _send_three(sandbox)
    after = http.get(url, timeout=10).json()
    assert after["count"] == 3
    assert after["version"] != before["version"]
    assert sms in after["rows_html"]


def test_each_message_is_rendered_as_its_recipient_sees_it(
    sandbox: Sandbox, http: requests.Session
) -> None:
    sms, email, letter = _send_three(sandbox)
    base = sandbox.base_url + "/_sandbox/notifications/"

    page = http.get(base + sms, timeout=10).text
    assert "Hello Ann, your security code is 4321." in page
    assert '<span id="fragment-count">1 fragment</span>' in page
    assert "447700900123" in page

    page = http.get(base + email, timeout=10).text
    [sent] = sandbox.sent_emails()
    assert f'<dd id="email-subject">{sent.subject}</dd>' in page
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in page
    assert f'<pre id="email-text">{html.escape(sent.body)}</pre>' in page
    [file] = sent.files
    assert f'href="{file.url}" download>report.pdf</a>' in page
    assert http.get(file.url, timeout=10).content == b"%PDF-1.4 a report"

    page = http.get(base + letter, timeout=10).text
    assert "Ann Smith<br>1 High Street<br>London<br>SW1A 1AA" in page
    assert 'aria-label="Page 1 of the letter"' in page  # its page, drawn from the PDF
    assert 'xml:space="preserve">Dear Ann,</text>' in page
    pdf = http.get(base + letter + "/pdf", timeout=10)
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content == sandbox.sent_letters()[0].pdf


def test_a_precompiled_letter_is_shown_in_the_browsers_pdf_viewer(
    sandbox: Sandbox, http: requests.Session
) -> None:
    response = sandbox.client().send_precompiled_letter_notification(
        "precompiled-1",
        io.BytesIO(
            minimal_pdf("Dear resident").replace(b"govuk-notify sandbox", b"Another PDF producer")
        ),
    )
    page = http.get(f"{sandbox.base_url}/_sandbox/notifications/{response.id}", timeout=10).text
    assert f'src="/_sandbox/notifications/{response.id}/pdf"' in page
    assert "<svg" not in page


def test_a_message_page_shows_status_history_and_callbacks(
    sandbox: Sandbox, http: requests.Session
) -> None:
    sms, _, _ = _send_three(sandbox)
    sandbox.wait_for_status(sms, "delivered", timeout=30)
    page = http.get(sandbox.base_url + "/_sandbox/notifications/" + sms, timeout=10).text
    history = page.split("<h2>Status history</h2>")[1].split("<h2>Callbacks</h2>")[0]
    assert re.findall(r'class="tag(?: good)?">([a-z-]+)<', history) == [
        "created", "sending", "delivered"
    ]  # fmt: skip
    assert "No callbacks sent for it" in page


def test_returning_a_letter_and_resetting_from_the_inbox(
    sandbox: Sandbox, http: requests.Session
) -> None:
    _, _, letter = _send_three(sandbox)
    response = http.post(f"{sandbox.base_url}/_sandbox/notifications/{letter}/return", timeout=10)
    assert response.status_code == 200  # followed the redirect to the letter's page
    record = sandbox.notification(letter)
    assert record is not None
    assert record.raw_status == "returned-letter"
    assert "Return this letter" not in response.text

    response = http.post(sandbox.base_url + "/_sandbox/reset", timeout=10)
    assert response.status_code == 200
    assert sandbox.notifications() == []
    assert "No messages yet." in response.text


def test_a_received_text_injected_from_the_form_reaches_the_api(
    sandbox: Sandbox, http: requests.Session
) -> None:
    response = http.post(
        sandbox.base_url + "/_sandbox/received",
        data={"user_number": "07700 900456", "content": "STOP please"},
        timeout=10,
    )
    assert response.status_code == 200
    assert "STOP please" in response.text
    [text] = sandbox.client().get_received_texts().received_text_messages
    assert text.content == "STOP please"
    assert text.user_number == "447700900456"


def test_a_cross_site_form_is_refused(sandbox: Sandbox, http: requests.Session) -> None:
    _send_three(sandbox)
    response = http.post(
        sandbox.base_url + "/_sandbox/reset",
        headers={"Origin": "https://elsewhere.example"},
        timeout=10,
    )
    assert response.status_code == 403
    assert len(sandbox.notifications()) == 3


def test_templates_and_keys_are_shown_on_loopback(sandbox: Sandbox, http: requests.Session) -> None:
    page = http.get(sandbox.base_url + "/_sandbox/service", timeout=10).text
    assert LETTER_TEMPLATE in page
    assert sandbox.api_keys.live in page


# --- who may open it --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.3.2.1", True), ("::1", True), ("[::1]", True),
     ("localhost", True), ("0.0.0.0", False), ("::", False), ("192.168.1.20", False),
     ("notify.example", False)],
)  # fmt: skip
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_a_token_given_on_loopback_is_required(http: requests.Session) -> None:
    token = "s3cret-inbox-token"
    with Sandbox(inbox_token=token) as sandbox:
        assert "requires the inbox token" in sandbox.inbox_description
        assert token not in sandbox.inbox_description + repr(sandbox)
        _send_three(sandbox)
        shut = http.get(sandbox.inbox_url, timeout=10)
        assert shut.status_code == 401
        assert "ref-sms" not in shut.text
        assert '<label for="inbox-token">Inbox token</label>' in shut.text
        api = http.get(sandbox.base_url + "/_sandbox/api/notifications", timeout=10)
        assert api.status_code == 401

        wrong = http.post(sandbox.base_url + "/_sandbox/login", data={"token": "nope"}, timeout=10)
        assert wrong.status_code == 401
        assert "That is not the inbox token." in wrong.text

        signed_in = http.post(
            sandbox.base_url + "/_sandbox/login", data={"token": token}, timeout=10
        )
        assert signed_in.status_code == 200
        assert "ref-sms" in signed_in.text
        [value] = http.cookies.values()
        assert value
        assert token not in value
        assert http.get(sandbox.inbox_url, timeout=10).status_code == 200

        bearer = requests.get(
            sandbox.base_url + "/_sandbox/api/notifications",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert bearer.json()["count"] == 3
        # the API itself is untouched: its own keys, not the inbox token
        assert len(sandbox.client().get_all_notifications().notifications) == 3


def _inbox_on(sandbox: Sandbox, host: str, token: str | None) -> Inbox:
    """The inbox the sandbox would serve if it listened on ``host`` (served here in-process:
    the tests only ever listen on 127.0.0.1)."""
    api = sandbox._running_api()
    return Inbox(sandbox, sandbox._running_store(), api, InboxAccess(host, token))


def _get(inbox: Inbox, path: str, **headers: str) -> tuple[int, str]:
    request = Request("GET", path, (), b"", "http://10.0.0.5:6011", headers=headers)
    response = inbox.handle(request)
    return response.status, response.body.decode()


def test_on_another_address_without_a_token_the_inbox_is_shut(sandbox: Sandbox) -> None:
    _send_three(sandbox)
    inbox = _inbox_on(sandbox, "0.0.0.0", None)
    assert inbox.access.describe("http://0.0.0.0:6011/_sandbox/").startswith("Inbox: shut")
    for path in ("/_sandbox/", "/_sandbox/api/notifications", "/_sandbox/service"):
        status, body = _get(inbox, path)
        assert status == 403
        assert "ref-sms" not in body
        assert "--inbox-token" in body


def test_on_another_address_the_token_opens_it_but_keys_stay_hidden(sandbox: Sandbox) -> None:
    _send_three(sandbox)
    token = "another-s3cret"
    inbox = _inbox_on(sandbox, "0.0.0.0", token)
    assert "requires the inbox token" in inbox.access.describe("http://0.0.0.0:6011/_sandbox/")
    assert _get(inbox, "/_sandbox/")[0] == 401
    cookie = f"notify_sandbox_inbox={inbox.access.cookie_value()}"
    status, body = _get(inbox, "/_sandbox/", cookie=cookie)
    assert status == 200
    assert "ref-sms" in body
    status, body = _get(inbox, "/_sandbox/service", cookie=cookie)
    assert status == 200
    assert sandbox.api_keys.live not in body
    assert "shown only when the sandbox listens on a loopback address" in body
    assert token not in repr(inbox.access)


def _env() -> dict[str, str]:
    env = child_env(PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return env


def test_the_sandbox_command_says_where_the_inbox_is_and_takes_a_token() -> None:
    token = "cli-inbox-s3cret"
    process = subprocess.Popen(
        [sys.executable, "-m", "govuk_notify.cli", "sandbox", "--port", "0",
         "--inbox-token", token],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
    )  # fmt: skip
    try:
        assert process.stdout is not None
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        output = "".join(lines)
        found = re.search(r"^Inbox: (http://127\.0\.0\.1:\d+/_sandbox/) \(requires", output, re.M)
        assert found, output
        assert token not in output
        assert requests.get(found.group(1), timeout=10).status_code == 401
        signed_in = requests.post(found.group(1) + "login", data={"token": token}, timeout=10)
        assert signed_in.status_code == 200
    finally:
        process.terminate()
        _, err = finish(process, 60)
    assert token not in err


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({}, True),
        ({"Sec-Fetch-Site": "same-origin", "Origin": "null"}, True),
        ({"Sec-Fetch-Site": "cross-site"}, False),
        ({"Sec-Fetch-Site": "same-site"}, False),
        ({"Origin": "null"}, False),
    ],
)
def test_forms_are_taken_from_the_inbox_itself_only(
    sandbox: Sandbox, http: requests.Session, headers: dict[str, str], allowed: bool
) -> None:
    response = http.post(
        sandbox.base_url + "/_sandbox/received",
        data={"content": "from a form"},
        headers=headers,
        timeout=10,
    )
    assert response.status_code == (200 if allowed else 403)
    assert len(sandbox.received_texts()) == (1 if allowed else 0)


class _Answers(BaseHTTPRequestHandler):
    """A service's callback URL: 500 to the first POST, 200 to the rest."""

    calls = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).calls += 1
        self.send_response(500 if type(self).calls == 1 else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_message_page_lists_the_callbacks_sent_for_it(http: requests.Session) -> None:
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=receiver.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    token = "callback-bearer-s3cret"
    url = f"http://127.0.0.1:{receiver.server_address[1]}/notify/receipts"
    try:
        settings = ServiceSettings(delivery_callback=CallbackEndpoint(url, token))
        with Sandbox(service=settings, callback_retry=CallbackRetry(delay=0.01)) as sandbox:
            sent = sandbox.client().send_sms_notification(
                "07700 900123", SMS_TEMPLATE, personalisation={"name": "Ann", "code": "1"}
            )
            sandbox.wait_for_status(str(sent.id), "delivered", timeout=30)
            sandbox.flush_callbacks(timeout=30)
            page = http.get(f"{sandbox.base_url}/_sandbox/notifications/{sent.id}", timeout=10)
    finally:
        receiver.shutdown()
        receiver.server_close()
        thread.join(10)
    callbacks = page.text.split("<h2>Callbacks</h2>")[1]
    rows = re.findall(r"<tr><td>[^<]+</td><td>delivery-receipt</td><td>(\d)</td>.*?</tr>",
                      callbacks)  # fmt: skip
    assert rows == ["1", "2"]
    assert "will-retry" in callbacks
    assert "accepted" in callbacks
    assert url in callbacks
    assert "&quot;status&quot;: &quot;delivered&quot;" in callbacks
    assert token not in page.text


def test_the_status_filter_offers_every_status_a_message_can_show(
    sandbox: Sandbox, http: requests.Session
) -> None:
    page = http.get(sandbox.inbox_url, timeout=10).text
    choices = re.findall(r'<option value="([a-z-]+)"', page.split('id="filter-status"')[1])
    for status in ("created", "delivered", "failed", "returned-letter", "accepted", "received"):
        assert status in choices
