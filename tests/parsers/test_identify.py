"""The call's form is recognised by what only it prints (its title, choice texts, statements,
specific headings): other bodies' forms, blank or filled, in any format, are ``not_the_form``;
the call's own form is recognised however applicants fill and send it."""

from __future__ import annotations

import dataclasses
import io
import tomllib
from pathlib import Path

import docx
import formbuilder as fb
import otherforms as of
import pytest
import variants as v
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from parsers_testlib import BLANK_DOCX, FILLABLE_PDF, PRINTED_PDF

import parsers
from parsers import DEFAULT_FORM, FormSpec, FormSpecError
from parsers.identify import Phrase, _found
from parsers.spec import IdentifySpec
from parsers.text import matcher_for
from parsers.words import norm

REPO = Path(__file__).resolve().parents[2]
NGO_FORM = FormSpec.from_mapping(
    tomllib.loads((REPO / "examples" / "ngo-council" / "config.toml").read_text("utf-8"))["form"]
)
OTHER = [
    (form.name, fmt, filled) for form in of.FORMS for fmt in of.BUILDERS for filled in (False, True)
]


def _is_blank(fields: dict) -> bool:
    return all(value in (None, [], False) for value in fields.values())


# --- other bodies' forms ---------------------------------------------------------------------


@pytest.mark.parametrize("name, fmt, filled", OTHER)
def test_another_bodys_form_is_not_the_form(name: str, fmt: str, filled: bool) -> None:
    data = of.BUILDERS[fmt](of.BY_NAME[name], filled)
    for spec in (DEFAULT_FORM, NGO_FORM):
        got = parsers.extract(data, spec)
        assert (got.readable, got.reason) == (False, "not_the_form"), got.detail
        ident = got.identification
        assert ident is not None and ident.by == "text"
        assert ident.score < ident.needed
        assert len(ident.found) + len(ident.missing) == len(spec.identifier().elements)
        assert ident.missing
        assert _is_blank(dict(got.fields))
        assert got.to_json()["identification"]["missing"] == list(ident.missing)


def _as_if_ours(form: of.OtherForm) -> FormSpec:
    """The DKRES fields, but identified by the other form's own subtitle: what the labels
    alone would have let through."""
    ident = IdentifySpec(phrases=((form.title[1],),), derive=False, needed=1)
    return dataclasses.replace(DEFAULT_FORM, identify=ident)


@pytest.mark.parametrize("name", [f.name for f in of.FORMS])
def test_only_the_identification_stands_between(name: str) -> None:
    """Each of these forms carries enough of the labels every form has to pass the label
    count: identified by its own subtitle it reads."""
    form = of.BY_NAME[name]
    for filled in (False, True):
        got = parsers.extract(of.docx_bytes(form, filled), _as_if_ours(form))
        assert got.readable, got.detail


@pytest.mark.parametrize("fmt", list(of.BUILDERS))
@pytest.mark.parametrize(
    "name, person", [("owes-training", "Beata Wróbel"), ("rada-pozytku", "Tomasz Zieliński")]
)
def test_a_longer_printed_label_is_no_label_and_value(fmt: str, name: str, person: str) -> None:
    """ "Imię i nazwisko uczestnika" once gave full_name "uczestnika"."""
    form = of.BY_NAME[name]
    spec = _as_if_ours(form)
    blank = parsers.extract(of.BUILDERS[fmt](form, False), spec)
    assert blank.readable and blank.fields["full_name"] is None
    filled = parsers.extract(of.BUILDERS[fmt](form, True), spec)
    assert filled.fields["full_name"] == person


@pytest.mark.parametrize(
    "text, key, rest",
    [
        ("Imię i nazwisko uczestnika", "full_name", ""),
        ("Imię i nazwisko osoby zgłaszającej", "full_name", ""),
        ("Imię i nazwisko uczestnika: Jan Kowalski", "full_name", "Jan Kowalski"),
        ("Imię i nazwisko (drukiem) Jan Nowak", "full_name", "Jan Nowak"),
        ("Imię i nazwisko / Name and surname", "full_name", ""),
        ("Adres e-mail uczestnika", "email", ""),
        # a value after the label and a space only: a name, an address, e-mail, phone
        ("Imię i nazwisko Jan Kowalski", "full_name", "Jan Kowalski"),
        ("Adres e-mail jan@example.pl", "email", "jan@example.pl"),
        ("Telefon kontaktowy 600 100 200", "phone", "600 100 200"),
        ("Adres do korespondencji ul. Polna 5", "address", "ul. Polna 5"),
    ],
)
def test_label_then_value_or_a_longer_label(text: str, key: str, rest: str) -> None:
    got = matcher_for(DEFAULT_FORM).classify(text)
    assert got is not None and (got.kind, got.key, got.rest) == ("label", key, rest)


# --- the call's own form, however it comes --------------------------------------------------


def _only_ticked_groups(root: etree._Element) -> None:
    """The applicant deleted the group lines not chosen."""
    for para in v.box_paras(root):
        ticked, text = v.box_text(para)
        if text[:2] in ("1.", "2.", "3.", "4.", "5.") and not ticked:
            para.getparent().remove(para)


def _retyped_in_word() -> bytes:
    """The form typed anew in Word: no tables, no headings, the chosen group and the
    statements typed (one word of a statement left out), an X for a tick."""
    d = docx.Document()
    d.add_paragraph("Zgłoszenie do grupy roboczej DKRES")
    for key in fb.TEXT_ROWS:
        d.add_paragraph(f"{v.LABELS[key]}: {fb.VALUES[key].splitlines()[0]}")
    d.add_paragraph("X 5. Grupa robocza ds. przedsiębiorstw społecznych")
    d.add_paragraph(fb.VALUES["experience"])
    d.add_paragraph(
        "X Oświadczam, że zapoznałem się z Regulaminem Dolnośląskiego Komitetu Rozwoju Ekonomii "
        "Społecznej i akceptuję jego postanowienia."
    )
    d.add_paragraph("X " + fb.STATEMENTS["consents_gdpr"])
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


FILLED = {
    "docx": lambda: fb.build_docx(BLANK_DOCX.read_bytes()),
    "docx-groups-deleted": lambda: v.edit_docx(
        fb.build_docx(BLANK_DOCX.read_bytes()), _only_ticked_groups
    ),
    "docx-paragraphs": lambda: fb.build_docx(BLANK_DOCX.read_bytes(), layout="paragraphs"),
    "odt": lambda: fb.build_odt(),
    "printed-pdf": lambda: fb.printed_pdf(),
    "printed-pdf-below": lambda: fb.printed_pdf(layout="below", ticks="separate"),
    "fillable-pdf": lambda: fb.fill_pdf(FILLABLE_PDF.read_bytes()),
    "fillable-pdf-renamed": lambda: fb.fill_pdf(FILLABLE_PDF.read_bytes(), generic=True),
    "flattened-fillable": lambda: v.flattened_fillable(FILLABLE_PDF.read_bytes()),
    "retyped-in-word": _retyped_in_word,
}


@pytest.mark.parametrize("name", list(FILLED))
def test_the_calls_form_is_recognised_however_it_comes(name: str) -> None:
    got = parsers.extract(FILLED[name]())
    assert got.readable, got.detail
    ident = got.identification
    assert ident is not None and ident.identified
    assert ident.by == ("field_names" if name == "fillable-pdf" else "text")
    assert got.fields["full_name"] == fb.VALUES["full_name"]


def test_what_is_found_in_a_filled_form() -> None:
    got = parsers.extract(fb.build_docx(BLANK_DOCX.read_bytes()))
    ident = got.identification
    assert ident is not None
    assert ident.needed == 3 and ident.score == 6
    assert any(x.startswith("Oświadczam, że zapoznałam") for x in ident.found)
    assert any(x.startswith("Grupa robocza ds.") for x in ident.found)
    # the title in the spec is the form's name for people, not printed on it
    assert ident.missing == (DEFAULT_FORM.title,)


def test_deleted_group_lines_leave_the_choice_found() -> None:
    data = v.edit_docx(fb.build_docx(BLANK_DOCX.read_bytes()), _only_ticked_groups)
    got = parsers.extract(data)
    assert got.fields["groups"] == fb.VALUES["groups"]
    chosen = {fb.GROUP_NAMES[n - 1] for n in fb.VALUES["groups"]}
    assert chosen & set(got.identification.found)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(lambda: BLANK_DOCX.read_bytes(), id="docx"),
        pytest.param(lambda: FILLABLE_PDF.read_bytes(), id="fillable-pdf"),
        pytest.param(lambda: PRINTED_PDF.read_bytes(), id="printed-pdf"),
        pytest.param(lambda: fb.build_odt({}), id="odt"),
    ],
)
def test_the_blank_form_is_the_form_read_as_blank(data) -> None:
    got = parsers.extract(data())
    assert got.readable and got.identification.identified
    assert _is_blank(dict(got.fields))


def _labels_only(root: etree._Element) -> None:
    """Only the table of personal data left: the labels every office form has."""
    body = v.body_of(root)
    first = v.tables(root)[0]
    for child in list(body):
        if child is not first and child.tag != v.w("sectPr"):
            body.remove(child)


def test_the_personal_data_labels_alone_are_not_the_form() -> None:
    data = v.edit_docx(fb.build_docx(BLANK_DOCX.read_bytes()), _labels_only)
    got = parsers.extract(data)
    assert (got.readable, got.reason) == (False, "not_the_form")
    assert got.identification.score == 0
    assert any(x.startswith("Wyrażam zgodę") for x in got.identification.missing)


def test_the_groups_listed_elsewhere_are_not_the_form() -> None:
    """The call's announcement lists the five groups and asks for the form."""
    d = docx.Document()
    d.add_paragraph("Ogłoszenie o naborze do grup roboczych DKRES")
    d.add_paragraph("Nabór prowadzony jest do następujących grup roboczych:")
    for name in fb.GROUP_NAMES:
        d.add_paragraph(name)
    d.add_paragraph("Formularz zgłoszeniowy (imię i nazwisko, adres e-mail, telefon) należy")
    d.add_paragraph("przesłać na adres d.butryn@dops.wroc.pl do 24 maja 2024 r.")
    out = io.BytesIO()
    d.save(out)
    got = parsers.extract(out.getvalue())
    assert (got.readable, got.reason) == (False, "not_the_form")
    assert got.identification.score == 1  # the choice texts, one element


def test_one_calls_form_is_not_anothers() -> None:
    ngo = (REPO / "examples" / "ngo-council" / "przyklad-wypelniony.docx").read_bytes()
    assert parsers.extract(ngo, NGO_FORM).readable
    assert parsers.extract(ngo).reason == "not_the_form"
    assert parsers.extract(BLANK_DOCX.read_bytes(), NGO_FORM).reason == "not_the_form"


# --- the spec --------------------------------------------------------------------------------


def test_the_dkres_elements() -> None:
    elements = DEFAULT_FORM.identifier().elements
    assert [e.what for e in elements] == [
        "phrase",  # the printed subtitle (identify.phrases)
        "title",
        "heading",  # II. Grupa robocza, do której zgłasza się …
        "choice",
        "heading",  # III. Doświadczenie kandydatki / kandydata …
        "statement",
        "statement",
    ]
    shown = [e.shown() for e in elements]
    # headings any form prints are no element
    assert not any(x in shown for x in ("IV. Oświadczenia", "FORMULARZ ZGŁOSZENIOWY"))
    assert DEFAULT_FORM.identifier().pdf_names == ("accepts_rules", "consents_gdpr")


def test_a_new_form_gets_its_identification_without_code() -> None:
    ident = NGO_FORM.identifier()
    assert NGO_FORM.identify == IdentifySpec()  # nothing written: everything derived
    assert ident.needed == 3
    whats = [e.what for e in ident.elements]
    assert whats.count("statement") == 3 and whats.count("choice") == 1
    choice = next(e for e in ident.elements if e.what == "choice")
    assert len(choice.phrases) == 3


def test_a_form_with_its_own_fields_does_not_inherit_the_dkres_phrases() -> None:
    fields = [
        {"key": "imie", "labels": ["Imię i nazwisko"]},
        {"key": "zgoda", "type": "statement", "labels": ["Wyrażam zgodę na udział w badaniu X"]},
    ]
    spec = FormSpec.from_mapping({"title": "Ankieta badania X", "fields": fields})
    assert spec.identify == IdentifySpec()
    assert [e.what for e in spec.identifier().elements] == ["title", "statement"]
    assert spec.identifier().needed == 2


@pytest.mark.parametrize(
    "identify, key",
    [
        ({"needed": 0}, "form.identify.needed"),
        ({"needed": True}, "form.identify.needed"),
        ({"needed": 9}, "form.identify.needed"),
        ({"phraes": ["x"]}, "form.identify.phraes"),
        ({"phrases": "Formularz X"}, "form.identify.phrases"),
        ({"phrases": [""]}, "form.identify.phrases[0]"),
        ({"phrases": [["A b c", 3]]}, "form.identify.phrases[0]"),
        ({"phrases": ["– / –"]}, "form.identify.phrases[0]"),
        ({"derive": "yes"}, "form.identify.derive"),
        ({"derive": False}, "form.identify.phrases"),
        ({"derive": False, "phrases": ["Karta X"], "needed": 2}, "form.identify.needed"),
        ({"pdf_names": [1]}, "form.identify.pdf_names"),
        ("yes", "form.identify"),
    ],
)
def test_identify_errors_name_the_key(identify, key: str) -> None:
    with pytest.raises(FormSpecError) as err:
        FormSpec.from_mapping({"identify": identify})
    assert err.value.key == key


def test_an_office_phrase_and_needed() -> None:
    spec = FormSpec.from_mapping(
        {"identify": {"phrases": [["Karta A", "Karta B"]], "derive": False, "needed": 1}}
    )
    assert [e.shown() for e in spec.identifier().elements] == ["Karta A | Karta B"]
    assert spec.identifier().identify(["KARTA B"]).identified
    assert not spec.identifier().identify(["Karta C"]).identified


# --- finding a text --------------------------------------------------------------------------

RODO = fb.STATEMENTS["consents_gdpr"]


def _found_in(text: str, *texts: str) -> bool:
    phrase = Phrase.of(text, frozenset(), strict=True)
    assert phrase is not None
    stream = [w for t in texts for w in norm(t).split()]
    places: dict[str, list[int]] = {}
    for i, w in enumerate(stream):
        places.setdefault(w, []).append(i)
    return _found(phrase, stream, places)


def test_a_text_wrapped_ticked_or_with_a_word_left_out_is_found() -> None:
    half = len(RODO) // 2
    assert _found_in(RODO, "☒ " + RODO[:half], RODO[half:], "X")
    assert _found_in(RODO, RODO.replace(" moich", ""))
    assert _found_in(RODO, "Imię i nazwisko", "Anna", RODO, "Podpis")


def test_the_same_wording_of_another_administrator_is_not_found() -> None:
    other = RODO.replace("Dolnośląski Ośrodek Polityki Społecznej", "Urząd Marszałkowski")
    assert not _found_in(RODO, other)
    # the key words far apart are no stretch of the text
    words = RODO.split()
    assert not _found_in(RODO, " ".join(words[:12]), "x " * 40, " ".join(words[12:]))


def _brute(p: Phrase, stream: list[str]) -> bool:
    for start in range(max(1, len(stream))):
        window = set(stream[start : start + p.span])
        if len(window & p.words) >= p.need_words and len(window & p.key) >= p.need_key:
            return True
    return False


_POOL = ["aa", "bbb", "ccc", "ddd", "eee", "fff", "ggg", "hhh", "iii"]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from([*_POOL, "x", "y"]), max_size=50),
    st.lists(st.sampled_from(_POOL), min_size=1, max_size=9, unique=True),
)
def test_finding_is_the_plain_definition(stream: list[str], text: list[str]) -> None:
    """The anchored search gives what trying every stretch of the stream gives."""
    p = Phrase.of(" ".join(text), frozenset({"aa"}), strict=False)
    assert p is not None
    places: dict[str, list[int]] = {}
    for i, w in enumerate(stream):
        places.setdefault(w, []).append(i)
    assert _found(p, stream, places) == _brute(p, stream)
