"""Django signals sent by the callback views, each with the typed payload.

Connect a receiver; it gets ``sender`` (the view class), ``payload`` (the typed model) and
``request``::

    from django.dispatch import receiver
    from govuk_notify.django.signals import delivery_receipt_received

    @receiver(delivery_receipt_received)
    def record_status(sender, payload, request, **kwargs):
        Message.objects.filter(notify_id=payload.id).update(status=payload.status)

A receiver that raises makes the view answer 500, so Notify sends the callback again later
(it retries for a while); make receivers idempotent, as the same callback can come twice.
"""

from __future__ import annotations

from django.dispatch import Signal

__all__ = ["delivery_receipt_received", "letter_returned", "text_message_received"]

delivery_receipt_received = Signal()
"""An email's or a text message's status changed: ``payload`` is an
:class:`~govuk_notify.callbacks.EmailDeliveryReceipt` or a
:class:`~govuk_notify.callbacks.SmsDeliveryReceipt`."""

text_message_received = Signal()
"""Someone texted the service's number: ``payload`` is a
:class:`~govuk_notify.callbacks.ReceivedTextCallback`."""

letter_returned = Signal()
"""The post returned a letter: ``payload`` is a
:class:`~govuk_notify.callbacks.ReturnedLetterCallback`."""
