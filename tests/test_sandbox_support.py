"""Helpers for the sandbox tests: raw HTTP to a sandbox with hand-made tokens (no tests here)."""

from __future__ import annotations

import time
from typing import Any

import jwt
import requests

from govuk_notify.sandbox import Sandbox

SMS_PERSONALISATION = {"name": "Ann", "code": "1234"}
EMAIL_PERSONALISATION = {
    "name": "Ann",
    "document_type": "report",
    "urgent": "no",
    "link_to_file": "https://example.com/file",
}
LETTER_PERSONALISATION = {
    "address_line_1": "Ann Smith",
    "address_line_2": "1 High Street",
    "address_line_3": "London",
    "postcode": "SW1A 1AA",
    "name": "Ann",
    "application_number": "A-1",
    "date": "1 May 2026",
    "needs_documents": "yes",
}


def key_parts(api_key: str) -> tuple[str, str]:
    """The service id and the secret of a key, split from the end as the server does."""
    return api_key[-73:-37], api_key[-36:]


def make_token(api_key: str, **claims: Any) -> str:
    service_id, secret = key_parts(api_key)
    payload: dict[str, Any] = {"iss": service_id, "iat": int(time.time())}
    payload.update(claims)
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, secret, algorithm="HS256")


class Raw:
    """``requests`` against a sandbox, signing a fresh token per request."""

    def __init__(self, sandbox: Sandbox, key_type: str = "live") -> None:
        self.sandbox = sandbox
        self.base_url = sandbox.base_url
        self.api_key = sandbox.api_keys.for_type(key_type)
        self.session = requests.Session()

    def close(self) -> None:
        self.session.close()

    def headers(self, api_key: str | None = None) -> dict[str, str]:
        return {"Authorization": "Bearer " + make_token(api_key or self.api_key)}

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("headers", self.headers())
        return self.session.get(self.base_url + path, timeout=10, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("headers", self.headers())
        return self.session.post(self.base_url + path, json=json, timeout=10, **kwargs)

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("headers", self.headers())
        return self.session.request(method, self.base_url + path, timeout=10, **kwargs)


def errors(response: requests.Response) -> list[tuple[str, str]]:
    """``(error, message)`` pairs of a v2 error body (also checking its shape)."""
    body = response.json()
    assert body["status_code"] == response.status_code
    return [(item["error"], item["message"]) for item in body["errors"]]


def messages(response: requests.Response) -> list[str]:
    return [message for _, message in errors(response)]
