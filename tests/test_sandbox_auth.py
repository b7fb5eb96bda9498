"""The sandbox checks the Authorization header as the Notify API does (contract §5.2–§5.4)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import jwt
import pytest

from govuk_notify.sandbox import Sandbox, ServiceSettings

from .test_sandbox_support import Raw, errors, key_parts, make_token

GENERAL = (
    "Invalid token: make sure your API token matches the example at "
    "https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header"
)
CLOCK = "Error: Your system clock must be accurate to within 30 seconds"


@pytest.fixture(scope="module")
def shared() -> Iterator[Raw]:
    with Sandbox() as sandbox:
        raw = Raw(sandbox)
        yield raw
        raw.close()


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


def get_templates(raw: Raw, authorization: str | None) -> Any:
    headers = {} if authorization is None else {"Authorization": authorization}
    return raw.session.get(raw.base_url + "/v2/templates", headers=headers, timeout=10)


def test_a_fresh_token_is_accepted_whatever_the_case_of_the_scheme(shared: Raw) -> None:
    for scheme in ("Bearer ", "bearer ", "BEARER ", "bEaReR "):
        response = get_templates(shared, scheme + make_token(shared.api_key))
        assert response.status_code == 200, scheme


@pytest.mark.parametrize(
    ("authorization", "status", "message"),
    [
        (None, 401, "Unauthorized: authentication token must be provided"),
        ("", 401, "Unauthorized: authentication token must be provided"),
        ("Basic dXNlcjpwYXNz", 401, "Unauthorized: authentication bearer scheme must be used"),
        ("Bearer", 401, "Unauthorized: authentication bearer scheme must be used"),
        ("Token abc.def.ghi", 401, "Unauthorized: authentication bearer scheme must be used"),
        ("Bearer not-a-jwt", 403, GENERAL),
        ("Bearer ", 403, GENERAL),
    ],
)
def test_missing_or_malformed_headers(
    shared: Raw, authorization: str | None, status: int, message: str
) -> None:
    response = get_templates(shared, authorization)
    assert response.status_code == status
    assert response.json() == {
        "status_code": status,
        "errors": [{"error": "AuthError", "message": message}],
    }


def test_the_token_is_not_trimmed(shared: Raw) -> None:
    response = get_templates(shared, "Bearer  " + make_token(shared.api_key))
    assert errors(response) == [("AuthError", GENERAL)]


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _signed(shared: Raw, payload: dict[str, Any], algorithm: str = "HS256") -> str:
    """A token made by hand (PyJWT refuses some of the odd claims these tests need)."""
    _, secret = key_parts(shared.api_key)
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
    header = _b64(json.dumps({"alg": algorithm, "typ": "JWT"}).encode())
    body = _b64(json.dumps(payload).encode())
    signature = hmac.new(secret.encode(), header + b"." + body, digest[algorithm]).digest()
    return "Bearer " + (header + b"." + body + b"." + _b64(signature)).decode()


def test_issuer_problems(shared: Raw) -> None:
    now = int(time.time())
    cases: list[tuple[dict[str, Any], str]] = [
        ({"iat": now}, "Invalid token: iss field not provided"),
        ({"iss": "not-a-uuid", "iat": now}, "Invalid token: service id is not the right data type"),
        ({"iss": 12345, "iat": now}, "Invalid token: service id is not the right data type"),
        ({"iss": str(uuid.uuid4()), "iat": now}, "Invalid token: service not found"),
    ]
    for payload, message in cases:
        response = get_templates(shared, _signed(shared, payload))
        assert response.status_code == 403
        assert errors(response) == [("AuthError", message)], payload


def test_the_issuer_may_be_any_form_python_reads_as_that_uuid(shared: Raw) -> None:
    service_id, _ = key_parts(shared.api_key)
    payload = {"iss": service_id.replace("-", "").upper(), "iat": int(time.time())}
    assert get_templates(shared, _signed(shared, payload)).status_code == 200


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"iat": -60}, CLOCK),
        ({"iat": 60}, CLOCK),
        ({"nbf": 60}, CLOCK),
        ({"aud": "someone"}, GENERAL),
        ({"exp": -60}, GENERAL),
        ({"jti": 7}, GENERAL),
        ({"sub": 7}, GENERAL),
    ],
)
def test_claims_checked_after_the_signature(
    shared: Raw, claims: dict[str, Any], message: str
) -> None:
    service_id, _ = key_parts(shared.api_key)
    now = int(time.time())
    payload: dict[str, Any] = {"iss": service_id, "iat": now}
    for name, value in claims.items():
        payload[name] = now + value if name in ("iat", "nbf", "exp") else value
    response = get_templates(shared, _signed(shared, payload))
    assert response.status_code == 403
    assert errors(response) == [("AuthError", message)]


def test_clock_skew_within_thirty_seconds_is_fine(shared: Raw) -> None:
    service_id, _ = key_parts(shared.api_key)
    now = int(time.time())
    for iat in (now - 25, now + 25):
        payload = {"iss": service_id, "iat": iat, "jti": "abc", "sub": "x", "aud": ""}
        assert get_templates(shared, _signed(shared, payload)).status_code == 200


def test_a_non_integer_iat_is_a_clock_error(shared: Raw) -> None:
    service_id, _ = key_parts(shared.api_key)
    response = get_templates(shared, _signed(shared, {"iss": service_id, "iat": "soon"}))
    assert errors(response) == [("AuthError", CLOCK)]


def test_a_missing_iat_or_a_wrong_secret_finds_no_key(shared: Raw) -> None:
    service_id, _ = key_parts(shared.api_key)
    no_iat = _signed(shared, {"iss": service_id})
    wrong_secret = "Bearer " + jwt.encode(
        {"iss": service_id, "iat": int(time.time())}, str(uuid.uuid4()), algorithm="HS256"
    )
    for authorization in (no_iat, wrong_secret):
        response = get_templates(shared, authorization)
        assert response.status_code == 403
        assert errors(response) == [("AuthError", "Invalid token: API key not found")]


def test_only_hs256_is_accepted(shared: Raw) -> None:
    service_id, _ = key_parts(shared.api_key)
    payload = {"iss": service_id, "iat": int(time.time())}
    for algorithm in ("HS512", "HS384"):
        response = get_templates(shared, _signed(shared, payload, algorithm))
        assert errors(response) == [("AuthError", "Invalid token: algorithm used is not HS256")]
    unsigned = "Bearer " + jwt.encode(payload, "", algorithm="none")
    response = get_templates(shared, unsigned)
    assert errors(response) == [("AuthError", "Invalid token: algorithm used is not HS256")]


def test_every_key_type_authenticates(shared: Raw) -> None:
    for key_type in ("live", "team", "test"):
        key = shared.sandbox.api_keys.for_type(key_type)
        assert get_templates(shared, "Bearer " + make_token(key)).status_code == 200


def test_a_revoked_key_is_refused_and_the_others_still_work(sandbox: Sandbox) -> None:
    raw = Raw(sandbox)
    sandbox.revoke_api_key("live")
    response = get_templates(raw, "Bearer " + make_token(sandbox.api_keys.live))
    assert response.status_code == 403
    assert errors(response) == [("AuthError", "Invalid token: API key revoked")]
    assert get_templates(raw, "Bearer " + make_token(sandbox.api_keys.test)).status_code == 200
    extra = sandbox.create_api_key("live", name="second_key")
    assert get_templates(raw, "Bearer " + make_token(extra)).status_code == 200
    raw.close()


def test_a_deleted_key_is_not_found_and_no_keys_at_all_is_its_own_error(
    sandbox: Sandbox,
) -> None:
    raw = Raw(sandbox)
    sandbox.delete_api_key(sandbox.api_keys.team)
    response = get_templates(raw, "Bearer " + make_token(sandbox.api_keys.team))
    assert errors(response) == [("AuthError", "Invalid token: API key not found")]
    sandbox.delete_api_key("live")
    sandbox.delete_api_key("test")
    response = get_templates(raw, "Bearer " + make_token(sandbox.api_keys.test))
    assert errors(response) == [("AuthError", "Invalid token: service has no API keys")]
    raw.close()


def test_an_archived_service_is_refused() -> None:
    with Sandbox(service=ServiceSettings(active=False)) as sandbox:
        raw = Raw(sandbox)
        response = get_templates(raw, "Bearer " + make_token(sandbox.api_keys.live))
        assert errors(response) == [("AuthError", "Invalid token: service is archived")]
        raw.close()


def test_authentication_comes_before_anything_else(shared: Raw) -> None:
    # an invalid body, an unknown template version and a bad id: still 401 first
    for method, path in (
        ("POST", "/v2/notifications/sms"),
        ("GET", "/v2/notifications/not-a-uuid"),
        ("GET", "/v2/template/not-a-uuid"),
        ("POST", "/v2/notifications/carrier-pigeon"),
    ):
        response = shared.session.request(
            method, shared.base_url + path, data=b"{not json", timeout=10
        )
        assert response.status_code == 401, path
        assert errors(response) == [
            ("AuthError", "Unauthorized: authentication token must be provided")
        ]


def test_error_bodies_never_echo_the_token(shared: Raw) -> None:
    token = make_token(shared.api_key, iat=int(time.time()) - 3600)
    response = get_templates(shared, "Bearer " + token)
    assert response.status_code == 403
    assert token not in response.text
    assert key_parts(shared.api_key)[1] not in response.text
