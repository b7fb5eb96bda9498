"""Every error of the client documentation's tables maps to its class; both body shapes are read;
failures of the connection are never disguised as HTTP statuses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from govuk_notify import (
    APIError,
    AuthError,
    BadRequestError,
    DailyLimitError,
    InvalidResponseError,
    NotFoundError,
    NotifyClient,
    NotifyError,
    PDFNotReadyError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TooManyRequestsError,
)

from . import bodies
from .documented_errors import DOCUMENTED_ERRORS
from .wire import Reply, WireServer


def documented_errors() -> list[tuple[int, str, str]]:
    """(status, error, message) of every row of every error table in the client documentation."""
    return sorted(set(DOCUMENTED_ERRORS))


def expected_class(status: int, error: str) -> type[APIError]:
    if status == 400:
        return PDFNotReadyError if error == "PDFNotReadyError" else BadRequestError
    if status in (401, 403):
        return AuthError
    if status == 404:
        return NotFoundError
    if status == 429:
        return DailyLimitError if error == "TooManyRequestsError" else RateLimitError
    return ServerError


@pytest.fixture(scope="module")
def server() -> Iterator[WireServer]:
    with WireServer() as wire:
        yield wire


@pytest.fixture(scope="module")
def client(server: WireServer) -> Iterator[NotifyClient]:
    with NotifyClient(bodies.API_KEY, base_url=server.url, retry=RetryPolicy(max_retries=0)) as c:
        yield c


def test_the_documentation_tables_were_read() -> None:
    rows = documented_errors()
    assert len(rows) >= 30
    assert {status for status, _, _ in rows} == {400, 403, 404, 429, 500}


@pytest.mark.parametrize(("status", "error", "message"), documented_errors())
def test_documented_error_maps_to_its_class(
    server: WireServer, client: NotifyClient, status: int, error: str, message: str
) -> None:
    server.add(Reply(status, bodies.error(status, error, message)))
    with pytest.raises(expected_class(status, error)) as caught:
        client.get_template(bodies.TEMPLATE_ID)
    err = caught.value
    assert type(err) is expected_class(status, error)
    assert isinstance(err, NotifyError)
    assert err.status_code == status
    assert [(e.error, e.message) for e in err.errors] == [(error, message)]
    assert err.message == message
    # the class name is not repeated (the traceback prints it); Notify's name is shown when it
    # says more than the class name
    own = type(err).__name__
    assert str(err) == (f"{status} {message}" if error == own else f"{status} {error}: {message}")
    assert str(err).count(own) == 0 or own not in error


def test_daily_limit_has_the_server_name_too() -> None:
    assert TooManyRequestsError is DailyLimitError


def test_several_validation_errors_are_all_kept(server: WireServer, client: NotifyClient) -> None:
    server.add(
        Reply(
            400,
            {
                "status_code": 400,
                "errors": [
                    {"error": "ValidationError", "message": "phone_number Not enough digits"},
                    {"error": "ValidationError", "message": "template_id is not a valid UUID"},
                ],
            },
        )
    )
    with pytest.raises(BadRequestError) as caught:
        client.get_template(bodies.TEMPLATE_ID)
    assert caught.value.message == "phone_number Not enough digits; template_id is not a valid UUID"
    assert caught.value.error_names == ("ValidationError", "ValidationError")


def test_legacy_body_shape(server: WireServer, client: NotifyClient) -> None:
    message = "The requested URL was not found on the server."
    server.add(Reply(404, {"result": "error", "message": message}))
    with pytest.raises(NotFoundError) as caught:
        client.get_template(bodies.TEMPLATE_ID)
    assert caught.value.message == message
    assert caught.value.errors[0].error == "error"


def test_legacy_body_with_field_messages(server: WireServer, client: NotifyClient) -> None:
    server.add(Reply(400, {"result": "error", "message": {"to": ["Missing data"]}}))
    with pytest.raises(BadRequestError) as caught:
        client.get_template(bodies.TEMPLATE_ID)
    assert caught.value.message == "to Missing data"


def test_rate_limit_carries_retry_after(server: WireServer, client: NotifyClient) -> None:
    body = bodies.error(
        429,
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    )
    server.add(Reply(429, body, headers={"Retry-After": "7"}))
    with pytest.raises(RateLimitError) as caught:
        client.get_template(bodies.TEMPLATE_ID)
    assert caught.value.retry_after == 7.0


def test_html_error_body_from_a_proxy(server: WireServer, client: NotifyClient) -> None:
    server.add(Reply(502, b"<html><body>Bad gateway</body></html>", {"Content-Type": "text/html"}))
    with pytest.raises(ServerError) as caught:
        client.get_template(bodies.TEMPLATE_ID)
    assert caught.value.status_code == 502
    assert "non-JSON body" in caught.value.message


def test_unexpected_status_is_an_api_error(server: WireServer, client: NotifyClient) -> None:
    server.add(
        Reply(
            405, {"result": "error", "message": "The method is not allowed for the requested URL."}
        )
    )
    with pytest.raises(APIError) as caught:
        client.get_template(bodies.TEMPLATE_ID)
    assert type(caught.value) is APIError
    assert caught.value.status_code == 405


@pytest.mark.parametrize(
    "body",
    [
        b"<html>OK</html>",
        b'{"id": "740e5834-3a29-46b4-9a6f-16142fde533a", "name": "x"',
        b'{"id": "not-a-uuid"}',
        b"[]",
    ],
)
def test_a_2xx_body_that_does_not_fit_is_invalid_response(
    server: WireServer, client: NotifyClient, body: bytes
) -> None:
    server.add(Reply(200, body))
    with pytest.raises(InvalidResponseError) as caught:
        client.get_template(bodies.TEMPLATE_ID)
    assert caught.value.status_code == 200
    assert "Template" in str(caught.value)


def test_invalid_response_quotes_html_but_not_json(
    server: WireServer, client: NotifyClient
) -> None:
    server.add(
        Reply(200, b"<html>proxy login</html>"), Reply(200, b'{"phone_number": "07700900123"}')
    )
    with pytest.raises(InvalidResponseError) as html:
        client.get_template(bodies.TEMPLATE_ID)
    assert "proxy login" in str(html.value)
    with pytest.raises(InvalidResponseError) as json_body:
        client.get_template(bodies.TEMPLATE_ID)
    assert "07700900123" not in str(json_body.value)
    assert json_body.value.__context__ is None
    assert json_body.value.__cause__ is None


def test_an_unreadable_201_says_the_message_was_accepted(
    server: WireServer, client: NotifyClient
) -> None:
    server.add(Reply(201, b'{"id": "740e5834-3a29-46b4-9a6f-16142fde533a"}'))
    with pytest.raises(InvalidResponseError) as caught:
        client.send_sms_notification("07700900123", bodies.TEMPLATE_ID)
    assert caught.value.status_code == 201
    assert "accepted the message" in str(caught.value)
    assert "do not send it again" in str(caught.value)
