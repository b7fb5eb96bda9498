"""The demo: every kind of message through ``NotifyClient``, against the embedded sandbox.

Run ``python -m govuk_notify.demo`` (or ``make demo``). It needs no Notify account and no
network: it starts a sandbox on a free local port, sends a text message, an email with a file,
a letter and a precompiled letter, reads everything back as typed models, prints it, and stops.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from typing import TextIO

from . import NotifyClient, NotifyError, RetryPolicy, prepare_upload
from .models import Notification
from .sandbox import DEFAULT_TEMPLATE_IDS, Lifecycle, Sandbox, minimal_pdf

__all__ = ["main", "run_demo"]

_ADDRESS = {
    "address_line_1": "Ann Example",
    "address_line_2": "10 Downing Street",
    "address_line_3": "London",
    "postcode": "SW1A 2AA",
}


def _short(value: object) -> str:
    return str(value)[:8]


def _clip(text: str, width: int = 52) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"


def _status(notification: Notification) -> str:
    return str(notification.status)


class _Printer:
    def __init__(self, out: TextIO) -> None:
        self.out = out

    def heading(self, text: str) -> None:
        self.out.write(f"\n{text}\n")

    def row(self, label: str, *values: object) -> None:
        self.out.write(f"  {label:<12} " + "  ".join(str(v) for v in values).rstrip() + "\n")


def run_demo(out: TextIO | None = None) -> None:
    """Run the demo against a sandbox of its own, and print what happens.

    Args:
        out: Where to write; standard output when None.

    Raises:
        NotifyError: A call to the sandbox failed (the demo is then broken).
        AssertionError: Something came back other than it should.
    """
    out = out if out is not None else sys.stdout
    say = _Printer(out)
    out.write("GOV.UK Notify: the SDK against the embedded sandbox\n")
    # Statuses move on within a second, so the demo shows them change as it runs.
    lifecycle = Lifecycle(sending_after=0.3, delivered_after=0.8, virus_scan_after=0.4)
    with Sandbox(lifecycle=lifecycle) as sandbox:
        client: NotifyClient = sandbox.client(retry=RetryPolicy(max_retries=2))
        say.row("sandbox", sandbox.base_url, f"service {_short(sandbox.service_id)}\u2026")

        # --- send one of each -----------------------------------------------------------------
        say.heading("Sent")
        sms = client.send_sms_notification(
            "07700 900123",
            DEFAULT_TEMPLATE_IDS["sms"],
            personalisation={"name": "Ann", "code": "4821"},
            reference="demo-sms",
        )
        say.row("sms", _short(sms.id), f"from {sms.content.from_number}", _clip(sms.content.body))

        report = io.BytesIO(minimal_pdf("Your annual report"))
        email = client.send_email_notification(
            "ann@example.com",
            DEFAULT_TEMPLATE_IDS["email_with_file"],
            personalisation={
                "name": "Ann",
                "document_type": "annual report",
                "urgent": "yes",
                "link_to_file": prepare_upload(report, filename="report.pdf"),
            },
            reference="demo-email",
        )
        say.row("email", _short(email.id), f"subject \u201c{email.content.subject}\u201d")
        link = next(line for line in email.content.body.splitlines() if "://" in line)
        say.row("", f"file link {link}")

        letter = client.send_letter_notification(
            DEFAULT_TEMPLATE_IDS["letter"],
            {
                **_ADDRESS,
                "name": "Ann",
                "application_number": "A-2024-17",
                "date": "1 May 2024",
                "needs_documents": "no",
            },
            reference="demo-letter",
        )
        say.row("letter", _short(letter.id), f"subject \u201c{letter.content.subject}\u201d")

        pdf = minimal_pdf("Ann Example\n10 Downing Street\nLondon\nSW1A 2AA\n\nDear Ann,")
        precompiled = client.send_precompiled_letter_notification(
            "demo-precompiled", io.BytesIO(pdf), postage="first"
        )
        say.row("precompiled", _short(precompiled.id), f"postage {precompiled.postage}")

        sent = {
            "sms": sms.id,
            "email": email.id,
            "letter": letter.id,
            "precompiled": precompiled.id,
        }

        # --- statuses, now and once the sandbox has delivered everything ------------------------
        say.heading("Statuses just after sending")
        for label, notification_id in sent.items():
            say.row(label, _status(client.get_notification_by_id(notification_id)))
        for label, notification_id in sent.items():
            final = "received" if label in ("letter", "precompiled") else "delivered"
            sandbox.wait_for_status(str(notification_id), final, timeout=10)
        say.heading("Statuses a moment later")
        for label, notification_id in sent.items():
            notification = client.get_notification_by_id(notification_id)
            cost = (
                f"\u00a3{notification.cost_in_pounds:.4f}"
                if notification.cost_in_pounds is not None
                else "cost not ready"
            )
            sent_at = f"sent {notification.sent_at:%H:%M:%S}" if notification.sent_at else ""
            say.row(label, f"{_status(notification):<12}", f"{cost:<9}", sent_at)

        # --- a page of notifications ------------------------------------------------------------
        page = client.get_all_notifications()
        say.heading(f"Notifications (one page, newest first: {len(page.notifications)})")
        for notification in page.notifications:
            say.row(
                notification.type,
                _short(notification.id),
                f"{_status(notification):<10}",
                notification.reference or "",
            )

        # --- templates and a preview ------------------------------------------------------------
        templates = client.get_all_templates()
        say.heading(f"Templates ({len(templates.templates)})")
        for template in templates.templates:
            say.row(str(template.type), _short(template.id), f"v{template.version}", template.name)
        preview = client.post_template_preview(
            DEFAULT_TEMPLATE_IDS["email_with_file"],
            {
                "name": "Bob",
                "document_type": "licence",
                "urgent": "no",
                "link_to_file": "https://example.com/licence",
            },
        )
        say.heading("Preview of the email template")
        say.row("subject", preview.subject or "")
        say.row("body", _clip(preview.body))
        say.row("html", f"{len(preview.html or '')} characters of HTML")

        # --- received text messages -------------------------------------------------------------
        sandbox.add_received_text("Yes, Tuesday at 2pm suits me", user_number="447700900123")
        received = client.get_received_texts()
        say.heading(f"Received text messages ({len(received.received_text_messages)})")
        for text in received.received_text_messages:
            say.row(
                f"{text.created_at:%H:%M:%S}",
                f"from {text.user_number}",
                f"\u201c{text.content}\u201d",
            )

        # --- the letter's PDF -------------------------------------------------------------------
        letter_pdf = client.get_pdf_for_letter(letter.id).getvalue()
        say.heading("Letter PDF")
        say.row("letter", f"{len(letter_pdf):,} bytes", letter_pdf[:8].decode("latin-1"))
    out.write("\nSandbox stopped. Done.\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo from the command line (`python -m govuk_notify.demo`).

    Args:
        argv: The command-line arguments (none are used).

    Returns:
        The exit status: 0 when every step worked, 1 when a call failed (the error is printed
        on standard error).
    """
    try:
        run_demo()
    except NotifyError as err:
        print(f"demo failed: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
