"""Reading notifications back: ``GET /v2/notifications`` and ``/v2/notifications/<id>``."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any, Final

from ..schemas import NOTIFICATION_STATUSES, is_valid_uuid, validate_notifications_query
from ..store import StoredNotification
from .base import ApiBase, Ctx, address_value
from .http import (
    Request,
    Response,
    format_timestamp,
    letter_status_for_output,
    not_found,
    query_lists,
    query_url,
    validation,
)

__all__ = [
    "API_PAGE_SIZE",
    "COMPLETED_STATUSES",
    "LETTER_RATES",
    "LETTER_SHEET_RATE",
    "SMS_RATE",
    "ReadMixin",
    "estimated_delivery",
    "letter_cost",
]

API_PAGE_SIZE: Final = 250
SMS_RATE: Final = 0.0227
LETTER_RATES: Final[Mapping[str, float]] = {
    "economy": 0.59,
    "second": 0.68,
    "first": 1.58,
    "europe": 1.88,
    "rest-of-world": 1.88,
}
LETTER_SHEET_RATE: Final = 0.06

_DELIVERY_DAYS: Final[Mapping[str, int]] = {
    "first": 1,
    "second": 2,
    "economy": 4,
    "europe": 3,
    "rest-of-world": 5,
}
COMPLETED_STATUSES: Final = frozenset(
    {
        "sent",
        "delivered",
        "failed",
        "technical-failure",
        "temporary-failure",
        "permanent-failure",
        "returned-letter",
        "cancelled",
        "validation-failed",
    }
)
_LETTER_NEVER_SENT: Final = frozenset(
    {"cancelled", "technical-failure", "validation-failed", "virus-scan-failed"}
)
_FAILED_ALIAS: Final = (
    "technical-failure",
    "temporary-failure",
    "permanent-failure",
    "validation-failed",
    "virus-scan-failed",
    "returned-letter",
)
_REAL_STATUSES: Final = frozenset(NOTIFICATION_STATUSES) - {"failed"}


def letter_cost(sheets: int, postage: str) -> float:
    """Pounds for a letter of ``sheets`` sheets at ``postage`` (illustrative rates)."""
    base = LETTER_RATES.get(postage, LETTER_RATES["second"])
    return round(base + LETTER_SHEET_RATE * max(sheets - 1, 0), 2)


def estimated_delivery(created_at: int, postage: str) -> str:
    """When a letter is expected to arrive, as a Notify timestamp.

    Printed the next working day when sent after 17:30 or at a weekend, then the postage's
    working days, at 16:00 UTC.
    """
    created = dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=created_at)
    day = created.date()
    if created.time() >= dt.time(17, 30) or day.weekday() >= 5:
        day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    remaining = _DELIVERY_DAYS.get(postage, 2)
    while remaining:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    delivery = dt.datetime.combine(day, dt.time(16, 0))
    return format_timestamp(int((delivery - dt.datetime(1970, 1, 1)).total_seconds()) * 1_000_000)


class ReadMixin(ApiBase):
    """A notification as JSON, one or a page of them."""

    def notification_json(
        self, host: str, notification: StoredNotification, now: int
    ) -> dict[str, Any]:
        """A notification as ``GET /v2/notifications/<id>`` shows it at ``now``."""
        status, reached, sent_at = notification.status_at(now)
        personalisation = notification.personalisation
        kind = notification.type
        data: dict[str, Any] = {
            "id": notification.id,
            "reference": notification.reference,
            "email_address": notification.recipient if kind == "email" else None,
            "phone_number": notification.recipient if kind == "sms" else None,
            "line_1": None,
            "line_2": None,
            "line_3": None,
            "line_4": None,
            "line_5": None,
            "line_6": None,
            "postcode": None,
            "type": kind,
            "status": letter_status_for_output(status) if kind == "letter" else status,
            "template": {
                "id": notification.template_id,
                "version": notification.template_version,
                "uri": (
                    f"{host}/v2/template/{notification.template_id}"
                    f"/version/{notification.template_version}"
                ),
            },
            "body": notification.body,
            "subject": notification.subject,
            "created_at": format_timestamp(notification.created_at),
            "created_by_name": None,
            "sent_at": format_timestamp(sent_at) if sent_at is not None else None,
            "completed_at": format_timestamp(reached) if status in COMPLETED_STATUSES else None,
            "scheduled_for": None,
            "postage": notification.postage,
            "one_click_unsubscribe_url": notification.one_click_unsubscribe_url,
        }
        if kind == "letter":
            for n in range(1, 7):
                data[f"line_{n}"] = address_value(personalisation, f"addressline{n}")
            data["postcode"] = address_value(personalisation, "postcode")
            data["estimated_delivery"] = estimated_delivery(
                notification.created_at, notification.postage or "second"
            )
        data.update(self._cost(notification, status))
        return data

    @staticmethod
    def _cost(notification: StoredNotification, status: str) -> dict[str, Any]:
        if notification.type == "email":
            return {"is_cost_data_ready": True, "cost_in_pounds": 0.0, "cost_details": {}}
        not_ready: dict[str, Any] = {
            "is_cost_data_ready": False,
            "cost_in_pounds": None,
            "cost_details": {},
        }
        if notification.type == "sms":
            if status == "created":
                return not_ready
            units, multiplier = notification.billable_units, notification.rate_multiplier
            return {
                "is_cost_data_ready": True,
                "cost_in_pounds": round(units * multiplier * SMS_RATE, 4),
                "cost_details": {
                    "billable_sms_fragments": units,
                    "international_rate_multiplier": multiplier,
                    "sms_rate": SMS_RATE,
                },
            }
        if status in ("pending-virus-check", "created"):
            return not_ready
        postage = notification.postage or "second"
        if status in _LETTER_NEVER_SENT:
            sheets, cost = 0, 0.0
        else:
            sheets = notification.billable_units
            cost = letter_cost(sheets, postage)
        return {
            "is_cost_data_ready": True,
            "cost_in_pounds": cost,
            "cost_details": {"billable_sheets_of_paper": sheets, "postage": postage},
        }

    def _get_notification(
        self, request: Request, ctx: Ctx | None, params: Mapping[str, str]
    ) -> Response:
        assert ctx is not None
        notification = self._find_notification(params["segment"])
        return Response.json(200, self.notification_json(ctx.host, notification, self.store.now()))

    def _find_notification(self, raw_id: str) -> StoredNotification:
        if not is_valid_uuid(raw_id):
            raise validation(["notification_id is not a valid UUID"])
        notification = self.store.get_notification(str(uuid.UUID(raw_id)))
        if notification is None:
            raise not_found()
        return notification

    def _list_notifications(
        self, request: Request, ctx: Ctx | None, params: Mapping[str, str]
    ) -> Response:
        assert ctx is not None
        lists = query_lists(request.query)
        data: dict[str, Any] = {
            key: values if key in ("status", "template_type") else values[0]
            for key, values in lists.items()
        }
        errors = validate_notifications_query(data)
        if errors:
            raise validation(errors)
        statuses: list[str] | None = None
        if "status" in data:
            expanded: set[str] = set()
            for status in data["status"]:
                if status == "failed":
                    expanded.update(_FAILED_ALIAS)
                elif status == "accepted":
                    expanded.update(("created", "sending"))
                elif status == "received":
                    expanded.add("delivered")
                else:
                    expanded.add(status)
            if not expanded >= _REAL_STATUSES:
                statuses = sorted(expanded)
        older_than = str(uuid.UUID(data["older_than"])) if "older_than" in data else None
        now = self.store.now()
        notifications = self.store.list_notifications(
            now=now,
            key_type=ctx.key.key_type,
            statuses=statuses,
            types=data.get("template_type"),
            reference=data.get("reference"),
            include_jobs="include_jobs" in data,
            older_than=older_than,
            limit=API_PAGE_SIZE,
        )
        current: list[tuple[str, str]] = []
        for key, value in data.items():
            values = value if isinstance(value, list) else [value]
            current += [(key, item) for item in values]
        links = {"current": query_url(ctx.host, "/v2/notifications", current)}
        if notifications:
            following = [(k, v) for k, v in current if k != "older_than"]
            following.append(("older_than", notifications[-1].id))
            links["next"] = query_url(ctx.host, "/v2/notifications", following)
        return Response.json(
            200,
            {
                "notifications": [self.notification_json(ctx.host, n, now) for n in notifications],
                "links": links,
            },
        )
