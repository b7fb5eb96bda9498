"""Django views for Notify's callbacks: delivery receipts, received texts, returned letters.

Each view checks the bearer token in constant time (before reading the body), parses the body
into the typed model, sends a Django signal (:mod:`.signals`) with it and answers 204. A missing
or wrong token is answered 401, a body that is not the payload expected 400 (with a JSON
``{"error": ...}`` that quotes neither token nor personal data), anything but POST 405. The
views are CSRF-exempt (Notify cannot send a CSRF token); nothing else is.

The token is ``GOVUK_NOTIFY_CALLBACK_TOKEN`` (one token, or a list while you change it), or
``expected_token`` given to ``as_view``. Route them yourself::

    path("notify/delivery-receipts/", delivery_receipt_view),
    path("notify/received-texts/", received_text_view),
    path("notify/returned-letters/", returned_letter_view),

or ``path("notify/", include("govuk_notify.django.urls"))``. Subclass a view and override
:meth:`NotifyCallbackView.handle` to act on the payload without a signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from ..callbacks import (
    CallbackError,
    check_bearer_token,
    parse_delivery_receipt,
    parse_received_text,
    parse_returned_letter,
)
from .conf import callback_token
from .signals import delivery_receipt_received, letter_returned, text_message_received

__all__ = [
    "DeliveryReceiptView",
    "NotifyCallbackView",
    "ReceivedTextView",
    "ReturnedLetterView",
    "delivery_receipt_view",
    "received_text_view",
    "returned_letter_view",
]


@method_decorator(csrf_exempt, name="dispatch")
class NotifyCallbackView(View):
    """The common part of the callback views; use one of its subclasses.

    Attributes:
        expected_token: The bearer token (or tokens) to accept; None (the default) reads
            ``GOVUK_NOTIFY_CALLBACK_TOKEN``. Give it with ``as_view(expected_token=...)``.
        signal: The signal sent with the payload.
    """

    http_method_names: ClassVar[list[str]] = ["post"]  # type: ignore[misc]
    expected_token: str | Sequence[str] | None = None
    signal: ClassVar[Signal]

    def get_expected_token(self) -> str | Sequence[str]:
        """The token or tokens to accept.

        Returns:
            ``expected_token``, or ``GOVUK_NOTIFY_CALLBACK_TOKEN``.

        Raises:
            django.core.exceptions.ImproperlyConfigured: Neither is set (answered 500, so that
                Notify tries again once it is fixed).
        """
        if self.expected_token is not None:
            return self.expected_token
        return callback_token()

    def parse(
        self, authorization: str | None, body: bytes, expected_token: str | Sequence[str]
    ) -> Any:
        """Check the token and parse the body into this view's model.

        Args:
            authorization: The ``Authorization`` header, if any.
            body: The request's body.
            expected_token: The token or tokens to accept.

        Returns:
            The typed payload.

        Raises:
            CallbackError: The answer to give (401 or 400).
        """
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Answer one callback.

        Args:
            request: Notify's POST.
            *args: Ignored (from the URL pattern).
            **kwargs: Ignored (from the URL pattern).

        Returns:
            204 once handled; 401 or 400 with ``{"error": ...}`` when refused.
        """
        token = self.get_expected_token()
        authorization = request.headers.get("Authorization")
        try:
            # The token first, so that a caller without it does not get the body read.
            check_bearer_token(authorization, expected_token=token)
            payload = self.parse(authorization, request.body, token)
        except CallbackError as error:
            return JsonResponse({"error": str(error)}, status=error.http_status)
        return self.handle(payload) or HttpResponse(status=204)

    def handle(self, payload: Any) -> HttpResponse | None:
        """Act on a callback: send the view's signal. Override to do something else.

        Args:
            payload: The typed payload.

        Returns:
            None for the default answer (204), or a response of your own.
        """
        self.signal.send(sender=type(self), payload=payload, request=self.request)
        return None


class DeliveryReceiptView(NotifyCallbackView):
    """Delivery receipts of emails and text messages; sends ``delivery_receipt_received``."""

    signal = delivery_receipt_received

    def parse(
        self, authorization: str | None, body: bytes, expected_token: str | Sequence[str]
    ) -> Any:
        """Parse a delivery receipt (see :meth:`NotifyCallbackView.parse`)."""
        return parse_delivery_receipt(authorization, body, expected_token=expected_token)


class ReceivedTextView(NotifyCallbackView):
    """Text messages sent to the service's number; sends ``text_message_received``."""

    signal = text_message_received

    def parse(
        self, authorization: str | None, body: bytes, expected_token: str | Sequence[str]
    ) -> Any:
        """Parse a received text message (see :meth:`NotifyCallbackView.parse`)."""
        return parse_received_text(authorization, body, expected_token=expected_token)


class ReturnedLetterView(NotifyCallbackView):
    """Letters the post returned; sends ``letter_returned``."""

    signal = letter_returned

    def parse(
        self, authorization: str | None, body: bytes, expected_token: str | Sequence[str]
    ) -> Any:
        """Parse a returned letter (see :meth:`NotifyCallbackView.parse`)."""
        return parse_returned_letter(authorization, body, expected_token=expected_token)


delivery_receipt_view = DeliveryReceiptView.as_view()
"""The function view for delivery receipts (token from ``GOVUK_NOTIFY_CALLBACK_TOKEN``)."""
received_text_view = ReceivedTextView.as_view()
"""The function view for received text messages."""
returned_letter_view = ReturnedLetterView.as_view()
"""The function view for returned letters."""
