"""Fuzzing. Arbitrary answers (JSON-like bodies, near-miss bodies, raw bytes, any status from 200
to 599) go into every response path of the client, and arbitrary values into every request
model. Only the SDK's own errors come out of the client, and only pydantic's ValidationError out
of the request models: never a KeyError, TypeError, AttributeError or anything else."""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import string
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from govuk_notify import (
    EmailRequest,
    FileUpload,
    LetterPersonalisation,
    LetterRequest,
    NotificationFilters,
    NotifyClient,
    NotifyError,
    PrecompiledLetterRequest,
    RetryPolicy,
    SmsRequest,
)

from . import bodies
from .wire import Reply, WireServer

WIRE = settings(max_examples=50, deadline=None)
MODELS = settings(max_examples=100, deadline=None)

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ADDRESS = {
    "address_line_1": "The Occupier",
    "address_line_2": "1 High Street",
    "postcode": "SW1A 1AA",
}

JSON: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=25,
)


# --- answers ------------------------------------------------------------------------------------


def _slots(value: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) in a JSON value, for mutation."""
    found: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            found.append((value, key))
            found += _slots(inner)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found.append((value, index))
            found += _slots(inner)
    return found


@st.composite
def near_miss(draw: st.DrawFn, realistic: Any) -> Any:
    """The realistic body with a few values replaced by anything, or removed."""
    body = copy.deepcopy(realistic)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        slots = _slots(body)
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        if isinstance(container, dict) and draw(st.booleans()):
            del container[key]
        else:
            container[key] = draw(JSON)
    return body


def error_shapes() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.fixed_dictionaries({"status_code": JSON, "errors": JSON}),
        st.fixed_dictionaries({"result": JSON, "message": JSON}),
        st.fixed_dictionaries(
            {"errors": st.lists(st.fixed_dictionaries({"error": JSON, "message": JSON}))}
        ),
    )


STATUS = st.sampled_from(
    [200, 201, 202, 204, 301, 304, 400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 502, 503, 504]
) | st.integers(min_value=200, max_value=599)

HEADER_TEXT = st.text(alphabet=string.ascii_letters + string.digits + " ,.:;-+/=", max_size=40)


@st.composite
def answers(draw: st.DrawFn, realistic: Any) -> Reply:
    status = draw(STATUS)
    body = draw(
        st.one_of(
            near_miss(realistic),
            JSON,
            error_shapes(),
            st.binary(max_size=80),
            st.just(realistic),
        )
    )
    if status in (204, 304):  # no body may follow these; http.client would not read one
        body = b""
    headers: dict[str, str] = {}
    if draw(st.booleans()):
        headers["Retry-After"] = draw(HEADER_TEXT | st.floats(-1e6, 1e6).map(str))
    if draw(st.booleans()):
        headers["Content-Type"] = draw(HEADER_TEXT)
    return Reply(status, body, headers)


Call = Callable[[NotifyClient], object]


def _listing(c: NotifyClient) -> object:
    return list(islice(c.get_all_notifications_iterator(status="delivered"), 600))


def _texts(c: NotifyClient) -> object:
    return list(islice(c.get_received_texts_iterator(), 600))


CALLS: dict[str, tuple[Call, Any]] = {
    "send_sms_notification": (
        lambda c: c.send_sms_notification("07700900123", bodies.TEMPLATE_ID, {"a": 1}, "ref"),
        bodies.sms_response(),
    ),
    "send_email_notification": (
        lambda c: c.send_email_notification("amala@example.gov.uk", bodies.TEMPLATE_ID),
        bodies.email_response(),
    ),
    "send_letter_notification": (
        lambda c: c.send_letter_notification(bodies.TEMPLATE_ID, ADDRESS, "letter-1"),
        bodies.letter_response(),
    ),
    "send_precompiled_letter_notification": (
        lambda c: c.send_precompiled_letter_notification("pdf-1", PDF, "first"),
        bodies.precompiled_response(),
    ),
    "get_notification_by_id": (
        lambda c: c.get_notification_by_id(bodies.NOTIFICATION_ID),
        bodies.letter_notification(),
    ),
    "get_all_notifications": (
        lambda c: c.get_all_notifications(reference="ref", template_type=["sms", "email"]),
        bodies.notification_list(2),
    ),
    "get_all_notifications_iterator": (_listing, bodies.notification_list(2)),
    "get_pdf_for_letter": (lambda c: c.get_pdf_for_letter(bodies.NOTIFICATION_ID), PDF),
    "get_template": (lambda c: c.get_template(bodies.TEMPLATE_ID), bodies.template()),
    "get_template_version": (
        lambda c: c.get_template_version(bodies.TEMPLATE_ID, 3),
        bodies.template("letter"),
    ),
    "get_all_templates": (
        lambda c: c.get_all_templates("sms"),
        {"templates": [bodies.template("sms"), bodies.template()]},
    ),
    "post_template_preview": (
        lambda c: c.post_template_preview(bodies.TEMPLATE_ID, {"name": "Amala"}),
        bodies.preview(),
    ),
    "get_received_texts": (lambda c: c.get_received_texts(), bodies.received_texts(2)),
    "get_received_texts_iterator": (_texts, bodies.received_texts(2)),
}


@pytest.fixture(scope="module")
def server() -> Iterator[WireServer]:
    with WireServer() as wire:
        yield wire


@pytest.fixture(scope="module")
def client(server: WireServer) -> Iterator[NotifyClient]:
    no_retry = RetryPolicy(max_retries=0)
    with NotifyClient(bodies.API_KEY, server.url, retry=no_retry, timeout=(2, 5)) as c:
        yield c


@pytest.mark.parametrize("name", sorted(CALLS))
def test_realistic_answers_parse(server: WireServer, client: NotifyClient, name: str) -> None:
    """The harness itself: each call succeeds with its realistic answer."""
    call, realistic = CALLS[name]
    status = 201 if name.startswith("send") else 200
    server.default = Reply(status, realistic)
    assert call(client) is not None


@pytest.mark.parametrize("name", sorted(CALLS))
@WIRE
@given(data=st.data())
def test_any_answer_gives_a_model_or_an_sdk_error(
    server: WireServer, client: NotifyClient, name: str, data: st.DataObject
) -> None:
    call, realistic = CALLS[name]
    server.default = data.draw(answers(realistic), label="answer")
    try:
        call(client)
    except NotifyError as error:
        str(error), repr(error)  # both render


# --- request models -----------------------------------------------------------------------------

ANYTHING: st.SearchStrategy[Any] = st.one_of(
    JSON,
    st.binary(max_size=20),
    st.uuids(),
    st.uuids().map(str),
    st.floats(),
    st.datetimes(),
    st.sets(st.integers(), max_size=3),
    st.tuples(st.text(max_size=5), st.integers()),
    st.builds(object),
    st.dictionaries(st.integers() | st.text(max_size=5), JSON, max_size=3),
    st.lists(st.sampled_from(["delivered", "failed", "sms", "email", "letter", "x"]), max_size=3),
)
PHONES = st.sampled_from(
    ["07700900123", "+447700900123", "+1 202 555 0143", "0044 7700 900 123", "+(44) 77009-00855"]
) | st.text(alphabet="0123456789+()- ", max_size=20)
EMAILS = (
    st.sampled_from(
        ["amala@example.gov.uk", "a.b+c@sub.example.co.uk", "x@y", "@example.com", "a@b..c"]
    )
    | st.emails()
)
IDS = st.uuids() | st.uuids().map(str) | st.uuids().map(lambda u: str(u).upper())
BASE64 = st.binary(max_size=64).map(lambda b: base64.b64encode(b).decode())
FILES = st.fixed_dictionaries(
    {"file": BASE64},
    optional={
        "filename": st.sampled_from(["a.csv", "report.PDF", "noext", "x.exe"])
        | st.text(max_size=8),
        "confirm_email_before_download": st.booleans() | st.none() | ANYTHING,
        "retention_period": st.sampled_from(["1 week", "26 weeks", "79 weeks"])
        | st.text(max_size=8),
        "is_csv": st.booleans() | ANYTHING,
    },
)
PERSONALISATION = st.dictionaries(st.text(max_size=10), JSON | FILES, max_size=4) | ANYTHING
LETTER_LINES = st.sampled_from(
    ["The Occupier", "1 High Street", "SW1A 1AA", "BFPO 1234", "France", ""]
)


def _fields(plausible: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the fields, each plausible or anything, and now and then a stray key."""
    optional = {name: strategy | ANYTHING for name, strategy in plausible.items()}
    optional["unexpected_field"] = ANYTHING
    return st.fixed_dictionaries({}, optional=optional)


REQUEST_MODELS: dict[type[BaseModel], st.SearchStrategy[dict[str, Any]]] = {
    SmsRequest: _fields(
        {
            "phone_number": PHONES,
            "template_id": IDS,
            "personalisation": PERSONALISATION,
            "reference": st.text(max_size=30),
            "sms_sender_id": IDS,
        }
    ),
    EmailRequest: _fields(
        {
            "email_address": EMAILS,
            "template_id": IDS,
            "personalisation": PERSONALISATION,
            "reference": st.text(max_size=30),
            "email_reply_to_id": IDS,
            "one_click_unsubscribe_url": st.sampled_from(["https://a.gov.uk/u?x=1", "http://a"])
            | st.text(max_size=20),
            "sanitise_content_for": st.lists(st.text(max_size=6), max_size=3),
        }
    ),
    LetterRequest: _fields(
        {
            "template_id": IDS,
            "personalisation": st.dictionaries(
                st.sampled_from([*ADDRESS, "address_line_3", "address_line_7", "name"]),
                LETTER_LINES | JSON,
                max_size=8,
            ),
            "reference": st.text(max_size=30),
        }
    ),
    LetterPersonalisation: _fields(
        {
            **{f"address_line_{n}": LETTER_LINES for n in range(1, 8)},
            "postcode": LETTER_LINES,
            "name": JSON | FILES,
        }
    ),
    PrecompiledLetterRequest: _fields(
        {
            "reference": st.text(max_size=30),
            "content": st.binary(max_size=64) | st.just(PDF),
            "postage": st.sampled_from(["first", "second", "economy", "europe"]),
        }
    ),
    FileUpload: FILES.map(dict) | _fields({"file": BASE64}),
    NotificationFilters: _fields(
        {
            "status": st.sampled_from(["delivered", "failed", "accepted", "nope"])
            | st.lists(st.sampled_from(["sending", "received", "x"]), max_size=3),
            "template_type": st.sampled_from(["sms", "email", "letter", "fax"]),
            "reference": st.text(max_size=30),
            "older_than": IDS,
            "include_jobs": st.booleans(),
        }
    ),
}


def _use(model: BaseModel) -> None:
    """A model that validated must also serialise to JSON."""
    if isinstance(model, NotificationFilters):
        params = model.to_params()
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in params)
    else:
        json.dumps(model.to_payload())  # type: ignore[attr-defined]
    model.model_dump_json()


@pytest.mark.parametrize("model", list(REQUEST_MODELS), ids=lambda m: m.__name__)
@MODELS
@given(data=st.data())
def test_any_values_give_a_model_or_a_validation_error(
    model: type[BaseModel], data: st.DataObject
) -> None:
    values = data.draw(REQUEST_MODELS[model], label="values")
    try:
        built = model(**values)
    except ValidationError:
        pass
    else:
        _use(built)
    try:
        validated = model.model_validate(values)
    except ValidationError:
        pass
    else:
        _use(validated)


@pytest.mark.parametrize("model", list(REQUEST_MODELS), ids=lambda m: m.__name__)
@MODELS
@given(text=st.text(max_size=60) | JSON.map(json.dumps))
def test_any_json_text_gives_a_model_or_a_validation_error(
    model: type[BaseModel], text: str
) -> None:
    with contextlib.suppress(ValidationError):
        model.model_validate_json(text)
