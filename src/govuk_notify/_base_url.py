"""Where requests go.

The base URL check (https, or plain http to a loopback host only), the URL of a call, and the
``User-Agent`` both transports send.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from urllib.parse import quote, urlencode, urlsplit

from ._version import __version__
from .errors import InvalidBaseURLError

__all__ = ["DEFAULT_BASE_URL", "USER_AGENT", "build_url", "check_base_url", "where"]

DEFAULT_BASE_URL = "https://api.notifications.service.gov.uk"

USER_AGENT = f"NOTIFY-API-PYTHON-GOVUK-NOTIFY/{__version__}"


def build_url(base_url: str, path: str, params: Sequence[tuple[str, str]] = ()) -> str:
    """The full URL of a call.

    Args:
        base_url: the checked base URL.
        path: the call's path, ids filled in.
        params: the query string's pairs.

    Returns:
        The URL, its query percent-encoded.
    """
    url = base_url + path
    if params:
        url += "?" + urlencode(params, quote_via=quote)
    return url


_LOOPBACK_NAMES = frozenset(("localhost",))


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    # Only 127.0.0.0/8 and ::1: an IPv4-mapped address (::ffff:127.0.0.1) counts as loopback
    # from Python 3.13 on but not before, so it is refused on every version.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return False
    return address.is_loopback


def check_base_url(base_url: str) -> str:
    """Return the base URL without a trailing ``/``.

    Only ``https`` is accepted, except plain ``http`` to a loopback host (``localhost``,
    127.0.0.0/8 or ``::1``), such as the embedded sandbox. The URL may have a path, but no user
    name, password, query string or fragment. The messages name the scheme and host only.

    Args:
        base_url: the URL to check.

    Returns:
        The URL without a trailing ``/``.

    Raises:
        InvalidBaseURLError: the URL breaks one of the rules above.
    """
    if not isinstance(base_url, str):
        raise InvalidBaseURLError(f"base_url must be a str, not {type(base_url).__name__}")
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in base_url):
        raise InvalidBaseURLError("base_url must not contain spaces or control characters")
    parts = urlsplit(base_url)
    scheme = parts.scheme
    if scheme not in ("http", "https"):
        raise InvalidBaseURLError(
            "base_url must start with https:// "
            f"(it starts with {scheme + ':' if scheme else 'no scheme'})"
        )
    if parts.username is not None or parts.password is not None:
        raise InvalidBaseURLError("base_url must not hold a user name or password")
    host = parts.hostname or ""
    if not host:
        raise InvalidBaseURLError("base_url has no host name")
    if "?" in base_url or "#" in base_url:
        raise InvalidBaseURLError("base_url must not have a query string or fragment")
    try:
        parts.port  # noqa: B018  (raises for a bad port)
    except ValueError:
        raise InvalidBaseURLError(f"base_url for host {host!r} has an invalid port") from None
    if scheme == "http" and not _is_loopback(host):
        raise InvalidBaseURLError(
            f"base_url http://{host} is plain http; Notify needs https (http is allowed only to "
            "a loopback host: localhost, 127.0.0.0/8 or ::1, such as the embedded sandbox)"
        )
    return base_url.rstrip("/")


def where(base_url: str) -> str:
    """The ``host:port`` that connection errors name (never a path or query, which may hold an id).

    Args:
        base_url: the checked base URL.

    Returns:
        ``host:port``, the port the scheme's default when the URL has none.
    """
    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname}:{port}"
