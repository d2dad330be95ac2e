"""The examiner's LibreOffice variants: a filled DOCX saved again by LibreOffice (DOCX, ODT,
DOC and back), and printed to PDF from ODT and DOCX, with other tick marks, other fonts and
page sizes, a long experience text running onto page 2 and a three-line address.
Skipped when LibreOffice (``soffice``) is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import formbuilder as fb
import pytest
import variants as v
from formbuilder import el, w
from parsers_testlib import BLANK_DOCX, diff

import parsers

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)

LONG_EXPERIENCE = "\n".join(
    [
        "Od 2012 roku pracuję w Miejskim Ośrodku Pomocy Społecznej w Wałbrzychu, gdzie "
        "koordynuję usługi społeczne świadczone w społeczności lokalnej. " * 3,
        "W latach 2016–2020 prowadziłam projekt deinstytucjonalizacji opieki nad osobami "
        "starszymi; współpracowałam z CIS, KIS, ZAZ, WTZ i ŚDS z terenu powiatu. " * 3,
        "Jestem członkinią zespołu ds. programu rewitalizacji i współautorką strategii "
        "rozwiązywania problemów społecznych gminy na lata 2021–2030. " * 3,
        "Chcę wnieść do grupy doświadczenie w zlecaniu zadań publicznych podmiotom ekonomii "
        "społecznej i w budowaniu partnerstw z biznesem.",
    ]
)
ADDRESS3 = "Ośrodek Pomocy Społecznej\nul. Żółkiewskiego 7/3\n58-500 Jelenia Góra"


def _fonts_and_page(root: Any) -> None:
    """Every run in a serif font at 13 pt, the page A5 with narrow margins."""
    for run in root.iter(w("r")):
        rpr = run.find(w("rPr"))
        if rpr is None:
            rpr = el("rPr")
            run.insert(0, rpr)
        if rpr.find(w("rFonts")) is None:
            rpr.insert(
                0, el("rFonts", ascii="DejaVu Serif", hAnsi="DejaVu Serif", cs="DejaVu Serif")
            )
        rpr.append(el("sz", val="26"))
    for sect in root.iter(w("sectPr")):
        for old in sect.findall(w("pgSz")) + sect.findall(w("pgMar")):
            sect.remove(old)
        sect.insert(
            0,
            el(
                "pgMar",
                top="720",
                right="720",
                bottom="720",
                left="720",
                header="360",
                footer="360",
                gutter="0",
            ),
        )
        sect.insert(0, el("pgSz", w="8391", h="11906"))


INPUTS: dict[str, tuple[dict[str, Any], str, Any]] = {
    "tick-box": (fb.VALUES, "☒", None),
    "tick-X": (dict(fb.VALUES, groups=[1, 3], consents_gdpr=True), "X", None),
    "tick-check": (dict(fb.VALUES, groups=[4]), "✔", None),
    "fonts-a5": (fb.VALUES, "☒", _fonts_and_page),
    "long-experience": (dict(fb.VALUES, experience=LONG_EXPERIENCE, address=ADDRESS3), "☒", None),
}
CHAINS = ("docx>docx", "docx>odt>docx", "docx>doc>docx", "docx>odt>pdf", "docx>pdf")


def _soffice(folder: Path, fmt: str, files: list[Path], out: Path) -> None:
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{folder}/profile",
            "--convert-to",
            fmt,
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )


@pytest.fixture(scope="module")
def converted(tmp_path_factory: Any) -> Path:
    folder = tmp_path_factory.mktemp("examiner-office")
    src = folder / "src"
    src.mkdir()
    blank = BLANK_DOCX.read_bytes()
    for name, (values, tick, edit) in INPUTS.items():
        data = fb.build_docx(blank, values, tick_style=tick)
        if edit is not None:
            data = v.edit_docx(data, edit)
        (src / f"{name}.docx").write_bytes(data)
    inputs = sorted(src.glob("*.docx"))
    _soffice(folder, "docx", inputs, folder / "docx")
    _soffice(folder, "odt", inputs, folder / "odt")
    _soffice(folder, "doc", inputs, folder / "doc")
    _soffice(folder, "pdf:writer_pdf_Export", inputs, folder / "pdf")
    odts = sorted((folder / "odt").glob("*.odt"))
    _soffice(folder, "docx", odts, folder / "odt-docx")
    _soffice(folder, "pdf:writer_pdf_Export", odts, folder / "odt-pdf")
    _soffice(folder, "docx", sorted((folder / "doc").glob("*.doc")), folder / "doc-docx")
    return folder


PATHS = {
    "docx>docx": "docx/{}.docx",
    "docx>odt>docx": "odt-docx/{}.docx",
    "docx>doc>docx": "doc-docx/{}.docx",
    "docx>odt>pdf": "odt-pdf/{}.pdf",
    "docx>pdf": "pdf/{}.pdf",
}


@pytest.mark.parametrize("chain", CHAINS)
@pytest.mark.parametrize("name", list(INPUTS))
def test_libreoffice_chain(converted: Path, name: str, chain: str) -> None:
    data = (converted / PATHS[chain].format(name)).read_bytes()
    got = parsers.extract(data)
    assert got.readable, (got.reason, got.detail)
    assert diff(got.fields, INPUTS[name][0]) == {}
    if not chain.endswith("pdf"):
        assert got.fields["address"] == INPUTS[name][0]["address"]


# every DOCX edit of test_examiner_variants, saved by LibreOffice as ODT / DOCX and printed
# to PDF: what the applicant's own program makes of the same edit
EDIT_FORMATS = ("odt", "docx", "pdf")


@pytest.fixture(scope="module")
def edits_converted(tmp_path_factory: Any) -> Path:
    from test_examiner_variants import DOCX_EDITS

    folder = tmp_path_factory.mktemp("examiner-edits")
    src = folder / "src"
    src.mkdir()
    filled = fb.build_docx(BLANK_DOCX.read_bytes())
    for name, (edit, _want) in DOCX_EDITS.items():
        (src / f"{name}.docx").write_bytes(v.edit_docx(filled, edit))
    inputs = sorted(src.glob("*.docx"))
    for fmt in EDIT_FORMATS:
        _soffice(folder, "pdf:writer_pdf_Export" if fmt == "pdf" else fmt, inputs, folder / fmt)
    return folder


def _edit_names() -> list[str]:
    from test_examiner_variants import DOCX_EDITS

    return list(DOCX_EDITS)


@pytest.mark.parametrize("fmt", EDIT_FORMATS)
@pytest.mark.parametrize("name", _edit_names())
def test_edit_saved_by_libreoffice(edits_converted: Path, name: str, fmt: str) -> None:
    from test_examiner_variants import DOCX_EDITS

    got = parsers.extract((edits_converted / fmt / f"{name}.{fmt}").read_bytes())
    assert got.readable, (got.reason, got.detail)
    assert diff(got.fields, DOCX_EDITS[name][1]) == {}
