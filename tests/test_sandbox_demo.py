"""The demo runs end to end against the sandbox and prints what it read back."""

from __future__ import annotations

import io
import re
import threading

import pytest

from govuk_notify.demo import main, run_demo


def test_the_demo_runs_and_prints_typed_results() -> None:
    before = set(threading.enumerate())
    out = io.StringIO()
    run_demo(out)
    text = out.getvalue()
    assert re.search(
        r"^  sms +\w{8}  from GOVUK  Hello Ann, your security code is 4821", text, re.M
    )
    assert "subject \u201cYour annual report is ready\u201d" in text
    assert re.search(r"file link http://127\.0\.0\.1:\d+/sandbox/documents/", text)
    just_after = text.split("Statuses just after sending")[1].split("Statuses a moment later")[0]
    assert re.search(r"^  sms +(created|sending|delivered)$", just_after, re.M)
    assert re.search(r"^  precompiled +(pending-virus-check|accepted|received)$", just_after, re.M)
    for label, status in (
        ("sms", "delivered"),
        ("email", "delivered"),
        ("letter", "received"),
        ("precompiled", "received"),
    ):
        assert re.search(rf"^  {label} +{status} ", text, re.M), label
    assert "Notifications (one page, newest first: 4)" in text
    assert "Templates (4)" in text
    assert "subject      Your licence is ready" in text
    assert "\u201cYes, Tuesday at 2pm suits me\u201d" in text
    assert re.search(r"^  letter +[\d,]+ bytes  %PDF-1\.4$", text, re.M)
    assert text.endswith("Sandbox stopped. Done.\n")
    # no secrets: no API key, no bearer token
    assert "sandbox_live-" not in text
    assert "Bearer" not in text
    assert set(threading.enumerate()) <= before


def test_main_returns_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert "Sandbox stopped. Done." in capsys.readouterr().out
