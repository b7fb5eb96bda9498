"""Who may open the web inbox: everyone on a loopback address, else only with the token.

The inbox shows personal data (recipients, message bodies, letters). Bound to a loopback address
(``127.0.0.1``, ``::1``, ``localhost``) only this machine can reach it, so it is open. Bound to any
other address it requires the token given at start-up (``Sandbox(inbox_token=...)``,
``govuk-notify sandbox --inbox-token``); without one it stays shut. A token given on a loopback
address is required too.

A browser signs in once with the token (a form); the inbox then sets an ``HttpOnly``,
``SameSite=Strict`` cookie holding a digest of the token, never the token itself. A script may
send ``Authorization: Bearer <token>`` instead.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from typing import Final

__all__ = ["COOKIE_NAME", "InboxAccess", "is_loopback"]

COOKIE_NAME: Final = "notify_sandbox_inbox"


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (or ``localhost``).

    Args:
        host: The address the sandbox listens on.

    Returns:
        True for ``127.0.0.0/8``, ``::1`` and ``localhost``.
    """
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class InboxAccess:
    """The inbox's access rule for one sandbox.

    Attributes:
        host: The address the sandbox listens on.
        token: The inbox token given at start-up, if any (never shown by ``repr``).
    """

    host: str
    token: str | None = field(default=None, repr=False)

    @property
    def loopback(self) -> bool:
        """Whether the sandbox listens on a loopback address."""
        return is_loopback(self.host)

    @property
    def needs_token(self) -> bool:
        """Whether a request must carry the token."""
        return self.token is not None or not self.loopback

    @property
    def enabled(self) -> bool:
        """False when the inbox is shut: a non-loopback address and no token."""
        return self.loopback or self.token is not None

    @property
    def show_keys(self) -> bool:
        """API keys are shown on a loopback address only."""
        return self.loopback

    def describe(self, url: str) -> str:
        """The line the sandbox prints (and logs) when it starts.

        Args:
            url: The inbox's address.

        Returns:
            Where the inbox is and who may open it.
        """
        if not self.enabled:
            return (
                f"Inbox: shut ({self.host} is not a loopback address; start the sandbox with "
                "--inbox-token to open it with a token)"
            )
        if self.needs_token:
            return f"Inbox: {url} (requires the inbox token given at start-up)"
        return f"Inbox: {url} (open: the sandbox listens on a loopback address)"

    def cookie_value(self) -> str:
        """What the sign-in cookie holds: a digest of the token, not the token."""
        token = self.token or ""
        return hashlib.sha256(b"govuk-notify-inbox\x00" + token.encode()).hexdigest()

    def token_matches(self, given: str) -> bool:
        """Whether ``given`` is the inbox token (compared in constant time)."""
        if self.token is None:
            return False
        return hmac.compare_digest(given.encode(), self.token.encode())

    def allows(self, headers: Mapping[str, str], authorization: str | None) -> bool:
        """Whether a request may see the inbox.

        Args:
            headers: The request's headers by lower-case name (``cookie`` is read).
            authorization: The ``Authorization`` header, if any.

        Returns:
            True if the inbox is open, or the request carries the token or the sign-in cookie.
        """
        if not self.needs_token:
            return True
        if self.token is None:
            return False
        if authorization and authorization.startswith("Bearer "):
            return self.token_matches(authorization[len("Bearer ") :])
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except CookieError:
            return False
        morsel = cookie.get(COOKIE_NAME)
        return morsel is not None and hmac.compare_digest(morsel.value, self.cookie_value())
