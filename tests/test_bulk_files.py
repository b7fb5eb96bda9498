"""send-bulk reads the files Notify's upload takes: .csv, .tsv, .xlsx, .xls and .ods, each
written here by a real library, with the cells spreadsheets turn into numbers and dates."""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from govuk_notify.cli.bulk.files import InputError, cell_text, read_rows
from govuk_notify.sandbox import DEFAULT_TEMPLATE_IDS, Sandbox, SentLetter

from .bulk_support import phone, run_cli
from .spreadsheets import WRITERS, Cell, write_xlsx

SMS = DEFAULT_TEMPLATE_IDS["sms"]
LETTER = DEFAULT_TEMPLATE_IDS["letter"]

Writer = Callable[[Path, Sequence[Sequence[Cell]]], Path]


@pytest.fixture(scope="module")
def module_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(module_sandbox: Sandbox) -> Sandbox:
    module_sandbox.reset()
    return module_sandbox


# --- cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (7700900123.0, "7700900123"),  # a phone number that lost its leading 0
        (447700900123.0, "447700900123"),
        (1.5, "1.5"),
        (42, "42"),
        (True, "True"),
        (datetime.date(2026, 5, 1), "2026-05-01"),
        (datetime.datetime(2026, 5, 1, 9, 30), "2026-05-01 09:30:00"),
        (datetime.time(9, 30), "09:30:00"),
        (None, ""),
        (" text ", " text "),
    ],
)
def test_cells_become_the_text_notifys_upload_makes_of_them(value: object, text: str) -> None:
    assert cell_text(value) == text


# --- each format, read back -----------------------------------------------------------------

ROWS: list[list[Cell]] = [
    ["phone number", "name", "code", "date"],
    [7700900123, "Ann", 123456, datetime.date(2026, 5, 1)],
    [None, None, None, None],  # a blank row keeps its number
    ["07700900124", 1.5, "000042", datetime.datetime(2026, 5, 1, 9, 30)],
]


@pytest.mark.parametrize("extension", sorted(WRITERS))
def test_spreadsheets_read_as_notify_reads_them(tmp_path: Path, extension: str) -> None:
    path = WRITERS[extension](tmp_path / f"people{extension}", ROWS)
    sheet = read_rows(str(path))
    assert sheet.headers == ["phone number", "name", "code", "date"]
    assert [(row.number, row.values) for row in sheet.rows] == [
        (2, {"phone number": "7700900123", "name": "Ann", "code": "123456", "date": "2026-05-01"}),
        (
            4,
            {
                "phone number": "07700900124",
                "name": "1.5",
                "code": "000042",
                "date": "2026-05-01 09:30:00",
            },
        ),
    ]


def test_csv_and_tsv(tmp_path: Path) -> None:
    csv_path = tmp_path / "people.csv"
    csv_path.write_text('phone number,name\n07700900123,"Smith, Ann"\n\n07700900124,Bob\n')
    tsv_path = tmp_path / "people.tsv"
    tsv_path.write_text("phone number\tname\n07700900123\tSmith, Ann\n\n07700900124\tBob\n")
    for path in (csv_path, tsv_path):
        sheet = read_rows(str(path))
        assert [(row.number, row.values["name"]) for row in sheet.rows] == [
            (2, "Smith, Ann"),
            (4, "Bob"),
        ]


def test_the_first_visible_sheet_is_read(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "two.xlsx", [["phone number"], ["07700900123"]], hidden_first=True)
    assert [row.values for row in read_rows(str(path)).rows] == [{"phone number": "07700900123"}]


def test_files_that_cannot_be_read_say_why(tmp_path: Path) -> None:
    other = tmp_path / "people.txt"
    other.write_text("phone number\n07700900123\n")
    with pytest.raises(InputError, match=r"must end in one of \.csv, \.tsv, \.xlsx, \.xls, \.ods"):
        read_rows(str(other))
    fake = tmp_path / "people.xlsx"
    fake.write_text("phone number\n07700900123\n")
    with pytest.raises(InputError, match="cannot be read as a spreadsheet"):
        read_rows(str(fake))
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="is empty"):
        read_rows(str(empty))
    with pytest.raises(InputError, match="cannot read"):
        read_rows(str(tmp_path / "missing.ods"))


def test_without_python_calamine_the_message_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "people.xlsx", [["phone number"], ["07700900123"]])
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # as if not installed
    with pytest.raises(InputError, match=r"pip install 'govuk-notify\[spreadsheets\]'"):
        read_rows(str(path))
    csv_path = tmp_path / "people.csv"
    csv_path.write_text("phone number\n07700900123\n")
    assert len(read_rows(str(csv_path)).rows) == 1  # CSV needs nothing extra


# --- the command, as a process, on each format ------------------------------------------------


@pytest.mark.parametrize("extension", sorted(WRITERS))
def test_send_bulk_sends_from_each_format(sandbox: Sandbox, tmp_path: Path, extension: str) -> None:
    rows: list[list[Cell]] = [
        ["Phone Number", "name", "code"],
        [7700900301, "Ann", 123456],  # the leading 0 lost to a number cell
        [phone(2), "Bob", "000042"],
    ]
    path = WRITERS[extension](tmp_path / f"sms{extension}", rows)
    done = run_cli(sandbox, SMS, path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Done: 2 sent, 0 failed, 0 in doubt." in done.stdout
    bodies = sorted(n.body for n in sandbox.sent_sms())
    assert bodies == [
        "Hello Ann, your security code is 123456. It expires in 10 minutes.",
        "Hello Bob, your security code is 000042. It expires in 10 minutes.",
    ]
    # the number that lost its 0 is the same person as 07700 900301: a rerun sends nothing
    again = run_cli(sandbox, SMS, path)
    assert again.returncode == 0
    assert "2 already sent (skipped), 0 to send" in again.stdout
    assert len(sandbox.notifications()) == 2


@pytest.mark.parametrize("extension", sorted(WRITERS))
def test_a_date_cell_in_a_letter(sandbox: Sandbox, tmp_path: Path, extension: str) -> None:
    header: list[Cell] = ["address line 1", "address line 2", "postcode", "name"]
    header += ["application number", "date", "needs documents"]
    values: list[Cell] = ["A Person", "1 High Street", "SW1A 1AA", "A Person"]
    values += [1234, datetime.date(2026, 5, 1), "no"]
    rows = [header, values]
    path = WRITERS[extension](tmp_path / f"letters{extension}", rows)
    done = run_cli(sandbox, LETTER, path)
    assert done.returncode == 0, done.stdout + done.stderr
    [letter] = sandbox.sent_letters()
    assert isinstance(letter, SentLetter)
    assert "2026-05-01" in letter.body
    assert "1234" in letter.body
    assert "1234.0" not in letter.body
