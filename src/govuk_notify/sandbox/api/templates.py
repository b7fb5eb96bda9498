"""Templates: ``GET /v2/template/<id>[/version/<n>]``, ``/v2/templates`` and the preview."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from ...validation import find_placeholders
from .. import rendering
from ..schemas import is_valid_uuid, validate_preview_request, validate_templates_query
from ..store import TemplateVersion
from .base import ApiBase, Ctx
from .http import (
    Request,
    Response,
    format_timestamp,
    not_found,
    parse_json,
    query_lists,
    validation,
)

__all__ = ["TemplatesMixin"]


class TemplatesMixin(ApiBase):
    """Reading and previewing templates."""

    def template_json(self, template: TemplateVersion) -> dict[str, Any]:
        """A template as ``GET /v2/template/<id>`` shows it."""
        placeholders = find_placeholders(*self._texts(template))
        return {
            "id": template.id,
            "type": template.type,
            "created_at": format_timestamp(template.created_at),
            "updated_at": (
                format_timestamp(template.version_created_at) if template.version > 1 else None
            ),
            "created_by": template.created_by,
            "version": template.version,
            "body": template.body,
            "subject": template.subject if template.type != "sms" else None,
            "name": template.name,
            "personalisation": {p.name: {"required": True} for p in placeholders},
            "postage": template.postage if template.type == "letter" else None,
            "letter_contact_block": (
                template.letter_contact_block if template.type == "letter" else None
            ),
        }

    def _find_template(self, raw_id: str, version: int | None = None) -> TemplateVersion:
        if not is_valid_uuid(raw_id):
            raise validation(["id is not a valid UUID"])
        template = self._template(str(uuid.UUID(raw_id)), version)
        if template is None:
            raise not_found()
        return template

    def _get_template(
        self, request: Request, ctx: Ctx | None, params: Mapping[str, str]
    ) -> Response:
        version = int(params["version"]) if "version" in params else None
        return Response.json(
            200, self.template_json(self._find_template(params["template_id"], version))
        )

    def _list_templates(
        self, request: Request, ctx: Ctx | None, params: Mapping[str, str]
    ) -> Response:
        data = {key: values[0] for key, values in query_lists(request.query).items()}
        errors = validate_templates_query(data)
        if errors:
            raise validation(errors)
        templates = [
            t for t in self.store.latest_templates()
            if not t.archived and ("type" not in data or t.type == data["type"])
        ]  # fmt: skip
        templates.sort(key=lambda t: (t.name, t.type))
        return Response.json(200, {"templates": [self.template_json(t) for t in templates]})

    def _preview(self, request: Request, ctx: Ctx | None, params: Mapping[str, str]) -> Response:
        raw_id = params["template_id"]
        if not is_valid_uuid(raw_id):
            raise validation(["id is not a valid UUID"])
        body = parse_json(request.body, empty_ok=True)
        if isinstance(body, dict):
            body["id"] = raw_id
        errors = validate_preview_request(body)
        if errors:
            raise validation(errors)
        template = self._find_template(raw_id)
        personalisation: dict[str, Any] = body.get("personalisation") or {}
        self._check_personalisation(template, personalisation)
        subject: str | None = None
        html: str | None = None
        if template.type == "sms":
            content = rendering.sms_body(template.body, personalisation)
        elif template.type == "email":
            content = rendering.email_body(template.body, personalisation)
            subject = rendering.email_subject(template.subject or "", personalisation)
            html = rendering.email_html(template.body, personalisation)
        else:
            content = rendering.letter_body(template.body, personalisation)
            subject = rendering.letter_subject(template.subject or "", personalisation)
        return Response.json(
            200,
            {
                "id": template.id,
                "type": template.type,
                "version": template.version,
                "body": content,
                "subject": subject,
                "postage": template.postage if template.type == "letter" else None,
                "html": html,
            },
        )
