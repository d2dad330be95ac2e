"""DOCX forms built from the blank form, filled every way applicants fill it."""

from __future__ import annotations

import io
import zipfile

import formbuilder as fb
import pytest
from lxml import etree
from parsers_testlib import BLANK_DOCX, diff

import parsers


@pytest.fixture(scope="module")
def blank() -> bytes:
    return BLANK_DOCX.read_bytes()


@pytest.mark.parametrize("layout", fb.LAYOUTS)
@pytest.mark.parametrize("text_style", list(fb.TEXT_STYLES))
@pytest.mark.parametrize("tick_style", list(fb.TICK_STYLES))
def test_variant(blank: bytes, layout: str, text_style: str, tick_style: str) -> None:
    data = fb.build_docx(blank, layout=layout, text_style=text_style, tick_style=tick_style)
    got = parsers.extract(data)
    assert got.readable, (got.reason, got.detail)
    assert diff(got.fields, fb.VALUES) == {}
    assert got.fields["address"] == fb.VALUES["address"]  # paragraphs/lines come back as \n


def _edit(blank: bytes, edit) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(blank))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                edit(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            zout.writestr(item, data)
    return out.getvalue()


def _paras(root):
    return list(root.iter(fb.w("p")))


def _replace_text(root, old: str, new: str) -> None:
    for t in root.iter(fb.w("t")):
        if t.text and old in t.text:
            t.text = t.text.replace(old, new)


@pytest.mark.parametrize(
    "label, key",
    [
        ("IMIE I NAZWISKO", "full_name"),
        ("Imie i nazwisko:", "full_name"),
        ("Nazwisko i imię", "full_name"),
        ("E-mail", "email"),
        ("adres email", "email"),
        ("Telefon", "phone"),
        ("Nr telefonu", "phone"),
        ("Rodzaj podmiotu", "organisation_type"),
        ("Stanowisko", "position"),
        ("Miejscowosc, data", "place_and_date"),
        ("Nazwa podmiotu", "organisation"),
        ("Adres korespondencyjny", "address"),
    ],
)
def test_label_rewordings(blank: bytes, label: str, key: str) -> None:
    base = fb.build_docx(blank)
    original = (
        parsers.FIELD_LABELS_PL[key]
        if key != "organisation_type"
        else "Rodzaj podmiotu (np. CIS, KIS, ZAZ, WTZ, ŚDS, spółdzielnia socjalna, "
        "organizacja pozarządowa, JST, inny)"
    )
    data = _edit(base, lambda root: _replace_text(root, original, label))
    got = parsers.extract(data)
    assert got.readable
    assert diff(got.fields, fb.VALUES) == {}


def test_nothing_ticked_gives_no_groups(blank: bytes) -> None:
    values = dict(fb.VALUES, groups=[], accepts_rules=False, consents_gdpr=False)
    got = parsers.extract(fb.build_docx(blank, values))
    assert got.readable
    assert got.fields["groups"] == []
    assert got.fields["accepts_rules"] is False and got.fields["consents_gdpr"] is False


def test_only_one_group_left_without_box(blank: bytes) -> None:
    values = dict(fb.VALUES, groups=[3])
    got = parsers.extract(fb.build_docx(blank, values, tick_style="deleted_no_box"))
    assert got.fields["groups"] == [3]


def test_empty_fields_stay_null(blank: bytes) -> None:
    values = dict(fb.VALUES, position=None, phone=None, experience=None)
    got = parsers.extract(fb.build_docx(blank, values))
    assert got.readable
    assert got.fields["position"] is None
    assert got.fields["phone"] is None
    assert got.fields["experience"] is None
    assert got.fields["email"] == fb.VALUES["email"]


def test_content_control_placeholder_is_not_a_value(blank: bytes) -> None:
    def edit(root) -> None:
        row = root.find(f"{fb.w('body')}/{fb.w('tbl')}").findall(fb.w("tr"))[3]
        tc = row.findall(fb.w("tc"))[1]
        for para in tc.findall(fb.w("p")):
            tc.remove(para)
        sdt = fb.el(
            "sdt",
            fb.el("sdtPr", fb.el("showingPlcHdr")),
            fb.el("sdtContent", fb.p(fb.r("Kliknij lub naciśnij tutaj, aby wprowadzić tekst."))),
        )
        tc.append(sdt)

    got = parsers.extract(_edit(fb.build_docx(blank), edit))
    assert got.readable
    assert got.fields["position"] is None
    assert got.fields["full_name"] == fb.VALUES["full_name"]


def test_header_and_footer_are_not_read(blank: bytes) -> None:
    """A header saying "Imię i nazwisko: …" is not the applicant's name."""
    data = fb.build_docx(blank, dict(fb.VALUES, full_name=None))
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "word/footer1.xml":
                body = body.replace(b"Projekt", "Imię i nazwisko: Ktoś Obcy. Projekt".encode())
            zout.writestr(item, body)
    got = parsers.extract(out.getvalue())
    assert got.readable
    assert got.fields["full_name"] is None


def test_signature_row_and_clause_never_values(blank: bytes) -> None:
    got = parsers.extract(fb.build_docx(blank))
    values = [v for v in got.fields.values() if isinstance(v, str)]
    assert not any("Klauzula" in v or "Administratorem" in v for v in values)
    assert all("Podpis" not in v for v in values)


def test_not_the_form(blank: bytes) -> None:
    def edit(root) -> None:
        body = root.find(fb.w("body"))
        for child in list(body):
            if child.tag != fb.w("sectPr"):
                body.remove(child)
        body.insert(0, fb.p(fb.r("Szanowni Państwo, w załączeniu przesyłam CV.")))

    got = parsers.extract(_edit(blank, edit))
    assert not got.readable
    assert got.reason == "not_the_form"
    assert dict(got.fields) == parsers.empty_fields()


def test_strict_namespace_and_renamed_main_part(blank: bytes) -> None:
    data = fb.build_docx(blank)
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    strict = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            name = item.filename
            if name == "word/document.xml":
                name = "word/main-part.xml"
                body = body.replace(
                    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main", strict
                )
            elif name == "[Content_Types].xml":
                body = body.replace(b"/word/document.xml", b"/word/main-part.xml")
            elif name == "_rels/.rels":
                body = body.replace(b"word/document.xml", b"word/main-part.xml")
            zout.writestr(name, body)
    got = parsers.extract(out.getvalue())
    assert got.readable, (got.reason, got.detail)
    assert diff(got.fields, fb.VALUES) == {}
