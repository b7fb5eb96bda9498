"""``govuk-notify send``: run as a process against the sandbox, checked by what the sandbox got."""

from __future__ import annotations

import json
from pathlib import Path

from govuk_notify import EmailResponse, LetterResponse, PrecompiledLetterResponse, SmsResponse
from govuk_notify.sandbox import Sandbox, minimal_pdf
from govuk_notify.sandbox.config import DEFAULT_EMAIL_REPLY_TO_ID, INBOUND_NUMBER_SENDER_ID

from .cli_helpers import (
    EMAIL_TEMPLATE,
    LETTER_TEMPLATE,
    PLAIN_EMAIL_TEMPLATE,
    SMS_TEMPLATE,
    one_error_line,
    run_cli,
)


def test_send_sms_prints_the_message_and_sends_it(notify_sandbox: Sandbox) -> None:
    result = run_cli(
        ["send", "sms", "07700900123", "--template", SMS_TEMPLATE,
         "--set", "name=Amala", "--set", "code=4821", "--reference", "ticket-7"],
        notify_sandbox,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    [sms] = notify_sandbox.sent_sms()
    assert sms.phone_number == "07700900123"
    assert sms.reference == "ticket-7"
    assert sms.body == "Hello Amala, your security code is 4821. It expires in 10 minutes."
    assert "Sent the text message." in result.stdout
    assert f"govuk-notify status {sms.id}" in result.stdout
    assert sms.body in result.stdout
    assert result.stderr == ""


def test_send_sms_json_parses_into_the_response_model(notify_sandbox: Sandbox) -> None:
    result = run_cli(
        ["send", "sms", "07700900123", "--template", SMS_TEMPLATE, "--json",
         "--set", "name=A", "--set", "code=1", "--sms-sender-id", INBOUND_NUMBER_SENDER_ID],
        notify_sandbox,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1
    response = SmsResponse.model_validate_json(result.stdout)
    assert response.content.body.startswith("Hello A,")
    [sms] = notify_sandbox.sent_sms()
    assert str(response.id) == sms.id
    assert sms.sender == "447700900456"


def test_unknown_sender_id_is_refused_in_notifys_words(notify_sandbox: Sandbox) -> None:
    unknown = "a3b5c7d9-0000-4000-8000-000000000001"
    result = run_cli(
        ["send", "sms", "07700900123", "--template", SMS_TEMPLATE,
         "--set", "name=A", "--set", "code=1", "--sms-sender-id", unknown],
        notify_sandbox,
    )  # fmt: skip
    assert result.returncode == 1
    line = one_error_line(result, "govuk-notify send sms")
    assert f"sms_sender_id {unknown} does not exist in database" in line
    assert notify_sandbox.sent_sms() == []


def test_email_reply_to_id_is_sent(notify_sandbox: Sandbox) -> None:
    result = run_cli(
        ["send", "email", "someone@example.com", "--template", PLAIN_EMAIL_TEMPLATE,
         "--set", "subject=Hi", "--set", "body=Hello", "--email-reply-to-id",
         DEFAULT_EMAIL_REPLY_TO_ID],
        notify_sandbox,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    [email] = notify_sandbox.sent_emails()
    assert email.reply_to == "sandbox-replies@example.gov.uk"
    assert "\nsubject   Hi\n" in result.stdout


def test_personalisation_file_and_set_values_combine(
    notify_sandbox: Sandbox, tmp_path: Path
) -> None:
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"name": "From file", "code": "111"}), encoding="utf-8")
    result = run_cli(
        ["send", "sms", "07700900123", "--template", SMS_TEMPLATE,
         "--personalisation", str(values), "--set", "code=222"],
        notify_sandbox,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    [sms] = notify_sandbox.sent_sms()
    assert sms.body.startswith("Hello From file, your security code is 222.")


def test_bad_personalisation_file_is_bad_input(notify_sandbox: Sandbox, tmp_path: Path) -> None:
    not_json = tmp_path / "values.json"
    not_json.write_text("{name: 1", encoding="utf-8")
    a_list = tmp_path / "list.json"
    a_list.write_text("[1, 2]", encoding="utf-8")
    for path, words in [
        (not_json, "is not valid JSON"),
        (a_list, "must hold a JSON object"),
        (tmp_path / "missing.json", "cannot read"),
    ]:
        result = run_cli(
            ["send", "sms", "07700900123", "--template", SMS_TEMPLATE,
             "--personalisation", str(path)],
            notify_sandbox,
        )  # fmt: skip
        assert result.returncode == 2
        assert words in one_error_line(result, "govuk-notify send sms")
    assert notify_sandbox.sent_sms() == []


def test_invalid_phone_number_is_bad_input_and_nothing_is_sent(notify_sandbox: Sandbox) -> None:
    result = run_cli(
        ["send", "sms", "12345", "--template", SMS_TEMPLATE, "--set", "name=A", "--set", "code=1"],
        notify_sandbox,
    )
    assert result.returncode == 2
    line = one_error_line(result, "govuk-notify send sms")
    assert "nothing was sent" in line
    assert "phone_number: Not enough digits" in line
    assert result.stdout == ""
    assert notify_sandbox.notifications() == []


def test_notify_refusal_is_exit_1_in_notifys_words(notify_sandbox: Sandbox) -> None:
    result = run_cli(
        ["send", "sms", "07700900123", "--template", SMS_TEMPLATE, "--set", "name=A"],
        notify_sandbox,
    )
    assert result.returncode == 1
    line = one_error_line(result, "govuk-notify send sms")
    assert line.endswith("(400 BadRequestError): Missing personalisation: code")
    assert notify_sandbox.sent_sms() == []


def test_bad_arguments_are_exit_2(notify_sandbox: Sandbox) -> None:
    no_template = run_cli(["send", "sms", "07700900123"], notify_sandbox)
    assert no_template.returncode == 2
    assert "--template" in no_template.stderr
    bad_set = run_cli(
        ["send", "sms", "07700900123", "--template", SMS_TEMPLATE, "--set", "no-equals"],
        notify_sandbox,
    )
    assert bad_set.returncode == 2
    assert "'no-equals' is not NAME=VALUE" in bad_set.stderr
    bad_id = run_cli(
        ["send", "sms", "07700900123", "--template", "not-a-uuid", "--set", "name=A"],
        notify_sandbox,
    )
    assert bad_id.returncode == 2
    assert "template_id" in one_error_line(bad_id, "govuk-notify send sms")
    assert notify_sandbox.notifications() == []


def test_send_email_with_an_attached_file(notify_sandbox: Sandbox, tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    report.write_bytes(b"a,b\n1,2\n")
    result = run_cli(
        ["send", "email", "someone@example.com", "--template", EMAIL_TEMPLATE, "--json",
         "--set", "name=Sam", "--set", "document_type=report", "--set", "urgent=no",
         "--attach", f"link_to_file={report}", "--reference", "r-1"],
        notify_sandbox,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    response = EmailResponse.model_validate_json(result.stdout)
    [email] = notify_sandbox.sent_emails()
    assert str(response.id) == email.id
    assert email.email_address == "someone@example.com"
    [sent_file] = email.files
    assert sent_file.content == b"a,b\n1,2\n"
    assert sent_file.filename == "report.csv"


def test_attaching_a_file_of_a_refused_type_sends_nothing(
    notify_sandbox: Sandbox, tmp_path: Path
) -> None:
    program = tmp_path / "tool.exe"
    program.write_bytes(b"MZ")
    result = run_cli(
        ["send", "email", "someone@example.com", "--template", EMAIL_TEMPLATE,
         "--set", "name=Sam", "--set", "document_type=report", "--set", "urgent=no",
         "--attach", f"link_to_file={program}"],
        notify_sandbox,
    )  # fmt: skip
    assert result.returncode == 2
    line = one_error_line(result, "govuk-notify send email")
    assert "link_to_file" in line
    assert "Unsupported file type '.exe'" in line
    assert notify_sandbox.sent_emails() == []


def test_send_letter_with_address_lines(notify_sandbox: Sandbox) -> None:
    result = run_cli(
        ["send", "letter", "--template", LETTER_TEMPLATE,
         "--address", "A Person", "--address", "1 High Street", "--address", "SW1A 1AA",
         "--set", "name=A Person", "--set", "application_number=42", "--set", "date=today",
         "--set", "needs_documents=no", "--json"],
        notify_sandbox,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    response = LetterResponse.model_validate_json(result.stdout)
    [letter] = notify_sandbox.sent_letters()
    assert str(response.id) == letter.id
    assert letter.address[:3] == ("A Person", "1 High Street", "SW1A 1AA")


def test_send_precompiled_letter(notify_sandbox: Sandbox, tmp_path: Path) -> None:
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(minimal_pdf("Dear citizen"))
    result = run_cli(
        ["send", "precompiled-letter", str(pdf), "--reference", "pdf-1", "--postage", "first"],
        notify_sandbox,
    )
    assert result.returncode == 0, result.stderr
    [letter] = notify_sandbox.sent_letters()
    assert letter.precompiled
    assert letter.reference == "pdf-1"
    assert letter.pdf == pdf.read_bytes()
    assert letter.id in result.stdout
    as_json = run_cli(
        ["send", "precompiled-letter", str(pdf), "--reference", "pdf-2", "--json"], notify_sandbox
    )
    assert as_json.returncode == 0, as_json.stderr
    assert PrecompiledLetterResponse.model_validate_json(as_json.stdout).reference == "pdf-2"
    missing = run_cli(
        ["send", "precompiled-letter", str(tmp_path / "none.pdf"), "--reference", "x"],
        notify_sandbox,
    )
    assert missing.returncode == 2
    assert "cannot read" in one_error_line(missing, "govuk-notify send precompiled-letter")
    assert len(notify_sandbox.sent_letters()) == 2
