"""API key parsing and JWT signing.

A Notify API key reads ``{key_name}-{service_id}-{secret}``. The server (and the official client)
split it from the end: the last 73 characters hold the service id and the secret, both UUIDs, and
the key name before them may contain anything, hyphens included.
"""

from __future__ import annotations

import json
import time
import uuid

from jwt.algorithms import HMACAlgorithm
from jwt.utils import base64url_encode

from .errors import InvalidAPIKeyError

__all__ = ["ApiKey"]

_HS256 = HMACAlgorithm(HMACAlgorithm.SHA256)
_HEADER_SEGMENT = base64url_encode(b'{"alg":"HS256","typ":"JWT"}')


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

    __slots__ = ("_secret", "_signing_key", "key_name", "service_id")

    key_name: str
    service_id: str

    def __init__(self, key_name: str, service_id: str, secret: str) -> None:
        """Check the two UUIDs and prepare the signing key (see :meth:`parse`)."""
        self.key_name = key_name
        self.service_id = _canonical_uuid(service_id, "service id")
        self._secret = _canonical_uuid(secret, "secret")
        # PyJWT's HS256 key, prepared once: jwt.encode() would check the key's form again on
        # every call (a DER parse attempt, about 15 µs), for a key that never changes.
        self._signing_key = _HS256.prepare_key(self._secret)

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
        secret by PyJWT's HS256 algorithm, whose claims are ``iss`` (the service id) and ``iat``
        (the time it was issued, in whole seconds; Notify refuses a token more than 30 seconds
        old or ahead). It is the token ``jwt.encode(claims, secret, algorithm="HS256")`` makes.

        Args:
            issued_at: the ``iat`` claim; now when None.

        Returns:
            The compact token, for ``Authorization: Bearer <token>``.
        """
        iat = int(time.time()) if issued_at is None else issued_at
        claims = json.dumps({"iss": self.service_id, "iat": iat}, separators=(",", ":"))
        signing_input = _HEADER_SEGMENT + b"." + base64url_encode(claims.encode())
        signature = base64url_encode(_HS256.sign(signing_input, self._signing_key))
        return (signing_input + b"." + signature).decode("ascii")

    def __repr__(self) -> str:
        """Show the key name and service id; never the secret."""
        return (
            f"ApiKey(key_name={self.key_name!r}, service_id={self.service_id!r}, secret=<hidden>)"
        )

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        """Refuse to be pickled.

        Raises:
            TypeError: always; the key holds a secret.
        """
        raise TypeError("ApiKey objects are not picklable (they hold a secret)")
