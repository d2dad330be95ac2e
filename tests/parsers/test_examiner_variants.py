"""The examiner's variants: forms as real applicants produce them that the other tests do not
build (edited tables, other tick marks, flattened / radio-button PDFs, OCR layers, images,
the form twice or after a cover letter). Each with the exact fields expected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import formbuilder as fb
import pytest
import variants as v
from parsers_testlib import BLANK_DOCX, FILLABLE_PDF, diff

import parsers

VALUES = fb.VALUES


@pytest.fixture(scope="module")
def blank() -> bytes:
    return BLANK_DOCX.read_bytes()


@pytest.fixture(scope="module")
def filled(blank: bytes) -> bytes:
    return fb.build_docx(blank)


def _with(**changes: Any) -> dict[str, Any]:
    return dict(VALUES, **changes)


# variant -> (edit of the filled DOCX, the fields expected)
DOCX_EDITS: dict[str, tuple[Callable[[Any], None], dict[str, Any]]] = {
    "label-colon-next-cell": (v.label_colon_next_cell, VALUES),
    "label-tab-value": (v.label_tab_value, VALUES),
    "inline-paragraphs": (v.inline_paragraphs, VALUES),
    "table-to-text": (v.table_to_text, VALUES),
    "extra-empty-rows": (v.extra_empty_rows, VALUES),
    "rows-reordered": (v.rows_reordered, VALUES),
    "phone-row-deleted": (v.phone_row_deleted, _with(phone=None)),
    "merged-cells": (v.merged_value_cell, VALUES),
    "address-three-lines": (
        v.address_three_rows,
        _with(address="Ośrodek Pomocy Społecznej\nul. Żółkiewskiego 7/3\n58-500 Jelenia Góra"),
    ),
    "label-inside-value": (v.label_inside_value, VALUES),
    "phone-tel-prefix": (v.phone_tel_prefix, VALUES),
    "not-applicable": (
        v.not_applicable,
        _with(position="Nie dotyczy", phone="—", organisation_type="-"),
    ),
    "ticks-[X]": (v.ticks_as("[X]", "[ ]"), VALUES),
    "ticks-(x)": (v.ticks_as("(x)", "( )"), VALUES),
    "ticks-✗": (v.ticks_as("✗"), VALUES),
    "ticks-☑": (v.ticks_as("☑"), VALUES),
    "ticks-■": (v.ticks_as("■", "□"), VALUES),
    "ticks-bold-X-run": (v.ticks_as("X", "", separate_bold=True), VALUES),
    "ticks-X-no-space": (v.ticks_as("X", ""), VALUES),
    "ticks-other-font": (v.box_font_changed, VALUES),
    "ticks-content-controls": (v.checkbox_controls_everywhere, VALUES),
    "highlighted-only": (v.highlighted_only, _with(groups=[])),
    "chosen-group-line": (v.chosen_group_line, VALUES),
    "groups-table-box-left": (v.groups_in_table, VALUES),
    "groups-table-box-right": (lambda root: v.groups_in_table(root, box_right=True), VALUES),
    "statements-TAK-NIE": (v.statements_yes_no, VALUES),
    "gdpr-statement-deleted": (v.gdpr_deleted, _with(consents_gdpr=False)),
    "cover-letter": (v.cover_letter, VALUES),
    "label-space-value": (v.label_space_value, VALUES),
    "value-starts-with-label-word": (
        v.value_starts_with_label_word,
        _with(position="Stanowisko ds. kadr i płac"),
    ),
    "experience-with-label-lines": (
        v.experience_with_label_lines,
        _with(experience=v.EXPERIENCE_WITH_LABELS),
    ),
}


@pytest.mark.parametrize("name", list(DOCX_EDITS))
def test_docx_edit(filled: bytes, name: str) -> None:
    edit, want = DOCX_EDITS[name]
    got = parsers.extract(v.edit_docx(filled, edit))
    assert got.readable, (got.reason, got.detail)
    assert diff(got.fields, want) == {}


@pytest.mark.parametrize("shown", ["napisz do mnie", "address"])
def test_email_as_mailto_hyperlink(filled: bytes, shown: str) -> None:
    """Read the address: the link's text when it is the address, else the mailto: target."""
    edit = v.mailto_display_text if shown != "address" else v.mailto_display_address
    data = v.edit_docx(filled, edit, {"word/_rels/document.xml.rels": v.add_mail_rel})
    got = parsers.extract(data)
    assert got.readable, (got.reason, got.detail)
    assert diff(got.fields, VALUES) == {}


@pytest.mark.parametrize("second_filled", [False, True], ids=["filled-first", "filled-second"])
def test_form_pasted_twice(blank: bytes, filled: bytes, second_filled: bool) -> None:
    got = parsers.extract(v.form_twice(second_filled)(filled, blank))
    assert got.readable, (got.reason, got.detail)
    assert diff(got.fields, VALUES) == {}


def test_image_only_docx_is_a_scan(blank: bytes) -> None:
    got = parsers.extract(v.add_media(v.edit_docx(blank, v.image_only)))
    assert (got.readable, got.reason) == (False, "scan")
    assert dict(got.fields) == parsers.empty_fields()


def test_png_and_jpeg_are_scans() -> None:
    jpeg = b"\xff\xd8\xff\xe1\x00\x16Exif\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
    for data in (v.png(20, 20), jpeg):
        got = parsers.extract(data)
        assert (got.readable, got.kind, got.reason) == (False, "image", "scan")
        assert dict(got.fields) == parsers.empty_fields()


# --- PDFs -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fillable() -> bytes:
    return FILLABLE_PDF.read_bytes()


@pytest.mark.parametrize("mark", ["X", "☒"])
def test_flattened_fillable_reads_as_printed(fillable: bytes, mark: str) -> None:
    """Preview / "print to PDF" of the filled fillable form: fields gone, values page text."""
    data = v.flattened_fillable(fillable, mark=mark)
    got = parsers.extract(data)
    assert got.readable, (got.reason, got.detail)
    assert diff(got.fields, VALUES) == {}


def test_radio_group_and_on_boxes(fillable: bytes) -> None:
    got = parsers.extract(v.fillable_radio_groups(fillable, chosen=3))
    assert got.readable, (got.reason, got.detail)
    assert diff(got.fields, _with(groups=[3])) == {}


@pytest.mark.parametrize("render_mode", [3, 0], ids=["invisible-layer", "text-on-page-image"])
def test_ocr_layer_over_scan_is_a_scan(render_mode: int) -> None:
    """A scanner's PDF: the page image and an OCR text layer (invisible, or drawn on the
    full-page image) that reads as the form: OCR wrote that text, so it is a scan, nothing
    read from it."""
    got = parsers.extract(v.image_pdf(v.printed_lines(), render_mode=render_mode))
    assert (got.readable, got.reason) == (False, "scan")
    assert dict(got.fields) == parsers.empty_fields()


def test_garbage_ocr_layer_is_a_scan() -> None:
    """An OCR layer that is not the form (garbage) over an image: a scan, nothing guessed."""
    junk = [
        (90, 700 - 14 * i, 10, t)
        for i, t in enumerate(
            ["lmię l nazwiskq ZaZóIć", "Nazva rcprezent. podm1otu", "~~ ,, ;; 1l1l", "Tclef0n 6OO"]
        )
    ]
    got = parsers.extract(v.image_pdf(junk, render_mode=3))
    assert (got.readable, got.reason) == (False, "scan")
    assert dict(got.fields) == parsers.empty_fields()


def test_image_pdf_without_text_is_a_scan() -> None:
    got = parsers.extract(v.image_pdf(None))
    assert (got.readable, got.reason) == (False, "scan")


def test_boxes_with_value_but_no_appearance(fillable: bytes) -> None:
    """/V says which boxes are on even when the viewer left /AS at /Off."""
    got = parsers.extract(v.fillable_boxes_value_only(fillable))
    assert got.readable, (got.reason, got.detail)
    assert diff(got.fields, VALUES) == {}
