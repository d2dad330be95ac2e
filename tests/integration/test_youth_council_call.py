"""A third call (examples/youth-council), configured only from the README, run end to end.

The City of Kamienna Wola's Youth Council: a card with a year of birth checked by a pattern,
an optional e-mail, a school and a district, ONE commission among five ("proszę zaznaczyć jedno
pole"), an optional guardian, a "V. Oświadczenia" section (two required statements, one
optional), labels with dashes, brackets and colons, and an information clause. The e-mails of
tests/youth_council_mail.py (filled DOCX cards and the same cards printed to PDF by
LibreOffice) go through Dovecot; `mailbot poll` answers them through aiosmtpd; then the fields,
statuses, problems, letters, `mailbot digest` and `mailbot export` (json, csv, xlsx, docx) are
checked against the card and the call, through the CLI only. Every check is recorded, the table
of all of them is printed (`pytest -s`) and kept in the test's folder as checks.txt with the
letters sent; the test fails when any check failed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tests.testdata import in_ci
from tests.youth_council_mail import (
    APPLICANT,
    CASES,
    EXAMPLE,
    Case,
    build_attachments,
    email_of,
    make_form,
)

from .helpers import PASSWORD_ENV, REPO

pytestmark = pytest.mark.integration

#: the DKRES call's words: nothing this call produces may say them
DKRES_WORDS = (r"DKRES", r"Komitet", r"grup\w* robocz", r"Podmiot", r"Ekonomii Społ")
#: problem codes or English shown to a person instead of Polish
CODE_WORDS = (r"\binvalid\b", r"\bmissing\b", r"_too_long\b", r"\bNone\b")


@dataclass
class Checks:
    """Every check of the run: name, passed, what was found when it failed."""

    rows: list[tuple[str, bool, str]] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.rows.append((name, bool(ok), "" if ok else detail))
        return bool(ok)

    def section(self, name: str, run: Callable[[], None]) -> None:
        """Run a group of checks; an exception is one failed check, not the end of the run."""
        try:
            run()
        except Exception as exc:  # noqa: BLE001 — recorded as a failed check
            self.check(f"{name}: ran to the end", False, f"{type(exc).__name__}: {exc}")

    def table(self) -> str:
        passed = sum(ok for _, ok, _ in self.rows)
        width = max(len(name) for name, _, _ in self.rows)
        lines = [f"{'check':<{width}}  result  detail", "-" * (width + 40)]
        for name, ok, detail in self.rows:
            short = detail.replace("\n", " ⏎ ")[:300]
            lines.append(f"{name:<{width}}  {'ok' if ok else 'FAIL':<6}  {short}")
        lines.append(f"passed {passed}, failed {len(self.rows) - passed}, of {len(self.rows)}")
        return "\n".join(lines)


@dataclass
class Call:
    """What the example's config.toml says, read as an office reads its own file."""

    text: str

    def __post_init__(self) -> None:
        data = tomllib.loads(self.text)
        self.call: dict[str, Any] = data["call"]
        self.fields: list[dict[str, Any]] = data["form"]["fields"]
        self.keys = [f["key"] for f in self.fields]
        self.labels = {f["key"]: f.get("label", f["labels"][0]) for f in self.fields}
        self.plurals = {f["key"]: f.get("label_plural", "") for f in self.fields}
        self.columns = {f["key"]: f.get("column", f["key"]) for f in self.fields}
        self.groups = {g["number"]: g["name"] for g in self.call["groups"]}
        self.choice = next(f for f in self.fields if f["type"] == "choice")


@dataclass
class Run:
    checks: Checks
    spec: Call
    config: Path
    tmp: Path
    apps: dict[str, dict[str, Any]] = field(default_factory=dict)  # by sender
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)  # by sender
    letters: dict[str, list[EmailMessage]] = field(default_factory=dict)  # by recipient

    @property
    def accepted(self) -> dict[str, dict[str, Any]]:
        """The live accepted applications as mailbot itself reports them, by name."""
        return {
            a["fields"].get("imie_nazwisko") or "": a
            for a in self.apps.values()
            if a["status"] == "accepted" and not a.get("superseded")
        }

    def members(self, number: int) -> set[str]:
        key = self.spec.choice["key"]
        return {n for n, a in self.accepted.items() if number in (a["fields"][key] or [])}


def flat(text: Any) -> str:
    return " ".join(str(text).split())


def same(expected: Any, got: Any) -> bool:
    if isinstance(expected, str) and isinstance(got, str):
        return flat(expected) == flat(got)
    return bool(expected == got)


def found(patterns: tuple[str, ...], text: str) -> list[str]:
    return [m.group(0) for p in patterns for m in [re.search(p, text, flags=re.I)] if m]


def mailbot(config: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mailbot", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ),
    )


def rig_config(tmp: Path, dovecot: Any, user: str, smtp: Any, shipped: str) -> Path:
    """The example's config.toml as shipped, with the rig's [imap], [smtp] and [digest]."""
    path = tmp / "config.toml"
    path.write_text(
        shipped
        + f"""
[imap]
host = "{dovecot.host}"
port = {dovecot.port}
security = "starttls"
username = "{user}"
password_env = "{PASSWORD_ENV}"
ca_file = "{dovecot.cafile}"
timeout = 10

[smtp]
host = "{smtp.host}"
port = {smtp.port}
security = "none"
timeout = 10

[digest]
recipients = ["biuro.rady@kamiennawola.example.pl"]
""",
        encoding="utf-8",
    )
    return path


def one_choice_config(checks: Checks, shipped: str, sample: Path, tmp: Path) -> str:
    """The config saying "choose exactly one" when parsers/README.md documents how; else as is."""
    readme = (REPO / "parsers" / "README.md").read_text(encoding="utf-8")
    if not checks.check(
        "config: the README documents a way to say 'choose exactly one'",
        "max_choices" in readme,
        "parsers/README.md has no key for it (no max_choices): two ticked commissions "
        "cannot be refused by config",
    ):
        return shipped
    anchor = 'label_plural = "Komisje tematyczne"\n'
    extra = "max_choices = 1\n" + ("min_choices = 1\n" if "min_choices" in readme else "")
    text = shipped.replace(anchor, anchor + extra)
    (tmp / "probe").mkdir()
    (tmp / "probe" / "config.toml").write_text(text, encoding="utf-8")
    done = mailbot(tmp / "probe" / "config.toml", "extract", "--json", str(sample))
    ok = checks.check("config: max_choices = 1 is accepted", done.returncode == 0, done.stderr)
    return text if ok else shipped


# ------------------------------------------------------------------------ the checks


def check_extraction(run: Run, blank_docx: Path, filled_docx: Path) -> None:
    """The blank card yields nothing; the filled example yields what was typed; DOCX and PDF."""
    printed = make_form.print_to_pdf([blank_docx, filled_docx], run.tmp / "printed")
    for kind, blank, filled in (
        ("DOCX", blank_docx, filled_docx),
        ("printed PDF", printed[0], printed[1]),
    ):
        got = json.loads(mailbot(run.config, "extract", "--json", str(blank)).stdout)
        read = {k: v for k, v in got["fields"].items() if v not in (None, [], False)}
        run.checks.check(
            f"extract {kind}: the blank card reads as the form",
            got["readable"] is True,
            str(got.get("reason")),
        )
        run.checks.check(
            f"extract {kind}: nothing is read as a value from the blank card",
            not read,
            f"read: {read}",
        )
        got = json.loads(mailbot(run.config, "extract", "--json", str(filled)).stdout)
        run.checks.check(
            f"extract {kind}: the fields come in the card's order",
            list(got["fields"]) == run.spec.keys,
            str(list(got["fields"])),
        )
        for key in run.spec.keys:
            run.checks.check(
                f"extract {kind}: {key} as filled",
                same(APPLICANT[key], got["fields"].get(key)),
                f"expected {APPLICANT[key]!r}, read {got['fields'].get(key)!r}",
            )


def check_case(run: Run, case: Case) -> None:
    """One e-mail: disposition, status, problems, fields, and its one letter."""
    checks, spec, name = run.checks, run.spec, f"[{case.name}]"
    message = run.messages.get(case.address, {})
    checks.check(
        f"{name} disposition application",
        message.get("disposition") == "application",
        f"message {message}",
    )
    app = run.apps.get(case.address)
    if not checks.check(f"{name} stored as an application", app is not None, "none in export"):
        return
    assert app is not None
    problems = list(app["problems"])
    checks.check(
        f"{name} status {case.status}",
        app["status"] == case.status,
        f"status {app['status']!r}, problems {problems}",
    )
    if case.problems is not None:
        checks.check(
            f"{name} problems {sorted(case.problems)}",
            set(problems) == set(case.problems),
            f"problems {problems}",
        )
    elif case.problem_rule is not None:
        checks.check(
            f"{name} a problem code says what is wrong",
            case.problem_rule(problems),
            f"problems {problems}",
        )
    if case.values is not None:
        wrong = {
            k: (case.values.get(k), app["fields"].get(k))
            for k in spec.keys
            if not same(case.values.get(k), app["fields"].get(k))
            and not (case.values.get(k) in (None, False) and not app["fields"].get(k))
        }
        checks.check(
            f"{name} fields read as filled",
            not wrong,
            "; ".join(f"{k}: filled {e!r}, read {g!r}" for k, (e, g) in wrong.items()),
        )
    mine = run.letters.get(case.address, [])
    if not checks.check(f"{name} exactly one letter", len(mine) == 1, f"{len(mine)} letters"):
        return
    letter = mine[0]
    part = letter.get_body(preferencelist=("plain",))
    body = flat(part.get_content() if part is not None else "")
    subject = str(letter["Subject"])
    from_name = letter["From"].addresses[0].display_name
    short = spec.call["short_name"]
    checks.check(
        f"{name} letter: From name and subject name this call",
        short in from_name and subject.startswith(short),
        f"From {from_name!r}, Subject {subject!r}",
    )
    checks.check(
        f"{name} letter: names the call (Dotyczy) and is signed by the office",
        flat(spec.call["name"]) in body
        and spec.call["office"]["person"] in body
        and spec.call["office"]["unit"] in body,
        body[:300],
    )
    leaked = found(DKRES_WORDS + CODE_WORDS, body + " " + subject)
    checks.check(f"{name} letter: nothing of DKRES, no codes", not leaked, f"found {leaked}")
    checks.check(
        f"{name} letter: a confirmation only when accepted",
        ("potwierdzenie przyjęcia" in subject) == (case.status == "accepted"),
        f"Subject {subject!r}",
    )
    missing = [p for p in case.letter_has if flat(p) not in body]
    checks.check(
        f"{name} letter: says {list(case.letter_has)}",
        bool(body) and not missing,
        f"missing {missing}; body: {body[:400]}",
    )
    if case.values is not None and case.status in ("accepted", "incomplete"):
        absent = [
            spec.labels[k]
            for k in ("rok_urodzenia", "dzielnica", "komisja")
            if flat(spec.labels[k]) not in body
            and not (spec.plurals[k] and flat(spec.plurals[k]) in body)
        ]
        keys_shown = [k for k in spec.keys if "_" in k and k in body]
        checks.check(
            f"{name} letter: lists this card's labels, no keys",
            not absent and not keys_shown,
            f"labels missing {absent}, keys shown {keys_shown}",
        )
    if case.letter_lacks_before_data:
        request = re.split("dane odczytane", body, flags=re.I)[0]
        asked = [p for p in case.letter_lacks_before_data if p.lower() in request.lower()]
        checks.check(
            f"{name} letter: asks for nothing optional",
            not asked,
            f"mentions {asked}: {request[:300]}",
        )


def check_json_csv(run: Run) -> None:
    checks, spec = run.checks, run.spec
    checks.check(
        "export json: fields are this card's keys in its order",
        all(list(a["fields"]) == spec.keys for a in run.apps.values() if a.get("fields")),
        str([list(a["fields"]) for a in run.apps.values()][:1]),
    )
    done = mailbot(run.config, "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    header = list(rows[0]) if rows else []
    lacking = [c for c in spec.columns.values() if c not in header]
    checks.check(
        "export csv: a column per field, named by `column`",
        not lacking,
        f"missing {lacking}; header {header}",
    )
    by_ref = {r.get("reference"): r for r in rows}
    wrong = [
        (a["reference"], spec.columns[k], a["fields"][k], by_ref[a["reference"]][spec.columns[k]])
        for a in run.apps.values()
        if a["fields"] and a["reference"] in by_ref
        for k in ("imie_nazwisko", "rok_urodzenia", "szkola", "dzielnica", "email")
        if (by_ref[a["reference"]].get(spec.columns[k]) or None) != a["fields"][k]
    ]
    checks.check("export csv: values agree with json", not wrong, str(wrong[:3]))


def check_digest(run: Run) -> None:
    checks, spec = run.checks, run.spec
    done = mailbot(run.config, "digest")
    checks.check("digest: exit code 0", done.returncode == 0, done.stderr[-300:])
    text, body = done.stdout, flat(done.stdout)
    checks.check(
        "digest: names this call",
        spec.call["short_name"] in body or flat(spec.call["name"]) in body,
        body[:300],
    )
    leaked = found(DKRES_WORDS, body)
    checks.check("digest: nothing of DKRES (Podmiot, grupy robocze)", not leaked, str(leaked))
    codes = found(CODE_WORDS, body)
    checks.check("digest: problems in Polish, no codes or English", not codes, str(codes))
    keys_shown = sorted({k for k in spec.keys if "_" in k and k in text})
    checks.check("digest: fields named by label, never by key", not keys_shown, str(keys_shown))
    named = {
        spec.labels[k]
        for a in run.apps.values()
        for p in a["problems"]
        for k in [p.removeprefix("missing_").removeprefix("invalid_")]
        if k in spec.labels
    }
    absent = sorted(n for n in named if flat(n) not in body)
    checks.check("digest: the problems' fields named by their labels", not absent, str(absent))
    group_lines = re.findall(r"^\s*Grup[ay]\s*:.*$", text, flags=re.M)
    checks.check(
        "digest: the commissions named by the card's label, not 'Grupy:'",
        not group_lines and (spec.choice["label"] in body or spec.choice["label_plural"] in body),
        f"lines {group_lines[:2]}",
    )
    people = run.accepted
    checks.check(
        "digest: lists the accepted applicants",
        all(n in body for n in people),
        f"absent {[n for n in people if n not in body]}",
    )
    # each commission's block starts at a line holding its name alone ("3. Ekologia …")
    starts = sorted(
        (m.start(), number)
        for number, name in spec.groups.items()
        for m in [re.search(rf"^[ \t]*(?:\d+\.\s*)?{re.escape(name)}\s*:?\s*$", text, re.M)]
        if m
    )
    before = text[: starts[0][0]] if starts else text
    stated = [
        int(a or b) for a, b in re.findall(r"(\d+)\s+przyjęt|przyjęt\w*\W{0,3}(\d+)", before, re.I)
    ]
    checks.check(
        "digest: the total of accepted applications agrees with the list",
        len(people) in stated,
        f"stated {stated}, accepted {len(people)}",
    )
    for index, (pos, number) in enumerate(starts):
        name = spec.groups[number]
        stop = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        block = text[pos:stop].split("=" * 10)[0]
        said = re.search(r"przyjęt\w*\W{0,3}(\d+)|(\d+)\s+przyjęt", block, flags=re.I)
        count = int(said.group(1) or said.group(2)) if said else None
        listed = {n for n in people if n in block}
        members = run.members(number)
        checks.check(
            f"digest: '{name}': accepted count = accepted listed = accepted applications",
            count == len(members) and listed == members,
            f"says {count}, lists {sorted(listed)}, accepted {sorted(members)}",
        )
    checks.check(
        "digest: a section for every commission",
        len(starts) == len(spec.groups),
        f"found {[spec.groups[n] for _, n in starts]}",
    )


def check_xlsx(run: Run) -> None:
    import openpyxl

    checks, spec, people = run.checks, run.spec, run.accepted
    out = run.tmp / "lista.xlsx"
    done = mailbot(run.config, "export", "--format", "xlsx", "--output", str(out))
    if not checks.check("export xlsx: exit code 0", done.returncode == 0, done.stderr[-300:]):
        return
    book = openpyxl.load_workbook(out, read_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    texts = {
        t: flat(" ".join(str(c) for r in rows for c in r if c is not None))
        for t, rows in sheets.items()
    }
    everything = " ".join(texts.values())
    leaked = found(DKRES_WORDS + CODE_WORDS, everything)
    checks.check("export xlsx: no DKRES titles (Grupa robocza, Podmiot)", not leaked, str(leaked))
    grupa = [t for t in sheets if re.search(r"\bGrup", t)]
    checks.check("export xlsx: sheet names of this call (no 'Grupa N')", not grupa, str(grupa))
    name_col = spec.columns["imie_nazwisko"]
    want = [spec.columns[k] for k in ("imie_nazwisko", "rok_urodzenia", "szkola", "dzielnica")]
    for title, rows in sheets.items():
        at = next((i for i, r in enumerate(rows) if name_col in map(str, r)), None)
        header = [str(c or "") for c in rows[at]] if at is not None else []
        checks.check(
            f"export xlsx [{title}]: a header with this card's columns",
            all(c in header for c in want),
            f"header {header or rows[:2]}",
        )
        if at is not None:
            filled = [r for r in rows[at + 1 :] if any(c not in (None, "") for c in r)]
            empty = [r for r in filled if r[header.index(name_col)] in (None, "")]
            checks.check(
                f"export xlsx [{title}]: no empty name cells",
                not empty,
                f"{len(empty)} of {len(filled)} rows",
            )
    for number, name in spec.groups.items():
        holders = [t for t, s in texts.items() if name in s]
        absent = sorted(m for m in run.members(number) if not any(m in texts[t] for t in holders))
        checks.check(
            f"export xlsx: a sheet for '{name}' listing its accepted",
            bool(holders) and not absent,
            f"sheets {holders}, absent {absent}",
        )
    absent = [n for n in people if n not in everything]
    checks.check("export xlsx: every accepted applicant by name", not absent, f"absent {absent}")


def check_docx(run: Run) -> None:
    import docx

    checks, spec, people = run.checks, run.spec, run.accepted
    out = run.tmp / "lista.docx"
    done = mailbot(run.config, "export", "--format", "docx", "--output", str(out))
    if not checks.check("export docx: exit code 0", done.returncode == 0, done.stderr[-300:]):
        return
    document = docx.Document(str(out))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    everything = flat(" ".join(paragraphs + [c for t in tables for r in t for c in r]))
    leaked = found(DKRES_WORDS + CODE_WORDS, everything)
    checks.check(
        "export docx: no DKRES titles (Komitet, Skład grup roboczych)",
        not leaked,
        f"found {leaked}; first lines {paragraphs[:3]}",
    )
    name_col = spec.columns["imie_nazwisko"]
    want = [spec.columns[k] for k in ("imie_nazwisko", "rok_urodzenia", "szkola", "dzielnica")]
    headed = [t for t in tables if t and name_col in t[0]]
    checks.check(
        "export docx: tables headed with this card's columns",
        bool(headed) and all(all(c in t[0] for c in want) for t in headed),
        f"headers {[t[0] for t in tables if t][:2]}",
    )
    empty = [r for t in headed for r in t[1:] if not r[t[0].index(name_col)].strip()]
    checks.check("export docx: no empty name cells", not empty, f"{len(empty)} empty")
    absent = [n for n in people if n not in everything]
    checks.check("export docx: every accepted applicant by name", not absent, f"absent {absent}")
    for number, name in spec.groups.items():
        nobody = re.search(re.escape(name) + r"\s*\(brak", everything)
        checks.check(
            f"export docx: '{name}' titled, and not '(brak …)' when it has accepted people",
            name in everything and not (run.members(number) and nobody),
            f"title present: {name in everything}, accepted {sorted(run.members(number))}",
        )


# ------------------------------------------------------------------------ the run


def test_youth_council_call_end_to_end(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    if shutil.which("soffice") is None:
        message = "soffice not found: apt-get install libreoffice-writer-nogui"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    checks = Checks()
    shipped = (EXAMPLE / "config.toml").read_text(encoding="utf-8")
    blank_docx, filled_docx = tmp_path / "karta-zgloszenia.docx", tmp_path / "wypelniona.docx"
    blank_docx.write_bytes(make_form.build_form())
    filled_docx.write_bytes(make_form.build_form(APPLICANT))

    done = mailbot(EXAMPLE / "config.toml", "extract", "--json", str(filled_docx))
    checks.check(
        "config: the example's config.toml is accepted as written",
        done.returncode == 0,
        done.stderr.strip()[-300:],
    )
    shipped = one_choice_config(checks, shipped, filled_docx, tmp_path)
    config = rig_config(tmp_path, dovecot, imap_user, smtp_sink, shipped)
    run = Run(checks, Call(shipped), config, tmp_path)
    checks.section("extract", lambda: check_extraction(run, blank_docx, filled_docx))

    # the mail, delivered through Dovecot, then one `mailbot poll`
    attachments = build_attachments(tmp_path)
    for case in CASES:
        dovecot.append(
            imap_user, email_of(case, attachments.get(case.name)), internaldate=case.received
        )
    polled = mailbot(config, "poll")
    checks.check("poll: exit code 0", polled.returncode == 0, polled.stderr.strip()[-300:])
    try:
        received = smtp_sink.wait_for(len(CASES), timeout=30)
    except AssertionError as exc:
        received = list(smtp_sink.messages)
        checks.check("letters: one to every applicant", False, str(exc)[:300])
    (tmp_path / "letters").mkdir()  # kept for a person reading the run afterwards
    for number, item in enumerate(received, start=1):
        (tmp_path / "letters" / f"{number:02d}.eml").write_bytes(item.data)
        for rcpt in item.rcpt_tos:
            run.letters.setdefault(rcpt, []).append(item.message)
    checks.check(
        "letters: none to anyone else",
        set(run.letters) <= {c.address for c in CASES},
        str(sorted(set(run.letters) - {c.address for c in CASES})),
    )

    exported = mailbot(config, "export", "--format", "json")
    checks.check("export json: exit code 0", exported.returncode == 0, exported.stderr[-300:])
    data = json.loads(exported.stdout or "{}")
    run.apps = {a["sender"]: a for a in data.get("applications", [])}
    run.messages = {m["sender"]: m for m in data.get("messages", [])}

    for case in CASES:
        checks.section(f"[{case.name}]", lambda case=case: check_case(run, case))
    checks.section("export json/csv", lambda: check_json_csv(run))
    checks.section("digest", lambda: check_digest(run))
    checks.section("export xlsx", lambda: check_xlsx(run))
    checks.section("export docx", lambda: check_docx(run))

    table = checks.table()
    print("\n" + table)
    (tmp_path / "checks.txt").write_text(table, encoding="utf-8")
    failed = [f"{name}: {detail[:200]}" for name, ok, detail in checks.rows if not ok]
    assert not failed, f"{len(failed)} of {len(checks.rows)} checks failed:\n" + "\n".join(failed)
