"""GOV.UK Notify's callbacks in FastAPI: dependencies, and a router made of them.

Install with ``pip install 'govuk-notify[fastapi]'``. A dependency checks the bearer token in
constant time before reading the body, and gives your route the typed model; a missing or wrong
token is answered 401 and a malformed body 400 (FastAPI's ``{"detail": ...}``, quoting neither
token nor personal data)::

    from typing import Annotated
    from fastapi import Depends, FastAPI
    from govuk_notify.callbacks import DeliveryReceipt
    from govuk_notify.fastapi import delivery_receipt

    app = FastAPI()

    @app.post("/notify/delivery-receipts", status_code=204)
    def receipt(payload: Annotated[DeliveryReceipt, Depends(delivery_receipt(TOKEN))]) -> None:
        ...

or, for all three at once, :func:`callbacks_router` with a handler for each kind you receive.
A handler (or route) that raises makes the answer 500, so Notify tries again later.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

try:
    from fastapi import APIRouter, HTTPException, Request, Response
    from fastapi.concurrency import run_in_threadpool
except ImportError as error:  # pragma: no cover (the extra is installed for the tests)
    raise ImportError(
        "govuk_notify.fastapi needs FastAPI: pip install 'govuk-notify[fastapi]'"
    ) from error

from .callbacks import (
    CallbackError,
    DeliveryReceipt,
    ReceivedTextCallback,
    ReturnedLetterCallback,
    _expected_tokens,
    check_bearer_token,
    parse_delivery_receipt,
    parse_received_text,
    parse_returned_letter,
)

__all__ = ["callbacks_router", "delivery_receipt", "received_text", "returned_letter"]

_P = TypeVar("_P")
Token = str | Sequence[str]
"""A bearer token, or several accepted while you change it."""


def _dependency(
    parse: Callable[..., _P], expected_token: Token
) -> Callable[[Request], Awaitable[_P]]:
    _expected_tokens(expected_token)  # an empty token is a mistake to report now

    async def dependency(request: Request) -> _P:
        authorization = request.headers.get("authorization")
        try:
            # The token first, so that a caller without it does not get the body read.
            check_bearer_token(authorization, expected_token=expected_token)
            return parse(authorization, await request.body(), expected_token=expected_token)
        except CallbackError as error:
            raise HTTPException(error.http_status, detail=str(error)) from None

    return dependency


def delivery_receipt(expected_token: Token) -> Callable[[Request], Awaitable[DeliveryReceipt]]:
    """A dependency giving the delivery receipt in the request.

    Args:
        expected_token: The bearer token set in Notify, or several while you change it.

    Returns:
        The dependency, for ``Depends``; it answers 401 or 400 itself.

    Raises:
        ConfigurationError: The token is empty.
    """
    return _dependency(parse_delivery_receipt, expected_token)


def received_text(expected_token: Token) -> Callable[[Request], Awaitable[ReceivedTextCallback]]:
    """A dependency giving the received text message in the request.

    Args:
        expected_token: The bearer token set in Notify, or several while you change it.

    Returns:
        The dependency, for ``Depends``; it answers 401 or 400 itself.

    Raises:
        ConfigurationError: The token is empty.
    """
    return _dependency(parse_received_text, expected_token)


def returned_letter(
    expected_token: Token,
) -> Callable[[Request], Awaitable[ReturnedLetterCallback]]:
    """A dependency giving the returned letter in the request.

    Args:
        expected_token: The bearer token set in Notify, or several while you change it.

    Returns:
        The dependency, for ``Depends``; it answers 401 or 400 itself.

    Raises:
        ConfigurationError: The token is empty.
    """
    return _dependency(parse_returned_letter, expected_token)


def _endpoint(
    dependency: Callable[[Request], Awaitable[_P]], handler: Callable[[_P], object]
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        payload = await dependency(request)
        if inspect.iscoroutinefunction(handler):
            await handler(payload)
        else:
            result: Any = await run_in_threadpool(handler, payload)
            if inspect.isawaitable(result):
                await result
        return Response(status_code=204)

    return endpoint


def callbacks_router(
    expected_token: Token,
    *,
    on_delivery_receipt: Callable[[DeliveryReceipt], object] | None = None,
    on_text_message: Callable[[ReceivedTextCallback], object] | None = None,
    on_returned_letter: Callable[[ReturnedLetterCallback], object] | None = None,
    prefix: str = "",
) -> APIRouter:
    """A router with a POST route for each kind of callback you give a handler for.

    The routes are ``/delivery-receipts``, ``/received-texts`` and ``/returned-letters`` under
    ``prefix``; each answers 204 once its handler returns. A handler may be a plain function
    (run in FastAPI's thread pool) or a coroutine function.

    Args:
        expected_token: The bearer token set in Notify, or several while you change it.
        on_delivery_receipt: Called with each delivery receipt.
        on_text_message: Called with each received text message.
        on_returned_letter: Called with each returned letter.
        prefix: Where the routes go, such as ``/notify``.

    Returns:
        The router, for ``app.include_router``.

    Raises:
        ConfigurationError: The token is empty.
        ValueError: No handler was given.
    """
    routes: list[tuple[str, Callable[[Request], Awaitable[Response]]]] = []
    if on_delivery_receipt is not None:
        dependency = delivery_receipt(expected_token)
        routes.append(("/delivery-receipts", _endpoint(dependency, on_delivery_receipt)))
    if on_text_message is not None:
        text = received_text(expected_token)
        routes.append(("/received-texts", _endpoint(text, on_text_message)))
    if on_returned_letter is not None:
        letter = returned_letter(expected_token)
        routes.append(("/returned-letters", _endpoint(letter, on_returned_letter)))
    if not routes:
        raise ValueError(
            "callbacks_router needs a handler: on_delivery_receipt, on_text_message or"
            " on_returned_letter"
        )
    router = APIRouter(prefix=prefix)
    for path, endpoint in routes:
        router.add_api_route(
            path, endpoint, methods=["POST"], status_code=204, response_class=Response
        )
    return router
