"""The jinja2 templates of the automatic replies and of the coordinator's digest.

Replies are composed by the real code: a config (the shipped DKRES config.toml and the second
call in examples/), the validate stage deciding the outcome, the reply composer building the
context and mailbot's own render environment (tests/letters.py). The digest templates are
rendered in mailbot's render environment with contexts shaped like digest_context's.
"""

from __future__ import annotations

import dataclasses
import email.policy
import re
from datetime import datetime, timedelta
from types import SimpleNamespace as NS

import pytest
from letters import DKRES_APPLICANT, OUTCOMES, REPO, dkres_config, facts_for, letter

from mailbot.config import Config, load_config
from mailbot.pipeline import replies
from mailbot.pipeline.render import environment
from mailbot.pipeline.validate import validate

INJECTION = "{{ 7*7 }}"
EXAMPLE = REPO / "examples" / "ngo-council"

#: the status validate decides for each sample outcome
DECIDED = {"limit_reached": "accepted"}


@pytest.fixture(scope="module")
def dkres() -> Config:
    return dkres_config()


@pytest.fixture(scope="module")
def text_env():
    return environment(False)


@pytest.fixture(scope="module")
def html_env():
    return environment(True)


def folded(text: str) -> str:
    """Whitespace folded: the templates re-wrap long values at spaces."""
    return " ".join(text.split())


def incomplete_applicant() -> dict:
    return dict(DKRES_APPLICANT, phone=None, consents_gdpr=False)


def sample(
    config: Config, outcome: str, written_at: datetime | None = None, **fields: object
) -> tuple[str, str, str]:
    base = incomplete_applicant() if outcome == "incomplete" else dict(DKRES_APPLICANT)
    base.update(fields)
    return letter(config, outcome, base, written_at=written_at)


# --------------------------------------------------------------------------- replies


def test_the_render_environment_is_mailbots(text_env, html_env):
    """Replies are plain text (not escaped); the HTML digest is autoescaped."""
    assert text_env.autoescape is False
    assert html_env.autoescape is True


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_every_outcome_renders_a_clean_letter(dkres, outcome):
    status, subject, body = sample(dkres, outcome)
    assert status == DECIDED.get(outcome, outcome)
    assert subject.startswith("Nabór do grup roboczych DKRES – ")
    assert "DKRES-2024-0007" in subject and len(subject) <= 100
    assert "Kowalska" not in subject
    assert body.startswith("Dotyczy: Nabór członków grup roboczych przy Dolnośląskim")
    assert "DKRES-2024-0007" in body
    assert "24 maja 2024 r., godz. 23:59" in folded(body)
    assert body.endswith("\n") and not body.endswith("\n\n")
    assert "{{" not in body and "{%" not in body and "{#" not in body
    assert "\n\n\n" not in body
    assert "None" not in body
    assert not re.search(r"[ \t]+\n", body)
    # signed by the office from config; a courteous footer, no reprimand
    assert (
        "Z poważaniem\nD. Butryn\nDolnośląski Ośrodek Polityki Społecznej we Wrocławiu\n"
        "ul. Trzebnicka 42–44, 50-230 Wrocław\ne-mail: d.butryn@dops.wroc.pl\n" in body
    )
    assert "Wiadomość wysłano automatycznie" in body and "Dziękujemy." in body
    assert "bez potrzeby" not in body and "nie wysyłać ponownie" not in body
    # no tautology, no forms of address that could disagree with the salutation
    assert "pn." not in body and "naborze pn" not in body
    assert "Państwa" not in body and "Państwo " not in body.split("\n", 4)[-1]
    for line in body.splitlines():
        assert len(line) <= 78, line
    # Polish typesetting: no one-letter word at a line end, "2024 r." not split
    assert not re.search(r"(?m)(^| )[aiouwz]$", body)
    assert not re.search(r"(?m)\d$\n^r\.", body)


def _raw_letter(config: Config, outcome: str, to: str) -> bytes:
    """The reply's bytes, without the two headers that differ on every call and mailbot's own
    ``X-Mailbot-Reply``, which is folded at "; " and never RFC 2047-encoded (tests/unit/
    test_stamp.py), where the standard library would encode a long Message-ID in it."""
    facts = facts_for(config, outcome, DKRES_APPLICANT)
    facts = dataclasses.replace(facts, envelope=dataclasses.replace(facts.envelope, sender=to))
    verdict = validate(facts)
    reply = replies.compose_reply(
        replies.ReplyInputs(
            facts.envelope,
            verdict,
            facts.form,
            config.call,
            f"{config.call.reference_prefix}-0007",
            "limit_reached" if outcome == "limit_reached" else verdict.status,
            config.limits.replies_per_sender_per_day,
        )
    )
    assert reply is not None
    raw = re.sub(rb"(?m)^X-Mailbot-Reply:[^\r\n]*\r\n( [^\r\n]*\r\n)*", b"", reply.raw)
    return re.sub(rb"(?m)^(Message-ID|Date): [^\r\n]*\r\n", b"", raw)


@pytest.mark.parametrize("to", ["a.kowalska@example.pl", "jørgen@bücher.example.pl"])
@pytest.mark.parametrize("outcome", OUTCOMES)
def test_letters_are_the_standard_librarys_byte_for_byte(dkres, outcome, to, monkeypatch):
    """The letters' policy parses and folds the headers every letter repeats only once, and
    the wrapped paragraphs are remembered: letters composed again and again are byte for byte
    what the standard library's SMTP policy composes from scratch."""
    ours = [_raw_letter(dkres, outcome, to) for _ in range(3)]
    monkeypatch.setattr(replies, "REPLY_POLICY", email.policy.SMTP.clone(max_line_length=76))
    monkeypatch.setattr(
        replies, "REPLY_POLICY_UTF8", email.policy.SMTPUTF8.clone(max_line_length=76)
    )
    plain = _raw_letter(dkres, outcome, to)
    assert ours == [plain] * 3
    assert b"\r\nAuto-Submitted: auto-replied\r\n" in plain
    assert (b"j\xc3\xb8rgen@" in plain) == (not to.isascii())


@pytest.mark.parametrize("outcome", [o for o in OUTCOMES if o != "no_form"])
@pytest.mark.parametrize(
    "name, salutation",
    [
        ("Anna Kowalska", "Szanowna Pani,"),
        ("Jan Kowalski", "Szanowny Panie,"),
        ("Kuba Nowak", "Szanowny Panie,"),
    ],
)
def test_salutation_follows_the_first_name(dkres, outcome, name, salutation):
    _, _, body = sample(dkres, outcome, full_name=name)
    expected = "Szanowni Państwo," if outcome == "needs_review" else salutation
    assert f"\n\n{expected}\n\n" in body


def test_no_form_letter_has_the_plural_salutation(dkres):
    _, _, body = sample(dkres, "no_form")
    assert "\n\nSzanowni Państwo,\n\n" in body


@pytest.mark.parametrize("groups, heading", [([1], "Grupa robocza"), ([1, 4], "Grupy robocze")])
def test_group_heading_agrees_with_the_number(dkres, groups, heading):
    _, _, body = sample(dkres, "accepted", groups=groups)
    assert f"\n  {heading}:\n      1. Grupa robocza ds. rozwoju usług społecznych\n" in body
    other = "Grupy robocze" if heading == "Grupa robocza" else "Grupa robocza"
    assert f"  {other}:" not in body


def test_accepted_letter(dkres):
    _, subject, body = sample(dkres, "accepted")
    assert "potwierdzenie przyjęcia zgłoszenia" in subject
    assert "wpłynęło ono w terminie i jest kompletne" in folded(body)
    # every field of the form, in form order, with its letter label
    labels = [f.letter_label(2) for f in dkres.form.fields]
    positions = [body.index(f"\n  {label}:\n") for label in labels]
    assert positions == sorted(positions)
    assert "\n      ul. Wrocławska 12\n      55-200 Oława\n" in body
    assert "\n      kom. 601 234 567\n" in body
    assert "Co dalej?\nPo zakończeniu naboru" in body and "nie oznacza jeszcze powołania" in body
    assert "Jak poprawić" not in body


def test_incomplete_letter_lists_every_problem_once(dkres):
    status, subject, body = sample(dkres, "incomplete")
    assert status == "incomplete"
    assert "uzupełnienie" in subject
    flat = folded(body)
    assert "1. Nie wypełniono pola „Telefon kontaktowy”." in flat
    assert (
        "2. Nie zaznaczono pola „Zgoda na przetwarzanie danych osobowych” "
        "(część IV formularza)." in flat
    )
    assert flat.count("Jak poprawić:") == 2
    assert "\n     Jak poprawić: Prosimy uzupełnić to pole" in body
    assert body.index("Jak poprawić") < body.index("\n  Imię i nazwisko:")
    assert "najpóźniej 24 maja 2024 r., godz. 23:59" in flat


def test_unusual_answers_are_not_the_applicants_problem(dkres):
    """Several phone numbers, an internationalised domain: accepted (at most a note)."""
    status, _, body = sample(
        dkres, "accepted", phone="601 234 567, 71 344 55 66", email="anna@żółw.example.pl"
    )
    assert status == "accepted"
    assert "Jak poprawić" not in body


def test_unusable_phone_makes_it_incomplete(dkres):
    status, _, body = sample(dkres, "accepted", phone="601-234-56")
    assert status == "incomplete"
    assert "Podany numer telefonu wygląda na niepoprawny." in folded(body)


def test_needs_review_says_once_what_happens_next(dkres):
    status, subject, body = sample(dkres, "needs_review")
    assert status == "needs_review" and "sprawdzi pracownik" in subject
    assert folded(body).count("sprawdzi pracownik") == 1
    assert "Jak poprawić" not in body
    assert "nie udało się odczytać automatycznie" in folded(body)
    assert "(do 20 MB)" in body  # limits.max_attachment_bytes, not a number in the template


def test_size_limit_comes_from_the_config(dkres):
    import dataclasses

    small = dataclasses.replace(
        dkres, limits=dataclasses.replace(dkres.limits, max_attachment_bytes=5 * 1024 * 1024)
    )
    _, _, body = letter(small, "needs_review", DKRES_APPLICANT)
    assert "(do 5 MB)" in body and "20 MB" not in body


def test_late_letter_asks_for_nothing(dkres):
    _, _, body = sample(dkres, "late")
    assert "Otrzymaliśmy ją 25 maja 2024 r., godz. 08:05, czyli po" in folded(body)
    assert "nie może zostać rozpatrzone w tym naborze" in folded(body)
    assert "Jak poprawić" not in body and "poprawiony formularz" not in body
    assert "Kowalska" not in body


def test_early_letter_gives_the_window(dkres):
    _, _, body = sample(dkres, "early")
    assert "  od 6 maja 2024 r., godz. 00:00\n  do 24 maja 2024 r., godz. 23:59\n" in body


def test_no_form_and_limit_letters(dkres):
    _, _, body = letter(dkres, "no_form", {})
    assert "Nie znaleźliśmy w niej wypełnionego formularza" in folded(body)
    assert "ikona spinacza" in folded(body) and "do 20 MB" in body
    _, _, body = sample(dkres, "limit_reached")
    assert "najwyżej 5 automatycznych odpowiedzi dziennie" in folded(body)


def test_subjects_differ_per_outcome(dkres):
    subjects = {sample(dkres, o)[1] for o in OUTCOMES}
    assert len(subjects) == len(OUTCOMES)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_applicant_text_is_not_evaluated(dkres, outcome):
    _, subject, body = letter(
        dkres,
        outcome,
        dict(DKRES_APPLICANT, full_name=f"Anna {INJECTION} Kowalska"),
        subject=f"Zgłoszenie {INJECTION}",
        filename=f"formularz {INJECTION}.docx",
    )
    assert INJECTION not in subject
    assert f"\n  Temat wiadomości:\n      Zgłoszenie {INJECTION}\n" in body
    assert "49" not in body.replace("2024", "")


def test_letters_are_not_html_escaped(dkres):
    """Plain-text letters show what the applicant wrote (would fail with autoescape on)."""
    _, _, body = sample(dkres, "accepted", organisation='Kowalski & Syn <Oława> "Razem"')
    assert '\n      Kowalski & Syn <Oława> "Razem"\n' in body


def test_templates_dir_from_config_comes_first(tmp_path, dkres):
    """An office's own wording (templates.dir) replaces a built-in letter, others stay."""
    own = tmp_path / "own" / "reply"
    own.mkdir(parents=True)
    (own / "accepted.txt.j2").write_text(
        '{% set subject = "Potwierdzenie " ~ reference %}{{ salutation }}\n\n'
        "Zgłoszenie {{ reference }} przyjęto.\n",
        encoding="utf-8",
    )
    text = (REPO / "config.toml").read_text(encoding="utf-8")
    config_path = tmp_path / "config.toml"
    config_path.write_text(text + '\n[templates]\ndir = "own"\n', encoding="utf-8")
    config = load_config(config_path)
    _, subject, body = letter(config, "accepted", DKRES_APPLICANT)
    assert subject == "Potwierdzenie DKRES-2024-0007"
    assert body == "Szanowna Pani,\n\nZgłoszenie DKRES-2024-0007 przyjęto.\n"
    _, _, body = sample(config, "incomplete")
    assert "Jak poprawić" in body


@pytest.mark.skipif(not (EXAMPLE / "config.toml").exists(), reason="examples/ not present")
@pytest.mark.parametrize("outcome", OUTCOMES)
def test_second_call_letters(outcome):
    """The example call in examples/: its own names, form, office and signature."""
    from example_call import APPLICANT

    config = load_config(EXAMPLE / "config.toml")
    fields = (
        dict(APPLICANT, zgoda_dane=False, krs="12345") if outcome == "incomplete" else APPLICANT
    )
    status, subject, body = letter(config, outcome, fields)
    assert status == DECIDED.get(outcome, outcome)
    assert subject.startswith(config.call.short_name + " – ")
    assert f"Dotyczy: {config.call.name[:40]}" in body
    assert "DKRES" not in body + subject and "Dolnośląski Komitet" not in body
    assert "grup robocz" not in body
    assert config.call.office is not None and config.call.office.person in body
    assert "\n\n\n" not in body and "None" not in body
    if outcome in ("accepted", "incomplete", "early", "limit_reached"):
        for f in config.form.fields:
            assert f"\n  {f.label}:\n" in body or f"\n  {f.letter_label(2)}:\n" in body


# --------------------------------------------------------------------------- digest

EVIL_NAME = "<script>alert(1)</script> Jan & Syn"


GROUP_NAMES = [g.name for g in dkres_config().call.groups]


def make_call() -> NS:
    return NS(
        name="Nabór członków grup roboczych",
        short_name="Nabór DKRES",
        address="nabor.dkres@dops.example.pl",
        opens_at_text="6 maja 2024 r., godz. 00:00",
        closes_at_text="24 maja 2024 r., godz. 23:59",
        groups=[NS(number=i, name=n) for i, n in enumerate(GROUP_NAMES, start=1)],
    )


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
        else [
            NS(
                number=i,
                name=n,
                accepted=i,
                incomplete=1,
                to_review=0,
                members=[
                    NS(
                        reference=f"DKRES-2024-00{i}0",
                        name=f"Osoba {i}",
                        affiliation="Fundacja",
                        status_label="przyjęte",
                    )
                ],
            )
            for i, n in enumerate(GROUP_NAMES, 1)
        ],
        "choice_heading": "Grupy robocze",
        "name_label": "Imię i nazwisko",
        "affiliation_label": "Nazwa podmiotu",
        "accepted_total": 0 if empty else 12,
        "incomplete_total": 0 if empty else 3,
        "to_review_total": 0 if empty else 1,
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
                name=EVIL_NAME,
                affiliation="Centrum Integracji Społecznej w Oławie",
                choice_label="Grupy robocze",
                choice_text="1, 4",
                status="incomplete",
                status_label="niekompletne",
                superseded=False,
                problems_text="brak numeru telefonu\nbrak zgody RODO",
                notes_text="Telefon kontaktowy: numer zagraniczny (DE)",
            ),
            NS(
                reference="DKRES-2024-0019",
                received_at_text="14 maja 2024 r., godz. 09:01",
                sender="biuro@laczynas.example.com",
                name=None,
                affiliation=None,
                choice_label="Grupa robocza",
                choice_text="—",
                status="no_form",
                status_label="brak formularza",
                superseded=True,
                problems_text="",
                notes_text="",
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
            NS(
                kind_label="potwierdzenie nie zostało wysłane",
                reference="DKRES-2024-0022",
                received_at_text="17 maja 2024 r., godz. 10:00",
                sender="j.wisniewski@razem.example.org",
                subject="Zgłoszenie",
                detail="zgłoszenie zapisane, ale potwierdzenie do osoby zgłaszającej nie zostało "
                "wysłane: "
                "nagłówki wiadomości zabraniają automatycznej odpowiedzi (mailing list (List-Id))",
                lines=[],
                link=None,
            ),
            NS(
                kind_label="korespondencja (pytanie, wycofanie, podziękowanie)",
                reference=None,
                received_at_text="10 maja 2024 r., godz. 12:00",
                sender="h.zet@example.pl",
                subject="<script>alert(3)</script> Pytanie o nabór",
                detail="pytanie",
                lines=["Dzień dobry,", "czy można do dwóch grup?"],
                link=None,
            ),
        ],
        "last_poll_text": None if empty else "15 maja 2024 r., godz. 07:25",
        "replies_pending": 0 if empty else 1,
        "replies_failed": 0 if empty else 2,
        "unrelated_count": 0 if empty else 7,
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
        assert "skrzynki nie udało się jeszcze sprawdzić" in body
        assert "skrzynki jeszcze nie sprawdzono" in body
    if empty:
        assert "Nic nie czeka na decyzję ani odpowiedź." in body
        assert "Brak nowych zgłoszeń w tym okresie." in body
        assert "pierwszy raport" in body.lower()
        assert "brak zgłoszeń" in body
    else:
        assert "DKRES-2024-0021" in body and "DKRES-2024-0020" in body
        assert "przyjęte (kompletne, w terminie)" in body
        assert "DKRES-2024-0022" in body and "List-Id" in body
        assert "niezwiązane z naborem: 7" in body
        assert "czy można do dwóch grup?" in body
        if kind == "html":
            assert "&lt;script&gt;alert(3)" in body and "<script>" not in body
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
    assert "zgłoszenia: 16" in txt and "do zrobienia: 4" in txt


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
    assert "\n    Braki: brak numeru telefonu\n      brak zgody RODO\n" in body
    assert "nie udało się wysłać odpowiedzi do osób zgłaszających: 2" in body
    assert "Imię i nazwisko: —" in body
    assert "\n- przyjęte (kompletne, w terminie): 12\n" in body
    # the choice by the form's labels: one, or the plural for more than one
    assert "\n    Grupy robocze: 1, 4\n" in body and "\n    Grupa robocza: —\n" in body
    assert "\nGRUPY ROBOCZE\n" in body and "przyjęte: 12, niekompletne: 3" in body
    assert "\n    Nazwa podmiotu: Centrum Integracji Społecznej w Oławie\n" in body
    assert "   - Osoba 4 (Fundacja) – przyjęte, DKRES-2024-0040\n" in body
    assert "Ostatnie sprawdzenie skrzynki: 15 maja 2024 r., godz. 07:25" in body
    # no alarm signs, no columns aligned with spaces (a proportional font breaks them)
    assert "!!!" not in body
    assert not re.search(r"\S: {2,}\S", body)


def test_digest_shows_no_organisation_when_the_form_has_none(text_env, html_env):
    """A form without an organisation field: no organisation line or column, never another
    field in its place."""
    for env, kind in ((text_env, "txt"), (html_env, "html")):
        ctx = digest_context(affiliation_label=None, choice_heading="Komisje tematyczne")
        body = env.get_template(f"digest/digest.{kind}.j2").render(ctx)
        assert "Centrum Integracji" not in body and "Fundacja" not in body
        assert "Nazwa podmiotu" not in body and "Podmiot" not in body
        assert "komisje tematyczne" in body.lower()


# --------------------------------------------------------------------------- the calendar, texts


def _with_call(config: Config, **changes: object) -> Config:
    return dataclasses.replace(config, call=dataclasses.replace(config.call, **changes))


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_no_block_is_aligned_with_spaces(dkres, outcome):
    """Outlook shows plain text in a proportional font: labels and values on lines of their own,
    never a column lined up with spaces, no hanging indent under "Dotyczy:"."""
    _, _, body = sample(dkres, outcome)
    assert not re.search(r"\S:? {2,}\S", body), re.search(r".*\S:? {2,}\S.*", body)
    assert "\n  Numer zgłoszenia:\n      DKRES-2024-0007\n  Data otrzymania:\n      " in body
    assert "\n         " not in body.split("\n\n", 1)[0]


def test_the_early_letter_does_not_ask_to_correct_its_date(dkres):
    _, _, body = sample(dkres, "early", phone=None)
    flat = folded(body)
    assert "Przed ponownym wysłaniem prosimy również poprawić w formularzu:" in flat
    assert "1. Nie wypełniono pola „Telefon kontaktowy”." in flat
    assert "przed otwarciem naboru (" not in flat and "2." not in flat.split("poprawić")[-1]
    _, _, body = sample(dkres, "early")
    assert "prosimy również poprawić" not in body and "Jak poprawić" not in body


def test_reworded_sentences(dkres):
    _, _, body = sample(dkres, "needs_review")
    assert (
        "prosimy przesłać w odpowiedzi również plik DOCX lub PDF (do 20 MB) – "
        "przyspieszy to sprawdzenie." in folded(body)
    )
    _, _, body = sample(dkres, "limit_reached")
    assert "dziennie – to ostatnia z nich na dziś." in folded(body)
    _, _, body = sample(dkres, "incomplete")
    assert (
        "Jak poprawić: Prosimy zaznaczyć to oświadczenie – bez niego nie możemy rozpatrzyć "
        "zgłoszenia." in folded(body)
    )


def test_a_correction_period_counted_from_the_letter(dkres):
    week = _with_call(dkres, corrections_days=7)
    for outcome in ("incomplete", "accepted"):
        _, _, body = sample(week, outcome)
        flat = folded(body)
        assert "w odpowiedzi na tę wiadomość, w terminie 7 dni od otrzymania tej wiadomości." in (
            flat
        ), outcome
        assert "najpóźniej" not in flat
    _, _, body = sample(_with_call(dkres, corrections_days=1), "incomplete")
    assert "w terminie 1 dnia od otrzymania tej wiadomości" in folded(body)


def test_a_letter_written_after_the_call_closed_names_no_passed_deadline(dkres):
    after = dkres.call.closes_at + timedelta(hours=1)
    for outcome in ("incomplete", "accepted", "needs_review", "no_form", "limit_reached"):
        _, _, body = sample(dkres, outcome, written_at=after)
        flat = folded(body)
        assert "24 maja 2024 r., godz. 23:59" not in flat, outcome
        assert "najpóźniej" not in flat and "upływa" not in flat, outcome
    _, _, body = sample(dkres, "incomplete", written_at=after)
    assert "Poprawiony formularz prosimy przesłać jako załącznik w odpowiedzi na tę wiadomość." in (
        folded(body)
    )
    # written before the closing time, the deadline is named as before
    _, _, body = sample(dkres, "incomplete", written_at=dkres.call.closes_at - timedelta(hours=1))
    assert "najpóźniej 24 maja 2024 r., godz. 23:59" in folded(body)


def test_the_form_page_is_linked_in_the_no_form_and_incomplete_letters(dkres):
    url = "https://www.dops.wroc.pl/nabor-dkres-2024"
    linked = _with_call(dkres, form_url=url)
    _, _, body = letter(linked, "no_form", {})
    assert f"pobrać formularz zgłoszeniowy ze strony ogłoszenia o naborze:\n     {url}\n" in body
    _, _, body = sample(linked, "incomplete")
    assert f"ze strony ogłoszenia o naborze:\n{url}\n" in body
    _, _, body = sample(linked, "accepted")
    assert url not in body
    _, _, body = letter(dkres, "no_form", {})
    assert "udostępniony razem z ogłoszeniem" in folded(body)
