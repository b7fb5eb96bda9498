"""The ``GOVUK_NOTIFY_*`` Django settings, read and checked in one place.

The names of the first two are django-gov-notify's, so a settings module written for it works
unchanged; the others are additions:

==========================================  =====================================================
setting                                     meaning
==========================================  =====================================================
``GOVUK_NOTIFY_API_KEY``                    the API key (required by the email backend)
``GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID``    a template whose subject is ``((subject))`` and body
                                            ``((body))``: how ``send_mail`` and every other plain
                                            ``EmailMessage`` is sent
``GOVUK_NOTIFY_BASE_URL``                   Notify's API (the default), or a sandbox's URL
``GOVUK_NOTIFY_TIMEOUT``                    seconds, or a ``(connect, read)`` pair (default 30)
``GOVUK_NOTIFY_RETRY``                      a ``RetryPolicy``, or a dict of its fields
``GOVUK_NOTIFY_EMAIL_REPLY_TO_ID``          the reply-to address id every email uses unless the
                                            message says otherwise
``GOVUK_NOTIFY_REPLY_TO_IDS``               ``{"address": "reply-to id"}``: turns an
                                            ``EmailMessage``'s ``reply_to`` into Notify's id
``GOVUK_NOTIFY_IGNORE_HTML_ALTERNATIVES``   ``True``: send the text of a message that also has an
                                            HTML alternative (default ``False``: refuse it)
``GOVUK_NOTIFY_AUTO_REFERENCE``             ``True`` (the default): give each email without a
                                            reference a unique one, so that a send whose outcome
                                            is unknown can be looked up
``GOVUK_NOTIFY_CALLBACK_TOKEN``             the bearer token (or a list of tokens) Notify sends
                                            to the callback views
==========================================  =====================================================

No message here ever quotes the API key or a token.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.conf import settings

from .._base_url import check_base_url
from ..auth import ApiKey
from ..client import DEFAULT_BASE_URL
from ..errors import ConfigurationError
from ..retry import RetryPolicy, Timeout
from .errors import SettingsError

__all__ = [
    "CALLBACK_TOKEN_MIN_LENGTH",
    "EmailSettings",
    "Problem",
    "callback_token",
    "email_settings",
    "setting_problems",
]

CALLBACK_TOKEN_MIN_LENGTH: Final = 10
"""Notify refuses a callback bearer token shorter than this."""

API_KEY: Final = "GOVUK_NOTIFY_API_KEY"
PLAIN_TEMPLATE: Final = "GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID"
BASE_URL: Final = "GOVUK_NOTIFY_BASE_URL"
TIMEOUT: Final = "GOVUK_NOTIFY_TIMEOUT"
RETRY: Final = "GOVUK_NOTIFY_RETRY"
REPLY_TO_ID: Final = "GOVUK_NOTIFY_EMAIL_REPLY_TO_ID"
REPLY_TO_IDS: Final = "GOVUK_NOTIFY_REPLY_TO_IDS"
IGNORE_HTML: Final = "GOVUK_NOTIFY_IGNORE_HTML_ALTERNATIVES"
AUTO_REFERENCE: Final = "GOVUK_NOTIFY_AUTO_REFERENCE"
CALLBACK_TOKEN_SETTING: Final = "GOVUK_NOTIFY_CALLBACK_TOKEN"  # noqa: S105 (a name)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a setting.

    Attributes:
        setting: The setting's name, such as ``GOVUK_NOTIFY_API_KEY``.
        message: What is wrong; never the value of a key or token.
        code: A short number for the system check id (``govuk_notify.E<code>``).
        warning: Whether it is worth a warning only (the backend can still send something).
    """

    setting: str
    message: str
    code: int
    warning: bool = False


@dataclass(frozen=True)
class EmailSettings:
    """What the email backend needs, read from Django's settings and checked.

    Attributes:
        api_key: The API key (left out of ``repr``).
        plain_template_id: The plain template's id, or None when it is not set.
        base_url: The API's base URL.
        timeout: Seconds, or ``(connect, read)``.
        retry: When the client retries a request.
        email_reply_to_id: The default reply-to id, or None (the service's default).
        reply_to_ids: Reply-to addresses (lower case) and their Notify ids.
        ignore_html_alternatives: Send the text of a message with an HTML alternative.
        auto_reference: Give every email without a reference a unique one.
    """

    api_key: str = field(repr=False)
    plain_template_id: str | None
    base_url: str = DEFAULT_BASE_URL
    timeout: Timeout = 30
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    email_reply_to_id: str | None = None
    reply_to_ids: Mapping[str, str] = field(default_factory=dict)
    ignore_html_alternatives: bool = False
    auto_reference: bool = True


def _get(name: str, default: Any = None) -> Any:
    return getattr(settings, name, default)


def _uuid_text(value: object) -> str | None:
    """The value as a canonical UUID string, or None if it is not a UUID."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _timeout(value: object) -> Timeout | None:
    def seconds(item: object) -> bool:
        return (
            isinstance(item, (int, float))
            and not isinstance(item, bool)
            and math.isfinite(item)
            and item > 0
        )

    if isinstance(value, (list, tuple)) and len(value) == 2 and all(map(seconds, value)):
        return (float(value[0]), float(value[1]))
    if seconds(value):
        assert isinstance(value, (int, float))
        return float(value)
    return None


def _retry(value: object) -> RetryPolicy:
    if isinstance(value, RetryPolicy):
        return value
    if isinstance(value, Mapping):
        try:
            return RetryPolicy(**value)
        except TypeError:
            known = ", ".join(RetryPolicy.__dataclass_fields__)
            raise ConfigurationError(f"its keys must be among {known}") from None
    raise ConfigurationError("it must be a RetryPolicy or a dict of its fields")


def _check_api_key(problems: list[Problem], *, required: bool) -> str | None:
    key = _get(API_KEY)
    if key is None or key == "":
        if required:
            problems.append(
                Problem(API_KEY, "is not set: the email backend needs the service's API key", 1)
            )
        return None
    try:
        ApiKey.parse(key)
    except ConfigurationError as error:  # its messages never quote the key
        problems.append(Problem(API_KEY, str(error), 2))
        return None
    return str(key)


def _check_plain_template(problems: list[Problem], *, required: bool) -> str | None:
    value = _get(PLAIN_TEMPLATE)
    if value is None or value == "":
        if required:
            problems.append(
                Problem(
                    PLAIN_TEMPLATE,
                    "is not set: send_mail, mail_admins, password-reset emails and every other"
                    " EmailMessage without a template_id need a template whose subject is"
                    " ((subject)) and body ((body))",
                    3,
                    warning=True,
                )
            )
        return None
    template_id = _uuid_text(value)
    if template_id is None:
        problems.append(Problem(PLAIN_TEMPLATE, "is not a template id (a UUID)", 4))
    return template_id


def _check_reply_to(problems: list[Problem]) -> tuple[str | None, dict[str, str]]:
    default = _get(REPLY_TO_ID)
    default_id = None if default in (None, "") else _uuid_text(default)
    if default not in (None, "") and default_id is None:
        problems.append(Problem(REPLY_TO_ID, "is not a reply-to address id (a UUID)", 8))
    mapping = _get(REPLY_TO_IDS) or {}
    ids: dict[str, str] = {}
    if not isinstance(mapping, Mapping):
        problems.append(Problem(REPLY_TO_IDS, "must be a dict of address: reply-to id", 8))
        return default_id, ids
    for position, (address, reply_to_id) in enumerate(mapping.items(), start=1):
        checked = _uuid_text(reply_to_id)
        if not isinstance(address, str) or "@" not in address or checked is None:
            problems.append(
                Problem(
                    REPLY_TO_IDS,
                    f"entry {position} must map an email address to a reply-to id (a UUID)",
                    8,
                )
            )
            continue
        ids[address.strip().lower()] = checked
    return default_id, ids


def _check_client_options(problems: list[Problem]) -> tuple[str, Timeout, RetryPolicy]:
    base_url = _get(BASE_URL) or DEFAULT_BASE_URL
    try:
        base_url = check_base_url(base_url)
    except ConfigurationError as error:
        problems.append(Problem(BASE_URL, str(error), 5))
    raw_timeout = _get(TIMEOUT, 30)
    timeout = _timeout(raw_timeout)
    if timeout is None:
        problems.append(
            Problem(TIMEOUT, "must be a positive number of seconds or a (connect, read) pair", 6)
        )
        timeout = 30.0
    retry = RetryPolicy()
    raw_retry = _get(RETRY)
    if raw_retry is not None:
        try:
            retry = _retry(raw_retry)
        except ConfigurationError as error:
            problems.append(Problem(RETRY, str(error), 7))
    return base_url, timeout, retry


def _check_callback_token(problems: list[Problem]) -> tuple[str, ...]:
    value = _get(CALLBACK_TOKEN_SETTING)
    if value is None:
        return ()
    tokens = (value,) if isinstance(value, str) else value
    if (
        not isinstance(tokens, Sequence)
        or not tokens
        or not all(isinstance(t, str) and len(t) >= CALLBACK_TOKEN_MIN_LENGTH for t in tokens)
    ):
        problems.append(
            Problem(
                CALLBACK_TOKEN_SETTING,
                f"must be a token of at least {CALLBACK_TOKEN_MIN_LENGTH} characters, or a list"
                " of them (Notify refuses shorter ones)",
                9,
            )
        )
        return ()
    return tuple(tokens)


def setting_problems(*, backend_in_use: bool = True) -> list[Problem]:
    """Everything wrong with the ``GOVUK_NOTIFY_*`` settings.

    Args:
        backend_in_use: Whether ``EMAIL_BACKEND`` is this package's; only then are the API key
            and the plain template required.

    Returns:
        The problems found, in the order of the settings table; empty when all is well.
    """
    problems: list[Problem] = []
    _check_api_key(problems, required=backend_in_use)
    _check_plain_template(problems, required=backend_in_use)
    _check_client_options(problems)
    _check_reply_to(problems)
    _check_callback_token(problems)
    return problems


def _raise_first(problems: Sequence[Problem]) -> None:
    errors = [p for p in problems if not p.warning]
    if errors:
        text = "; ".join(f"{p.setting} {p.message}" for p in errors)
        raise SettingsError(f"GOV.UK Notify settings: {text}")


def email_settings(*, api_key: str | None = None) -> EmailSettings:
    """Read the settings the email backend needs.

    Args:
        api_key: A key to use instead of ``GOVUK_NOTIFY_API_KEY`` (the backend's
            ``govuk_notify_api_key`` argument, as in django-gov-notify).

    Returns:
        The checked settings.

    Raises:
        SettingsError: A setting is missing or malformed (Django's ``ImproperlyConfigured``
            too); the message names it and never quotes the key.
    """
    problems: list[Problem] = []
    if api_key is None:
        key = _check_api_key(problems, required=True)
    else:
        try:
            ApiKey.parse(api_key)
            key = api_key
        except ConfigurationError as error:
            problems.append(Problem("govuk_notify_api_key", str(error), 2))
            key = None
    plain = _check_plain_template(problems, required=False)
    base_url, timeout, retry = _check_client_options(problems)
    reply_to_id, reply_to_ids = _check_reply_to(problems)
    _raise_first(problems)
    assert key is not None
    return EmailSettings(
        api_key=key,
        plain_template_id=plain,
        base_url=base_url,
        timeout=timeout,
        retry=retry,
        email_reply_to_id=reply_to_id,
        reply_to_ids=reply_to_ids,
        ignore_html_alternatives=bool(_get(IGNORE_HTML, False)),
        auto_reference=bool(_get(AUTO_REFERENCE, True)),
    )


def callback_token() -> tuple[str, ...]:
    """The bearer tokens the callback views accept, from ``GOVUK_NOTIFY_CALLBACK_TOKEN``.

    Returns:
        One token, or several while the token is being changed.

    Raises:
        SettingsError: The setting is missing or malformed (the callback is then
            answered 500, so Notify tries again once it is fixed, rather than 401).
    """
    problems: list[Problem] = []
    tokens = _check_callback_token(problems)
    _raise_first(problems)
    if not tokens:
        raise SettingsError(
            f"GOV.UK Notify settings: {CALLBACK_TOKEN_SETTING} is not set: the callback views"
            " need the bearer token set in Notify's callback settings"
        )
    return tokens
