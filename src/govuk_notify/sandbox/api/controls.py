"""Sandbox-only controls the real API lacks: fixing a status, and ``GET /_status``."""

from __future__ import annotations

from collections.abc import Mapping

from ..schemas import NOTIFICATION_STATUSES
from .base import Ctx
from .http import (
    Request,
    Response,
    parse_json,
    validation,
)
from .read import ReadMixin

__all__ = ["ControlsMixin"]


class ControlsMixin(ReadMixin):
    """``POST /sandbox/notifications/<id>/status`` and ``GET /_status``."""

    def _set_status(self, request: Request, ctx: Ctx | None, params: Mapping[str, str]) -> Response:
        assert ctx is not None
        notification = self._find_notification(params["notification_id"])
        body = parse_json(request.body, empty_ok=False)
        status = body.get("status") if isinstance(body, dict) else None
        if status not in NOTIFICATION_STATUSES or status == "failed":
            allowed = ", ".join(s for s in NOTIFICATION_STATUSES if s != "failed")
            raise validation([f"status must be one of [{allowed}]"])
        self.set_notification_status(notification.id, status)
        updated = self._find_notification(notification.id)
        return Response.json(200, self.notification_json(ctx.host, updated, self.store.now()))

    def _status(self, request: Request, ctx: Ctx | None, params: Mapping[str, str]) -> Response:
        return Response.json(200, {"status": "ok", "service_id": self.service_id})
