"""``POST /v2/notifications/sms`` and ``/email``: the checks in the server's order, then storing."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any, Final

from ...validation import InvalidPhoneNumberError, parse_phone_number, validate_email_address
from .. import rendering
from ..lifecycle import failure_for_email, failure_for_phone, is_simulated_email, is_simulated_phone
from ..limits import daily_limit_message
from ..schemas import validate_email_request, validate_sms_request
from ..store import NewNotification
from .base import Ctx, rate_multiplier
from .documents import DocumentsMixin
from .http import (
    Response,
    bad_request,
    error,
    validation,
)

__all__ = ["EMAIL_MAX_BYTES", "MessagesMixin"]

EMAIL_MAX_BYTES: Final = 2_000_000


class MessagesMixin(DocumentsMixin):
    """Sending text messages and emails."""

    def _send_sms(self, ctx: Ctx, body: Any) -> Response:
        errors = validate_sms_request(body)
        if errors:
            raise validation(errors)
        self._require_permission("sms")
        template = self._template_for_send(body["template_id"], "sms")
        personalisation: dict[str, Any] = body.get("personalisation") or {}
        self._check_personalisation(template, personalisation)
        content = rendering.sms_body(template.body, personalisation)
        if not content:
            raise bad_request("Your message is empty.")
        self._reject_files(personalisation)

        sender = self.settings.default_sms_sender
        if "sms_sender_id" in body:
            sender_id = str(uuid.UUID(body["sms_sender_id"]))
            if sender_id not in self.settings.sms_senders:
                raise bad_request(
                    f"sms_sender_id {body['sms_sender_id']} does not exist in database for "
                    f"service id {self.service_id}"
                )
            sender = self.settings.sms_senders[sender_id]
        with contextlib.suppress(InvalidPhoneNumberError):
            sender = parse_phone_number(sender).normalised

        phone_number: str = body["phone_number"].strip()
        self._allowed_to_send_to(ctx.key, phone_number, "sms")
        parsed = parse_phone_number(phone_number)
        if not parsed.is_uk and "international_sms" not in self.settings.permissions:
            raise bad_request("Cannot send to international mobile numbers")
        if parsed.is_uk_landline and "sms_to_uk_landlines" not in self.settings.permissions:
            raise error(400, "InvalidPhoneError", "Not a UK mobile number")
        if not parsed.is_uk and ctx.key.key_type != "test":
            limit = self.daily_limits.international_sms
            if self.store.daily_count("international_sms") + 1 > limit:
                raise error(
                    429, "TooManyRequestsError", daily_limit_message("international_sms", limit)
                )
        if len(content) > rendering.SMS_CHAR_COUNT_LIMIT:
            raise bad_request(
                "Your message is too long. Text messages cannot be longer than "
                f"{rendering.SMS_CHAR_COUNT_LIMIT} characters. "
                f"Your message is {len(content)} characters long."
            )

        notification_id = str(uuid.uuid4())
        reference = body.get("reference")
        if not is_simulated_phone(parsed.normalised):
            steps = self.lifecycle.message(failure_for_phone(parsed.normalised))
            kinds = ["sms"] if parsed.is_uk else ["sms", "international_sms"]
            self._store(
                NewNotification(
                    id=notification_id,
                    key_type=ctx.key.key_type,
                    api_key_id=ctx.key.id,
                    type="sms",
                    template_id=template.id,
                    template_version=template.version,
                    recipient=phone_number,
                    normalised_to=parsed.normalised,
                    reference=reference,
                    body=content,
                    subject=None,
                    personalisation=personalisation,
                    sender=sender,
                    billable_units=rendering.sms_fragment_count(content),
                    rate_multiplier=rate_multiplier(parsed),
                    count_as=self._count_as(ctx.key, *kinds),
                ),
                steps,
            )
        return Response.json(
            201,
            {
                "id": notification_id,
                "reference": reference,
                "content": {"body": content, "from_number": sender},
                "uri": self._notification_uri(ctx, notification_id),
                "template": self._template_ref(ctx, template),
                "scheduled_for": None,
            },
        )

    def _send_email(self, ctx: Ctx, body: Any) -> Response:
        errors = validate_email_request(body)
        if errors:
            raise validation(errors)
        self._require_permission("email")
        personalisation, sanitised = rendering.sanitise_content_for(
            body.get("sanitise_content_for"), body.get("personalisation") or {}
        )
        template = self._template_for_send(body["template_id"], "email")
        self._check_personalisation(template, personalisation)
        if not rendering.email_body(template.body, personalisation):
            raise bad_request("Your message is empty.")

        reply_to: str | None = next(iter(self.settings.email_reply_to.values()), None)
        if "email_reply_to_id" in body:
            reply_to_id = str(uuid.UUID(body["email_reply_to_id"]))
            if reply_to_id not in self.settings.email_reply_to:
                raise bad_request(
                    f"email_reply_to_id {body['email_reply_to_id']} does not exist in database "
                    f"for service id {self.service_id}"
                )
            reply_to = self.settings.email_reply_to[reply_to_id]

        email_address: str = body["email_address"].strip()
        self._allowed_to_send_to(ctx.key, email_address, "email")
        simulated = is_simulated_email(email_address)
        notification_id = str(uuid.uuid4())
        personalisation, documents = self._process_files(
            ctx, notification_id, personalisation, simulated
        )
        content = rendering.email_body(template.body, personalisation)
        size = len(content.encode("utf-8"))
        if size > EMAIL_MAX_BYTES:
            raise bad_request(
                "Your message is too long. Emails cannot be longer than "
                f"{EMAIL_MAX_BYTES} bytes. Your message is {size} bytes."
            )
        subject = rendering.email_subject(template.subject or "", personalisation)
        reference = body.get("reference")
        unsubscribe = body.get("one_click_unsubscribe_url")
        if not simulated:
            self._store(
                NewNotification(
                    id=notification_id,
                    key_type=ctx.key.key_type,
                    api_key_id=ctx.key.id,
                    type="email",
                    template_id=template.id,
                    template_version=template.version,
                    recipient=email_address,
                    normalised_to=validate_email_address(email_address).lower(),
                    reference=reference,
                    body=content,
                    subject=subject,
                    personalisation=personalisation,
                    one_click_unsubscribe_url=unsubscribe,
                    sender=reply_to,
                    documents=documents,
                    count_as=self._count_as(ctx.key, "email"),
                ),
                self.lifecycle.message(failure_for_email(email_address)),
            )
        return Response.json(
            201,
            {
                "id": notification_id,
                "reference": reference,
                "uri": self._notification_uri(ctx, notification_id),
                "template": self._template_ref(ctx, template),
                "scheduled_for": None,
                "content": {
                    "from_email": self.settings.from_email,
                    "body": content,
                    "subject": subject,
                    "one_click_unsubscribe_url": unsubscribe,
                },
                "sanitised_content": sanitised,
            },
        )
