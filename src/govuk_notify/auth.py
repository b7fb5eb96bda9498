"""API key parsing and JWT signing.

A Notify API key reads ``{key_name}-{service_id}-{secret}``. The server (and the official client)
split it from the end: the last 73 characters hold the service id and the secret, both UUIDs, and
the key name before them may contain anything, hyphens included.
"""

from __future__ import annotations

import time
import uuid

import jwt

from .errors import InvalidAPIKeyError

__all__ = ["ApiKey"]


def _canonical_uuid(text: str, what: str) -> str:
    try:
        value = uuid.UUID(text)
    except ValueError:
        raise InvalidAPIKeyError(
            f"The API key is malformed: its {what} (the {'second' if what == 'secret' else 'first'}"
            " of the two UUIDs at its end) is not a UUID. Copy the whole key from the API"
            " integration page of GOV.UK Notify."
        ) from None
    if str(value) != text.lower():
        raise InvalidAPIKeyError(
            f"The API key is malformed: its {what} is not a UUID in 8-4-4-4-12 form."
        )
    return text


class ApiKey:
    """A parsed API key. The secret is kept out of ``repr``, ``str`` and pickles."""

    __slots__ = ("_secret", "key_name", "service_id")

    key_name: str
    service_id: str

    def __init__(self, key_name: str, service_id: str, secret: str) -> None:
        self.key_name = key_name
        self.service_id = _canonical_uuid(service_id, "service id")
        self._secret = _canonical_uuid(secret, "secret")

    @classmethod
    def parse(cls, api_key: str) -> ApiKey:
        """Split a key as the server does.

        Args:
            api_key: the whole key.

        Returns:
            The parsed key.

        Raises:
            InvalidAPIKeyError: the key is malformed.
        """
        if not isinstance(api_key, str):
            raise InvalidAPIKeyError(f"The API key must be a str, not {type(api_key).__name__}.")
        key = api_key.strip()
        if len(key) < 73:
            raise InvalidAPIKeyError(
                "The API key is too short: a Notify key ends with the service id and the"
                " secret, two UUIDs of 36 characters joined by '-' (73 characters); this one"
                f" has {len(key)}."
            )
        if key[-37] != "-" or (len(key) > 73 and key[-74] != "-"):
            raise InvalidAPIKeyError(
                "The API key is malformed: it must read {key_name}-{service_id}-{secret}."
            )
        return cls(key[:-74] if len(key) > 73 else "", key[-73:-37], key[-36:])

    def create_token(self, issued_at: int | None = None) -> str:
        """Sign a fresh token with PyJWT, as Notify checks it.

        The token is an HS256 JWT (header ``{"alg": "HS256", "typ": "JWT"}``) signed with the
        secret, whose claims are ``iss`` (the service id) and ``iat`` (the time it was issued,
        in whole seconds; Notify refuses a token more than 30 seconds old or ahead).

        Args:
            issued_at: the ``iat`` claim; now when None.

        Returns:
            The compact token, for ``Authorization: Bearer <token>``.
        """
        iat = int(time.time()) if issued_at is None else issued_at
        return jwt.encode({"iss": self.service_id, "iat": iat}, self._secret, algorithm="HS256")

    def __repr__(self) -> str:
        return (
            f"ApiKey(key_name={self.key_name!r}, service_id={self.service_id!r}, secret=<hidden>)"
        )

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("ApiKey objects are not picklable (they hold a secret)")
