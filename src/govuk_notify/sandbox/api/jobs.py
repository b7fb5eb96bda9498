"""CSV jobs (batches) stored straight into the sandbox, for ``include_jobs``."""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from ...validation import (
    InvalidEmailAddressError,
    InvalidPhoneNumberError,
    missing_personalisation,
    parse_phone_number,
    validate_email_address,
)
from .. import rendering
from ..lifecycle import failure_for_email, failure_for_phone
from ..pdf import letter_pdf
from ..store import NewNotification
from .base import address_value, rate_multiplier
from .http import (
    V2Error,
)
from .letters import LettersMixin

__all__ = ["JobsMixin"]


class JobsMixin(LettersMixin):
    """Jobs of many notifications from one template."""

    def create_job(
        self, template_id: str, rows: Sequence[Mapping[str, Any]], reference: str | None = None
    ) -> tuple[str, list[str]]:
        """Store one notification per row as a live-key CSV job; return the job id and the ids.

        Each row is the personalisation of one message, with the recipient under ``phone number``
        (text messages), ``email address`` (emails) or the address lines (letters), matched as
        the server matches CSV columns (ignoring case, spaces, ``_`` and ``-``).
        """
        template = self._template(str(uuid.UUID(template_id)))
        if template is None or template.archived:
            raise ValueError(f"no usable template with id {template_id}")
        job_id = str(uuid.uuid4())
        ids = []
        for row_number, row in enumerate(rows):
            personalisation = dict(row)
            missing = missing_personalisation(self._texts(template), personalisation)
            if missing:
                raise ValueError(f"row {row_number}: Missing personalisation: {', '.join(missing)}")
            notification_id = str(uuid.uuid4())
            new = NewNotification(
                id=notification_id,
                key_type="normal",
                api_key_id=None,
                type=template.type,
                template_id=template.id,
                template_version=template.version,
                recipient=None,
                normalised_to=None,
                reference=reference,
                body="",
                subject=None,
                personalisation=personalisation,
                job_id=job_id,
                job_row_number=row_number,
                count_as=[template.type],
            )
            if template.type == "sms":
                recipient = address_value(personalisation, "phonenumber")
                if recipient is None:
                    raise ValueError(f"row {row_number}: no 'phone number'")
                try:
                    parsed = parse_phone_number(recipient)
                except InvalidPhoneNumberError as err:
                    raise ValueError(f"row {row_number}: {err}") from None
                new.recipient, new.normalised_to = recipient, parsed.normalised
                new.body = rendering.sms_body(template.body, personalisation)
                new.billable_units = rendering.sms_fragment_count(new.body)
                new.rate_multiplier = rate_multiplier(parsed)
                new.sender = self.settings.default_sms_sender
                steps = self.lifecycle.message(failure_for_phone(parsed.normalised))
            elif template.type == "email":
                recipient = address_value(personalisation, "emailaddress")
                if recipient is None:
                    raise ValueError(f"row {row_number}: no 'email address'")
                try:
                    new.normalised_to = validate_email_address(recipient).lower()
                except InvalidEmailAddressError as err:
                    raise ValueError(f"row {row_number}: {err}") from None
                new.recipient = recipient
                new.body = rendering.email_body(template.body, personalisation)
                new.subject = rendering.email_subject(template.subject or "", personalisation)
                steps = self.lifecycle.message(failure_for_email(recipient))
            else:
                try:
                    lines, zone = self.letter_postage_zone(personalisation)
                except V2Error as err:
                    raise ValueError(f"row {row_number}: {err.errors[0]['message']}") from None
                new.body = rendering.letter_body(template.body, personalisation)
                new.subject = rendering.letter_subject(template.subject or "", personalisation)
                new.recipient = lines[0]
                new.postage = (template.postage or "second") if zone == "united-kingdom" else zone
                new.pdf, pages = letter_pdf(
                    address_lines=lines,
                    body=new.body,
                    subject=rendering.letter_body(template.subject or "", personalisation),
                    contact_block=template.letter_contact_block,
                )
                new.billable_units = math.ceil(pages / 2)
                steps = self.lifecycle.letter(pages)
            self._store(new, steps)
            ids.append(notification_id)
        return job_id, ids
