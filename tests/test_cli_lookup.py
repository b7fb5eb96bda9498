"""``govuk-notify status``, ``notifications``, ``templates``, ``template``, ``preview`` and
``received-texts``: run as processes against the sandbox; ``--json`` parses back into the
models."""

from __future__ import annotations

import re
from datetime import timedelta, timezone
from pathlib import Path

import pytest

from govuk_notify import (
    LetterNotification,
    NotifyClient,
    ReceivedText,
    SmsNotification,
    Template,
    TemplatePreview,
)
from govuk_notify.models.responses import NOTIFICATION_ADAPTER
from govuk_notify.sandbox import Sandbox

from .cli_helpers import (
    EMAIL_TEMPLATE,
    LETTER_TEMPLATE,
    SMS_TEMPLATE,
    one_error_line,
    run_cli,
)

KIRITIMATI = timezone(timedelta(hours=14))

LETTER_VALUES = {
    "address_line_1": "A Person",
    "address_line_2": "1 High Street",
    "address_line_3": "SW1A 1AA",
    "name": "A Person",
    "application_number": "42",
    "date": "today",
    "needs_documents": "no",
}


def _sms(client: NotifyClient, reference: str, phone: str = "07700900123") -> str:
    response = client.send_sms_notification(
        phone, SMS_TEMPLATE, {"name": "A", "code": "1"}, reference=reference
    )
    return str(response.id)


def _letter(client: NotifyClient) -> str:
    return str(client.send_letter_notification(LETTER_TEMPLATE, LETTER_VALUES, "L-1").id)


# --- status ------------------------------------------------------------------------------------


def test_status_shows_the_history_in_local_time_and_utc(
    notify_sandbox: Sandbox, notify_client: NotifyClient
) -> None:
    notification_id = _sms(notify_client, "ticket-1")
    notify_sandbox.wait_for_status(notification_id, "delivered")
    result = run_cli(["status", notification_id], notify_sandbox, env={"TZ": "Pacific/Kiritimati"})
    assert result.returncode == 0, result.stderr
    n = notify_client.get_notification_by_id(notification_id)
    assert isinstance(n, SmsNotification)
    assert n.sent_at is not None
    assert n.completed_at is not None
    out = result.stdout
    assert re.search(r"^status\s+delivered$", out, re.MULTILINE), out
    assert re.search(r"^to\s+07700900123$", out, re.MULTILINE), out
    assert re.search(r"^reference\s+ticket-1$", out, re.MULTILINE), out
    for name, moment in [
        ("created", n.created_at),
        ("sent", n.sent_at),
        ("completed", n.completed_at),
    ]:
        utc = moment.strftime("%Y-%m-%d %H:%M:%S UTC")
        local = moment.astimezone(KIRITIMATI).strftime("%Y-%m-%d %H:%M:%S")
        assert re.search(rf"^{name}\s+{local} \+14 \({re.escape(utc)}\)$", out, re.MULTILINE), out
    assert "\x1b[" not in out


def test_status_json_round_trips_into_the_model(
    notify_sandbox: Sandbox, notify_client: NotifyClient
) -> None:
    notification_id = _sms(notify_client, "ticket-2")
    result = run_cli(["status", notification_id, "--json"], notify_sandbox)
    assert result.returncode == 0, result.stderr
    parsed = NOTIFICATION_ADAPTER.validate_json(result.stdout)
    assert isinstance(parsed, SmsNotification)
    assert str(parsed.id) == notification_id
    assert parsed.reference == "ticket-2"


def test_status_of_a_letter_saves_its_pdf(
    notify_sandbox: Sandbox, notify_client: NotifyClient, tmp_path: Path
) -> None:
    letter_id = _letter(notify_client)
    pdf = tmp_path / "letter.pdf"
    result = run_cli(["status", letter_id, "--pdf", str(pdf), "--json"], notify_sandbox)
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes() == notify_client.get_pdf_for_letter(letter_id).getvalue()
    assert pdf.read_bytes().startswith(b"%PDF")
    assert f"Saved the letter's PDF to {pdf}" in result.stderr
    parsed = NOTIFICATION_ADAPTER.validate_json(result.stdout)
    assert isinstance(parsed, LetterNotification)
    human = run_cli(["status", letter_id], notify_sandbox)
    assert re.search(r"^to\s+A Person\n\s+1 High Street\n\s+SW1A 1AA$", human.stdout, re.M)
    assert "estimated delivery" in human.stdout


def test_status_error_paths(
    notify_sandbox: Sandbox, notify_client: NotifyClient, tmp_path: Path
) -> None:
    sms_id = _sms(notify_client, "x")
    not_a_letter = run_cli(["status", sms_id, "--pdf", str(tmp_path / "x.pdf")], notify_sandbox)
    assert not_a_letter.returncode == 2
    assert "is not a letter" in one_error_line(not_a_letter, "govuk-notify status")
    assert not (tmp_path / "x.pdf").exists()

    unknown = run_cli(["status", "6a0c3f1e-3f2b-4c8e-9a57-0f5d6c1e2b3a"], notify_sandbox)
    assert unknown.returncode == 1
    assert one_error_line(unknown, "govuk-notify status").endswith(
        "(404 NoResultFound): No result found"
    )
    malformed = run_cli(["status", "not-an-id"], notify_sandbox)
    assert malformed.returncode == 2
    assert "notification_id: is not a valid UUID" in one_error_line(
        malformed, "govuk-notify status"
    )
    assert unknown.stdout == malformed.stdout == ""


# --- notifications -----------------------------------------------------------------------------


def test_notifications_table_filters_and_json_lines(
    notify_sandbox: Sandbox, notify_client: NotifyClient
) -> None:
    first = _sms(notify_client, "batch-a")
    failed = _sms(notify_client, "batch-b", phone="07700900002")  # permanent failure
    letter = _letter(notify_client)
    notify_sandbox.wait_for_status(failed, "permanent-failure")

    table = run_cli(["notifications"], notify_sandbox)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == [
        "CREATED", "CREATED", "(UTC)", "TYPE", "STATUS", "RECIPIENT", "REFERENCE", "ID"
    ]  # fmt: skip
    assert [line.split()[-1] for line in lines[1:]] == [letter, failed, first]
    columns = [line.index(letter) for line in lines[1:2]] + [
        line.index(failed) for line in lines[2:3]
    ]
    assert len(set(columns)) == 1  # aligned
    assert "permanent-failure" in lines[2]

    by_status = run_cli(
        ["notifications", "--status", "permanent-failure", "--json"], notify_sandbox
    )
    parsed = [NOTIFICATION_ADAPTER.validate_json(line) for line in by_status.stdout.splitlines()]
    assert [str(n.id) for n in parsed] == [failed]

    by_type = run_cli(["notifications", "--type", "letter", "--json"], notify_sandbox)
    parsed = [NOTIFICATION_ADAPTER.validate_json(line) for line in by_type.stdout.splitlines()]
    assert [str(n.id) for n in parsed] == [letter]
    assert isinstance(parsed[0], LetterNotification)

    by_reference = run_cli(["notifications", "--reference", "batch-a", "--json"], notify_sandbox)
    assert [
        str(NOTIFICATION_ADAPTER.validate_json(line).id)
        for line in by_reference.stdout.splitlines()
    ] == [first]

    older = run_cli(["notifications", "--older-than", letter, "--json"], notify_sandbox)
    assert [
        str(NOTIFICATION_ADAPTER.validate_json(line).id) for line in older.stdout.splitlines()
    ] == [failed, first]

    limited = run_cli(["notifications", "--limit", "2", "--json", "--all"], notify_sandbox)
    assert len(limited.stdout.splitlines()) == 2

    nothing = run_cli(["notifications", "--reference", "no-such"], notify_sandbox)
    assert nothing.returncode == 0
    assert nothing.stdout == ""
    assert nothing.stderr == "No notifications.\n"

    bad = run_cli(["notifications", "--status", "lost"], notify_sandbox)
    assert bad.returncode == 2
    assert "invalid choice: 'lost'" in bad.stderr


# --- templates ---------------------------------------------------------------------------------


def test_templates_list_and_json(notify_sandbox: Sandbox) -> None:
    table = run_cli(["templates"], notify_sandbox)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["ID", "TYPE", "VERSION", "UPDATED", "NAME"]
    ids = {line.split()[0] for line in lines[1:]}
    assert {SMS_TEMPLATE, EMAIL_TEMPLATE, LETTER_TEMPLATE} <= ids

    sms_only = run_cli(["templates", "--type", "sms", "--json"], notify_sandbox)
    templates = [Template.model_validate_json(line) for line in sms_only.stdout.splitlines()]
    assert [str(t.id) for t in templates] == [SMS_TEMPLATE]


def test_one_template_and_a_version(notify_sandbox: Sandbox) -> None:
    latest = run_cli(["template", SMS_TEMPLATE, "--json"], notify_sandbox)
    assert latest.returncode == 0, latest.stderr
    template = Template.model_validate_json(latest.stdout)
    assert template.version == 2
    first = run_cli(["template", SMS_TEMPLATE, "--version", "1"], notify_sandbox)
    assert first.returncode == 0, first.stderr
    assert re.search(r"^version\s+1$", first.stdout, re.MULTILINE)
    assert re.search(r"^placeholders\s+name, code$", first.stdout, re.MULTILINE)
    email = run_cli(["template", EMAIL_TEMPLATE], notify_sandbox)
    assert re.search(
        r"^placeholders\s+document_type, name, link_to_file, urgent$", email.stdout, re.MULTILINE
    )
    assert re.search(r"^subject\s+Your \(\(document_type\)\) is ready$", email.stdout, re.M)
    missing = run_cli(["template", SMS_TEMPLATE, "--version", "99"], notify_sandbox)
    assert missing.returncode == 1
    assert "404" in one_error_line(missing, "govuk-notify template")
    zero = run_cli(["template", SMS_TEMPLATE, "--version", "0"], notify_sandbox)
    assert zero.returncode == 2


def test_preview_prints_the_rendered_subject_and_body(notify_sandbox: Sandbox) -> None:
    result = run_cli(
        ["preview", EMAIL_TEMPLATE, "--set", "name=Sam", "--set", "document_type=passport",
         "--set", "link_to_file=https://example.com/f", "--set", "urgent=no"],
        notify_sandbox,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Subject: Your passport is ready\n\nDear Sam,")
    assert notify_sandbox.notifications() == []
    as_json = run_cli(
        ["preview", SMS_TEMPLATE, "--set", "name=Sam", "--set", "code=9", "--json"],
        notify_sandbox,
    )
    preview = TemplatePreview.model_validate_json(as_json.stdout)
    assert preview.body == "Hello Sam, your security code is 9. It expires in 10 minutes."
    missing = run_cli(["preview", SMS_TEMPLATE, "--set", "name=Sam"], notify_sandbox)
    assert missing.returncode == 1
    assert "Missing personalisation: code" in one_error_line(missing, "govuk-notify preview")


# --- received texts ----------------------------------------------------------------------------


def test_received_texts_one_page_all_and_limit(notify_sandbox: Sandbox) -> None:
    for number in range(255):
        notify_sandbox.add_received_text(f"message {number}", user_number="447700900111")
    page = run_cli(["received-texts", "--json"], notify_sandbox)
    assert page.returncode == 0, page.stderr
    texts = [ReceivedText.model_validate_json(line) for line in page.stdout.splitlines()]
    assert len(texts) == 250
    assert texts[0].content == "message 254"
    every = run_cli(["received-texts", "--json", "--all"], notify_sandbox)
    assert len(every.stdout.splitlines()) == 255
    limited = run_cli(["received-texts", "--json", "--limit", "252"], notify_sandbox)
    assert len(limited.stdout.splitlines()) == 252
    table = run_cli(["received-texts"], notify_sandbox)
    assert table.stdout.splitlines()[0].split() == [
        "RECEIVED", "RECEIVED", "(UTC)", "FROM", "TO", "ID", "CONTENT"
    ]  # fmt: skip
    assert table.stdout.splitlines()[1].endswith("message 254")
    assert f"--older-than {texts[-1].id}" in table.stderr


@pytest.mark.parametrize("command", ["received-texts", "templates", "notifications"])
def test_listing_without_a_key_is_bad_input(notify_sandbox: Sandbox, command: str) -> None:
    result = run_cli([command], notify_sandbox, key="")
    assert result.returncode == 2
    assert one_error_line(result, f"govuk-notify {command}").endswith(
        "set NOTIFY_API_KEY to the API key"
    )
