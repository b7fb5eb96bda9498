"""Templates: the file format, versions, GET, list and preview (contract §2.9–§2.11, §8)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govuk_notify.sandbox import (
    DEFAULT_TEMPLATE_IDS,
    Sandbox,
    TemplateFileError,
    default_templates,
    load_templates,
)
from govuk_notify.sandbox.config import PRECOMPILED_TEMPLATE_ID

from .test_sandbox_support import LETTER_PERSONALISATION, Raw, errors

SMS = DEFAULT_TEMPLATE_IDS["sms"]
EMAIL = DEFAULT_TEMPLATE_IDS["email_with_file"]
LETTER = DEFAULT_TEMPLATE_IDS["letter"]
TEMPLATE_KEYS = {
    "id", "type", "created_at", "updated_at", "created_by", "version", "body", "subject",
    "name", "personalisation", "postage", "letter_contact_block",
}  # fmt: skip


@pytest.fixture(scope="module")
def raw() -> Iterator[Raw]:
    with Sandbox() as sandbox:
        client = Raw(sandbox)
        yield client
        client.close()


def test_the_default_set() -> None:
    templates = {t.id: t for t in default_templates()}
    assert set(templates) == set(DEFAULT_TEMPLATE_IDS.values())
    assert {t.type for t in templates.values()} == {"sms", "email", "letter"}
    assert len(templates[SMS].versions) == 2
    email = templates[EMAIL].current
    assert email.subject
    assert "((link_to_file))" in email.body
    assert "??" in email.body
    assert templates[LETTER].current.postage == "second"


def test_get_template_and_its_versions(raw: Raw) -> None:
    latest = raw.get(f"/v2/template/{SMS}").json()
    assert set(latest) == TEMPLATE_KEYS
    assert latest["version"] == 2
    assert latest["type"] == "sms"
    assert latest["subject"] is None
    assert latest["postage"] is None
    assert latest["personalisation"] == {"name": {"required": True}, "code": {"required": True}}
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", latest["updated_at"])
    first = raw.get(f"/v2/template/{SMS}/version/1").json()
    assert first["version"] == 1
    assert first["updated_at"] is None
    assert first["body"] == "Hello ((name)), your code is ((code))."
    assert first["created_at"] == latest["created_at"]
    assert raw.get(f"/v2/template/{SMS}/version/0").json()["version"] == 2
    missing = raw.get(f"/v2/template/{SMS}/version/3")
    assert missing.status_code == 404
    assert errors(missing) == [("NoResultFound", "No result found")]


def test_letter_and_email_templates(raw: Raw) -> None:
    letter = raw.get(f"/v2/template/{LETTER}").json()
    assert letter["postage"] == "second"
    assert letter["letter_contact_block"].startswith("The Sandbox Service\n")
    assert list(letter["personalisation"]) == [
        "application_number",
        "name",
        "date",
        "needs_documents",
    ]
    email = raw.get(f"/v2/template/{EMAIL}").json()
    assert email["subject"] == "Your ((document_type)) is ready"
    assert list(email["personalisation"]) == ["document_type", "name", "link_to_file", "urgent"]
    assert email["letter_contact_block"] is None
    assert email["postage"] is None


def test_the_hidden_precompiled_template_is_not_there(raw: Raw) -> None:
    assert raw.get(f"/v2/template/{PRECOMPILED_TEMPLATE_ID}").status_code == 404
    names = [t["name"] for t in raw.get("/v2/templates").json()["templates"]]
    assert "Pre-compiled PDF" not in names


def test_list_templates_by_name_and_type(raw: Raw) -> None:
    everything = raw.get("/v2/templates").json()["templates"]
    assert [t["name"] for t in everything] == sorted(t["name"] for t in everything)
    assert {t["id"] for t in everything} >= set(DEFAULT_TEMPLATE_IDS.values())
    emails = raw.get("/v2/templates", params=[("type", "email"), ("type", "sms")]).json()
    assert {t["type"] for t in emails["templates"]} == {"email"}
    assert len(emails["templates"]) == 2


def test_archived_templates_are_readable_but_not_listed() -> None:
    with Sandbox() as sandbox:
        raw = Raw(sandbox)
        sandbox.archive_template(SMS)
        assert raw.get(f"/v2/template/{SMS}").status_code == 200
        listed = [t["id"] for t in raw.get("/v2/templates").json()["templates"]]
        assert SMS not in listed
        preview = raw.post(
            f"/v2/template/{SMS}/preview", json={"personalisation": {"name": "A", "code": 1}}
        )
        assert preview.status_code == 200
        raw.close()


def test_previews(raw: Raw) -> None:
    sms = raw.post(
        f"/v2/template/{SMS}/preview",
        json={"personalisation": {"name": "Zo\u00eb \u2014 \u201cZ\u201d", "code": [1, 2]}},
    ).json()
    assert sms == {
        "id": SMS,
        "type": "sms",
        "version": 2,
        "body": 'Hello Zo\u00eb - "Z", your security code is 1 and 2. It expires in 10 minutes.',
        "subject": None,
        "postage": None,
        "html": None,
    }
    email = raw.post(
        f"/v2/template/{EMAIL}/preview",
        json={
            "personalisation": {
                "name": "<b>Ann</b>",
                "document_type": ["form", "guide", "map"],
                "link_to_file": "https://example.com/file",
                "urgent": True,
            }
        },
    ).json()
    assert email["subject"] == "Your form, guide and map is ready"
    assert "Dear <b>Ann</b>," in email["body"]
    assert "Please read it today" in email["body"]
    assert "&lt;b&gt;Ann&lt;/b&gt;" in email["html"]
    assert "<b>Ann</b>" not in email["html"]
    assert 'href="https://example.com/file"' in email["html"]
    assert email["postage"] is None
    letter = raw.post(
        f"/v2/template/{LETTER}/preview",
        json={"personalisation": dict(LETTER_PERSONALISATION, application_number="A&B")},
    ).json()
    assert letter["subject"] == "Your application A&amp;B"
    assert letter["postage"] == "second"
    assert letter["html"] is None
    assert "* we check your details" in letter["body"]


def test_previews_need_every_placeholder_but_not_the_address(raw: Raw) -> None:
    response = raw.post(
        f"/v2/template/{LETTER}/preview",
        json={"personalisation": {"name": "A", "date": "today", "needs_documents": "no"}},
    )
    assert errors(response) == [("BadRequestError", "Missing personalisation: application_number")]
    response = raw.post(
        f"/v2/template/{LETTER}/preview",
        json={
            "personalisation": {
                "name": "A",
                "date": "today",
                "needs_documents": "no",
                "application_number": 1,
            }
        },
    )
    assert response.status_code == 200


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_template_file_and_new_versions_on_restart(tmp_path: Path) -> None:
    template_id = str(uuid.uuid4())
    definition: dict[str, Any] = {
        "id": template_id,
        "name": "Reminder",
        "type": "email",
        "subject": "Reminder for ((name))",
        "body": "Your appointment is on ((day)).",
        "previous_versions": [{"body": "Your appointment is soon."}],
    }
    path = write(tmp_path / "templates.json", {"templates": [definition]})
    db = tmp_path / "sandbox.db"
    with Sandbox(db=db, templates=path) as sandbox:
        raw = Raw(sandbox)
        listed = raw.get("/v2/templates").json()["templates"]
        assert [t["id"] for t in listed] == [template_id]  # no defaults with a file
        assert raw.get(f"/v2/template/{template_id}").json()["version"] == 2
        old = raw.get(f"/v2/template/{template_id}/version/1").json()
        assert old["body"] == "Your appointment is soon."
        assert old["subject"] == "Reminder for ((name))"
        raw.close()

    definition["body"] = "Your appointment is on ((day)) at ((time))."
    write(path, [definition])
    with Sandbox(db=db, templates=path) as sandbox:
        raw = Raw(sandbox)
        assert raw.get(f"/v2/template/{template_id}").json()["version"] == 3
        raw.close()
    with Sandbox(db=db, templates=path) as sandbox:  # unchanged: no new version
        assert [v.version for v in sandbox.template_versions(template_id)] == [1, 2, 3]
    with Sandbox(db=db) as sandbox:  # without the file: the stored templates stay
        assert [t.id for t in sandbox.templates()] == [template_id]


def test_templates_added_and_changed_in_python() -> None:
    with Sandbox() as sandbox:
        raw = Raw(sandbox)
        template_id = sandbox.add_template("sms", "Ping", "Ping ((who))")
        assert sandbox.update_template(template_id, body="Pong ((who))") == 2
        assert raw.get(f"/v2/template/{template_id}").json()["body"] == "Pong ((who))"
        with pytest.raises(TypeError):
            sandbox.update_template(template_id, colour="red")
        with pytest.raises(TemplateFileError, match="no subject"):
            sandbox.add_template("sms", "Bad", "x", "subject")
        raw.close()


def _entry(**fields: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": str(uuid.uuid4()), "name": "a", "type": "sms", "body": "b"}
    entry.update(fields)
    return {key: value for key, value in entry.items() if value is not None}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"nope": []}, "expected a list of templates"),
        ([_entry(id="x")], "'id' must be a UUID"),
        ([_entry(type="fax")], "'type' must be"),
        ([_entry(type="email")], "needs a 'subject'"),
        ([_entry(body=None)], "'body' is required"),
        ([_entry(name=None)], "'name' is required"),
        ([_entry(x=1)], "unknown fields x"),
        ([_entry(type="letter", subject="s", postage="third")], "'postage' must be"),
        ([_entry(previous_versions=[{"type": "email"}])], "may only set"),
    ],
)
def test_template_file_errors(tmp_path: Path, data: Any, message: str) -> None:
    path = write(tmp_path / "bad.json", data)
    with pytest.raises(TemplateFileError, match=re.escape(message)):
        load_templates(path)


def test_duplicate_ids_and_unreadable_files(tmp_path: Path) -> None:
    same = str(uuid.uuid4())
    entry = {"id": same, "name": "a", "type": "sms", "body": "b"}
    with pytest.raises(TemplateFileError, match="used twice"):
        load_templates(write(tmp_path / "dup.json", [entry, entry]))
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(TemplateFileError, match="not valid JSON"):
        load_templates(tmp_path / "broken.json")
    with pytest.raises(TemplateFileError, match="cannot read"):
        load_templates(tmp_path / "missing.json")
