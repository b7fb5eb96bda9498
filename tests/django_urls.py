"""The URLconf of the Django tests (``ROOT_URLCONF``, see :mod:`tests.django_project`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from govuk_notify.django.views import ReceivedTextView

CUSTOM_TOKEN = "a-token-given-to-as-view-only"


def other_post(request: HttpRequest) -> HttpResponse:
    """A view of the application's own, which CSRF protection still covers."""
    return HttpResponse("accepted")


urlpatterns = [
    path("notify/", include("govuk_notify.django.urls")),
    path("custom/texts/", ReceivedTextView.as_view(expected_token=CUSTOM_TOKEN)),
    path("other/", other_post),
    path("accounts/", include("django.contrib.auth.urls")),
]
