"""The bearer token check, in constant time, that comes before reading a callback's body."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence

from govuk_notify.errors import ConfigurationError

from ._errors import InvalidTokenError, MissingTokenError


def _as_bytes(text: str) -> bytes:
    # "surrogatepass" so that no str (not even a lone surrogate) can make encoding fail.
    return text.encode("utf-8", "surrogatepass")


def _expected_tokens(expected_token: str | Sequence[str]) -> tuple[bytes, ...]:
    candidates: object = expected_token
    if isinstance(candidates, str):
        candidates = (candidates,)
    if not isinstance(candidates, Sequence) or not candidates:
        candidates = ()
    tokens: list[bytes] = []
    for candidate in candidates:
        if not isinstance(candidate, str) or not candidate:
            tokens.clear()
            break
        tokens.append(_as_bytes(candidate))
    if not tokens:
        # A programming or deployment mistake (say an unset environment variable), not a bad
        # callback: it must not turn into a 401 that hides it.
        raise ConfigurationError(
            "expected_token must be a non-empty string, or a non-empty sequence of them"
        )
    return tuple(tokens)


def _received_token(authorization: str | bytes | None) -> bytes:
    if authorization is None:
        raise MissingTokenError("The callback has no Authorization header")
    # Header bytes are Latin-1, as WSGI and ASGI servers read them (and as Notify's sender,
    # Python's http.client, writes them): bytes and str headers then give the same token.
    text = authorization.decode("latin-1") if isinstance(authorization, bytes) else authorization
    scheme, *rest = re.split(r"[ \t]+", text.strip(" \t"), maxsplit=1)
    if not scheme:
        raise MissingTokenError("The callback's Authorization header is empty")
    if scheme.lower() != "bearer":
        raise MissingTokenError(
            "The callback's Authorization header does not use the Bearer scheme"
        )
    if not rest:
        raise MissingTokenError("The callback's Authorization header has no bearer token")
    return _as_bytes(rest[0])


def check_bearer_token(
    authorization: str | bytes | None, *, expected_token: str | Sequence[str]
) -> None:
    """Check the `Authorization` header of a callback against the token you configured.

    The comparison takes the same time whatever the tokens hold: it compares SHA-256 digests
    with `hmac.compare_digest`, so even the length is not revealed. The `parse_*` functions call
    it first; call it yourself only to check a token without parsing a body.

    Args:
        authorization: The request's `Authorization` header as `str` or `bytes` (read as
            Latin-1, as WSGI and ASGI servers read headers), or None when there is none. The
            scheme is matched ignoring case (`Bearer`, `bearer`).
        expected_token: The token set in Notify, or a sequence of tokens that are all accepted:
            Notify retries a callback (for up to 25 minutes) with the token it had when it
            queued it, so while you change the token both the old and the new one arrive.

    Raises:
        MissingTokenError: There is no bearer token in `authorization` (answer 401).
        InvalidTokenError: The token is none of the expected ones (answer 401).
        ConfigurationError: `expected_token` is empty, or a sequence that is empty or holds an
            empty string or a non-string (say, an unset environment variable).

    Example:
        ```python
        check_bearer_token(headers.get("Authorization"), expected_token=[new_token, old_token])
        ```
    """
    expected = _expected_tokens(expected_token)
    received = hashlib.sha256(_received_token(authorization)).digest()
    matched = False
    for candidate in expected:
        matched |= hmac.compare_digest(received, hashlib.sha256(candidate).digest())
    if not matched:
        raise InvalidTokenError("The callback's bearer token is not the expected one")
