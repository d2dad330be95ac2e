"""Other bodies' forms, as they reach the DKRES secretariat: an OWES training registration, the
Rada Pożytku candidate form, a contest entry, a PES-database update and another committee's
call with its own working groups. Each as DOCX (python-docx), ODT, printed PDF (the
formbuilder's writer) and fillable PDF, blank or filled in.

None of them is the call's form, though each prints the labels every office form has (Imię i
nazwisko, Adres e-mail, Telefon, Nazwa organizacji …), some also "Rodzaj podmiotu", a
"Regulamin" statement, a consent clause of the same wording or "grupa robocza" choices.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import docx
import formbuilder as fb


@dataclass(frozen=True)
class OtherForm:
    name: str
    title: tuple[str, ...]
    rows: tuple[tuple[str, str], ...]  # (printed label, the value when filled in)
    layout: str  # "table": label | value cells; "lines": the label, then a line to write on
    choice: tuple[str, tuple[str, ...], tuple[int, ...]] | None  # heading, options, ticked
    free: tuple[str, str] | None  # heading of a free text, the text when filled in
    statements: tuple[str, ...]
    closing: tuple[tuple[str, str], ...]  # ("Miejscowość i data", "Legnica, 14.05.2024") …
    clause: str


FORMS = (
    OtherForm(
        name="owes-training",
        title=(
            "FORMULARZ ZGŁOSZENIOWY",
            "na szkolenie „Ekonomia społeczna w praktyce – zakładanie spółdzielni socjalnej”",
            "Ośrodek Wsparcia Ekonomii Społecznej Subregionu Wałbrzyskiego",
        ),
        rows=(
            ("Imię i nazwisko uczestnika", "Beata Wróbel"),
            ("Nazwa instytucji / organizacji", "Urząd Gminy Mieroszów"),
            ("Stanowisko", "inspektor ds. polityki społecznej"),
            ("Adres e-mail", "b.wrobel@mieroszow.example.pl"),
            ("Telefon", "74 845 83 10"),
            ("Termin szkolenia", "22–23 maja 2024"),
        ),
        layout="lines",
        choice=None,
        free=None,
        statements=(
            "Oświadczam, że zapoznałam/zapoznałem się z Regulaminem rekrutacji i uczestnictwa "
            "w szkoleniach OWES i akceptuję jego postanowienia.",
            "Wyrażam zgodę na przetwarzanie moich danych osobowych zawartych w niniejszym "
            "formularzu przez Ośrodek Wsparcia Ekonomii Społecznej w celu przeprowadzenia "
            "rekrutacji na szkolenie.",
            "Oświadczam, że reprezentuję podmiot ekonomii społecznej lub instytucję z terenu "
            "województwa dolnośląskiego.",
        ),
        closing=(("Miejscowość i data", "Mieroszów, 10.05.2024"), ("Podpis uczestnika", "")),
        clause="Administratorem danych osobowych jest Fundacja Wsparcia Inicjatyw Społecznych, "
        "operator OWES Subregionu Wałbrzyskiego.",
    ),
    OtherForm(
        name="rada-pozytku",
        title=(
            "FORMULARZ ZGŁOSZENIOWY",
            "kandydata na członka Dolnośląskiej Rady Działalności Pożytku Publicznego",
            "kadencja 2024–2027",
        ),
        rows=(
            ("Imię i nazwisko kandydata", "Tomasz Zieliński"),
            ("Nazwa organizacji zgłaszającej kandydata", "Fundacja Razem dla Regionu"),
            ("Numer KRS", "0000456789"),
            ("Adres do korespondencji", "ul. Ogrodowa 12, 59-220 Legnica"),
            ("Adres e-mail", "t.zielinski@razem.example.org"),
            ("Telefon kontaktowy", "601 222 333"),
        ),
        layout="table",
        choice=None,
        free=(
            "Uzasadnienie kandydatury (doświadczenie w działalności pożytku publicznego)",
            "Od 2010 r. prowadzę fundację wspierającą organizacje pozarządowe powiatu "
            "legnickiego; byłem członkiem Rady Pożytku Miasta Legnicy.",
        ),
        statements=(
            "Wyrażam zgodę na kandydowanie na członka Dolnośląskiej Rady Działalności Pożytku "
            "Publicznego.",
            "Wyrażam zgodę na przetwarzanie moich danych osobowych przez Marszałka Województwa "
            "Dolnośląskiego w celu przeprowadzenia wyborów członków Rady.",
        ),
        closing=(
            ("Miejscowość i data", "Legnica, 8.05.2024"),
            ("Podpisy osób upoważnionych do reprezentacji organizacji", ""),
        ),
        clause="Klauzula informacyjna: administratorem danych jest Marszałek Województwa "
        "Dolnośląskiego, Wybrzeże Słowackiego 12-14, 50-411 Wrocław.",
    ),
    OtherForm(
        name="contest",
        title=(
            "KARTA ZGŁOSZENIA",
            "do konkursu „Dolnośląski Lider Ekonomii Społecznej 2024”",
        ),
        rows=(
            ("Nazwa podmiotu", "Spółdzielnia Socjalna „Smaki Kotliny”"),
            (
                "Rodzaj podmiotu (np. spółdzielnia socjalna, CIS, KIS, ZAZ, fundacja, "
                "stowarzyszenie)",
                "spółdzielnia socjalna",
            ),
            ("Adres siedziby", "ul. Kościuszki 3, 57-300 Kłodzko"),
            ("Imię i nazwisko osoby do kontaktu", "Anna Kwiatkowska"),
            ("Telefon", "600 321 654"),
            ("E-mail", "biuro@smakikotliny.example.pl"),
        ),
        layout="table",
        choice=(
            "Kategoria konkursowa (proszę zaznaczyć właściwe pole)",
            (
                "Przedsiębiorstwo społeczne roku",
                "Innowacja społeczna",
                "Partner ekonomii społecznej – współpraca z biznesem",
            ),
            (1,),
        ),
        free=(
            "Opis działalności i osiągnięć podmiotu (maks. 3000 znaków)",
            "Prowadzimy catering i stołówkę szkolną; zatrudniamy 9 osób, w tym 5 osób z "
            "niepełnosprawnościami.",
        ),
        statements=(
            "Oświadczam, że zapoznałam/zapoznałem się z Regulaminem Konkursu i akceptuję jego "
            "postanowienia.",
            "Wyrażam zgodę na przetwarzanie danych osobowych zawartych w niniejszym formularzu "
            "przez Regionalny Ośrodek Polityki Społecznej w celu przeprowadzenia konkursu.",
        ),
        closing=(("Miejscowość i data", "Kłodzko, 16.05.2024"), ("Podpis i pieczęć", "")),
        clause="Regulamin konkursu dostępny jest na stronie organizatora.",
    ),
    OtherForm(
        name="pes-database",
        title=(
            "FORMULARZ AKTUALIZACJI DANYCH",
            "w Bazie Podmiotów Ekonomii Społecznej województwa dolnośląskiego",
        ),
        rows=(
            ("Nazwa podmiotu", "Spółdzielnia Socjalna „Zielony Zakątek”"),
            ("Forma prawna", "spółdzielnia socjalna"),
            ("NIP", "8851234567"),
            ("Adres siedziby", "ul. Polna 4, 58-300 Wałbrzych"),
            ("Telefon", "74 666 77 88"),
            ("Adres e-mail", "kontakt@zielonyzakatek.example.pl"),
            ("Imię i nazwisko osoby do kontaktu", "Marek Lis"),
            ("Stanowisko", "prezes zarządu"),
        ),
        layout="table",
        choice=(
            "Obszar działalności (proszę zaznaczyć właściwe pole)",
            (
                "usługi społeczne i opiekuńcze",
                "gastronomia i catering",
                "usługi remontowo-budowlane",
                "utrzymanie zieleni i sprzątanie",
            ),
            (2, 4),
        ),
        free=None,
        statements=(
            "Oświadczam, że podane dane są zgodne ze stanem faktycznym.",
            "Wyrażam zgodę na publikację danych podmiotu w Bazie Podmiotów Ekonomii Społecznej "
            "prowadzonej przez Dolnośląski Ośrodek Polityki Społecznej.",
        ),
        closing=(("Data", "21.05.2024"), ("Podpis osoby upoważnionej", "")),
        clause="Formularz prosimy przesłać na adres bazapes@example.org.",
    ),
    OtherForm(
        name="other-committee",
        title=(
            "FORMULARZ ZGŁOSZENIOWY",
            "kandydatki / kandydata do grup roboczych Komitetu Monitorującego program Fundusze "
            "Europejskie dla Dolnego Śląska 2021–2027",
        ),
        rows=(
            ("Imię i nazwisko", "Ewa Nowicka"),
            ("Nazwa reprezentowanej instytucji", "Powiatowe Centrum Pomocy Rodzinie w Oławie"),
            ("Stanowisko / pełniona funkcja", "dyrektorka"),
            ("Adres do korespondencji", "ul. 3 Maja 1, 55-200 Oława"),
            ("Adres e-mail", "e.nowicka@pcpr.example.pl"),
            ("Telefon kontaktowy", "71 303 00 00"),
        ),
        layout="table",
        choice=(
            "Grupa robocza, do której zgłasza się kandydatka / kandydat",
            (
                "Grupa robocza ds. ekonomii społecznej",
                "Grupa robocza ds. włączenia społecznego",
                "Grupa robocza ds. rynku pracy",
                "Grupa robocza ds. usług społecznych i zdrowotnych",
            ),
            (2,),
        ),
        free=(
            "Doświadczenie kandydatki / kandydata",
            "Od 12 lat kieruję PCPR; koordynowałam projekt deinstytucjonalizacji usług.",
        ),
        statements=(
            "Oświadczam, że zapoznałam/zapoznałem się z Regulaminem Komitetu Monitorującego i "
            "akceptuję jego postanowienia.",
            "Wyrażam zgodę na przetwarzanie moich danych osobowych zawartych w niniejszym "
            "formularzu przez Urząd Marszałkowski Województwa Dolnośląskiego w celu "
            "przeprowadzenia naboru do grup roboczych działających przy Komitecie.",
        ),
        closing=(
            ("Miejscowość i data", "Oława, 13.05.2024"),
            ("Podpis kandydatki / kandydata", ""),
        ),
        clause="Klauzula informacyjna: administratorem danych jest Zarząd Województwa "
        "Dolnośląskiego.",
    ),
)
BY_NAME = {f.name: f for f in FORMS}
BLANK_LINE = "." * 60


def _mark(on: bool) -> str:
    return "☒ " if on else "☐ "


def docx_bytes(form: OtherForm, filled: bool) -> bytes:
    """The form as a body's office writes it in Word (python-docx)."""
    d = docx.Document()
    for line in form.title:
        d.add_paragraph(line)
    if form.layout == "table":
        table = d.add_table(rows=0, cols=2)
        for label, value in form.rows:
            cells = table.add_row().cells
            cells[0].text = label
            cells[1].text = value if filled else ""
    else:
        for label, value in form.rows:
            d.add_paragraph(label)
            d.add_paragraph(value if filled else BLANK_LINE)
    if form.choice is not None:
        heading, options, ticked = form.choice
        d.add_paragraph(heading)
        for n, text in enumerate(options, start=1):
            d.add_paragraph(_mark(filled and n in ticked) + text)
    if form.free is not None:
        d.add_paragraph(form.free[0])
        d.add_paragraph(form.free[1] if filled else BLANK_LINE)
    for text in form.statements:
        d.add_paragraph(_mark(filled) + text)
    table = d.add_table(rows=0, cols=2)
    for label, value in form.closing:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value if filled else ""
    d.add_paragraph(form.clause)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _x(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def odt_bytes(form: OtherForm, filled: bool) -> bytes:
    """The form as LibreOffice Writer saves it (content.xml: paragraphs and a table)."""

    def para(text: str) -> str:
        return f"<text:p>{_x(text)}</text:p>"

    def row(label: str, value: str) -> str:
        return (
            f"<table:table-row><table:table-cell>{para(label)}</table:table-cell>"
            f"<table:table-cell>{para(value) if value else '<text:p/>'}</table:table-cell>"
            "</table:table-row>"
        )

    body = "".join(para(x) for x in form.title)
    body += (
        "<table:table>"
        + "".join(row(label, value if filled else "") for label, value in form.rows)
        + "</table:table>"
    )
    if form.choice is not None:
        heading, options, ticked = form.choice
        body += para(heading) + "".join(
            para(_mark(filled and n in ticked) + text) for n, text in enumerate(options, 1)
        )
    if form.free is not None:
        body += para(form.free[0]) + para(form.free[1] if filled else BLANK_LINE)
    body += "".join(para(_mark(filled) + text) for text in form.statements)
    body += (
        "<table:table>"
        + "".join(row(label, value if filled else "") for label, value in form.closing)
        + "</table:table>"
        + para(form.clause)
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {fb.ODT_NS} '
        f'office:version="1.3"><office:body><office:text>{body}</office:text>'
        "</office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _wrap(text: str, width: int = 88) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def printed_lines(form: OtherForm, filled: bool) -> list[list[tuple[float, float, float, str]]]:
    """Pages of (x, y, size, text): labels left, values in the right column."""
    pages: list[list[tuple[float, float, float, str]]] = [[]]
    y = 760.0

    def put(x: float, text: str, size: float = 10, step: float = 14) -> None:
        nonlocal y
        if y < 80:
            pages.append([])
            y = 760.0
        pages[-1].append((x, y, size, text))
        y -= step

    for line in form.title:
        for part in _wrap(line, 80):
            put(90, part, 12, 16)
    y -= 10
    for label, value in form.rows:
        top = y
        for part in _wrap(label, 40):
            put(72, part)
        if filled and value:
            pages[-1].append((306, top, 10, value))
        y -= 4
    if form.choice is not None:
        heading, options, ticked = form.choice
        y -= 10
        for part in _wrap(heading):
            put(72, part)
        for n, text in enumerate(options, start=1):
            for i, part in enumerate(_wrap(text, 84)):
                put(72 if i == 0 else 86, (_mark(filled and n in ticked) if i == 0 else "") + part)
    if form.free is not None:
        y -= 10
        for part in _wrap(form.free[0]):
            put(72, part)
        if filled:
            for part in _wrap(form.free[1]):
                put(72, part)
        y -= 24
    y -= 10
    for text in form.statements:
        for i, part in enumerate(_wrap(text, 84)):
            put(72 if i == 0 else 86, (_mark(filled) if i == 0 else "") + part)
        y -= 6
    y -= 10
    for label, value in form.closing:
        top = y
        put(72, label)
        if filled and value:
            pages[-1].append((306, top, 10, value))
    y -= 10
    for part in _wrap(form.clause, 100):
        put(72, part, 8, 10)
    return pages


def printed_pdf(form: OtherForm, filled: bool) -> bytes:
    """The form printed to PDF from Word (text only)."""
    return fb.write_pdf(printed_lines(form, filled))


#: field names as offices give them (some the same as the call's own form uses), by a word of
#: the printed label; other fields are "tekst1", "tekst2" …
_NAMES = (
    ("e-mail", "email"),
    ("telefon", "telefon"),
    ("imię", "imie_nazwisko"),
    ("nazwa", "nazwa_podmiotu"),
    ("stanowisko", "stanowisko"),
    ("adres", "adres"),
)


def _field_name(label: str, n: int) -> str:
    low = label.lower()
    return next((name for word, name in _NAMES if word in low), f"tekst{n}")


def fillable_pdf(form: OtherForm, filled: bool) -> bytes:
    """The printed form with AcroForm fields over its value column and its boxes: text
    fields named as offices name them, check boxes ``grupa_{n}`` and ``oswiadczenie_{n}``."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    pages = printed_lines(form, filled=False)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(fb.write_pdf(pages))))
    fields = ArrayObject()

    def widget(page_no: int, name: str, rect: tuple[float, ...], box: bool, on: bool, value: str):
        d = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Widget"),
                NameObject("/T"): TextStringObject(name),
                NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
                NameObject("/F"): NumberObject(4),
            }
        )
        if box:
            on_ap = writer._add_object(DictionaryObject())
            off_ap = writer._add_object(DictionaryObject())
            d[NameObject("/FT")] = NameObject("/Btn")
            d[NameObject("/AP")] = DictionaryObject(
                {
                    NameObject("/N"): DictionaryObject(
                        {NameObject("/Yes"): on_ap, NameObject("/Off"): off_ap}
                    )
                }
            )
            state = NameObject("/Yes" if on else "/Off")
            d[NameObject("/V")] = state
            d[NameObject("/AS")] = state
        else:
            d[NameObject("/FT")] = NameObject("/Tx")
            if value:
                d[NameObject("/V")] = TextStringObject(value)
        ref = writer._add_object(d)
        page = writer.pages[page_no]
        if "/Annots" not in page:
            page[NameObject("/Annots")] = ArrayObject()
        page["/Annots"].append(ref)
        fields.append(ref)

    labels = {label: value for label, value in form.rows}
    texts = 0
    used: set[str] = set()
    group = 0
    statement = 0
    options = form.choice[1] if form.choice else ()
    ticked = form.choice[2] if form.choice else ()
    for p, lines in enumerate(pages):
        for x, y, _size, text in lines:
            if text in labels:
                texts += 1
                name = _field_name(text, texts)
                name = name if name not in used else f"tekst{texts}"
                used.add(name)
                value = labels[text] if filled else ""
                widget(p, name, (300, y - 3, 560, y + 11), False, False, value)
            elif text.startswith("☐ ") and x == 72:
                body = text[2:]
                if any(o.startswith(body) or body.startswith(o) for o in options):
                    group += 1
                    on = filled and group in ticked
                    widget(p, f"grupa_{group}", (60, y - 2, 70, y + 8), True, on, "")
                else:
                    statement += 1
                    widget(p, f"oswiadczenie_{statement}", (60, y - 2, 70, y + 8), True, filled, "")
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): fields, NameObject("/NeedAppearances"): NameObject("/true")}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BUILDERS = {
    "docx": docx_bytes,
    "odt": odt_bytes,
    "printed-pdf": printed_pdf,
    "fillable-pdf": fillable_pdf,
}
