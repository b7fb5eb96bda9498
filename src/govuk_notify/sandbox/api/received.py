"""Received text messages: ``GET /v2/received-text-messages`` and injecting one."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Mapping
from typing import Any

from ...validation import InvalidPhoneNumberError, parse_phone_number
from ..schemas import validate_received_texts_query
from ..store import StoredReceivedText
from .base import ApiBase, Ctx
from .http import (
    Request,
    Response,
    format_timestamp,
    parse_json,
    query_lists,
    validation,
)
from .read import API_PAGE_SIZE

__all__ = ["ReceivedMixin"]


class ReceivedMixin(ApiBase):
    """Texts users sent to the service."""

    def received_text_json(self, text: StoredReceivedText) -> dict[str, Any]:
        """A received text as ``GET /v2/received-text-messages`` lists it."""
        return {
            "id": text.id,
            "created_at": format_timestamp(text.created_at),
            "service_id": self.service_id,
            "notify_number": text.notify_number,
            "user_number": text.user_number,
            "content": text.content,
        }

    def _list_received(
        self, request: Request, ctx: Ctx | None, params: Mapping[str, str]
    ) -> Response:
        assert ctx is not None
        data = {key: values[0] for key, values in query_lists(request.query).items()}
        errors = validate_received_texts_query(data)
        if errors:
            raise validation(errors)
        older_than = str(uuid.UUID(data["older_than"])) if "older_than" in data else None
        texts = self.store.list_received_texts(older_than=older_than, limit=API_PAGE_SIZE)
        links = {"current": f"{ctx.host}/v2/received-text-messages"}
        if texts:
            links["next"] = f"{ctx.host}/v2/received-text-messages?older_than={texts[-1].id}"
        return Response.json(
            200,
            {"received_text_messages": [self.received_text_json(t) for t in texts], "links": links},
        )

    def add_received_text(
        self, content: str, user_number: str = "447700900123", notify_number: str | None = None
    ) -> StoredReceivedText:
        """Store a text a user sent to the service, and tell the listener.

        The sender's number is stored as the server stores it: in the international form
        without ``+`` (``07700 900123`` becomes ``447700900123``), or as given when it is not a
        phone number the server can read.

        Args:
            content: The text.
            user_number: The sender's phone number, in any form.
            notify_number: The service's number the text was sent to (default: its inbound
                number).

        Returns:
            The stored text.
        """
        # the server keeps a number it cannot parse as it came
        with contextlib.suppress(InvalidPhoneNumberError):
            user_number = parse_phone_number(user_number).normalised
        text = self.store.insert_received_text(
            str(uuid.uuid4()), notify_number or self.settings.inbound_number, user_number, content
        )
        if self.listener is not None:
            self.listener.received_text_stored(text)
        return text

    def _inject_received(
        self, request: Request, ctx: Ctx | None, params: Mapping[str, str]
    ) -> Response:
        body = parse_json(request.body, empty_ok=False)
        errors: list[str] = []
        if not isinstance(body, dict):
            errors.append(f"{body!r} is not of type object".replace("'", ""))
        else:
            for name in ("content", "user_number", "notify_number"):
                if name in body and not isinstance(body[name], str):
                    errors.append(f"{name} {body[name]!r} is not of type string".replace("'", ""))
            if "content" not in body:
                errors.append("content is a required property")
            extras = sorted(k for k in body if k not in ("content", "user_number", "notify_number"))
            if extras:
                verb = "was" if len(extras) == 1 else "were"
                errors.append(
                    f"Additional properties are not allowed ({', '.join(extras)} {verb} unexpected)"
                )
        if errors:
            raise validation(errors)
        text = self.add_received_text(
            body["content"], body.get("user_number") or "447700900123", body.get("notify_number")
        )
        return Response.json(201, self.received_text_json(text))
