"""The web inbox in a real browser: Debian's Chromium, headless, driven by selenium.

A sandbox is started and an SMS, an email with a file and a letter are sent through the SDK; the
browser then opens the inbox. It must list all three, show each as its recipient would see it,
add a fourth sent afterwards without a reload, inject a received text from the form (which the
API then lists), and pass axe-core with no serious or critical violations. Screenshots are
written under the test's ``tmp_path`` (their paths are printed: ``pytest -s`` shows them).

Skipped, saying why, when chromedriver is not installed (Debian: ``apt-get install chromium
chromium-driver``; CI installs both).
"""

from __future__ import annotations

import io
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from govuk_notify import prepare_upload
from govuk_notify.sandbox import Sandbox

from .test_sandbox_support import EMAIL_PERSONALISATION, LETTER_PERSONALISATION

CHROMEDRIVER = next(
    (p for p in ("/usr/bin/chromedriver", shutil.which("chromedriver")) if p and os.path.exists(p)),
    None,
)


def _sleep_works() -> bool:
    """Whether ``time.sleep`` works here: selenium sleeps between its own polls, and under
    libfaketime (``make test-clocks``) Python 3.11's ``time.sleep`` fails with EINVAL."""
    try:
        time.sleep(0.001)
    except OSError:
        return False
    return True


pytestmark = [
    pytest.mark.skipif(
        CHROMEDRIVER is None,
        reason="no chromedriver (/usr/bin/chromedriver or on PATH): install Debian's chromium "
        "and chromium-driver to run the inbox's browser tests",
    ),
    pytest.mark.skipif(
        not _sleep_works(),
        reason="time.sleep fails in this process (libfaketime?), and selenium relies on it: "
        "the browser tests run in the ordinary pass of the suite",
    ),
]

if CHROMEDRIVER is not None:
    from selenium import webdriver
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import WebDriverWait

SMS_TEMPLATE = "27977601-9753-4b18-afab-ef47bb93bc78"
EMAIL_TEMPLATE = "6ddb7845-8c78-41be-a04f-c94057b5aabf"
LETTER_TEMPLATE = "a7fbf154-fb22-468b-8fd8-4e236b126152"
AXE = Path(__file__).parent / "data" / "axe-core" / "axe.min.js"
DEADLINE = 60.0  # seconds: generous, for a loaded machine
T = TypeVar("T")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    assert CHROMEDRIVER is not None
    options = Options()
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--window-size=1280,1000",
    ):  # fmt: skip
        options.add_argument(argument)
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    # The browser keeps the real clock: under `make test-clocks` only the test process (and the
    # sandbox in it) runs on a faked clock; Chromium does not start under libfaketime.
    env = {
        k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")
    }
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER, env=env), options=options)
    driver.set_script_timeout(DEADLINE)
    driver.set_page_load_timeout(DEADLINE)
    yield driver
    driver.quit()


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def _wait(driver: WebDriver, condition: Callable[[WebDriver], T], what: str) -> T:
    # A page that is being replaced (a form posted, a redirect followed, the rows refreshed)
    # leaves stale elements and missing ones for a moment: try again until the deadline.
    return WebDriverWait(
        driver,
        DEADLINE,
        poll_frequency=0.1,
        ignored_exceptions=(StaleElementReferenceException, NoSuchElementException),
    ).until(condition, message=f"waited {DEADLINE}s for {what}")


def _rows(driver: WebDriver) -> list[str]:
    """The ids in the list, read in one go (the script may replace the rows at any moment)."""
    ids = driver.execute_script(
        "return Array.from(document.querySelectorAll('#message-rows tr[data-id]'))"
        ".map(row => row.getAttribute('data-id'));"
    )
    return [str(item) for item in ids]


def _shot(driver: WebDriver, directory: Path, name: str) -> Path:
    path = directory / f"inbox-{name}.png"
    assert driver.save_screenshot(str(path))
    assert path.stat().st_size > 1000
    print(f"screenshot: {path}")
    return path


def _send(sandbox: Sandbox) -> dict[str, str]:
    client = sandbox.client()
    sms = client.send_sms_notification(
        "07700 900123", SMS_TEMPLATE, personalisation={"name": "Ann", "code": "8080"}
    )
    report = prepare_upload(io.BytesIO(b"%PDF-1.4 quarterly report"), filename="report.pdf")
    email = client.send_email_notification(
        "ann@example.com", EMAIL_TEMPLATE,
        personalisation={**EMAIL_PERSONALISATION, "link_to_file": report},
    )  # fmt: skip
    letter = client.send_letter_notification(LETTER_TEMPLATE, LETTER_PERSONALISATION)
    return {"sms": str(sms.id), "email": str(email.id), "letter": str(letter.id)}


def _open_from_list(driver: WebDriver, notification_id: str) -> None:
    link = driver.find_element(By.CSS_SELECTOR, f'tr[data-id="{notification_id}"] a')
    link.send_keys(Keys.ENTER)  # the keyboard, as someone without a mouse would
    _wait(driver, lambda d: notification_id[:8] in d.title, f"the page of {notification_id}")


def test_the_inbox_in_chromium(browser: WebDriver, sandbox: Sandbox, tmp_path: Path) -> None:
    sent = _send(sandbox)
    browser.get(sandbox.inbox_url)
    _wait(browser, lambda d: len(_rows(d)) == 3, "three messages in the list")
    assert _rows(browser) == [sent["letter"], sent["email"], sent["sms"]]
    _shot(browser, tmp_path, "list")

    # the text message, as a phone shows it
    _open_from_list(browser, sent["sms"])
    [sms] = sandbox.sent_sms()
    assert browser.find_element(By.ID, "message-text").text == sms.body
    assert "8080" in sms.body
    assert browser.find_element(By.ID, "fragment-count").text == "1 fragment"
    _shot(browser, tmp_path, "sms")

    # the email, as Notify renders it, with its file to download
    browser.get(sandbox.inbox_url)
    _wait(browser, lambda d: len(_rows(d)) == 3, "the list again")
    _open_from_list(browser, sent["email"])
    [email] = sandbox.sent_emails()
    assert browser.find_element(By.ID, "email-subject").text == email.subject
    download = browser.find_element(By.LINK_TEXT, "report.pdf")
    assert download.get_attribute("href") == email.files[0].url
    browser.switch_to.frame(browser.find_element(By.ID, "email-body"))
    try:
        shown = _wait(browser, lambda d: d.find_element(By.TAG_NAME, "body").text, "the body")
        first_line = email.body.strip().splitlines()[0]
        assert first_line.replace("#", "").strip() in shown
    finally:
        browser.switch_to.default_content()
    _shot(browser, tmp_path, "email")

    # the letter: its address block and its PDF
    browser.get(sandbox.inbox_url)
    _wait(browser, lambda d: len(_rows(d)) == 3, "the list again")
    _open_from_list(browser, sent["letter"])
    address = browser.find_element(By.ID, "letter-address").text.splitlines()
    assert address == ["Ann Smith", "1 High Street", "London", "SW1A 1AA"]
    printed = browser.find_element(By.ID, "letter-printed")
    [page] = printed.find_elements(By.CSS_SELECTOR, "svg.page")
    page_text = page.text
    for line in ("Ann Smith", "1 High Street", "SW1A 1AA", "Dear Ann,"):
        assert line in page_text
    pdf = browser.find_element(By.ID, "letter-pdf-link").get_attribute("href")
    assert pdf == f"{sandbox.base_url}/_sandbox/notifications/{sent['letter']}/pdf"
    _shot(browser, tmp_path, "letter")

    # returned by the post, from its page
    browser.find_element(By.XPATH, "//button[contains(., 'Return this letter')]").click()
    _wait(browser, lambda d: not d.find_elements(By.XPATH, "//button[contains(., 'Return')]"),
          "the letter to be returned")  # fmt: skip
    record = sandbox.notification(sent["letter"])
    assert record is not None
    assert record.raw_status == "returned-letter"

    # a fourth message appears without a reload
    browser.get(sandbox.inbox_url)
    _wait(browser, lambda d: len(_rows(d)) == 3, "the list again")
    browser.execute_script("window.__sameDocument = 'kept';")
    fourth = sandbox.client().send_sms_notification(
        "07700 900987", SMS_TEMPLATE, personalisation={"name": "Bo", "code": "1"}
    )
    _wait(browser, lambda d: len(_rows(d)) == 4, "the fourth message to appear by itself")
    assert _rows(browser)[0] == str(fourth.id)
    assert browser.execute_script("return window.__sameDocument;") == "kept"  # no reload
    status = browser.find_element(By.ID, "live-status").text
    assert status == "1 new item arrived"
    _shot(browser, tmp_path, "list-updated")


def test_a_text_injected_from_the_form_reaches_the_api(
    browser: WebDriver, sandbox: Sandbox, tmp_path: Path
) -> None:
    browser.get(sandbox.base_url + "/_sandbox/received")
    sender = browser.find_element(By.ID, "received-from")
    sender.clear()
    sender.send_keys("07700 900555")
    browser.find_element(By.ID, "received-content").send_keys("Please call me back")
    browser.find_element(By.XPATH, "//button[contains(., 'Send text to the service')]").click()
    _wait(browser, lambda d: "Please call me back" in d.find_element(By.ID, "received-rows").text,
          "the text in the list")  # fmt: skip
    client = sandbox.client()

    def listed(_: Any) -> list[Any]:
        return [
            t for t in client.get_received_texts().received_text_messages
            if t.content == "Please call me back"
        ]  # fmt: skip

    [text] = _wait(browser, listed, "the API to list the text")
    assert text.user_number == "447700900555"
    _shot(browser, tmp_path, "received")


def test_the_filters_work_from_the_keyboard(browser: WebDriver, sandbox: Sandbox) -> None:
    sent = _send(sandbox)
    browser.get(sandbox.inbox_url)
    _wait(browser, lambda d: len(_rows(d)) == 3, "three messages")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.text == "Skip to main content"
    recipient = browser.find_element(By.ID, "filter-recipient")
    recipient.send_keys("ann@example", Keys.ENTER)
    _wait(browser, lambda d: "recipient=ann%40example" in d.current_url, "the filtered list")
    _wait(browser, lambda d: _rows(d) == [sent["email"]], "only the email")


def _axe(driver: WebDriver) -> list[dict[str, Any]]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {iframes: false, resultTypes: ['violations']})"
        ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', impact: 'critical',"
        " help: String(e), nodes: []}]));"
    )
    assert isinstance(result, list)
    return [v for v in result if v.get("impact") in ("serious", "critical")]


def test_every_page_passes_axe(browser: WebDriver, sandbox: Sandbox) -> None:
    sent = _send(sandbox)
    sandbox.add_received_text("Hello", user_number="07700 900123")
    pages = [
        "/_sandbox/", "/_sandbox/?type=sms", f"/_sandbox/notifications/{sent['sms']}",
        f"/_sandbox/notifications/{sent['email']}", f"/_sandbox/notifications/{sent['letter']}",
        "/_sandbox/received", "/_sandbox/service",
    ]  # fmt: skip
    found = {}
    for page in pages:
        browser.get(sandbox.base_url + page)
        _wait(browser, lambda d: d.execute_script("return document.readyState") == "complete",
              page)  # fmt: skip
        violations = _axe(browser)
        if violations:
            found[page] = [(v["id"], v["impact"], v["help"]) for v in violations]
    with Sandbox(inbox_token="axe-token") as guarded:
        browser.get(guarded.inbox_url)  # the sign-in page
        violations = _axe(browser)
        if violations:
            found["sign-in"] = [(v["id"], v["impact"], v["help"]) for v in violations]
    assert found == {}
