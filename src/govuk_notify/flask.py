"""GOV.UK Notify's callbacks in Flask: a blueprint with a route for each kind.

Install with ``pip install 'govuk-notify[flask]'``::

    from govuk_notify.flask import callbacks_blueprint

    app.config["GOVUK_NOTIFY_CALLBACK_TOKEN"] = "the bearer token set in Notify"
    app.register_blueprint(
        callbacks_blueprint(on_delivery_receipt=record_status), url_prefix="/notify"
    )

That serves ``POST /notify/delivery-receipts``, ``/notify/received-texts`` and
``/notify/returned-letters``. Each checks the bearer token in constant time before reading the
body, parses the body into the typed model, calls your handler (if you gave one) and sends a
Flask signal (:data:`delivery_receipt_received`, :data:`text_message_received`,
:data:`letter_returned`) with the app as sender and ``payload=`` the model, then answers 204.
A missing or wrong token is answered 401 and a malformed body 400, each with
``{"error": ...}`` quoting neither token nor personal data. A handler or receiver that raises
makes the answer 500, so Notify tries again later.

With Flask-WTF's ``CSRFProtect``, exempt the blueprint: ``csrf.exempt(blueprint)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

try:
    from blinker import Namespace
    from flask import Blueprint, current_app, jsonify, request
    from flask.typing import ResponseReturnValue
except ImportError as error:  # pragma: no cover (the extra is installed for the tests)
    raise ImportError(
        "govuk_notify.flask needs Flask: pip install 'govuk-notify[flask]'"
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
from .errors import ConfigurationError

__all__ = [
    "CONFIG_KEY",
    "callbacks_blueprint",
    "delivery_receipt_received",
    "letter_returned",
    "text_message_received",
]

CONFIG_KEY = "GOVUK_NOTIFY_CALLBACK_TOKEN"
"""The app config key read for the bearer token when the blueprint is not given one."""

_signals = Namespace()
delivery_receipt_received = _signals.signal("govuk-notify-delivery-receipt-received")
"""Sent with ``payload=`` an :class:`~govuk_notify.callbacks.EmailDeliveryReceipt` or
:class:`~govuk_notify.callbacks.SmsDeliveryReceipt`."""
text_message_received = _signals.signal("govuk-notify-text-message-received")
"""Sent with ``payload=`` a :class:`~govuk_notify.callbacks.ReceivedTextCallback`."""
letter_returned = _signals.signal("govuk-notify-letter-returned")
"""Sent with ``payload=`` a :class:`~govuk_notify.callbacks.ReturnedLetterCallback`."""

_P = TypeVar("_P")
_Parser = Callable[..., _P]


def _token(expected_token: str | Sequence[str] | None) -> str | Sequence[str]:
    if expected_token is not None:
        return expected_token
    configured = current_app.config.get(CONFIG_KEY)
    if not configured:
        # Answered 500, so that Notify tries again once it is fixed.
        raise ConfigurationError(f"{CONFIG_KEY} is not set in the app's config")
    _expected_tokens(configured)
    return configured  # type: ignore[no-any-return]


def _view(
    parse: _Parser[_P],
    signal: Any,
    handler: Callable[[_P], object] | None,
    expected_token: str | Sequence[str] | None,
) -> Callable[[], ResponseReturnValue]:
    def view() -> ResponseReturnValue:
        token = _token(expected_token)
        authorization = request.headers.get("Authorization")
        try:
            # The token first, so that a caller without it does not get the body read.
            check_bearer_token(authorization, expected_token=token)
            payload = parse(authorization, request.get_data(), expected_token=token)
        except CallbackError as error:
            return jsonify(error=str(error)), error.http_status
        if handler is not None:
            handler(payload)
        signal.send(current_app._get_current_object(), payload=payload)  # type: ignore[attr-defined]
        return "", 204

    return view


def callbacks_blueprint(
    name: str = "govuk_notify_callbacks",
    *,
    expected_token: str | Sequence[str] | None = None,
    on_delivery_receipt: Callable[[DeliveryReceipt], object] | None = None,
    on_text_message: Callable[[ReceivedTextCallback], object] | None = None,
    on_returned_letter: Callable[[ReturnedLetterCallback], object] | None = None,
    url_prefix: str | None = None,
) -> Blueprint:
    """A blueprint that receives Notify's callbacks.

    Args:
        name: The blueprint's name (its endpoints are ``<name>.delivery_receipt``,
            ``<name>.received_text`` and ``<name>.returned_letter``).
        expected_token: The bearer token, or tokens while you change it; None reads
            ``app.config["GOVUK_NOTIFY_CALLBACK_TOKEN"]`` on each request.
        on_delivery_receipt: Called with each delivery receipt, before the signal.
        on_text_message: Called with each received text message, before the signal.
        on_returned_letter: Called with each returned letter, before the signal.
        url_prefix: Where to mount the routes (also accepted by ``register_blueprint``).

    Returns:
        The blueprint, to register on the app.

    Raises:
        ConfigurationError: ``expected_token`` is empty.
    """
    if expected_token is not None:
        _expected_tokens(expected_token)
    blueprint = Blueprint(name, __name__, url_prefix=url_prefix)
    routes: list[tuple[str, str, Callable[[], ResponseReturnValue]]] = [
        (
            "/delivery-receipts",
            "delivery_receipt",
            _view(
                parse_delivery_receipt,
                delivery_receipt_received,
                on_delivery_receipt,
                expected_token,
            ),
        ),
        (
            "/received-texts",
            "received_text",
            _view(parse_received_text, text_message_received, on_text_message, expected_token),
        ),
        (
            "/returned-letters",
            "returned_letter",
            _view(parse_returned_letter, letter_returned, on_returned_letter, expected_token),
        ),
    ]
    for rule, endpoint, view in routes:
        blueprint.add_url_rule(rule, endpoint, view, methods=["POST"])
    return blueprint
