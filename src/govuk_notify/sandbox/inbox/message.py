"""One message's page: the message as its recipient sees it, its status history and callbacks.

* A text message as a phone shows it: the sender at the top, the text in a bubble, and its length
  and fragment count (what Notify bills).
* An email as Notify renders it: from, reply-to, to and subject, then the HTML body in a sandboxed
  ``iframe`` (no scripts, links open in a new tab), then each file sent with it to download.
* A letter: the address block, the text, and the PDF embedded (with a link to download it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..callbacks import CallbackAttempt
from ..records import SentEmail, SentLetter, SentMessage, SentSms
from ..rendering import sms_fragment_count
from ..store import StoredNotification
from .pages import BASE, TYPE_NAMES, e, layout, status_tag, when
from .pdfpages import pdf_pages, svg_page

__all__ = ["message_page"]

_EMAIL_FRAME = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<base target="_blank"><title>{title}</title></head>
<body style="margin: 0; padding: 16px; font-family: Helvetica, Arial, sans-serif;">{body}</body>
</html>"""


def _sms(message: SentSms) -> str:
    fragments = sms_fragment_count(message.body)
    sender = message.sender or "GOVUK"
    return (
        f'<div class="phone" role="group" aria-label="Text message as the phone shows it">'
        f'<p class="sender">{e(sender)}</p><p class="bubble" id="message-text">{e(message.body)}'
        f"</p></div><p>{len(message.body)} characters, "
        f'<span id="fragment-count">{fragments} {"fragment" if fragments == 1 else "fragments"}'
        f"</span> (billed as {fragments} {'text' if fragments == 1 else 'texts'}).</p>"
        f"<p>To <strong>{e(message.phone_number)}</strong> "
        f"({e(message.normalised_phone_number)})</p>"
    )


def _email(message: SentEmail, from_email: str) -> str:
    frame = _EMAIL_FRAME.format(title=e(message.subject), body=message.html)
    files = "".join(
        f'<li><a href="{e(f.url)}" download>{e(f.filename or f.personalisation_key)}</a> '
        f"({e(f.mime_type)}, {len(f.content)} bytes, kept {e(f.retention_period)}"
        f"{', email confirmation asked' if f.confirm_email_before_download else ''})</li>"
        for f in message.files
    )
    files_html = f"<h3>Files sent with it</h3><ul>{files}</ul>" if files else ""
    plain = (
        "<details><summary>The body as text (what the template filled in gives)</summary>"
        f'<pre id="email-text">{e(message.body)}</pre></details>'
    )
    reply = f"<dt>Reply to</dt><dd>{e(message.reply_to)}</dd>" if message.reply_to else ""
    unsubscribe = (
        f'<dt>Unsubscribe</dt><dd><a href="{e(message.one_click_unsubscribe_url)}">'
        f"{e(message.one_click_unsubscribe_url)}</a></dd>"
        if message.one_click_unsubscribe_url
        else ""
    )
    return (
        '<div class="email"><dl>'
        f"<dt>From</dt><dd>{e(from_email)}</dd>{reply}"
        f"<dt>To</dt><dd>{e(message.email_address)}</dd>"
        f'<dt>Subject</dt><dd id="email-subject">{e(message.subject)}</dd>{unsubscribe}</dl>'
        f'<iframe id="email-body" title="Email body: {e(message.subject)}" sandbox="allow-popups '
        f'allow-popups-to-escape-sandbox" srcdoc="{e(frame)}"></iframe></div>{plain}{files_html}'
    )


def _letter(message: SentLetter) -> str:
    pdf = f"{BASE}/notifications/{e(message.id)}/pdf"
    body = (
        "" if message.precompiled else f'<h3>Text</h3><pre id="letter-text">{e(message.body)}</pre>'
    )
    pages = pdf_pages(message.pdf or b"")
    if pages is None:  # a precompiled PDF: the browser's viewer shows it
        printed = f'<iframe id="letter-pdf" title="The letter as a PDF" src="{pdf}"></iframe>'
    else:
        printed = "".join(
            f'<figure class="page"><figcaption>Page {number} of {len(pages)}</figcaption>'
            f"{svg_page(lines, f'Page {number} of the letter')}</figure>"
            for number, lines in enumerate(pages, start=1)
        )
    return (
        '<div class="letter"><div><h3>Address</h3>'
        f'<p class="address" id="letter-address">{"<br>".join(e(line) for line in message.address)}'
        f"</p><p>Postage: {e(message.postage)}</p>{body}</div>"
        f'<div id="letter-printed"><h3>As printed</h3>{printed}<p><a id="letter-pdf-link" '
        f'href="{pdf}" download="letter-{e(message.id)}.pdf">Download the PDF</a></p></div></div>'
    )


def _history(stored: StoredNotification, now: int) -> str:
    rows = "".join(
        f"<tr><td>{when(at)}</td><td>{status_tag(status)}</td></tr>"
        for index, (at, status) in enumerate(stored.steps)
        if index == 0 or at <= now
    )
    upcoming = [step for step in stored.steps[1:] if step[0] > now]
    later = (
        "<p class='hint'>Still to come: "
        + ", ".join(f"{e(status)} at {when(at)}" for at, status in upcoming)
        + "</p>"
        if upcoming
        else ""
    )
    return (
        "<h2>Status history</h2><table><caption>Statuses it has reached (as stored; the API shows "
        'letters\' statuses renamed)</caption><thead><tr><th scope="col">At</th>'
        f'<th scope="col">Status</th></tr></thead><tbody>{rows}</tbody></table>{later}'
    )


def _callbacks(attempts: Sequence[CallbackAttempt]) -> str:
    if not attempts:
        return "<h2>Callbacks</h2><p>No callbacks sent for it (none set up, or none due yet).</p>"
    rows = "".join(
        f"<tr><td>{when(a.started_at)}</td><td>{e(a.kind)}</td><td>{a.attempt}</td>"
        f'<td class="wrap">{e(a.url)}</td><td>{e(a.outcome)}</td>'
        f"<td>{e(a.status_code if a.status_code is not None else a.error)}</td>"
        f"<td><pre>{e(a.body.decode('utf-8', 'replace'))}</pre></td></tr>"
        for a in attempts
    )
    return (
        "<h2>Callbacks</h2><table><caption>Every attempt to call the service back</caption>"
        '<thead><tr><th scope="col">At</th><th scope="col">Kind</th><th scope="col">Attempt</th>'
        '<th scope="col">URL</th><th scope="col">Outcome</th><th scope="col">Answer</th>'
        f'<th scope="col">Body sent</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def message_page(
    message: SentMessage,
    stored: StoredNotification,
    now: int,
    attempts: Sequence[CallbackAttempt],
    api_json: Mapping[str, Any],
    from_email: str,
) -> str:
    """One message's page.

    Args:
        message: The message, as `Sandbox.notification` gives it.
        stored: The stored notification (for its status steps).
        now: The sandbox's time, in microseconds.
        attempts: The callbacks sent for it.
        api_json: What ``GET /v2/notifications/<id>`` answers for it.
        from_email: The service's sending address.

    Returns:
        The page.
    """
    if isinstance(message, SentSms):
        shown = _sms(message)
    elif isinstance(message, SentEmail):
        shown = _email(message, from_email)
    elif isinstance(message, SentLetter):
        shown = _letter(message)
    else:  # pragma: no cover - every stored notification is one of the three
        shown = f"<pre>{e(message.body)}</pre>"
    actions = ""
    if isinstance(message, SentLetter) and message.raw_status != "returned-letter":
        actions = (
            f'<form method="post" action="{BASE}/notifications/{e(message.id)}/return" '
            'class="actions"><button type="submit" class="secondary">Return this letter '
            "(as the post would)</button></form>"
        )
    facts = (
        f"<p>{e(TYPE_NAMES.get(message.type, message.type))}, sent {when(message.created_at)} "
        f"with a {e(message.key_type)} key. Status {status_tag(message.status)}"
        f"{'' if message.reference is None else ', reference ' + e(message.reference)}. "
        f"Template <code>{e(message.template_id)}</code> version {message.template_version}.</p>"
    )
    api = (
        "<details><summary>What the API answers for it</summary>"
        f"<pre>{e(json.dumps(api_json, indent=2))}</pre></details>"
    )
    body = (
        f'<p><a href="{BASE}/">Back to all messages</a></p>{facts}{actions}'
        f"<h2>As the recipient sees it</h2>{shown}{_history(stored, now)}{_callbacks(attempts)}"
        f"{api}"
    )
    title = {"sms": "Text message", "email": "Email", "letter": "Letter"}.get(message.type, "")
    return layout(f"{title} {message.id[:8]}", "messages", body)
