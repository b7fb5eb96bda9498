"""What an endpoint is: :class:`Endpoint`, :class:`Call` and the :class:`Sendable` protocol.

The catalogue of every endpoint is :mod:`govuk_notify.endpoints`; this module imports no model,
so that the request models can name their endpoint without an import cycle.

A :class:`Call` is one endpoint with its ids filled in, its query and its body: both clients
build calls the same way and hand them to their transport.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol, TypeVar

from pydantic import ValidationError

from ._errors_map import describe, invalid_response
from .retry import CallKind

__all__ = ["Call", "Endpoint", "Sendable", "WrongBodyError"]

R_co = TypeVar("R_co", covariant=True)


class WrongBodyError(ValueError):
    """Raised by a decoder whose body parsed but is not what the endpoint answers."""


@dataclass(frozen=True)
class Endpoint(Generic[R_co]):
    """One endpoint of the API.

    Attributes:
        method: ``GET`` or ``POST``.
        route: the path template, such as ``/v2/template/{id}``; the only part of a URL that is
            ever logged.
        kind: ``send`` (a ``POST /v2/notifications/*``: retried only when it cannot have
            arrived) or ``read``.
        response: the name of what it answers, for error messages.
        decode: turns a 2xx body into the response model.
    """

    method: Literal["GET", "POST"]
    route: str
    kind: CallKind
    response: str
    decode: Callable[[bytes], R_co]

    def call(
        self,
        *,
        ids: dict[str, str] | None = None,
        params: Sequence[tuple[str, str]] = (),
        body: bytes | None = None,
        reference: str | None = None,
    ) -> Call[R_co]:
        """Fill in this endpoint's route.

        Args:
            ids: the values of the route's placeholders, already checked and canonical.
            params: the query string's pairs.
            body: the JSON body, for a POST.
            reference: the send's reference, carried by ``SendStatusUnknownError``.

        Returns:
            The call, ready for a transport.
        """
        path = self.route.format_map(ids) if ids else self.route
        return Call(self, path, tuple(params), body, reference)


@dataclass(frozen=True)
class Call(Generic[R_co]):
    """One request to make: an endpoint, its formatted path, query and body."""

    endpoint: Endpoint[R_co]
    path: str
    params: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    reference: str | None = None

    def parse(self, status: int, content: bytes) -> R_co:
        """Turn the body of a 2xx answer into the endpoint's response.

        Args:
            status: the HTTP status.
            content: the body.

        Returns:
            The response model.

        Raises:
            InvalidResponseError: the body is not what the endpoint answers.
        """
        try:
            return self.endpoint.decode(content)
        except ValidationError as err:
            detail = describe(self.endpoint.response, err)
        except WrongBodyError as err:
            detail = str(err)
        # Raised outside the except block: pydantic's error quotes the body, which may hold
        # personal data, so it is not kept as the context.
        raise invalid_response(status, content, detail)


class Sendable(Protocol[R_co]):
    """A request model that can be sent: it knows its endpoint and so its response type."""

    @property
    def endpoint(self) -> Endpoint[R_co]:
        """The endpoint the request is sent to."""
        ...

    @property
    def reference(self) -> str | None:
        """The caller's reference, if any."""
        ...

    def to_payload(self) -> dict[str, Any]:
        """The JSON object Notify expects."""
        ...
