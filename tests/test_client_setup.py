"""The API key, the constructor, repr and the context manager."""

from __future__ import annotations

import pickle
import uuid

import pytest
import requests

from govuk_notify import (
    ConfigurationError,
    InvalidAPIKeyError,
    NotifyClient,
    RetryPolicy,
)
from govuk_notify.auth import ApiKey

from . import bodies
from .wire import Reply, WireServer


def test_key_is_split_from_the_end_like_the_server() -> None:
    key = ApiKey.parse(f"my-key-with-hyphens-{bodies.SERVICE_ID}-{bodies.SECRET}")
    assert key.key_name == "my-key-with-hyphens"
    assert key.service_id == bodies.SERVICE_ID


def test_key_name_may_be_empty() -> None:
    key = ApiKey.parse(f"{bodies.SERVICE_ID}-{bodies.SECRET}")
    assert key.key_name == ""
    assert key.service_id == bodies.SERVICE_ID


@pytest.mark.parametrize(
    "bad",
    [
        "",
        bodies.SECRET,
        f"name-{bodies.SERVICE_ID}{bodies.SECRET}x",
        f"name-{bodies.SERVICE_ID}-{bodies.SECRET[:-1]}g",
        f"name-{bodies.SERVICE_ID[:-1]}z-{bodies.SECRET}",
        f"name_{bodies.SERVICE_ID}-{bodies.SECRET}",
    ],
)
def test_malformed_keys_are_refused_with_a_value_error(bad: str) -> None:
    with pytest.raises(InvalidAPIKeyError) as caught:
        NotifyClient(bad)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, ConfigurationError)
    assert not isinstance(caught.value, AssertionError)
    assert bodies.SECRET not in str(caught.value)
    assert "API key" in str(caught.value)


def test_non_string_key_is_refused() -> None:
    with pytest.raises(InvalidAPIKeyError):
        NotifyClient(uuid.uuid4())  # type: ignore[arg-type]


def test_secret_never_in_repr() -> None:
    client = NotifyClient(bodies.API_KEY)
    key = ApiKey.parse(bodies.API_KEY)
    for text in (repr(client), str(client), repr(key), str(key)):
        assert bodies.SECRET not in text
    assert bodies.SERVICE_ID in repr(client)
    with pytest.raises(TypeError):
        pickle.dumps(key)
    client.close()


def test_context_manager_closes_its_own_session() -> None:
    with WireServer() as server:
        server.add(Reply(200, bodies.template()))
        with NotifyClient(bodies.API_KEY, base_url=server.url) as client:
            client.get_template(bodies.TEMPLATE_ID)
            pool = client._transport.session.get_adapter(server.url).poolmanager  # type: ignore[attr-defined]
            assert len(pool.pools) == 1
        assert len(pool.pools) == 0


def test_a_callers_session_is_used_and_left_open() -> None:
    session = requests.Session()
    session.headers["X-Trace"] = "kept"
    with WireServer() as server:
        server.add(Reply(200, bodies.template()), Reply(200, bodies.template()))
        with NotifyClient(bodies.API_KEY, base_url=server.url, session=session) as client:
            client.get_template(bodies.TEMPLATE_ID)
        assert server.last.headers["X-Trace"] == "kept"
        pool = session.get_adapter(server.url).poolmanager  # type: ignore[attr-defined]
        assert len(pool.pools) == 1  # still open: the caller owns it
        session.close()


def test_keep_alive_reuses_one_connection() -> None:
    with WireServer() as server:
        server.add(*[Reply(200, bodies.template()) for _ in range(5)])
        with NotifyClient(bodies.API_KEY, base_url=server.url) as client:
            for _ in range(5):
                client.get_template(bodies.TEMPLATE_ID)
        assert len(server.requests) == 5
        assert len({request.client_port for request in server.requests}) == 1


def test_defaults() -> None:
    with NotifyClient(bodies.API_KEY) as client:
        assert client.base_url == "https://api.notifications.service.gov.uk"
        assert client.timeout == 30
        assert client.retry == RetryPolicy()
        assert client.service_id == bodies.SERVICE_ID


@pytest.mark.parametrize("timeout", [0, -1, (1, 0), (1, 2, 3), "30", True])
def test_bad_timeouts_are_refused(timeout: object) -> None:
    with pytest.raises(ValueError, match="timeout"):
        NotifyClient(bodies.API_KEY, timeout=timeout)  # type: ignore[arg-type]


def test_from_env_reads_the_key_and_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFY_API_KEY", bodies.API_KEY)
    monkeypatch.setenv("NOTIFY_BASE_URL", "http://127.0.0.1:6011")
    with NotifyClient.from_env(timeout=5) as client:
        assert client.base_url == "http://127.0.0.1:6011"
        assert client.service_id == bodies.SERVICE_ID
        assert client.timeout == 5
    monkeypatch.delenv("NOTIFY_BASE_URL")
    with NotifyClient.from_env() as client:
        assert client.base_url == "https://api.notifications.service.gov.uk"


def test_from_env_without_a_key_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="NOTIFY_API_KEY"):
        NotifyClient.from_env()
    monkeypatch.setenv("NOTIFY_API_KEY", "not-a-key")
    with pytest.raises(ConfigurationError) as caught:
        NotifyClient.from_env()
    assert "not-a-key" not in str(caught.value)
