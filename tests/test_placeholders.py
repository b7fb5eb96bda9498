"""Template placeholders: matching, missing data and rendering (server contract §8)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govuk_notify.validation import (
    Placeholder,
    fill_placeholders,
    find_placeholders,
    missing_personalisation,
    normalise_key,
)

# --- §8.2 key matching ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["First Name", "first_name", "FIRSTNAME", "first-name", " First  Name "]
)
def test_keys_match_without_spaces_underscores_hyphens_or_case(key: str) -> None:
    assert normalise_key(key) == normalise_key("First Name") == "firstname"
    assert fill_placeholders("Hi ((First Name))", {key: "Ada"}) == "Hi Ada"
    assert missing_personalisation(["Hi ((First Name))"], {key: "Ada"}) == []


def test_tabs_and_newlines_are_not_ignored() -> None:
    assert normalise_key("first\tname") != normalise_key("first name")
    assert missing_personalisation(["((first name))"], {"first\tname": "Ada"}) == ["first name"]


def test_later_duplicate_keys_win() -> None:
    assert fill_placeholders("((name))", {"name": "a", "NAME": "b"}) == "b"
    assert missing_personalisation(["((name))"], {"name": "a", "NAME": None}) == ["name"]
    assert missing_personalisation(["((name))"], {"NAME": None, "name": "a"}) == []


def test_extra_keys_are_ignored() -> None:
    assert missing_personalisation(["((a))"], {"a": 1, "b": 2}) == []
    assert fill_placeholders("((a))", {"a": 1, "b": 2}) == "1"


# --- §8.1 syntax ----------------------------------------------------------------------------


def test_placeholders_in_order_across_texts_first_spelling_kept() -> None:
    found = find_placeholders(
        "Dear ((First Name))", None, "((Date)) for ((first_name)) and ((DATE))"
    )
    assert found == [
        Placeholder(name="First Name", conditional_text=None),
        Placeholder(name="Date", conditional_text=None),
    ]


def test_conditional_placeholders() -> None:
    (placeholder,) = find_placeholders("((has_car??Bring your licence??and keys))")
    assert placeholder == Placeholder(
        name="has_car", conditional_text="Bring your licence??and keys"
    )
    assert placeholder.is_conditional
    assert not Placeholder(name="x", conditional_text=None).is_conditional


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("((a b.c, d!))", ["a b.c, d!"]),
        ("((two\nlines))", ["two\nlines"]),
        ("(((name)))", ["name"]),
        ("((a(b))", []),
        ("((a)b))", []),
        ("(())", []),
        ("((unclosed)", []),
        ("", []),
    ],
)
def test_the_placeholder_pattern(text: str, names: list[str]) -> None:
    assert [p.name for p in find_placeholders(text)] == names


# --- §8.3 missing personalisation -----------------------------------------------------------


def test_absent_and_null_values_are_missing_empty_strings_are_not() -> None:
    texts = ["((a)) ((b)) ((c))"]
    assert missing_personalisation(texts, {"a": None, "c": ""}) == ["a", "b"]
    assert missing_personalisation(texts, None) == ["a", "b", "c"]
    assert missing_personalisation(texts, {}) == ["a", "b", "c"]


def test_conditionals_are_still_required() -> None:
    texts = ["((has_car??Bring your licence))"]
    assert missing_personalisation(texts, {}) == ["has_car"]
    assert missing_personalisation(texts, {"has_car": None}) == ["has_car"]
    assert missing_personalisation(texts, {"has_car": "no"}) == []


def test_missing_names_in_template_order_spelt_as_first_written() -> None:
    subject = "Your ((Reference Number))"
    body = "Dear ((First Name)), ((reference_number)) is due on ((date))."
    assert missing_personalisation([subject, body], {"DATE": "today"}) == [
        "Reference Number",
        "First Name",
    ]


# --- §8.4 rendering -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        ("text as is ((not a placeholder))", "text as is ((not a placeholder))"),
        ("", ""),
        (1, "1"),
        (1.0, "1.0"),
        (True, "True"),
        (False, "False"),
        ({"a": 1}, "{'a': 1}"),
    ],
)
def test_scalar_values(value: object, rendered: str) -> None:
    assert fill_placeholders("[((x))]", {"x": value}) == f"[{rendered}]"


def test_lists_in_markdown() -> None:
    assert fill_placeholders("Items:((items))", {"items": ["a", "b"]}) == "Items:\n\n* a\n* b"


@pytest.mark.parametrize(
    ("items", "rendered"),
    [
        (["a"], "a"),
        (["a", "b"], "a and b"),
        (["a", "b", "c"], "a, b and c"),
        ([1, 2.5, True], "1, 2.5 and True"),
        ([], ""),
    ],
)
def test_lists_in_prose(items: list[object], rendered: str) -> None:
    assert fill_placeholders("((items))", {"items": items}, lists_as="prose") == rendered


def test_list_items_are_cleaned() -> None:
    items = [None, "  a  ", "", "\u200b", "b\u200b", " \t", None]
    assert fill_placeholders("((x))", {"x": items}) == "\n\n* a\n* b"
    assert fill_placeholders("((x))", {"x": items}, lists_as="prose") == "a and b"
    assert fill_placeholders("((x))", {"x": [None, " "]}) == ""


@pytest.mark.parametrize(
    "value", ["yes", "Y", "true", "T", "1", "include", "SHOW", True, 1, ["yes"]]
)
def test_conditionals_shown(value: object) -> None:
    text = "Hello((has_car??, bring your licence))."
    assert fill_placeholders(text, {"has_car": value}, lists_as="prose") == (
        "Hello, bring your licence."
    )


@pytest.mark.parametrize("value", ["no", "", "nope", False, 0, 1.0, "yes please", []])
def test_conditionals_hidden(value: object) -> None:
    text = "Hello((has_car??, bring your licence))."
    assert fill_placeholders(text, {"has_car": value}) == "Hello."


def test_a_list_shown_as_markdown_is_not_a_yes() -> None:
    assert fill_placeholders("((c??shown))", {"c": ["yes"]}) == ""


def test_placeholders_without_a_value_are_left_as_written() -> None:
    text = "Hi ((First Name)), ((has_car??Bring it)) ((x))"
    assert fill_placeholders(text, {"x": None}) == text
    assert fill_placeholders(text, None) == text
    assert fill_placeholders(text, {"first_name": "Ada"}) == "Hi Ada, ((has_car??Bring it)) ((x))"


def test_every_occurrence_is_filled() -> None:
    assert fill_placeholders("((a)) ((A)) ((a))", {"a": "x"}) == "x x x"


# --- properties -----------------------------------------------------------------------------

_NAMES = st.text(st.sampled_from([*"abAB _-?"]), min_size=1, max_size=6)
_VALUES = st.one_of(st.none(), st.text(st.characters(exclude_characters="()")), st.integers())


@given(st.lists(_NAMES, max_size=6), st.dictionaries(_NAMES, _VALUES))
def test_missing_names_are_exactly_the_unfilled_placeholders(
    names: list[str], personalisation: Mapping[str, object]
) -> None:
    text = " ".join(f"(({name}))" for name in names)
    missing = missing_personalisation([text], personalisation)
    left = find_placeholders(fill_placeholders(text, personalisation))
    assert [normalise_key(name) for name in missing] == [normalise_key(p.name) for p in left]
