"""GET /v2/notifications and /v2/received-text-messages: order, pages, links and every filter
(contract §2.7, §2.12, §3.3)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS, Lifecycle, Sandbox

from .test_sandbox_support import EMAIL_PERSONALISATION, LETTER_PERSONALISATION, Raw

SMS = DEFAULT_TEMPLATE_IDS["sms"]
EMAIL = DEFAULT_TEMPLATE_IDS["email_with_file"]
LETTER = DEFAULT_TEMPLATE_IDS["letter"]
SLOW = Lifecycle(sending_after=60, delivered_after=120, virus_scan_after=60)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(lifecycle=SLOW, rate_limit=100_000) as sandbox:
        yield sandbox


@pytest.fixture
def raw(sandbox: Sandbox) -> Iterator[Raw]:
    client = Raw(sandbox)
    yield client
    client.close()


def send(raw: Raw, kind: str, reference: str | None = None, **fields: Any) -> str:
    if kind == "sms":
        body: dict[str, Any] = {
            "phone_number": "07700900123",
            "template_id": SMS,
            "personalisation": {"name": "A", "code": 1},
        }
    elif kind == "email":
        body = {
            "email_address": "a@example.com",
            "template_id": EMAIL,
            "personalisation": EMAIL_PERSONALISATION,
        }
    else:
        body = {"template_id": LETTER, "personalisation": LETTER_PERSONALISATION}
    if reference is not None:
        body["reference"] = reference
    body.update(fields)
    response = raw.post(f"/v2/notifications/{kind}", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def listed(raw: Raw, params: Any = None) -> list[str]:
    response = raw.get("/v2/notifications", params=params)
    assert response.status_code == 200, response.text
    return [n["id"] for n in response.json()["notifications"]]


def test_pages_of_250_newest_first_with_links(raw: Raw, sandbox: Sandbox) -> None:
    ids = [send(raw, "sms") for _ in range(260)]
    newest_first = ids[::-1]

    first = raw.get("/v2/notifications", params=[("template_type", "sms"), ("status", "created")])
    body = first.json()
    assert [n["id"] for n in body["notifications"]] == newest_first[:250]
    base = f"{sandbox.base_url}/v2/notifications"
    assert body["links"]["current"] == f"{base}?template_type=sms&status=created"
    next_link = body["links"]["next"]
    assert parse_qsl(urlsplit(next_link).query) == [
        ("template_type", "sms"),
        ("status", "created"),
        ("older_than", newest_first[249]),
    ]

    second = raw.get(next_link.removeprefix(sandbox.base_url)).json()
    assert [n["id"] for n in second["notifications"]] == newest_first[250:]
    assert second["links"]["next"].endswith(f"older_than={newest_first[-1]}")
    third = raw.get(second["links"]["next"].removeprefix(sandbox.base_url)).json()
    assert third["notifications"] == []
    assert "next" not in third["links"]


def test_no_filters_and_an_unknown_older_than(raw: Raw, sandbox: Sandbox) -> None:
    sms, email = send(raw, "sms"), send(raw, "email")
    body = raw.get("/v2/notifications").json()
    assert [n["id"] for n in body["notifications"]] == [email, sms]
    assert body["links"] == {
        "current": f"{sandbox.base_url}/v2/notifications",
        "next": f"{sandbox.base_url}/v2/notifications?older_than={sms}",
    }
    assert listed(raw, {"older_than": str(uuid.uuid4())}) == []
    assert listed(raw, {"older_than": email}) == [sms]


def test_type_reference_and_repeated_filters(raw: Raw) -> None:
    sms = send(raw, "sms", reference="alpha")
    email = send(raw, "email", reference="beta")
    letter = send(raw, "letter", reference="alpha")
    assert listed(raw, {"template_type": "email"}) == [email]
    assert listed(raw, [("template_type", "sms"), ("template_type", "letter")]) == [letter, sms]
    assert listed(raw, {"reference": "alpha"}) == [letter, sms]
    assert listed(raw, [("reference", "beta"), ("reference", "alpha")]) == [email]
    assert listed(raw, {"reference": "gamma"}) == []
    # comma-joined values are not split
    response = raw.get("/v2/notifications", params={"template_type": "sms,email"})
    assert response.status_code == 400


def test_status_filters_and_their_aliases(raw: Raw, sandbox: Sandbox) -> None:
    created = send(raw, "sms")
    sending = send(raw, "sms")
    delivered = send(raw, "email")
    temporary = send(raw, "sms")
    validation = send(raw, "letter")
    returned = send(raw, "letter")
    accepted_letter = send(raw, "letter")
    for notification_id, status in (
        (sending, "sending"),
        (delivered, "delivered"),
        (temporary, "temporary-failure"),
        (validation, "validation-failed"),
        (returned, "returned-letter"),
    ):
        sandbox.set_status(notification_id, status)

    assert listed(raw, {"status": "created"}) == [accepted_letter, created]
    assert listed(raw, [("status", "sending"), ("status", "delivered")]) == [delivered, sending]
    assert listed(raw, {"status": "failed"}) == [returned, validation, temporary]
    assert listed(raw, {"status": "accepted"}) == [accepted_letter, sending, created]
    # received means delivered only: a returned letter shows as received but is not matched
    assert listed(raw, {"status": "received"}) == [delivered]
    returned_letter = raw.get(f"/v2/notifications/{returned}").json()
    assert returned_letter["status"] == "received"
    everything = [
        ("status", s)
        for s in (
            "cancelled", "created", "sending", "sent", "delivered", "pending",
            "technical-failure", "temporary-failure", "permanent-failure", "pending-virus-check",
            "validation-failed", "virus-scan-failed", "returned-letter",
        )
    ]  # fmt: skip
    assert len(listed(raw, everything)) == 7


def test_statuses_filter_as_time_passes() -> None:
    lifecycle = Lifecycle(sending_after=0.5, delivered_after=0.6)  # the real clock
    with Sandbox(lifecycle=lifecycle) as sandbox:
        raw = Raw(sandbox)
        notification_id = send(raw, "sms")
        assert listed(raw, {"status": "created"}) == [notification_id]
        sandbox.wait_for_status(notification_id, "delivered", timeout=30)
        assert listed(raw, {"status": "created"}) == []
        assert listed(raw, {"status": "delivered"}) == [notification_id]
        raw.close()


def test_jobs_are_listed_only_with_include_jobs(raw: Raw, sandbox: Sandbox) -> None:
    api = send(raw, "sms")
    job_id, job_ids = sandbox.add_job(
        SMS,
        [
            {"phone number": "07700900001", "name": "A", "code": 1},
            {"Phone_Number": "07700900004", "name": "B", "code": 2},
        ],
    )
    assert listed(raw) == [api]
    assert listed(raw, {"include_jobs": "true"}) == [*job_ids[::-1], api]
    assert listed(raw, {"include_jobs": "True"}) == [*job_ids[::-1], api]
    body = raw.get("/v2/notifications", params={"include_jobs": "True"}).json()
    assert body["links"]["current"].endswith("/v2/notifications?include_jobs=True")
    jobs = [n for n in sandbox.sent_sms() if n.job_id == job_id]
    assert [n.phone_number for n in jobs] == ["07700900001", "07700900004"]
    assert jobs[0].body == "Hello A, your security code is 1. It expires in 10 minutes."
    with pytest.raises(ValueError, match="Missing personalisation: code"):
        sandbox.add_job(SMS, [{"phone number": "07700900001", "name": "A"}])


def test_each_key_type_sees_only_its_own(sandbox: Sandbox, raw: Raw) -> None:
    team, test = Raw(sandbox, "team"), Raw(sandbox, "test")
    live_id = send(raw, "sms")
    team_id = send(team, "sms")
    test_id = send(test, "sms")
    assert listed(raw) == [live_id]
    assert listed(team) == [team_id]
    assert listed(test) == [test_id]
    # older_than from another key type's list gives that list's view of time
    assert listed(raw, {"older_than": test_id}) == [live_id]
    assert [n.key_type for n in sandbox.notifications()] == ["live", "team", "test"]
    team.close()
    test.close()


def test_received_texts_pages(raw: Raw, sandbox: Sandbox) -> None:
    texts = [sandbox.add_received_text(f"message {n}") for n in range(3)]
    body = raw.get("/v2/received-text-messages").json()
    assert [t["content"] for t in body["received_text_messages"]] == [
        "message 2",
        "message 1",
        "message 0",
    ]
    assert body["links"] == {
        "current": f"{sandbox.base_url}/v2/received-text-messages",
        "next": f"{sandbox.base_url}/v2/received-text-messages?older_than={texts[0].id}",
    }
    older = raw.get("/v2/received-text-messages", params={"older_than": texts[1].id}).json()
    assert [t["id"] for t in older["received_text_messages"]] == [texts[0].id]
    empty = raw.get("/v2/received-text-messages", params={"older_than": texts[0].id}).json()
    assert empty == {
        "received_text_messages": [],
        "links": {"current": f"{sandbox.base_url}/v2/received-text-messages"},
    }
    assert [t.content for t in sandbox.received_texts()] == ["message 2", "message 1", "message 0"]
