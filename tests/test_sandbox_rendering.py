"""Rendering rules (GSM, fragments, typography, email HTML, sanitisation) and the PDF writer."""

from __future__ import annotations

import re

import pytest

from govuk_notify.sandbox import Lifecycle, minimal_pdf
from govuk_notify.sandbox.countries import country_zone
from govuk_notify.sandbox.lifecycle import looks_like_pdf
from govuk_notify.sandbox.pdf import TextLine, build_pdf, letter_pdf
from govuk_notify.sandbox.rendering import (
    email_html,
    email_subject,
    gsm_sanitise,
    letter_subject,
    sanitise_content_for,
    sanitise_value,
    smart_typography,
    sms_body,
    sms_fragment_count,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain ASCII @ £ € {}", "plain ASCII @ £ € {}"),
        ("\u2018single\u2019 \u201cdouble\u201d", "'single' \"double\""),
        ("en\u2013em\u2014minus\u2212", "en-em-minus-"),
        ("wait\u2026", "wait..."),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("tab\there", "tab here"),
        ("Jo\u00e3o \u00e7a", "Joao ca"),
        ("Welsh \u0175 \u0177 \u00e2 \u00eb stays", "Welsh \u0175 \u0177 \u00e2 \u00eb stays"),
        ("emoji \U0001f600 and \u4e2d", "emoji ? and ?"),
    ],
)
def test_gsm_sanitise(text: str, expected: str) -> None:
    assert gsm_sanitise(text) == expected


def test_sms_whitespace_rules() -> None:
    assert sms_body("a  , b .\r\n\r\n\r\n\r\nc  ", None) == "a, b.\n\nc"
    assert sms_body("Hi ((names))", {"names": ["Ann", None, " ", "Bob", "Cy"]}) == (
        "Hi Ann, Bob and Cy"
    )


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("{" * 80, 1),
        ("{" * 81, 2),
        ("\u0175" * 70, 1),
        ("\u0175" * 71, 2),
        ("\u0175" * 134, 2),
        ("\u0175" * 135, 3),
    ],
)
def test_fragment_count(text: str, fragments: int) -> None:
    assert sms_fragment_count(text) == fragments


def test_subject_typography() -> None:
    assert smart_typography('"Quoted" and \'single\' - it\'s ("x")') == (
        "\u201cQuoted\u201d and \u2018single\u2019 \u2013 it\u2019s (\u201cx\u201d)"
    )
    assert email_subject("  Hello\n((name))\t!  ", {"name": ["A", "B"]}) == "Hello A and B !"
    assert letter_subject("<Dear> ((name))", {"name": "O'Neil & Co"}) == (
        "&lt;Dear&gt; O\u2019Neil &amp; Co"
    )


def test_email_html() -> None:
    html = email_html(
        "# Title\n\nHello ((name)),\nsecond line\n\n((items))\n\n1. one\n2. two\n\n"
        "^ inset\n\n---\n\nSee [the guide](https://example.com/guide) or https://gov.uk/x.",
        {"name": "<script>", "items": ["a", "b"]},
    )
    assert re.search(r"<h2 [^>]*>Title</h2>", html)
    assert "Hello &lt;script&gt;,<br />second line" in html
    assert re.search(r"<ul [^>]*><li [^>]*>a</li><li [^>]*>b</li></ul>", html)
    assert re.search(r"<ol [^>]*><li [^>]*>one</li><li [^>]*>two</li></ol>", html)
    assert re.search(r"<blockquote [^>]*><p [^>]*>inset</p></blockquote>", html)
    assert "<hr " in html
    assert 'href="https://example.com/guide">the guide</a>' in html
    assert 'href="https://gov.uk/x">https://gov.uk/x</a>.' in html
    assert "<script>" not in html


def test_sanitisation_for_email_values() -> None:
    assert sanitise_value("see www.example.com now") == "see www\\. example\\. com now"
    assert sanitise_value("go to https://evil.test/path?x=1 please") == "go to  please"
    assert sanitise_value("a_b*c#d") == "a\\_b\\*c\\#d"
    values, report = sanitise_content_for(
        ["First-Name"], {"first_name": "*hi*", "other": "*kept*", "FIRSTNAME": "plain"}
    )
    assert values == {"first_name": "\\*hi\\*", "other": "*kept*", "FIRSTNAME": "plain"}
    assert report == {"first_name": {"unsanitised": "*hi*", "sanitised": "\\*hi\\*"}}
    assert sanitise_content_for(None, {"a": "*"}) == ({"a": "*"}, {})
    assert sanitise_content_for([5], {}) == ({}, {})  # nothing to sanitise: no error


def _check_structure(pdf: bytes) -> int:
    """Check the cross-reference table points at every object; return the page count."""
    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.endswith(b"%%EOF\n")
    start = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[start:].startswith(b"xref\n0 ")
    lines = pdf[start:].split(b"\n")
    count = int(lines[1].split()[1])
    for number in range(1, count):
        offset = int(lines[2 + number][:10])
        assert pdf[offset:].startswith(b"%d 0 obj\n" % number)
    for match in re.finditer(rb"<< /Length (\d+) >>\nstream\n", pdf):
        length = int(match.group(1))
        assert pdf[match.end() + length : match.end() + length + 9] == b"endstream"
    return int(re.search(rb"/Count (\d+)", pdf).group(1))  # type: ignore[union-attr]


def test_pdf_structure() -> None:
    pdf = build_pdf([[TextLine(50, 700, "Hello (world) \\ caf\u00e9 \u2022")], []])
    assert _check_structure(pdf) == 2
    assert b"(Hello \\(world\\) \\\\ caf\\351 \\225)" in pdf
    assert _check_structure(minimal_pdf()) == 1
    assert looks_like_pdf(minimal_pdf())
    assert not looks_like_pdf(b"%PDF-1.4 but no end")


def test_letter_layout() -> None:
    body = "Dear Ann,\n\n" + "A long sentence that wraps across the line. " * 200
    body += "\n\n***\n\n# Heading\n\n* bullet"
    pdf, pages = letter_pdf(
        address_lines=["Ann Smith", "1 High Street", "SW1A 1AA"],
        body=body,
        subject="Your letter",
        contact_block="Dept\nPO Box 1",
    )
    assert pages == _check_structure(pdf) >= 3
    assert b"(Ann Smith)" in pdf
    assert b"(SW1A 1AA)" in pdf
    assert b"(Your letter)" in pdf
    assert b"/F2 12.0 Tf" in pdf  # the subject in bold


def test_lifecycle_rules() -> None:
    with pytest.raises(ValueError, match="negative"):
        Lifecycle(sending_after=-1)
    with pytest.raises(ValueError, match="delivered_after"):
        Lifecycle(sending_after=2, delivered_after=1)
    lifecycle = Lifecycle()
    eicar = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    assert lifecycle.precompiled_letter(eicar).later[-1][1] == "virus-scan-failed"
    assert lifecycle.precompiled_letter(b"junk").later[-1][1] == "validation-failed"
    assert lifecycle.precompiled_letter(minimal_pdf()).later[-1][1] == "delivered"
    assert lifecycle.letter(11).later[-1][1] == "validation-failed"
    assert lifecycle.message("permanent-failure").later[-1][1] == "permanent-failure"


@pytest.mark.parametrize(
    ("line", "zone"),
    [
        ("France", "europe"),
        ("the netherlands", "europe"),
        ("Bosnia & Herzegovina", "europe"),
        ("NEW ZEALAND", "rest-of-world"),
        ("United States of America", "rest-of-world"),
        ("Narnia", None),
        ("SW1A 1AA", None),
    ],
)
def test_country_zones(line: str, zone: str | None) -> None:
    assert country_zone(line) == zone
