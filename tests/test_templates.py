"""The jinja2 templates of the automatic replies and of the coordinator's digest.

Only jinja2 is used here: the templates are rendered with realistic contexts
(the same keys the code passes) in an environment configured like the
application's, and the output is checked for real content.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace as NS

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = REPO_ROOT / "templates"

INJECTION = "{{ 7*7 }}"
STATUSES = [
    "accepted",
    "incomplete",
    "late",
    "early",
    "needs_review",
    "no_form",
    "limit_reached",
]

# The data table is shown whenever fields were read, except in "late" (the
# application cannot be considered, so there is nothing to check).
SHOW_FIELDS = ["accepted", "incomplete", "early", "limit_reached"]

# late: the application cannot be considered, so no corrections are asked for;
# no_form: there is no form, so there are no problems in it.
SHOW_PROBLEMS = [s for s in STATUSES if s not in {"late", "no_form"}]


def make_env(autoescape: bool) -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@pytest.fixture(scope="module")
def text_env() -> Environment:
    return make_env(autoescape=False)


@pytest.fixture(scope="module")
def html_env() -> Environment:
    return make_env(autoescape=True)


GROUP_NAMES = [
    "Grupa robocza ds. rozwoju usług społecznych i deinstytucjonalizacji",
    "Grupa robocza ds. zamówień/zleceń zadań publicznych realizowanych przez PES, "
    "w tym zlecania usług społecznych",
    "Grupa robocza ds. promocji i współpracy z biznesem",
    "Grupa robocza ds. podmiotów zatrudnienia socjalnego oraz podmiotów reintegracyjnych",
    "Grupa robocza ds. przedsiębiorstw społecznych",
]


def make_call() -> NS:
    return NS(
        name="Nabór członków grup roboczych przy Dolnośląskim Komitecie Rozwoju "
        "Ekonomii Społecznej",
        address="nabor.dkres@dops.example.pl",
        opens_at_text="6 maja 2024 r., godz. 00:00",
        closes_at_text="24 maja 2024 r., godz. 23:59",
        groups=[NS(number=i, name=n) for i, n in enumerate(GROUP_NAMES, start=1)],
    )


EXPERIENCE = (
    "Od 2015 r. kieruję Centrum Integracji Społecznej w Oławie; prowadzę reintegrację "
    "zawodową i społeczną ok. 60 uczestników rocznie. Współpracuję z ośrodkami pomocy "
    "społecznej i powiatowym urzędem pracy.\n"
    "W latach 2019–2023 koordynowałam partnerstwo lokalne na rzecz ekonomii społecznej."
)


def make_fields(full_name: str = "Anna Kowalska") -> list[NS]:
    return [
        NS(label="Imię i nazwisko", value=full_name),
        NS(
            label="Nazwa reprezentowanego podmiotu / instytucji",
            value="Centrum Integracji Społecznej w Oławie",
        ),
        NS(label="Rodzaj podmiotu (np. CIS, KIS, ZAZ, WTZ, ŚDS, …)", value="CIS"),
        NS(label="Stanowisko / pełniona funkcja", value="Kierowniczka CIS"),
        NS(label="Adres do korespondencji", value="ul. Wrocławska 12\n55-200 Oława"),
        NS(label="Adres e-mail", value="a.kowalska@cis-olawa.example.pl"),
        NS(label="Telefon kontaktowy", value="—"),
        NS(label="Grupy robocze (część II)", value=f"1. {GROUP_NAMES[0]}\n4. {GROUP_NAMES[3]}"),
        NS(label="Doświadczenie i uzasadnienie (część III)", value=EXPERIENCE),
        NS(label="Zapoznałem/am się z Regulaminem i akceptuję jego postanowienia", value="tak"),
        NS(label="Zgoda na przetwarzanie danych osobowych", value="nie"),
        NS(label="Miejscowość i data", value="Oława, 14.05.2024"),
    ]


def make_problems() -> list[NS]:
    return [
        NS(
            code="missing_phone",
            message="W formularzu nie wpisano numeru telefonu kontaktowego.",
            fix="Proszę wpisać numer telefonu w polu „Telefon kontaktowy” w części I "
            "formularza i przesłać poprawiony formularz w odpowiedzi na tę wiadomość.",
        ),
        NS(
            code="missing_consents_gdpr",
            message="Nie zaznaczono zgody na przetwarzanie danych osobowych (część IV).",
            fix="Proszę zaznaczyć drugie pole w części IV formularza i przesłać poprawiony "
            "formularz w odpowiedzi na tę wiadomość.",
        ),
    ]


RECEIVED_AT = {
    "early": "3 maja 2024 r., godz. 09:15",
    "late": "25 maja 2024 r., godz. 08:05",
}


def reply_context(status: str, **overrides) -> dict:
    form_read = status in {"accepted", "incomplete", "late", "early", "limit_reached"}
    ctx = {
        "call": make_call(),
        "status": status,
        "received_at_text": RECEIVED_AT.get(status, "14 maja 2024 r., godz. 10:32"),
        "original_subject": "Zgłoszenie do grup roboczych – CIS Oława",
        "attachment_name": None if status == "no_form" else "formularz-zgloszeniowy.docx",
        "form_read": form_read,
        "fields": make_fields() if form_read else [],
        "problems": make_problems() if status == "incomplete" else [],
        "unreadable_reason_text": (
            "plik jest skanem lub zdjęciem – nie zawiera tekstu, który można odczytać maszynowo"
            if status == "needs_review"
            else None
        ),
        "reference": "DKRES-2024-0007",
        "daily_limit": 5,
    }
    ctx.update(overrides)
    return ctx


def render_reply(env: Environment, status: str, ctx: dict) -> tuple[str, str]:
    template = env.get_template(f"reply/{status}.txt.j2")
    subject = template.make_module(ctx).subject
    return subject, template.render(ctx)


def folded(text: str) -> str:
    """Whitespace folded: the templates re-wrap long values at spaces."""
    return " ".join(text.split())


# --------------------------------------------------------------------------- replies


@pytest.mark.parametrize("status", STATUSES)
def test_reply_renders_with_subject_reference_and_deadline(text_env, status):
    ctx = reply_context(status)
    subject, body = render_reply(text_env, status, ctx)

    assert isinstance(subject, str)
    assert subject.strip()
    assert "\r" not in subject and "\n" not in subject
    assert len(subject) <= 100
    # no applicant text in the subject
    assert ctx["original_subject"] not in subject
    assert "Kowalska" not in subject

    assert ctx["reference"] in body
    assert ctx["call"].closes_at_text in body
    assert body.startswith("Szanowni Państwo,\n\n")
    assert body.endswith("\n") and not body.endswith("\n\n")
    assert "{{" not in body and "{%" not in body and "{#" not in body
    assert "\n\n\n" not in body
    assert not re.search(r"[ \t]+\n", body)  # no trailing spaces
    # the footer: automatic message, replying is fine, do not resend
    assert "wysłana automatycznie" in body
    assert "Można na nią odpowiedzieć" in body
    assert ctx["call"].address in body
    assert "nie wysyłać ponownie" in body
    assert "Z poważaniem" in body


@pytest.mark.parametrize("status", STATUSES)
def test_reply_without_optional_values(text_env, status):
    """Empty subject, no attachment, no reason, no problems: still a clean letter."""
    ctx = reply_context(
        status,
        original_subject="",
        attachment_name=None,
        unreadable_reason_text=None,
        problems=[],
    )
    subject, body = render_reply(text_env, status, ctx)
    assert subject.strip()
    assert "Temat wiadomości:" not in body
    assert "Załącznik:" not in body
    assert "None" not in body
    assert "\n\n\n" not in body


@pytest.mark.parametrize("status", STATUSES)
def test_reply_prose_lines_are_short(text_env, status):
    ctx = reply_context(status, problems=make_problems())
    _, body = render_reply(text_env, status, ctx)
    long_values = [
        ctx["call"].name,
        ctx["original_subject"],
        ctx["unreadable_reason_text"] or ctx["call"].name,
        *(line for f in ctx["fields"] for line in f.value.splitlines()),
    ]
    for line in body.splitlines():
        if len(line) > 78:
            assert any(v and v in line for v in long_values), (len(line), line)


@pytest.mark.parametrize("status", SHOW_FIELDS)
def test_reply_lists_every_field(text_env, status):
    ctx = reply_context(status)
    _, body = render_reply(text_env, status, ctx)
    for field in ctx["fields"]:
        assert f"  {field.label}:\n" in body
        for line in field.value.splitlines():
            assert f"\n      {line}\n" in body
    # each line of a multi-line value is indented below its label
    assert "\n      ul. Wrocławska 12\n      55-200 Oława\n" in body
    assert f"\n      1. {GROUP_NAMES[0]}\n" in body
    assert f"\n      4. {GROUP_NAMES[3]}\n" in body
    assert "\n      W latach 2019–2023 koordynowałam" in body


@pytest.mark.parametrize("status", SHOW_PROBLEMS)
def test_reply_lists_every_problem_with_its_fix(text_env, status):
    ctx = reply_context(status, problems=make_problems())
    _, body = render_reply(text_env, status, ctx)
    flat = folded(body)
    for number, problem in enumerate(ctx["problems"], start=1):
        assert folded(f"{number}. {problem.message}") in flat
        assert folded(f"Jak poprawić: {problem.fix}") in flat
    # the fix is indented under its message
    assert "\n     Jak poprawić: Proszę wpisać numer telefonu" in body


def test_late_reply_does_not_ask_for_corrections(text_env):
    ctx = reply_context("late", problems=make_problems())
    _, body = render_reply(text_env, "late", ctx)
    assert "otrzymaliśmy 25 maja 2024 r., godz. 08:05, czyli po terminie" in body
    assert "upłynął 24 maja 2024 r., godz. 23:59" in body
    assert "nie może zostać rozpatrzone w tym naborze" in body
    assert "W razie pytań prosimy" in body
    assert "Jak poprawić" not in body
    assert "poprawiony formularz" not in body
    assert "Kowalska" not in body


@pytest.mark.parametrize("status", STATUSES)
def test_applicant_text_is_not_evaluated(text_env, status):
    problems = make_problems()
    problems[0].message = f"Numer telefonu „{INJECTION}” jest niepoprawny."
    fields = make_fields(full_name=f"Anna {INJECTION} Kowalska")
    ctx = reply_context(
        status,
        original_subject=f"Zgłoszenie {INJECTION}",
        attachment_name=f"formularz {INJECTION}.docx",
        fields=fields if status in SHOW_FIELDS else [],
        problems=problems if status in SHOW_PROBLEMS else [],
    )
    subject, body = render_reply(text_env, status, ctx)
    assert INJECTION in body
    assert "49" not in body
    assert INJECTION not in subject
    assert f"Temat wiadomości:   Zgłoszenie {INJECTION}" in body
    if ctx["fields"]:
        assert f"Anna {INJECTION} Kowalska" in body
    if ctx["problems"]:
        assert f"„{INJECTION}”" in body
    leftovers = body.replace(INJECTION, "")
    assert "{{" not in leftovers and "{%" not in leftovers


def test_accepted_says_accepted_is_not_appointed(text_env):
    subject, body = render_reply(text_env, "accepted", reply_context("accepted"))
    assert "potwierdzenie" in subject
    assert "w terminie i jest kompletne" in body
    assert "uchwałę w sprawie składu grup roboczych" in body
    assert "nie oznacza jeszcze powołania" in body
    assert "zastąpi formularz" in body
    assert "prosimy powoływać się na numer zgłoszenia" in body
    assert "Jak poprawić" not in body


def test_incomplete_explains_how_to_resend(text_env):
    subject, body = render_reply(text_env, "incomplete", reply_context("incomplete"))
    assert "uzupełnić" in subject
    assert "wymaga jednak uzupełnienia" in body
    assert "w odpowiedzi\nna tę wiadomość – najpóźniej 24 maja 2024 r., godz. 23:59" in body
    assert "zastąpi formularz przesłany wcześniej" in body
    assert "nie oznacza jeszcze powołania" in body
    # problems come before the data table
    assert body.index("Jak poprawić") < body.index("Imię i nazwisko")


def test_incomplete_without_problem_list_still_says_what_to_check(text_env):
    _, body = render_reply(text_env, "incomplete", reply_context("incomplete", problems=[]))
    assert "co najmniej jedną grupę" in body


def test_early_gives_the_call_window(text_env):
    ctx = reply_context("early")
    _, body = render_reply(text_env, "early", ctx)
    assert "Wiadomość otrzymaliśmy 3 maja 2024 r., godz. 09:15, czyli przed\n" in body
    assert "  od 6 maja 2024 r., godz. 00:00\n  do 24 maja 2024 r., godz. 23:59\n" in body
    assert "Prosimy przesłać formularz ponownie" in body


def test_needs_review_gives_reason_and_advice(text_env):
    ctx = reply_context("needs_review")
    subject, body = render_reply(text_env, "needs_review", ctx)
    assert "pracownik" in subject
    assert f"Przyczyna: {ctx['unreadable_reason_text']}\n" in body
    assert "sprawdzi pracownik" in body
    assert "DOCX lub PDF" in body
    assert "Skan lub zdjęcie" in body
    assert "formularz-zgloszeniowy.docx" in body


def test_no_form_explains_how_to_attach(text_env):
    ctx = reply_context("no_form", attachment_name="CV.pdf")
    _, body = render_reply(text_env, "no_form", ctx)
    assert "nie znaleźliśmy wypełnionego formularza" in body
    assert "Załączonego pliku (CV.pdf)" in body
    assert "ogłoszeniem\n     o naborze" in body
    assert "ikona spinacza" in body
    assert "przeczyta ją pracownik" in body


def test_limit_reached_states_the_limit(text_env):
    ctx = reply_context("limit_reached", daily_limit=7)
    _, body = render_reply(text_env, "limit_reached", ctx)
    assert "wynosi 7 dziennie" in body
    assert "jest ostatnią automatyczną\nodpowiedzią" in body
    assert "przeczyta je pracownik" in body


def test_subjects_differ_per_status(text_env):
    subjects = {render_reply(text_env, s, reply_context(s))[0] for s in STATUSES}
    assert len(subjects) == len(STATUSES)


def test_reply_accepts_plain_dicts(text_env):
    """The code may pass dicts instead of objects; dot access works for both."""
    ctx = reply_context("incomplete")
    ctx["call"] = dict(vars(ctx["call"]))
    ctx["fields"] = [dict(vars(f)) for f in ctx["fields"]]
    ctx["problems"] = [dict(vars(p)) for p in ctx["problems"]]
    _, body = render_reply(text_env, "incomplete", ctx)
    assert "Anna Kowalska" in body
    assert "Jak poprawić: Proszę wpisać" in body


def test_missing_context_key_is_an_error(text_env):
    ctx = reply_context("accepted")
    del ctx["reference"]
    with pytest.raises(Exception, match="reference"):
        render_reply(text_env, "accepted", ctx)


# --------------------------------------------------------------------------- digest

EVIL_NAME = "<script>alert(1)</script> Jan & Syn"


def digest_context(empty: bool = False, **overrides) -> dict:
    ctx = {
        "call": make_call(),
        "generated_at_text": "15 maja 2024 r., godz. 07:30",
        "since_text": None if empty else "14 maja 2024 r., godz. 07:30",
        "counts_by_status": []
        if empty
        else [
            NS(status="accepted", label="przyjęte (kompletne, w terminie)", count=12),
            NS(status="incomplete", label="niekompletne (czekamy na poprawki)", count=3),
            NS(status="needs_review", label="do sprawdzenia przez pracownika", count=1),
        ],
        "counts_by_group": []
        if empty
        else [NS(number=i, name=n, accepted=i, incomplete=1, to_review=0,
                 members=[NS(reference=f"DKRES-2024-00{i}0", full_name=f"Osoba {i}",
                             organisation="Fundacja", status_label="przyjęte")])
              for i, n in enumerate(GROUP_NAMES, 1)],
        "total_live": 0 if empty else 16,
        "total_messages": 0 if empty else 23,
        "total_applications": 0 if empty else 18,
        "other_messages": 0 if empty else 5,
        "superseded": 0 if empty else 2,
        "workspace_url": None if empty else "https://nabor.example.org/",
        "arrivals": []
        if empty
        else [
            NS(
                reference="DKRES-2024-0021",
                received_at_text="14 maja 2024 r., godz. 10:32",
                sender="Anna Kowalska <a.kowalska@cis-olawa.example.pl>",
                full_name=EVIL_NAME,
                organisation="Centrum Integracji Społecznej w Oławie",
                groups_text="1, 4",
                status="incomplete",
                status_label="niekompletne",
                superseded=False,
                problems_text="brak numeru telefonu\nbrak zgody RODO",
            ),
            NS(
                reference="DKRES-2024-0019",
                received_at_text="14 maja 2024 r., godz. 09:01",
                sender="biuro@laczynas.example.com",
                full_name=None,
                organisation=None,
                groups_text="—",
                status="no_form",
                status_label="brak formularza",
                superseded=True,
                problems_text="",
            ),
        ],
        "attention": []
        if empty
        else [
            NS(
                kind_label="do sprawdzenia przez pracownika",
                reference="DKRES-2024-0020",
                received_at_text="14 maja 2024 r., godz. 11:15",
                sender="p.nowak@boleslawiec.example.pl",
                subject="skan",
                detail="skan formularza – plik bez tekstu",
                lines=[],
                link="https://nabor.example.org/zgloszenie/DKRES-2024-0020",
            ),
            NS(
                kind_label="błąd przetwarzania",
                reference=None,
                received_at_text="14 maja 2024 r., godz. 12:40",
                sender="<img src=x onerror=alert(2)>@example.pl",
                subject=None,
                detail="ValueError: uszkodzony plik DOCX",
                lines=["<b>pierwsza linia</b>"],
                link=None,
            ),
        ],
        "last_poll_text": None if empty else "15 maja 2024 r., godz. 07:25",
        "replies_pending": 0 if empty else 1,
        "replies_failed": 0 if empty else 2,
    }
    ctx.update(overrides)
    return ctx


@pytest.mark.parametrize("kind", ["txt", "html"])
@pytest.mark.parametrize("empty", [True, False])
def test_digest_renders(text_env, html_env, kind, empty):
    env = html_env if kind == "html" else text_env
    template = env.get_template(f"digest/digest.{kind}.j2")
    ctx = digest_context(empty=empty)
    subject = template.make_module(ctx).subject
    body = template.render(ctx)

    assert subject.strip()
    assert "\r" not in subject and "\n" not in subject
    assert ctx["generated_at_text"] in subject
    assert "{{" not in body and "{%" not in body
    if empty:
        assert "brak udanego odpytania skrzynki" in body
    if empty:
        assert "Nic nie czeka na decyzję ani odpowiedź." in body
        assert "Brak nowych zgłoszeń w tym okresie." in body
        assert "pierwszy raport" in body.lower()
        assert "brak zgłoszeń" in body
    else:
        assert "DKRES-2024-0021" in body and "DKRES-2024-0020" in body
        assert "przyjęte (kompletne, w terminie)" in body
        assert "15 maja 2024 r., godz. 07:25" in body
        assert "zastąpione późniejszym formularzem" in body
        for name in GROUP_NAMES:
            assert name in body
        # attention first, then counts, then arrivals
        assert (
            body.index("DKRES-2024-0020")
            < body.index("przyjęte (kompletne, w terminie)")
            < body.index("DKRES-2024-0021")
        )


def test_digest_subjects_match(text_env, html_env):
    ctx = digest_context()
    txt = text_env.get_template("digest/digest.txt.j2").make_module(ctx).subject
    html = html_env.get_template("digest/digest.html.j2").make_module(ctx).subject
    assert txt == str(html)
    assert "zgłoszenia: 16" in txt and "do zrobienia: 2" in txt


def test_digest_html_escapes_applicant_data(html_env):
    ctx = digest_context()
    body = html_env.get_template("digest/digest.html.j2").render(ctx)
    assert "<script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Jan &amp; Syn" in body
    assert "<img" not in body
    assert "&lt;img src=x onerror=alert(2)&gt;@example.pl" in body
    assert "&lt;a.kowalska@cis-olawa.example.pl&gt;" in body
    # multi-line values: each line escaped, joined by <br>
    assert "brak numeru telefonu<br>brak zgody RODO" in body
    assert body.count("<table") >= 4


def test_digest_text_keeps_values_literal(text_env):
    ctx = digest_context()
    body = text_env.get_template("digest/digest.txt.j2").render(ctx)
    assert EVIL_NAME in body
    assert "Braki:            brak numeru telefonu\n" in body
    assert re.search(r"\n {22}brak zgody RODO\n", body)
    assert "nie udało się wysłać odpowiedzi do zgłaszających: 2" in body
    assert "Imię i nazwisko:  —" in body
    assert "\n     12  przyjęte (kompletne, w terminie)\n" in body
