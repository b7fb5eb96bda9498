"""What every resource of the sandbox's API shares: the service, its keys, limits and templates.

`ApiBase` holds the state (store, settings, lifecycle, limits) and the checks that more
than one resource makes in the server's order: rate and daily limits, template look-ups,
personalisation, who may be sent to, and storing a new notification.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

import phonenumbers

from ...validation import (
    InvalidPhoneNumberError,
    ParsedPhoneNumber,
    missing_personalisation,
    normalise_key,
    parse_phone_number,
)
from ..auth import KeyRecord, ServiceAuth
from ..config import PRECOMPILED_TEMPLATE_ID, ServiceSettings
from ..lifecycle import Lifecycle, Steps
from ..limits import DailyLimits, TokenBuckets, daily_limit_message, rate_limit_message
from ..store import NewNotification, Store, StoredNotification, StoredReceivedText, TemplateVersion
from .http import (
    bad_request,
    error,
)

__all__ = ["ApiBase", "ApiListener", "Ctx", "address_value", "rate_multiplier"]

_TRIAL_MODE_MESSAGE: Final = (
    "Can\u2019t send to this recipient when service is in trial mode \u2013 see "
    "https://www.notifications.service.gov.uk/trial-mode"
)
_TEAM_KEY_MESSAGE: Final = "Can\u2019t send to this recipient using a team-only API key"
_SERVICE_NOT_ALLOWED: Final[Mapping[str, str]] = {
    "sms": "Service is not allowed to send text messages",
    "email": "Service is not allowed to send emails",
    "letter": "Service is not allowed to send letters",
}


def rate_multiplier(parsed: ParsedPhoneNumber) -> float:
    """1 for Great Britain, 2 for the crown dependencies and (illustratively) abroad."""
    if not parsed.is_uk:
        return 2.0
    number = phonenumbers.parse("+" + parsed.normalised)
    return 1.0 if phonenumbers.region_code_for_number(number) in ("GB", None) else 2.0


def address_value(personalisation: Mapping[str, Any], wanted: str) -> str | None:
    """A raw address value, looked up ignoring case, spaces, ``_`` and ``-`` (later keys win)."""
    found: Any = None
    for key, value in personalisation.items():
        if normalise_key(key) == wanted:
            found = value
    if found is None:
        return None
    return found if isinstance(found, str) else str(found)


@dataclass(frozen=True)
class Ctx:
    """One authenticated request's context: the host URL and the key used."""

    host: str
    key: KeyRecord


class ApiListener(Protocol):
    """Told what the API stored, after the store's transaction (so never under its lock).

    Each method must return quickly: it runs on the thread that handles the request.
    """

    def notification_stored(self, notification: StoredNotification) -> None:
        """A notification was stored."""

    def status_changed(self, notification_id: str) -> None:
        """A notification's status was fixed."""

    def received_text_stored(self, text: StoredReceivedText) -> None:
        """A received text was stored."""


class ApiBase:
    """The state every resource shares and the checks more than one of them makes."""

    def __init__(
        self,
        *,
        store: Store,
        service_id: str,
        settings: ServiceSettings,
        lifecycle: Lifecycle,
        rate_limit: int,
        daily_limits: DailyLimits,
        clock: Callable[[], float] = time.time,
        listener: ApiListener | None = None,
    ) -> None:
        """Serve one service.

        Args:
            store: Where everything is kept.
            service_id: The service's id.
            settings: How the service is set up.
            lifecycle: How statuses move on.
            rate_limit: Requests per minute per key type.
            daily_limits: Messages per day by kind.
            clock: The time, for tokens' ``iat``.
            listener: Told what was stored (the callbacks dispatcher).
        """
        self.store = store
        self.service_id = service_id
        self.settings = settings
        self.lifecycle = lifecycle
        self.buckets = TokenBuckets(rate_limit=rate_limit)
        self.daily_limits = daily_limits
        self.clock = clock
        self.listener = listener
        self._keys_lock = threading.Lock()
        self._keys: list[KeyRecord] | None = None

    # --- configuration that may change while running -------------------------------------------

    @property
    def rate_limit(self) -> int:
        """Requests per minute each key type may make."""
        return self.buckets.rate_limit

    def set_rate_limit(self, rate_limit: int) -> None:
        """Change the rate limit (the buckets start full)."""
        self.buckets = TokenBuckets(rate_limit=rate_limit)

    def keys_changed(self) -> None:
        """Forget the cached API keys (one was added, revoked or deleted)."""
        with self._keys_lock:
            self._keys = None

    def _service_auth(self, service_id: str) -> ServiceAuth | None:
        if service_id != self.service_id:
            return None
        with self._keys_lock:
            if self._keys is None:
                self._keys = self.store.api_keys()
            keys = list(self._keys)
        return ServiceAuth(self.service_id, self.settings.active, keys)

    def _check_rate_limits(self, key: KeyRecord, kind: str | None) -> None:
        if not self.buckets.take(self.service_id, key.key_type):
            raise error(429, "RateLimitError", rate_limit_message(key.key_type, self.rate_limit))
        if kind is not None and key.key_type != "test":
            limit = self.daily_limits.limit_for(kind)
            if self.store.daily_count(kind) + 1 > limit:
                raise error(429, "TooManyRequestsError", daily_limit_message(kind, limit))

    # --- templates -----------------------------------------------------------------------------

    def _template(self, template_id: str, version: int | None = None) -> TemplateVersion | None:
        if template_id == PRECOMPILED_TEMPLATE_ID:
            return None
        versions = self.store.template_versions(template_id)
        if not versions:
            return None
        if version:
            return next((v for v in versions if v.version == version), None)
        return versions[-1]

    def _template_for_send(self, template_id: str, kind: str) -> TemplateVersion:
        template = self._template(str(uuid.UUID(template_id)))
        if template is None:
            raise bad_request("Template not found")
        if template.type != kind:
            raise bad_request(f"{template.type} template is not suitable for {kind} notification")
        if template.archived:
            raise bad_request("Template has been deleted")
        return template

    @staticmethod
    def _texts(template: TemplateVersion) -> list[str | None]:
        if template.type == "letter":
            return [template.letter_contact_block, template.subject, template.body]
        if template.type == "email":
            return [template.subject, template.body]
        return [template.body]

    def _check_personalisation(
        self, template: TemplateVersion, personalisation: Mapping[str, Any]
    ) -> None:
        missing = missing_personalisation(self._texts(template), personalisation)
        if missing:
            raise bad_request(f"Missing personalisation: {', '.join(missing)}")

    # --- recipients ----------------------------------------------------------------------------

    def _allowed_to_send_to(self, key: KeyRecord, recipient: str, kind: str) -> None:
        if key.key_type == "test":
            return
        if key.key_type == "normal" and not self.settings.restricted:
            return
        if self._is_team_member(recipient, kind):
            return
        raise bad_request(_TEAM_KEY_MESSAGE if key.key_type == "team" else _TRIAL_MODE_MESSAGE)

    def _is_team_member(self, recipient: str, kind: str) -> bool:
        if kind == "email":
            wanted = recipient.strip().lower()
            return any(member.strip().lower() == wanted for member in self.settings.team_members)
        try:
            wanted = parse_phone_number(recipient).normalised
        except InvalidPhoneNumberError:
            return False
        for member in self.settings.team_members:
            try:
                if parse_phone_number(member).normalised == wanted:
                    return True
            except InvalidPhoneNumberError:
                continue
        return False

    def _require_permission(self, kind: str) -> None:
        if kind not in self.settings.permissions:
            raise bad_request(_SERVICE_NOT_ALLOWED[kind])

    @staticmethod
    def _reject_files(personalisation: Mapping[str, Any]) -> None:
        if any(isinstance(v, dict) and "file" in v for v in personalisation.values()):
            raise bad_request("Can only send a file by email")

    # --- storing -------------------------------------------------------------------------------

    def _notification_uri(self, ctx: Ctx, notification_id: str) -> str:
        return f"{ctx.host}/v2/notifications/{notification_id}"

    def _template_ref(self, ctx: Ctx, template: TemplateVersion) -> dict[str, Any]:
        return {
            "id": template.id,
            "version": template.version,
            "uri": f"{ctx.host}/services/{self.service_id}/templates/{template.id}",
        }

    def _count_as(self, key: KeyRecord, *kinds: str) -> list[str]:
        return [] if key.key_type == "test" else list(kinds)

    def _store(self, new: NewNotification, steps: Steps) -> StoredNotification:
        new.first_status = steps.first
        new.later_steps = steps.later
        new.sent_step = steps.sent_step
        stored = self.store.insert_notification(new)
        if self.listener is not None:
            self.listener.notification_stored(stored)
        return stored

    def set_notification_status(self, notification_id: str, status: str) -> bool:
        """Fix a notification's raw status from now on; False if there is no such notification."""
        if not self.store.set_notification_status(notification_id, status):
            return False
        if self.listener is not None:
            self.listener.status_changed(notification_id)
        return True
