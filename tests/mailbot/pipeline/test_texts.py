"""mailbot/pipeline/texts.py: the Polish wording shared by letters, the digest and exports."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from mailbot.names import ApplicationStatus
from mailbot.pipeline.texts import (
    STATUS_LABELS,
    format_value,
    normalise,
    polish_datetime,
    salutation,
    size_text,
)

WARSAW = ZoneInfo("Europe/Warsaw")


def test_a_moment_is_said_in_the_calls_zone_with_the_month_in_the_genitive():
    assert polish_datetime(datetime(2024, 5, 24, 21, 59, tzinfo=UTC), WARSAW) == (
        "24 maja 2024 r., godz. 23:59"
    )
    # past midnight in Warsaw: the next day, the next month
    assert polish_datetime(datetime(2024, 8, 31, 22, 30, tzinfo=UTC), WARSAW) == (
        "1 września 2024 r., godz. 00:30"
    )
    assert polish_datetime(datetime(2024, 1, 5, 9, 0, tzinfo=UTC), WARSAW).startswith(
        "5 stycznia 2024"
    )


def test_values_as_a_letter_shows_them():
    names = {1: "Edukacja", 3: "Finanse"}
    assert format_value("choice", [1, 3], names) == "1. Edukacja\n3. Finanse"
    assert format_value("choice", [7], names) == "7. (pozycja spoza naboru)"
    assert format_value("choice", [], names) == "—"
    assert format_value("choice", None, names) == "—"
    assert format_value("statement", True, {}) == "tak"
    assert format_value("statement", False, {}) == "nie"
    assert format_value("text", "  ", {}) == "—"
    assert format_value("text", None, {}) == "—"
    assert format_value("text", "  Anna Kowalska \n", {}) == "Anna Kowalska"


def test_sizes_as_mail_programs_count_them():
    assert size_text(20 * 1024 * 1024) == "20 MB"
    assert size_text(int(1.5 * 1024 * 1024)) == "1,5 MB"
    assert size_text(300 * 1024) == "300 KB"
    assert size_text(10) == "1 KB"  # never "0 KB"


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("Anna Kowalska", "Szanowna Pani,"),
        ("Jan Nowak", "Szanowny Panie,"),
        ("Kuba Zagłoba", "Szanowni Państwo,"),  # a man's name in -a with a surname in -a
        ("Barnaba Kowalski", "Szanowny Panie,"),
        ("Nowak Anna", "Szanowni Państwo,"),  # surname first: unsure
        ("dr hab. Ewa Lis", "Szanowna Pani,"),
        ("Anna Kowalski", "Szanowni Państwo,"),  # the surname disagrees
        ("Anna i Jan Kowalscy", "Szanowni Państwo,"),
        ("Sekretariat", "Szanowni Państwo,"),
        ("Anna Kowalska; Jan Nowak", "Szanowni Państwo,"),
        (None, "Szanowni Państwo,"),
    ],
)
def test_the_salutation_only_when_the_name_shows_it(name, greeting):
    assert salutation(name) == greeting


def test_every_status_has_its_polish_label():
    assert set(STATUS_LABELS) == {str(s) for s in ApplicationStatus}
    assert all(label and "_" not in label for label in STATUS_LABELS.values())


def test_normalise_folds_case_diacritics_and_spaces():
    assert normalise("  Łódź   ŻÓŁW\tśląski ") == "lodz zolw slaski"
