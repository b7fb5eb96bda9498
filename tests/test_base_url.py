"""The base URL is https, or plain http to a loopback host only. TLS verification stays on, and a
CA bundle or a proxy set on the caller's session is used, proven against a real local TLS server
(certificates made with the openssl command) and a real local forward proxy."""

from __future__ import annotations

import asyncio
import base64
import http.client
import io
import logging
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from govuk_notify import (
    AsyncNotifyClient,
    ConfigurationError,
    ConnectError,
    InvalidBaseURLError,
    NotifyClient,
    RetryPolicy,
    TLSError,
    prepare_upload,
)
from govuk_notify._base_url import check_base_url
from govuk_notify.validation.files import MAX_UPLOAD_SIZE

from . import bodies
from .clients import FLAVOURS, Flavour, make_client
from .wire import Reply, WireServer, free_port

FAST = RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.02)


# --- which base URLs are accepted ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://api.notifications.service.gov.uk", "https://api.notifications.service.gov.uk"),
        ("https://api.notifications.service.gov.uk/", "https://api.notifications.service.gov.uk"),
        ("https://notify.example.gov.uk:8443/prefix/", "https://notify.example.gov.uk:8443/prefix"),
        ("https://10.1.2.3", "https://10.1.2.3"),
        ("http://localhost:6011", "http://localhost:6011"),
        ("http://127.0.0.1:6011/", "http://127.0.0.1:6011"),
        ("http://127.45.6.7", "http://127.45.6.7"),
        ("http://[::1]:6011", "http://[::1]:6011"),
        ("http://LOCALHOST:6011", "http://LOCALHOST:6011"),
    ],
)
def test_accepted_base_urls(given: str, kept: str) -> None:
    assert check_base_url(given) == kept
    with NotifyClient(bodies.API_KEY, base_url=given) as client:
        assert client.base_url == kept


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("http://api.notifications.service.gov.uk", "plain http"),
        ("http://10.0.0.8:6011", "plain http"),
        ("http://0.0.0.0:6011", "plain http"),
        ("http://192.168.1.10", "plain http"),
        ("http://localhost.example.com", "plain http"),
        ("http://foo.localhost", "plain http"),
        ("http://127.0.0.1.nip.io", "plain http"),
        ("http://[::ffff:127.0.0.1]", "plain http"),
        ("ftp://api.notifications.service.gov.uk", "must start with https://"),
        ("api.notifications.service.gov.uk", "must start with https://"),
        ("ws://localhost:6011", "must start with https://"),
        ("https://", "no host"),
        ("https:///v2", "no host"),
        ("https://user:hunter2@api.notifications.service.gov.uk", "user name or password"),
        ("http://user@127.0.0.1", "user name or password"),
        ("https://api.notifications.service.gov.uk?x=1", "query string"),
        ("https://api.notifications.service.gov.uk?", "query string"),
        ("https://api.notifications.service.gov.uk#top", "query string or fragment"),
        ("https://api.notifications.service.gov.uk:99999", "invalid port"),
        ("https://api.notifications.service.gov.uk:http", "invalid port"),
        (" https://api.notifications.service.gov.uk", "spaces or control characters"),
        ("https://api.notifications.service.gov.uk\n", "spaces or control characters"),
        ("https://api.notifi cations.service.gov.uk", "spaces or control characters"),
    ],
)
def test_refused_base_urls(given: str, says: str) -> None:
    with pytest.raises(InvalidBaseURLError, match=says) as caught:
        NotifyClient(bodies.API_KEY, base_url=given)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, ConfigurationError)
    assert "hunter2" not in str(caught.value)
    assert bodies.SECRET not in str(caught.value)


def test_a_non_string_base_url_is_refused() -> None:
    with pytest.raises(InvalidBaseURLError, match="must be a str"):
        NotifyClient(bodies.API_KEY, base_url=b"https://api.notifications.service.gov.uk")  # type: ignore[arg-type]


def test_the_plain_http_message_says_what_to_do() -> None:
    with pytest.raises(InvalidBaseURLError) as caught:
        check_base_url("http://notify.internal.example")
    message = str(caught.value)
    assert "https" in message
    assert "loopback" in message
    assert "notify.internal.example" in message


# --- TLS: a real local server with a certificate from a local CA --------------------------------


@dataclass(frozen=True)
class Certs:
    ca: Path
    other_ca: Path
    server_cert: Path
    server_key: Path


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _make_ca(name: str, cwd: Path) -> None:
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2",
        "-subj", f"/CN=govuk-notify tests {name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=cwd,
    )  # fmt: skip


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    where = tmp_path_factory.mktemp("tls")
    _make_ca("ca", where)
    _make_ca("other", where)
    _openssl(
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1",
        cwd=where,
    )  # fmt: skip
    (where / "server.ext").write_text(
        "subjectAltName=IP:127.0.0.1\n"
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\n"
        "authorityKeyIdentifier=keyid\n"
        "subjectKeyIdentifier=hash\n"
    )
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
        cwd=where,
    )  # fmt: skip
    return Certs(where / "ca.pem", where / "other.pem", where / "server.pem", where / "server.key")


@pytest.fixture
def tls_server(certs: Certs) -> Iterator[WireServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certs.server_cert, certs.server_key)
    with WireServer(Reply(200, bodies.template()), ssl_context=context) as wire:
        yield wire


@pytest.fixture(autouse=True)
def _no_ca_bundle_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_untrusted_certificate_fails_closed_and_nothing_is_sent(
    tls_server: WireServer, caplog: pytest.LogCaptureFixture, flavour: Flavour
) -> None:
    caplog.set_level(logging.INFO, logger="govuk_notify")
    assert tls_server.url.startswith("https://127.0.0.1:")
    with (
        make_client(flavour, bodies.API_KEY, tls_server.url, retry=FAST) as client,
        pytest.raises(TLSError) as caught,
    ):
        client.send_sms_notification("07700900123", bodies.TEMPLATE_ID, reference="r-1")
    assert tls_server.requests == []  # the request never left
    assert "certificate" in str(caught.value)
    attempts = [r for r in caplog.records if hasattr(r, "notify_attempt")]
    assert len(attempts) == 1  # a certificate problem does not fix itself: not retried


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_trusted_server_gets_a_large_email_whole_over_tls(
    certs: Certs, monkeypatch: pytest.MonkeyPatch, flavour: Flavour
) -> None:
    # The CA from the environment: requests reads REQUESTS_CA_BUNDLE, httpx2 SSL_CERT_FILE.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certs.ca))
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.ca))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certs.server_cert, certs.server_key)
    document = bytes(range(256)) * (MAX_UPLOAD_SIZE // 256)  # 2 MiB: far more than a socket buffer
    with (
        WireServer(Reply(201, bodies.email_response()), ssl_context=context) as wire,
        make_client(flavour, bodies.API_KEY, wire.url, retry=FAST) as client,
    ):
        for _ in range(2):
            client.send_email_notification(
                "someone@example.com",
                bodies.TEMPLATE_ID,
                {"file": prepare_upload(io.BytesIO(document))},
            )
    first, second = wire.requests
    sent = first.json()["personalisation"]["file"]["file"]
    assert base64.b64decode(sent) == document
    assert second.body == first.body
    assert first.client_port == second.client_port  # the TLS connection was kept and used again


def test_a_ca_bundle_on_the_callers_session_is_used(tls_server: WireServer, certs: Certs) -> None:
    session = requests.Session()
    session.verify = str(certs.ca)
    with NotifyClient(bodies.API_KEY, tls_server.url, session=session) as client:
        assert client.get_template(bodies.TEMPLATE_ID).version == 3
    assert len(tls_server.requests) == 1
    assert session.verify == str(certs.ca)  # untouched
    session.close()


def test_the_sessions_ca_bundle_wins_over_the_environment(
    tls_server: WireServer, certs: Certs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certs.other_ca))
    session = requests.Session()
    session.verify = str(certs.ca)
    with NotifyClient(bodies.API_KEY, tls_server.url, session=session) as client:
        client.get_template(bodies.TEMPLATE_ID)
    session.close()
    with (
        NotifyClient(bodies.API_KEY, tls_server.url, retry=FAST) as client,
        pytest.raises(TLSError),
    ):
        client.get_template(bodies.TEMPLATE_ID)  # the environment's (wrong) CA applies here
    assert len(tls_server.requests) == 1


def test_a_ca_on_the_callers_httpx2_client_is_used_and_the_client_left_open(
    tls_server: WireServer, certs: Certs
) -> None:
    httpx2 = pytest.importorskip("httpx2")

    async def main() -> None:
        http = httpx2.AsyncClient(verify=ssl.create_default_context(cafile=str(certs.ca)))
        async with AsyncNotifyClient(bodies.API_KEY, tls_server.url, http_client=http) as client:
            assert (await client.get_template(bodies.TEMPLATE_ID)).version == 3
        assert not http.is_closed  # the caller's client stays open
        await http.aclose()

    asyncio.run(main())
    assert len(tls_server.requests) == 1


def test_the_environments_ca_bundle_is_honoured(
    tls_server: WireServer, certs: Certs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certs.ca))
    with NotifyClient(bodies.API_KEY, tls_server.url) as client:
        assert client.get_template(bodies.TEMPLATE_ID).version == 3


def test_the_client_leaves_a_callers_session_as_it_was() -> None:
    session = requests.Session()
    adapters = dict(session.adapters)
    headers = dict(session.headers)
    with NotifyClient(bodies.API_KEY, session=session):
        pass
    assert session.verify is True
    assert session.proxies == {}
    assert dict(session.adapters) == adapters
    assert dict(session.headers) == headers
    session.close()


def test_the_clients_own_session_verifies() -> None:
    with NotifyClient(bodies.API_KEY) as client:
        assert client._transport.session.verify is True


# --- a proxy set on the session -----------------------------------------------------------------

_HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "transfer-encoding", "te"}


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _ProxyServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _relay(self) -> None:
        self.server.lines.append(self.requestline)
        target = urlsplit(self.path)  # absolute form: http://host:port/path?query
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        upstream = http.client.HTTPConnection(target.hostname or "", target.port, timeout=5)
        try:
            path = target.path + (f"?{target.query}" if target.query else "")
            upstream.request(self.command, path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
        finally:
            upstream.close()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = _relay  # noqa: N815
    do_POST = _relay  # noqa: N815


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    lines: list[str]


@pytest.fixture
def proxy() -> Iterator[_ProxyServer]:
    server = _ProxyServer(("127.0.0.1", 0), _ProxyHandler)
    server.lines = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_a_proxy_on_the_callers_session_is_used(proxy: _ProxyServer) -> None:
    proxy_url = f"http://127.0.0.1:{proxy.server_address[1]}"
    session = requests.Session()
    session.proxies = {"http": proxy_url, "https": proxy_url}
    with WireServer() as target:
        target.add(Reply(200, bodies.template()), Reply(201, bodies.sms_response("via-proxy")))
        with NotifyClient(bodies.API_KEY, target.url, session=session) as client:
            assert client.get_template(bodies.TEMPLATE_ID).version == 3
            sent = client.send_sms_notification(
                "07700900123", bodies.TEMPLATE_ID, reference="via-proxy"
            )
    session.close()
    assert sent.reference == "via-proxy"
    assert proxy.lines == [
        f"GET {target.url}/v2/template/{bodies.TEMPLATE_ID} HTTP/1.1",
        f"POST {target.url}/v2/notifications/sms HTTP/1.1",
    ]
    assert [r.method for r in target.requests] == ["GET", "POST"]
    assert all(r.headers["Authorization"].startswith("Bearer ") for r in target.requests)


def test_a_proxy_that_is_down_is_a_connect_error_and_sends_are_retried(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="govuk_notify")
    session = requests.Session()
    session.proxies = {"http": f"http://127.0.0.1:{free_port()}"}
    with WireServer() as target:
        with (
            NotifyClient(bodies.API_KEY, target.url, session=session, retry=FAST) as client,
            pytest.raises(ConnectError, match="proxy"),
        ):
            client.send_sms_notification("07700900123", bodies.TEMPLATE_ID)
        assert target.requests == []
    session.close()
    attempts = [r for r in caplog.records if hasattr(r, "notify_attempt")]
    assert len(attempts) == 3


@pytest.mark.parametrize("via", ["environment", "callers-client"])
def test_the_async_client_goes_through_a_proxy(
    proxy: _ProxyServer, monkeypatch: pytest.MonkeyPatch, via: str
) -> None:
    httpx2 = pytest.importorskip("httpx2")
    proxy_url = f"http://127.0.0.1:{proxy.server_address[1]}"
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    if via == "environment":
        monkeypatch.setenv("HTTP_PROXY", proxy_url)
    else:
        monkeypatch.delenv("HTTP_PROXY", raising=False)
        monkeypatch.delenv("http_proxy", raising=False)
    with WireServer() as target:
        target.add(Reply(200, bodies.template()), Reply(201, bodies.sms_response("via-proxy")))

        async def main() -> str | None:
            http = httpx2.AsyncClient(proxy=proxy_url) if via == "callers-client" else None
            async with AsyncNotifyClient(bodies.API_KEY, target.url, http_client=http) as client:
                assert (await client.get_template(bodies.TEMPLATE_ID)).version == 3
                sent = await client.send_sms_notification(
                    "07700900123", bodies.TEMPLATE_ID, reference="via-proxy"
                )
            if http is not None:
                await http.aclose()
            return sent.reference

        assert asyncio.run(main()) == "via-proxy"
    assert proxy.lines == [
        f"GET {target.url}/v2/template/{bodies.TEMPLATE_ID} HTTP/1.1",
        f"POST {target.url}/v2/notifications/sms HTTP/1.1",
    ]
