"""Arbitrary Unicode in every field, through every export: the CLI's json, csv, csv --excel, xlsx
and docx (``mailbot export``) and the workspace's downloads (``/lista/sklad-grup.*``), on the
demo's real pipeline data in a real SQLite file.

The values enter the store the ways they do in use: as a reader found them (the record stage's
write, ``dumps_clean``), as a person's corrections (``review.correct``), and — for one
application — raw, as an older version may have stored them. Every format must be produced, no
XLSX cell may be a formula, and no CSV or XLSX cell may start as a formula unless it is a phone
number."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import docx
import openpyxl
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailbot.cli import cli
from mailbot.ops import review
from mailbot.sanitize import clean_text
from mailbot.storage.store import dumps, dumps_clean, loads

from .workspace_data import open_store

ANNA = "DKRES-2024-0001"  # accepted, groups 1 and 4
JAN = "DKRES-2024-0003"  # accepted, group 2
OLD = "DKRES-2024-0007"  # accepted: its fields written raw, as an older version stored them
TEXT_FIELDS = (
    "full_name",
    "organisation",
    "organisation_type",
    "position",
    "address",
    "email",
    "phone",
    "experience",
    "place_and_date",
)
FORMULA_FIRST = set("=+-@\uff1d\uff0b\uff0d\uff20")
PHONE = re.compile(r"\+\d[\d ()./-]*\d")

hostile = st.one_of(
    st.text(),
    st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\x0b", "\x00", " =", "\uff1d", "'"]),
        st.text(),
    ),
    st.sampled_from(['=HYPERLINK("http://evil.example","klik")', "-2-3", "+48 601 234 567"]),
)


def starts_as_formula(cell: str) -> bool:
    """Would a spreadsheet read this cell as a formula? (A phone number with its country code
    is shown as it is.)"""
    if not cell:
        return False
    if cell[0] in "\t\r\n":
        return True
    first = cell.lstrip()[:1]
    phone = PHONE.fullmatch(cell.strip()) and sum(c.isdigit() for c in cell) >= 8
    return first in FORMULA_FIRST and not phone


def check_csv(text: str, delimiter: str) -> int:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter))
    assert len(rows) >= 2
    bad = [cell for row in rows for cell in row if starts_as_formula(cell)]
    assert bad == []
    return len(rows)


def check_xlsx(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not starts_as_formula(cell.value), cell.value


def docx_cells(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return [cell.text for table in document.tables for row in table.rows for cell in row.cells]


#: what an older version or an odd reader may have stored in the other fields
odd = st.fixed_dictionaries(
    {
        "groups": st.one_of(
            st.lists(st.integers(-5, 99), max_size=6), st.lists(st.text(), max_size=3)
        ),
        "accepts_rules": st.one_of(st.booleans(), st.none(), hostile),
        "consents_gdpr": st.one_of(st.booleans(), st.none(), hostile),
    }
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(read=st.fixed_dictionaries({k: hostile for k in TEXT_FIELDS}), typed=hostile, other=odd)
def test_every_export_of_every_field_stays_data(config, coordinator, tmp_path, read, typed, other):
    with open_store(config) as store:
        # as a reader found them: the record stage's write
        row = review.application_row(store, ANNA)
        fields = {**loads(row["fields"], {}), **read}
        store.db.execute(
            "UPDATE applications SET fields = ?, corrected = NULL WHERE reference = ?",
            [dumps_clean(fields), ANNA],
        )
        # as a person typed them: every text field of another application corrected (what the
        # form spec refuses — an e-mail or phone that is none — is not saved, the rest is)
        changes = dict.fromkeys(TEXT_FIELDS, typed)
        try:
            review.correct(store, JAN, changes, actor="anna")
        except review.FieldErrors as refused:
            rest = {k: v for k, v in changes.items() if k not in refused.errors}
            if rest:
                review.correct(store, JAN, rest, actor="anna")
        # raw, as an older version stored them (no cleaning on the way in)
        old = review.application_row(store, OLD)
        store.db.execute(
            "UPDATE applications SET fields = ? WHERE reference = ?",
            [dumps({**loads(old["fields"], {}), **read, **other}), OLD],
        )
    c = str(config.path)
    outputs: dict[str, bytes] = {}
    for name, args in {
        "json": ["--format", "json"],
        "csv": ["--format", "csv"],
        "excel": ["--format", "csv", "--excel"],
        "xlsx": ["--format", "xlsx"],
        "docx": ["--format", "docx"],
    }.items():
        out = tmp_path / f"export.{name}"
        result = CliRunner().invoke(cli, ["--config", c, "export", *args, "--output", str(out)])
        assert result.exit_code == 0, (name, result.output, result.exception)
        outputs[name] = out.read_bytes()
    for fmt in ("xlsx", "docx", "csv"):
        response = coordinator.get(f"/lista/sklad-grup.{fmt}")
        assert response.status_code == 200, fmt
        outputs[f"lista.{fmt}"] = response.data

    data = json.loads(outputs["json"])
    assert {a["reference"] for a in data["applications"]} >= {ANNA, JAN, OLD}
    assert check_csv(outputs["csv"].decode("utf-8"), ",") > 3
    assert check_csv(outputs["excel"].decode("utf-8"), ";") > 3
    check_csv(outputs["lista.csv"].decode("utf-8"), ";")
    check_xlsx(outputs["xlsx"])
    check_xlsx(outputs["lista.xlsx"])
    for name in ("docx", "lista.docx"):
        cells = docx_cells(outputs[name])
        name_shown = clean_text(read["full_name"]).strip()
        if name_shown:
            assert any(name_shown in cell for cell in cells), name
