"""Letters: ``POST /v2/notifications/letter`` (templated and precompiled) and their PDFs."""

from __future__ import annotations

import base64
import binascii
import math
import re
import uuid
from collections.abc import Mapping
from typing import Any, Final

from ...validation import InvalidPostalAddressError, validate_postal_address
from .. import rendering
from ..auth import KeyRecord
from ..config import PRECOMPILED_TEMPLATE_ID
from ..countries import country_zone
from ..pdf import letter_pdf
from ..schemas import validate_letter_request, validate_precompiled_request
from ..store import NewNotification, TemplateVersion
from .base import Ctx
from .http import (
    Request,
    Response,
    V2Error,
    bad_request,
    error,
    validation,
)
from .read import ReadMixin

__all__ = ["QR_CODE_MAX_BYTES", "LettersMixin"]

QR_CODE_MAX_BYTES: Final = 504
_QR_LINE: Final = re.compile(r"^qr:\s*(.*)$", re.IGNORECASE | re.MULTILINE)


class LettersMixin(ReadMixin):
    """Sending letters and serving their PDFs."""

    def _check_qr_codes(
        self, template: TemplateVersion, personalisation: Mapping[str, Any]
    ) -> None:
        rendered = rendering.letter_body(template.body, personalisation)
        for match in _QR_LINE.finditer(rendered):
            data = match.group(1).strip()
            size = len(data.encode("utf-8"))
            if size > QR_CODE_MAX_BYTES:
                raise V2Error(
                    400,
                    [
                        {
                            "error": "ValidationError",
                            "message": "Cannot create a usable QR code - the link is too long",
                            "data": data,
                            "num_bytes": size,
                            "max_bytes": QR_CODE_MAX_BYTES,
                        }
                    ],
                )

    def _check_can_send_letters(self, key: KeyRecord) -> None:
        if key.key_type == "team":
            raise bad_request("Cannot send letters with a team api key", 403)
        if self.settings.restricted and key.key_type != "test":
            raise bad_request("Cannot send letters when service is in trial mode", 403)

    def letter_postage_zone(self, personalisation: Mapping[str, Any]) -> tuple[list[str], str]:
        """Validate a letter's address exactly as the server does.

        Args:
            personalisation: The letter's personalisation.

        Returns:
            The address lines and the postage zone (``united-kingdom``, ``europe`` or
            ``rest-of-world``).

        Raises:
            V2Error: The server's message for the first check that fails.
        """
        try:
            address = validate_postal_address(
                personalisation, foreign_country=lambda line: country_zone(line) is not None
            )
        except InvalidPostalAddressError as err:
            raise validation([str(err)]) from None
        lines = list(address.lines)
        if (
            address.may_be_international
            and address.postcode is None
            and address.bfpo_number is None
        ):
            zone = country_zone(lines[-1])
            international_allowed = "international_letters" in self.settings.permissions
            if zone is None or not international_allowed:
                raise validation(
                    [
                        "Last line of address must be a real UK postcode or another country"
                        if international_allowed
                        else "Must be a real UK postcode"
                    ]
                )
            return lines, zone
        return lines, "united-kingdom"

    def _send_letter(self, ctx: Ctx, body: Any) -> Response:
        errors = validate_letter_request(body)
        if errors:
            raise validation(errors)
        self._require_permission("letter")
        template = self._template_for_send(body["template_id"], "letter")
        personalisation: dict[str, Any] = body["personalisation"]
        self._check_qr_codes(template, personalisation)
        self._check_personalisation(template, personalisation)
        content = rendering.letter_body(template.body, personalisation)
        if not content:
            raise bad_request("Your message is empty.")
        self._reject_files(personalisation)
        self._check_can_send_letters(ctx.key)
        lines, zone = self.letter_postage_zone(personalisation)
        postage = (template.postage or "second") if zone == "united-kingdom" else zone
        subject = rendering.letter_subject(template.subject or "", personalisation)

        notification_id = str(uuid.uuid4())
        pdf, pages = letter_pdf(
            address_lines=lines,
            body=content,
            subject=rendering.letter_body(template.subject or "", personalisation),
            contact_block=(
                rendering.letter_body(template.letter_contact_block, personalisation)
                if template.letter_contact_block
                else None
            ),
        )
        reference = body.get("reference")
        self._store(
            NewNotification(
                id=notification_id,
                key_type=ctx.key.key_type,
                api_key_id=ctx.key.id,
                type="letter",
                template_id=template.id,
                template_version=template.version,
                recipient=lines[0] if lines else None,
                normalised_to=None,
                reference=reference,
                body=content,
                subject=subject,
                personalisation=personalisation,
                postage=postage,
                billable_units=math.ceil(pages / 2),
                pdf=pdf,
                count_as=self._count_as(ctx.key, "letter"),
            ),
            self.lifecycle.letter(pages, test_key=ctx.key.key_type == "test"),
        )
        return Response.json(
            201,
            {
                "id": notification_id,
                "reference": reference,
                "uri": self._notification_uri(ctx, notification_id),
                "template": self._template_ref(ctx, template),
                "content": {"body": content, "subject": subject},
                "scheduled_for": None,
            },
        )

    def _send_precompiled(self, ctx: Ctx, body: dict[str, Any]) -> Response:
        errors = validate_precompiled_request(body)
        if errors:
            raise validation(errors)
        self._require_permission("letter")
        self._check_can_send_letters(ctx.key)
        try:
            content = base64.b64decode(body["content"])
        except (binascii.Error, ValueError):
            raise bad_request("Cannot decode letter content (invalid base64 encoding)") from None
        postage = body.get("postage") or "second"
        notification_id = str(uuid.uuid4())
        steps = self.lifecycle.precompiled_letter(content)
        self._store(
            NewNotification(
                id=notification_id,
                key_type=ctx.key.key_type,
                api_key_id=ctx.key.id,
                type="letter",
                template_id=PRECOMPILED_TEMPLATE_ID,
                template_version=1,
                recipient="Provided as PDF",
                normalised_to=None,
                reference=body["reference"],
                body="",
                subject="Pre-compiled PDF",
                personalisation={"address_line_1": "Provided as PDF"},
                postage=postage,
                precompiled=True,
                billable_units=1,
                pdf=content,
                count_as=self._count_as(ctx.key, "letter"),
            ),
            steps,
        )
        return Response.json(
            201, {"id": notification_id, "reference": body["reference"], "postage": postage}
        )

    def _get_pdf(self, request: Request, ctx: Ctx | None, params: Mapping[str, str]) -> Response:
        notification = self._find_notification(params["notification_id"])
        if notification.type != "letter":
            raise bad_request("Notification is not a letter")
        status, _, _ = notification.status_at(self.store.now())
        if status == "virus-scan-failed":
            raise bad_request("File did not pass the virus scan")
        if status == "technical-failure":
            raise bad_request(f"PDF not available for letters in status {status}")
        if status == "pending-virus-check" or (
            status == "created" and not notification.precompiled
        ):
            raise error(400, "PDFNotReadyError", "PDF not available yet, try again later")
        pdf = self.store.letter_pdf(notification.id)
        if pdf is None:
            raise error(400, "PDFNotReadyError", "PDF not available yet, try again later")
        return Response(200, pdf, content_type="application/pdf")
