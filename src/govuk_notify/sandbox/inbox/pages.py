"""The inbox's pages as HTML: the layout, the lists and their rows, the service and sign-in pages.

Every value is escaped here; the one piece of HTML not built here (an email's body, rendered as
Notify renders it) goes in a sandboxed ``iframe`` (see `.message`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

from ..api import letter_status_for_output
from ..records import ApiKeys, ReceivedTextRecord
from ..store import StoredNotification, TemplateVersion

__all__ = [
    "BASE",
    "TYPE_NAMES",
    "Filters",
    "e",
    "layout",
    "login_page",
    "message_rows",
    "messages_page",
    "received_page",
    "received_rows",
    "service_page",
    "shut_page",
    "status_tag",
    "when",
]

BASE: Final = "/_sandbox"
TYPE_NAMES: Final[Mapping[str, str]] = {"sms": "Text message", "email": "Email", "letter": "Letter"}
_GOOD: Final = frozenset({"delivered", "received", "sent"})
_BAD: Final = frozenset(
    {"permanent-failure", "temporary-failure", "technical-failure", "returned-letter",
     "validation-failed", "virus-scan-failed", "cancelled", "failed"}
)  # fmt: skip
_NAV: Final = (("messages", "Messages", "/"), ("received", "Received texts", "/received"),
               ("service", "Templates and keys", "/service"))  # fmt: skip
_CURRENT: Final = ' aria-current="page"'


def e(value: object) -> str:
    """Escape a value for HTML text or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def when(moment: dt.datetime | int | None) -> str:
    """A UTC time (a datetime, or microseconds since the epoch) as ``2026-05-01 12:00:00 UTC``."""
    if moment is None:
        return ""
    if isinstance(moment, int):
        moment = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=moment)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def status_tag(status: str) -> str:
    """A status as a coloured tag (the colour is never the only cue: the text says it)."""
    kind = " good" if status in _GOOD else " bad" if status in _BAD else ""
    return f'<strong class="tag{kind}">{e(status)}</strong>'


def layout(title: str, current: str, body: str) -> str:
    """A whole page: skip link, header with navigation, the live region and ``main``.

    Args:
        title: The page's title (also its ``h1``, which ``body`` does not repeat).
        current: Which navigation item is the current page (``messages``...), or ``""``.
        body: The page's content, already HTML.

    Returns:
        The page.
    """
    items = "".join(
        f'<li><a href="{BASE}{path}"{_CURRENT if key == current else ""}>{e(label)}</a></li>'
        for key, label, path in _NAV
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} – Notify sandbox</title>
<link rel="stylesheet" href="{BASE}/static/inbox.css">
<script src="{BASE}/static/inbox.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="top">
<span class="brand">Notify sandbox</span>
<nav aria-label="Inbox"><ul>{items}</ul></nav>
</header>
<main id="main" tabindex="-1">
<h1>{e(title)}</h1>
<p id="live-status" class="live" role="status" aria-live="polite"></p>
{body}
</main>
</body>
</html>
"""


@dataclass(frozen=True)
class Filters:
    """The list's filters, as given in the query string (empty: no filter)."""

    type: str = ""
    status: str = ""
    recipient: str = ""
    reference: str = ""
    text: str = ""
    """Words anywhere in the subject or the text."""

    def query(self) -> str:
        """The filters as a query string (with its ``?``), or ``""``."""
        parts = [f"{name}={quote(value)}" for name, value in self.__dict__.items() if value]
        return "?" + "&".join(parts) if parts else ""


def _recipient(notification: StoredNotification) -> str:
    if notification.type == "letter":
        return notification.recipient or ""
    return notification.recipient or notification.normalised_to or ""


def _display_status(notification: StoredNotification, now: int) -> str:
    status = notification.status_at(now)[0]
    return letter_status_for_output(status) if notification.type == "letter" else status


def message_rows(notifications: Sequence[StoredNotification], now: int) -> str:
    """The rows of the messages list, newest first."""
    if not notifications:
        return '<tr><td colspan="6">No messages yet.</td></tr>'
    rows = []
    for n in notifications:
        summary = n.subject if n.type != "sms" else n.body
        summary = (summary or "")[:80]
        rows.append(
            f'<tr data-id="{e(n.id)}" data-type="{e(n.type)}">'
            f"<td>{when(n.created_at)}</td>"
            f"<td>{e(TYPE_NAMES.get(n.type, n.type))}</td>"
            f'<td><a href="{BASE}/notifications/{e(n.id)}">{e(_recipient(n)) or "(none)"}</a></td>'
            f'<td class="wrap">{e(summary)}</td>'
            f"<td>{status_tag(_display_status(n, now))}</td>"
            f"<td>{e(n.reference or '')}</td></tr>"
        )
    return "".join(rows)


def _select(name: str, label: str, options: Sequence[tuple[str, str]], chosen: str) -> str:
    opts = "".join(
        f'<option value="{e(value)}"{" selected" if value == chosen else ""}>{e(text)}</option>'
        for value, text in (("", "Any"), *options)
    )
    return (
        f'<div class="field"><label for="filter-{name}">{e(label)}</label>'
        f'<select id="filter-{name}" name="{name}">{opts}</select></div>'
    )


def _text(name: str, label: str, value: str) -> str:
    return (
        f'<div class="field"><label for="filter-{name}">{e(label)}</label>'
        f'<input id="filter-{name}" name="{name}" type="search" value="{e(value)}"></div>'
    )


def _live_body(src: str, rows: str, version: str, count: int, body_id: str) -> str:
    return (
        f'<tbody id="{body_id}" data-live-src="{e(src)}" data-live-version="{e(version)}" '
        f'data-live-count="{count}">{rows}</tbody>'
    )


def messages_page(
    filters: Filters, statuses: Sequence[str], rows: str, version: str, count: int, limit: int
) -> str:
    """The messages list: filters, reset button, and the rows (kept up to date by the script)."""
    form = (
        f'<form class="filters" method="get" action="{BASE}/" role="search" '
        'aria-label="Filter messages">'
        + _select("type", "Type", list(TYPE_NAMES.items()), filters.type)
        + _select("status", "Status", [(s, s) for s in statuses], filters.status)
        + _text("recipient", "Recipient", filters.recipient)
        + _text("reference", "Reference", filters.reference)
        + _text("text", "Subject or text contains", filters.text)
        + '<button type="submit">Filter</button>'
        f'<a href="{BASE}/">Clear filters</a></form>'
    )
    table = (
        f"<table><caption>Every message sent, newest first (at most {limit})</caption><thead><tr>"
        '<th scope="col">Sent</th><th scope="col">Type</th><th scope="col">Recipient</th>'
        '<th scope="col">Subject or text</th><th scope="col">Status</th>'
        '<th scope="col">Reference</th></tr></thead>'
        + _live_body(
            f"{BASE}/api/notifications{filters.query()}", rows, version, count, "message-rows"
        )
        + "</table>"
    )
    reset = (
        f'<form method="post" action="{BASE}/reset" class="actions">'
        '<button type="submit" class="warning">Reset: forget every message and received text'
        "</button></form>"
    )
    return layout("Messages", "messages", form + table + reset)


def received_rows(texts: Sequence[ReceivedTextRecord]) -> str:
    """The rows of the received texts list, newest first."""
    if not texts:
        return '<tr><td colspan="4">No received texts yet.</td></tr>'
    return "".join(
        f'<tr data-id="{e(t.id)}"><td>{when(t.created_at)}</td><td>{e(t.user_number)}</td>'
        f'<td>{e(t.notify_number)}</td><td class="wrap">{e(t.content)}</td></tr>'
        for t in texts
    )


def received_page(rows: str, version: str, count: int, notify_number: str) -> str:
    """Received texts, and a form to send one to the service as a user would."""
    form = f"""<h2>Send a text to the service</h2>
<form method="post" action="{BASE}/received">
<div class="field"><label for="received-from">From (the user's phone number)</label>
<input id="received-from" name="user_number" type="tel" autocomplete="off" value="07700 900123">
</div>
<div class="field"><label for="received-content">Message</label>
<textarea id="received-content" name="content" required></textarea></div>
<p class="hint">Sent to the service's number {e(notify_number)}.</p>
<button type="submit">Send text to the service</button>
</form>"""
    table = (
        "<h2>Received texts</h2><table><caption>Texts users sent to the service, newest first"
        '</caption><thead><tr><th scope="col">Received</th><th scope="col">From</th>'
        '<th scope="col">To</th><th scope="col">Message</th></tr></thead>'
        + _live_body(f"{BASE}/api/received", rows, version, count, "received-rows")
        + "</table>"
    )
    return layout("Received texts", "received", table + form)


def service_page(
    service_id: str, templates: Sequence[TemplateVersion], keys: ApiKeys | None
) -> str:
    """The service's templates, and its API keys when the sandbox is on a loopback address."""
    rows = "".join(
        f"<tr><td>{e(t.name)}</td><td>{e(TYPE_NAMES.get(t.type, t.type))}</td>"
        f"<td><code>{e(t.id)}</code></td><td>{t.version}</td>"
        f"<td>{'archived' if t.archived else 'live'}</td></tr>"
        for t in templates
    )
    body = (
        f"<p>Service id <code>{e(service_id)}</code></p><h2>Templates</h2>"
        '<table><caption>Templates, latest versions</caption><thead><tr><th scope="col">Name'
        '</th><th scope="col">Type</th><th scope="col">Id</th><th scope="col">Version</th>'
        f'<th scope="col">State</th></tr></thead><tbody>{rows}</tbody></table><h2>API keys</h2>'
    )
    if keys is None:
        body += (
            "<p>API keys are shown only when the sandbox listens on a loopback address. "
            "Use <code>Sandbox.api_keys</code> or the start-up banner instead.</p>"
        )
    else:
        body += (
            '<table><caption>One key of each type</caption><thead><tr><th scope="col">Type</th>'
            '<th scope="col">Key</th></tr></thead><tbody>'
            + "".join(
                f"<tr><td>{name}</td><td><code>{e(keys.for_type(name))}</code></td></tr>"
                for name in ("live", "team", "test")
            )
            + "</tbody></table>"
        )
    return layout("Templates and keys", "service", body)


def login_page(failed: bool) -> str:
    """The sign-in form for a sandbox that requires the inbox token."""
    error = '<p role="alert" class="tag bad">That is not the inbox token.</p>' if failed else ""
    body = f"""{error}<p>This sandbox requires the inbox token given when it was started
(<code>--inbox-token</code>).</p>
<form method="post" action="{BASE}/login">
<div class="field"><label for="inbox-token">Inbox token</label>
<input id="inbox-token" name="token" type="password" autocomplete="current-password" required>
</div><p><button type="submit">Sign in</button></p></form>"""
    return layout("Sign in to the inbox", "", body)


def shut_page() -> str:
    """What a shut inbox says (a non-loopback address and no token)."""
    return layout(
        "The inbox is shut",
        "",
        "<p>This sandbox listens on an address other than loopback and was started without an "
        "inbox token, so its inbox stays shut: it would show personal data to anyone who can "
        "reach it. Start it with <code>--inbox-token</code> (or "
        "<code>Sandbox(inbox_token=...)</code>) to open it.</p>",
    )
