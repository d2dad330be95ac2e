"""The filled forms the scans are made of: applicants with varied answers, the call's form
(its DOCX filled through mailbot.ops.samples, printed to PDF by LibreOffice; the fillable PDF
filled) and the example call's form, each with the places of its boxes to tick (from the
printed PDF's own text layout or its check-box widgets) and the answers a scan must give.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pypdf import PdfReader

REPO = Path(__file__).resolve().parents[3]
for _p in (REPO, REPO / "examples" / "ngo-council"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import tomllib  # noqa: E402

from mailbot.ops import samples  # noqa: E402
from parsers import DEFAULT_FORM, FormSpec  # noqa: E402

NGO_DIR = REPO / "examples" / "ngo-council"


def ngo_spec() -> FormSpec:
    data = tomllib.loads((NGO_DIR / "config.toml").read_text(encoding="utf-8"))
    return FormSpec.from_mapping(data["form"])


# --- applicants ------------------------------------------------------------------------------

FIRST = [
    ("Anna", "Kowalska"),
    ("Tomasz", "Lewandowski"),
    ("Małgorzata", "Wiśniewska"),
    ("Krzysztof", "Zieliński"),
    ("Agnieszka", "Wójcik"),
    ("Paweł", "Kamiński"),
    ("Joanna", "Szymańska"),
    ("Grzegorz", "Dąbrowski"),
    ("Ewa", "Kozłowska"),
    ("Michał", "Jankowski"),
    ("Katarzyna", "Mazur"),
    ("Piotr", "Krawczyk"),
    ("Barbara", "Piotrowska"),
    ("Łukasz", "Grabowski"),
    ("Zofia", "Nowakowska"),
    ("Jerzy", "Pawłowski"),
]
ORGS = [
    ("Centrum Integracji Społecznej w Oławie", "CIS", "cis-olawa"),
    ("Zakład Aktywności Zawodowej w Bystrzycy Kłodzkiej", "ZAZ", "zaz-bystrzyca"),
    ("Spółdzielnia Socjalna „Razem” w Legnicy", "spółdzielnia socjalna", "razem-legnica"),
    ("Fundacja Ekonomii Społecznej", "organizacja pozarządowa", "fes"),
    ("Warsztat Terapii Zajęciowej w Świdnicy", "WTZ", "wtz-swidnica"),
    ("Klub Integracji Społecznej w Głogowie", "KIS", "kis-glogow"),
    ("Stowarzyszenie na Rzecz Osób Wykluczonych", "organizacja pozarządowa", "sros"),
    ("Gmina Miejska Wałbrzych", "JST", "walbrzych"),
]
POSITIONS = [
    "Kierowniczka CIS",
    "Dyrektor",
    "Prezes zarządu",
    "Koordynatorka projektów",
    "Specjalista ds. reintegracji",
    "Członek zarządu",
    "Wiceprezes",
]
STREETS = [
    "ul. Wrocławska 12",
    "ul. Kolejowa 8",
    "ul. Długa 3/5",
    "al. Niepodległości 44",
    "ul. Ogrodowa 17a",
    "pl. Rynek 1",
    "ul. Słoneczna 9 m. 4",
]
CITIES = [
    ("55-200", "Oława"),
    ("57-500", "Bystrzyca Kłodzka"),
    ("59-220", "Legnica"),
    ("50-001", "Wrocław"),
    ("58-100", "Świdnica"),
    ("67-200", "Głogów"),
    ("58-300", "Wałbrzych"),
]
EXPERIENCE = [
    "Od 2015 r. kieruję Centrum Integracji Społecznej.",
    "Dyrektor ZAZ od 2012 r.; 40 pracowników z niepełnosprawnościami.",
    "Prowadzę spółdzielnię socjalną od 2018 r., zatrudniamy 12 osób.",
    "Koordynuję projekty reintegracji zawodowej; współpraca z 30 firmami.",
    "W latach 2016-2023 członkini komisji konkursowych gminy.",
    "Doradczyni w ośrodku wsparcia ekonomii społecznej od 2014 r.",
]


def _plain(s: str) -> str:
    table = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")
    return s.translate(table).lower()


def _phone(rng: random.Random) -> str:
    d = rng.randrange
    kind = rng.randrange(4)
    mobile = f"{rng.choice('5678')}{d(10)}{d(10)}"
    if kind == 0:
        return f"{mobile} {d(100, 1000)} {d(100, 1000)}"
    if kind == 1:
        return f"+48 {mobile} {d(100, 1000)} {d(100, 1000)}"
    if kind == 2:
        return f"{rng.choice(['71', '74', '76', '75'])} {d(100, 1000)} {d(10, 100)} {d(10, 100)}"
    return f"{mobile}-{d(100, 1000)}-{d(100, 1000)}"


def applicant(rng: random.Random, two_line_address: bool = True) -> samples.Applicant:
    first, last = rng.choice(FIRST)
    org, org_type, domain = rng.choice(ORGS)
    street = rng.choice(STREETS)
    code, city = rng.choice(CITIES)
    address = (
        f"{street}\n{code} {city}"
        if two_line_address and rng.random() < 0.6
        else f"{street}, {code} {city}"
    )
    local = rng.choice(
        [
            f"{_plain(first)[0]}.{_plain(last)}",
            f"{_plain(first)}.{_plain(last)}",
            "biuro",
            "sekretariat",
            f"{_plain(last)}{rng.randrange(1, 99)}",
        ]
    )
    email = f"{local}@{domain}.example.pl"
    groups = tuple(sorted(rng.sample(range(1, 6), rng.choice([1, 1, 1, 2, 2, 3]))))
    return samples.Applicant(
        full_name=f"{first} {last}",
        organisation=org,
        organisation_type=org_type,
        position=rng.choice(POSITIONS),
        address=address,
        email=email,
        phone=_phone(rng),
        groups=groups,
        experience=rng.choice(EXPERIENCE),
        accepts_rules=rng.random() < 0.85,
        consents_gdpr=rng.random() < 0.85,
        place_and_date=f"{city}, {rng.randrange(6, 25):02d}.05.2024",
    )


def ngo_applicant(rng: random.Random) -> dict[str, Any]:
    first, last = rng.choice(FIRST)
    org, _, domain = rng.choice(ORGS)
    return {
        "imie_nazwisko": f"{first} {last}",
        "organizacja": org,
        "krs": f"{rng.randrange(10**9, 10**10):010d}",
        "email": f"{_plain(first)}.{_plain(last)}@{domain}.example.pl",
        "telefon": _phone(rng),
        "obszary": sorted(rng.sample(range(1, 4), rng.choice([1, 1, 2]))),
        "doswiadczenie": rng.choice(EXPERIENCE),
        "data_zgloszenia": f"{rng.randrange(13, 31)}.01.2025",
        "bez_konfliktu": rng.random() < 0.8,
        "zgoda_dane": rng.random() < 0.9,
        "zgoda_publikacja": rng.random() < 0.5,
    }


# --- printing the form ------------------------------------------------------------------------


@dataclass
class Printed:
    """A filled form as a PDF, the boxes to tick (PDF points, origin bottom left) and the
    answers the scan must give."""

    pdf: bytes
    boxes: list[tuple[int, float, float, float, float]]  # page, x0, y0, x1, y1 to tick
    numbered: list[bool]  # per box: a printed number follows it (a circle may go round it)
    expected: dict[str, Any]
    spec: FormSpec
    form: str


def soffice_pdfs(docxs: Sequence[bytes], workdir: Path) -> list[bytes]:
    """DOCX files printed to PDF by LibreOffice, in one run (a private profile)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is needed to print the DOCX forms")
    out = workdir / "printed"
    out.mkdir(parents=True, exist_ok=True)
    names = []
    for i, data in enumerate(docxs):
        p = out / f"form{i:03d}.docx"
        p.write_bytes(data)
        names.append(p)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-", dir=workdir))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, names),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    shutil.rmtree(profile, ignore_errors=True)
    return [p.with_suffix(".pdf").read_bytes() for p in names]


def box_glyphs(pdf: bytes) -> list[tuple[int, float, float, float, float, str]]:
    """Every printed ☐ and the text after it: (page, x0, y0, x1, y1, text)."""
    reader = PdfReader(io.BytesIO(pdf))
    out: list[tuple[int, float, float, float, float, str]] = []
    for i, page in enumerate(reader.pages):
        runs: list[tuple[float, float, float, str]] = []

        def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
            if text.strip():
                a, b, _c, d, e, f = tm
                a2, b2, c2, d2, e2, f2 = cm
                x = e * a2 + f * c2 + e2
                y = e * b2 + f * d2 + f2
                fs = float(size) * abs(a * a2 + b * c2 or d * d2) if size else 10.0
                runs.append((x, y, fs, text))  # noqa: B023 - called at once, below

        page.extract_text(visitor_text=visit)
        for x, y, fs, text in runs:
            t = text.lstrip()
            if t.startswith("☐"):
                # the glyph of DejaVu Sans: about 0.78 em wide, from the baseline to the cap
                out.append((i, x + 0.04 * fs, y - 0.05 * fs, x + 0.8 * fs, y + 0.72 * fs, t[1:]))
    return out


def dkres_docx(a: samples.Applicant, typed_ticks: bool) -> bytes:
    return samples.filled_docx(a, tick="☒" if typed_ticks else "☐")


def printed_dkres(
    apps: Sequence[samples.Applicant], typed: Sequence[bool], workdir: Path
) -> list[Printed]:
    pdfs = soffice_pdfs([dkres_docx(a, t) for a, t in zip(apps, typed, strict=True)], workdir)
    out = []
    for a, t, pdf in zip(apps, typed, pdfs, strict=True):
        glyphs = box_glyphs(pdf)
        wanted = [n in a.groups for n in range(1, 6)] + [a.accepts_rules, a.consents_gdpr]
        boxes, numbered = [], []
        if not t:
            assert len(glyphs) == 7, glyphs
            for g, want, k in zip(glyphs, wanted, range(7), strict=True):
                if want:
                    boxes.append(g[:5])
                    numbered.append(k < 5)
        out.append(
            Printed(pdf, boxes, numbered, dict(a.expected_fields()), DEFAULT_FORM, "dkres-docx")
        )
    return out


def printed_fillable(apps: Sequence[samples.Applicant]) -> list[Printed]:
    out = []
    for a in apps:
        unticked = replace(a, groups=(), accepts_rules=False, consents_gdpr=False)
        pdf = samples.filled_pdf(unticked)
        reader = PdfReader(io.BytesIO(pdf))
        rects = {}
        for annot in reader.pages[0].get("/Annots", []):
            o = annot.get_object()
            name = str(o.get("/T"))
            r = [float(v) for v in o.get("/Rect")]
            rects[name] = r
        want = [f"grupa_{n}" for n in a.groups]
        want += ["accepts_rules"] if a.accepts_rules else []
        want += ["consents_gdpr"] if a.consents_gdpr else []
        boxes = [(0, *rects[n]) for n in want]
        numbered = [n.startswith("grupa_") for n in want]
        out.append(
            Printed(pdf, boxes, numbered, dict(a.expected_fields()), DEFAULT_FORM, "dkres-fillable")
        )  # type: ignore[arg-type]
    return out


def printed_ngo(values: Sequence[dict[str, Any]], workdir: Path) -> list[Printed]:
    from make_form import STATEMENTS, build_form

    pdfs = soffice_pdfs([build_form(v, tick="☐") for v in values], workdir)
    spec = ngo_spec()
    out = []
    for v, pdf in zip(values, pdfs, strict=True):
        glyphs = box_glyphs(pdf)
        wanted = [n in v["obszary"] for n in range(1, 4)] + [bool(v[k]) for k, _ in STATEMENTS]
        assert len(glyphs) == len(wanted), glyphs
        boxes = [g[:5] for g, w in zip(glyphs, wanted, strict=True) if w]
        numbered = [k < 3 for k, w in enumerate(wanted) if w]
        expected = {f.key: v.get(f.key) for f in spec.fields}
        expected["obszary"] = sorted(v["obszary"])
        out.append(Printed(pdf, boxes, numbered, expected, spec, "ngo-docx"))
    return out


def label_pages(pdf: bytes, spec: FormSpec) -> dict[str, int]:
    """The page each field's printed label (a choice's first option, a statement's text) is
    on, from the printed PDF's text."""
    from parsers.text import norm

    reader = PdfReader(io.BytesIO(pdf))
    texts = [norm(page.extract_text() or "") for page in reader.pages]
    out: dict[str, int] = {}
    for f in spec.fields:
        printed = f.options[-1].name if f.options else f.labels[0]
        needle = norm(printed)[:40]
        out[f.key] = next((i for i, t in enumerate(texts) if needle in t), 0)
    return out
