"""URL patterns for the callback views: ``path("notify/", include("govuk_notify.django.urls"))``.

That gives ``notify/delivery-receipts/``, ``notify/received-texts/`` and
``notify/returned-letters/`` (named ``govuk_notify:delivery-receipts`` and so on): put those
URLs, with your domain, in the service's callback settings in Notify.
"""

from __future__ import annotations

from django.urls import path

from .views import delivery_receipt_view, received_text_view, returned_letter_view

app_name = "govuk_notify"

urlpatterns = [
    path("delivery-receipts/", delivery_receipt_view, name="delivery-receipts"),
    path("received-texts/", received_text_view, name="received-texts"),
    path("returned-letters/", returned_letter_view, name="returned-letters"),
]
