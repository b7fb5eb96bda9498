"""The documentation site: built with ``mkdocs build --strict``, then opened in headless Chromium.

The site is built once per session into a temporary folder and served from 127.0.0.1. Each page
must load with no console errors and with every request answered by that local server (the site
works offline: no fonts, scripts or styles from the internet). A screenshot of each page is
written under the test's temporary folder. The browser tests skip when chromedriver is missing.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pydantic import BaseModel

from .processes import child_env

ROOT = Path(__file__).resolve().parents[1]
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"
DEADLINE = 60.0  # seconds; generous, for a loaded machine


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``mkdocs build --strict`` of this checkout, into a temporary folder."""
    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None:
        pytest.skip("mkdocs and mkdocs-material are not installed (the dev group has them)")
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=child_env(NO_MKDOCS_2_WARNING="1"),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-4000:]}"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings == []
    return site


def test_the_site_has_every_page(built_site: Path) -> None:
    # A guide per topic, a reference page per public module and a page per JSON Schema.
    for page in (
        "index.html",
        "guides/getting-started/index.html",
        "guides/errors-and-retries/index.html",
        "guides/switching/index.html",
        "reference/client/index.html",
        "reference/models/requests/index.html",
        "search/search_index.json",
    ):
        assert (built_site / page).is_file(), page
    schemas = sorted(path.stem for path in (ROOT / "schemas").glob("*.json"))
    assert len(schemas) > 20
    for name in schemas:
        schema_page = built_site / "reference" / "schemas" / name / "index.html"
        assert schema_page.is_file(), name
    sms_request = (built_site / "reference/schemas/SmsRequest/index.html").read_text("utf-8")
    assert "phone_number" in sms_request
    assert "at most 1000 characters" in sms_request  # the reference's constraint
    client = (built_site / "reference/client/index.html").read_text("utf-8")
    assert "send_sms_notification" in client


@pytest.mark.parametrize("module", ["requests", "responses"])
def test_the_reference_has_every_model_field(built_site: Path, module: str) -> None:
    # Every field of every public model has its entry (and so its description) in the reference,
    # inherited fields included: a field the documentation tool cannot read would be missing.
    models = importlib.import_module(f"govuk_notify.models.{module}")
    page = (built_site / "reference" / "models" / module / "index.html").read_text("utf-8")
    checked = 0
    for name in models.__all__:
        model = getattr(models, name)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        for field, info in model.model_fields.items():
            assert info.description, f"{name}.{field} has no description"
            anchor = f'id="govuk_notify.models.{module}.{name}.{field}"'
            assert anchor in page, f"{name}.{field} is not in the reference"
            checked += 1
    assert checked > 20


def test_the_site_asks_the_internet_for_nothing(built_site: Path) -> None:
    # No Google fonts, and no script or style sheet from another host, on any page.
    for page in built_site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert "fonts.googleapis" not in text, page
        assert "fonts.gstatic" not in text, page
        assert '<script src="http' not in text, page
        assert '<link rel="stylesheet" href="http' not in text, page


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=DEADLINE)


def _chromedriver() -> str | None:
    if os.path.exists(CHROMEDRIVER):
        return CHROMEDRIVER
    return shutil.which("chromedriver")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    driver_path = _chromedriver()
    if driver_path is None:
        pytest.skip("chromedriver is not installed (Debian: apt-get install chromium-driver)")
    if importlib.util.find_spec("selenium") is None:
        pytest.skip("selenium is not installed (the dev group has it)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(argument)
    chromium = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if chromium is not None:
        options.binary_location = chromium
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    # The browser is a tool here, not the code under test, and Chromium does not start under
    # libfaketime (make test-clocks): it runs with the real clock.
    browser_env = {
        name: value
        for name, value in os.environ.items()
        if name != "LD_PRELOAD" and not name.startswith("FAKETIME")
    }
    service = Service(driver_path, env=browser_env)
    driver: Any = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(DEADLINE)
    # Chromium's own start-up page (a new tab page that tries a search engine) is not the site:
    # leave it and drop what it logged before the test opens a page.
    driver.get("about:blank")
    driver.get_log("performance")
    driver.get_log("browser")
    try:
        yield driver
    finally:
        driver.quit()


def _network_problems(driver: Any, site_url: str) -> list[str]:
    """Requests that failed, answered 4xx/5xx, or went anywhere but the local site."""
    local = urlsplit(site_url).netloc
    problems = []
    urls: dict[str, str] = {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            url = urls[params["requestId"]] = params["request"]["url"]
            parts = urlsplit(url)
            if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != local:
                problems.append(f"request to another host: {url}")
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            url = urls.get(params["requestId"], "?")
            problems.append(f"failed: {params.get('errorText')} ({params.get('type')}) {url}")
        elif method == "Network.responseReceived":
            response = params["response"]
            if response.get("status", 0) >= 400:
                problems.append(f"HTTP {response['status']}: {response['url']}")
    return problems


def _console_errors(driver: Any) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def _open(driver: Any, url: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, DEADLINE).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


@pytest.mark.parametrize(
    ("page", "heading"),
    [
        ("", "govuk-notify"),
        ("guides/errors-and-retries/", "Errors and retries"),
        ("reference/client/", "NotifyClient"),
        ("reference/schemas/SmsRequest/", "SmsRequest"),
    ],
    ids=["home", "guide", "api-reference", "schema"],
)
def test_a_page_loads_cleanly(
    browser: Any, site_url: str, tmp_path: Path, page: str, heading: str
) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, site_url + page)
    assert browser.find_element(By.TAG_NAME, "h1").text.strip() == heading
    # The theme's own script ran (it builds the search box's behaviour and the nav).
    assert browser.execute_script("return typeof document$ !== 'undefined'")
    shot = tmp_path / f"{page.strip('/').replace('/', '-') or 'home'}.png"
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 1000
    assert _console_errors(browser) == []
    assert _network_problems(browser, site_url) == []


def test_search_finds_send_sms_notification(browser: Any, site_url: str, tmp_path: Path) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    _open(browser, site_url)
    # At this window's width the search box sits in the header, as a reader sees it.
    box = WebDriverWait(browser, DEADLINE).until(
        ec.element_to_be_clickable((By.CSS_SELECTOR, "input.md-search__input"))
    )
    box.click()
    box.send_keys("send_sms_notification")

    def results(driver: Any) -> list[Any]:
        items = driver.find_elements(By.CSS_SELECTOR, ".md-search-result__item")
        return [item for item in items if "send_sms_notification" in item.text]

    # The results are re-rendered as the query grows: a stale item means "look again".
    found = WebDriverWait(
        browser, DEADLINE, ignored_exceptions=(StaleElementReferenceException,)
    ).until(results)
    assert found
    links = [
        link.get_attribute("href")
        for link in browser.find_elements(By.CSS_SELECTOR, ".md-search-result__item a")
    ]
    assert any("reference/client/" in (link or "") for link in links), links
    assert browser.save_screenshot(str(tmp_path / "search.png"))
    assert _console_errors(browser) == []
    assert _network_problems(browser, site_url) == []
