"""Checks the ``Authorization`` header exactly as the Notify API does (server contract §5.2–§5.4).

1. No header (or an empty one) gives 401; a scheme other than Bearer (the first 7 characters are
   title-cased before the comparison) gives 401.
2. The token is decoded without verifying it to read ``iss``: an undecodable token gives the
   general 403 message, a missing ``iss`` its own message, an ``iss`` that is not a UUID another.
3. The service must exist, be active and have API keys.
4. The token is checked against each key of the service, revoked keys included, with PyJWT
   (HS256 only, 30 seconds of leeway): a bad signature or a missing ``iat`` moves on to the next
   key; on the key that verifies come the clock check and then the revoked check.
5. No key verifies: ``Invalid token: API key not found``.

Tokens are never logged or echoed: an `AuthenticationError` carries only the server's
message.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import jwt

__all__ = [
    "CLOCK_SKEW_SECONDS",
    "GENERAL_TOKEN_ERROR_MESSAGE",
    "AuthenticationError",
    "KeyRecord",
    "ServiceAuth",
    "authenticate",
]

CLOCK_SKEW_SECONDS = 30

GENERAL_TOKEN_ERROR_MESSAGE = (
    "Invalid token: make sure your API token matches the example at "  # noqa: S105 (a message)
    "https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header"
)
_CLOCK_MESSAGE = "Error: Your system clock must be accurate to within 30 seconds"


class AuthenticationError(Exception):
    """The request is refused with an ``AuthError`` (401 or 403)."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


@dataclass(frozen=True)
class KeyRecord:
    """One API key of the service. ``key_type`` is ``normal`` (live), ``team`` or ``test``."""

    id: str
    name: str
    key_type: str
    secret: str = ""
    revoked: bool = False

    def __repr__(self) -> str:  # never show the secret
        return (
            f"KeyRecord(id={self.id!r}, name={self.name!r}, key_type={self.key_type!r}, "
            f"revoked={self.revoked!r})"
        )


@dataclass(frozen=True)
class ServiceAuth:
    """What authentication needs to know about a service."""

    service_id: str
    active: bool
    keys: Sequence[KeyRecord]


class _ClockError(Exception):
    pass


class _NextKeyError(Exception):
    pass


def _verify_with(token: str, secret: str, now: float) -> None:
    """Verify ``token`` with one key, raising what the server's decoder would."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key=secret.encode(),
            algorithms=["HS256"],
            options={"verify_signature": True},
            leeway=CLOCK_SKEW_SECONDS,
        )
    except (jwt.InvalidIssuedAtError, jwt.ImmatureSignatureError) as exc:
        raise _ClockError from exc
    except jwt.InvalidAlgorithmError:
        raise
    except jwt.DecodeError as exc:  # a bad signature among them: try the next key
        raise _NextKeyError from exc
    # the client library's own checks after PyJWT's
    if "iss" not in claims or "iat" not in claims:
        raise _NextKeyError
    try:
        iat = int(claims["iat"])
    except (TypeError, ValueError) as exc:
        raise _ClockError from exc
    if now > iat + CLOCK_SKEW_SECONDS or iat > now + CLOCK_SKEW_SECONDS:
        raise _ClockError


def authenticate(
    authorization: str | None,
    find_service: Callable[[str], ServiceAuth | None],
    *,
    clock: Callable[[], float] = time.time,
) -> tuple[ServiceAuth, KeyRecord]:
    """The service and the key that signed the token; else `AuthenticationError`."""
    if not authorization:
        raise AuthenticationError(401, "Unauthorized: authentication token must be provided")
    if authorization[:7].title() != "Bearer ":
        raise AuthenticationError(401, "Unauthorized: authentication bearer scheme must be used")
    token = authorization[7:]

    try:
        unverified: dict[str, Any] = jwt.decode(
            token, algorithms=["HS256"], options={"verify_signature": False}
        )
    except jwt.DecodeError:
        raise AuthenticationError(403, GENERAL_TOKEN_ERROR_MESSAGE) from None
    except jwt.PyJWTError:
        raise AuthenticationError(403, GENERAL_TOKEN_ERROR_MESSAGE) from None
    if "iss" not in unverified:
        raise AuthenticationError(403, "Invalid token: iss field not provided")
    issuer = unverified["iss"]
    try:
        service_id = str(uuid.UUID(issuer))
    except Exception:
        raise AuthenticationError(
            403, "Invalid token: service id is not the right data type"
        ) from None

    service = find_service(service_id)
    if service is None:
        raise AuthenticationError(403, "Invalid token: service not found")
    if not service.keys:
        raise AuthenticationError(403, "Invalid token: service has no API keys")
    if not service.active:
        raise AuthenticationError(403, "Invalid token: service is archived")

    now = clock()
    for key in service.keys:
        try:
            _verify_with(token, key.secret, now)
        except _ClockError:
            raise AuthenticationError(403, _CLOCK_MESSAGE) from None
        except jwt.InvalidAlgorithmError:
            raise AuthenticationError(403, "Invalid token: algorithm used is not HS256") from None
        except _NextKeyError:
            continue
        except jwt.PyJWTError:
            raise AuthenticationError(403, GENERAL_TOKEN_ERROR_MESSAGE) from None
        if key.revoked:
            raise AuthenticationError(403, "Invalid token: API key revoked")
        return service, key
    raise AuthenticationError(403, "Invalid token: API key not found")
