"""The coordinator's library: users, decisions, corrections, answers, the attention queue,
stored files, exports and the resolution list, on the demo's real pipeline data."""

from __future__ import annotations

import csv
import email
import email.policy
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from web.workspace_data import add_message, demo_copy, open_store

from mailbot.cli import cli
from mailbot.errors import UserError
from mailbot.ops import answers, reclassify, review, teach
from mailbot.ops.export import export_csv, export_json
from mailbot.ops.resolution import resolution_docx, resolution_lists, resolution_xlsx
from mailbot.ops.users import add_user, authenticate, list_users, remove_user

SCAN = "DKRES-2024-0004"  # the scanned form (needs_review)
ANNA = "DKRES-2024-0001"  # accepted
LATE = "DKRES-2024-0006"


@pytest.fixture
def config(tmp_path):
    return demo_copy(tmp_path)


@pytest.fixture
def store(config):
    s = open_store(config)
    yield s
    s.close()


def queued(store):
    return list(store.db.query("SELECT * FROM replies WHERE state = 'queued' ORDER BY id"))


def test_users_argon2_roles_and_removal(store):
    add_user(store, "Koordynatorka", "dobre-haslo-123", "coordinator", actor="cli:root")
    row = store.db.execute("SELECT password_hash FROM users").fetchone()
    assert row[0].startswith("$argon2") and "dobre-haslo" not in row[0]
    assert authenticate(store, "koordynatorka", "dobre-haslo-123").can_change
    assert authenticate(store, "koordynatorka", "zle-haslo-1234") is None
    assert authenticate(store, "nikt", "dobre-haslo-123") is None
    add_user(store, "podglad", "inne-haslo-456", "viewer")
    assert not authenticate(store, "podglad", "inne-haslo-456").can_change
    with pytest.raises(UserError):
        add_user(store, "krotkie", "abc")
    with pytest.raises(UserError):
        add_user(store, "podglad", "inne-haslo-456")
    remove_user(store, "podglad", actor="cli:root")
    assert [u.login for u in list_users(store)] == ["koordynatorka"]
    kinds = [
        r[0]
        for r in store.db.execute(
            "SELECT kind || ' ' || actor FROM events WHERE kind LIKE 'user_%'"
        )
    ]
    assert (
        kinds == ["user_added cli:root", "user_added None", "user_removed cli:root"]
        or kinds[0] == "user_added cli:root"
    )


def test_correction_is_a_layer_machine_values_kept(store):
    made = review.correct(
        store,
        SCAN,
        {"full_name": "Tomasz Lewandowski", "groups": "4, 5", "consents_gdpr": "tak"},
        actor="anna",
    )
    assert {c.field for c in made} == {"full_name", "groups", "consents_gdpr"}
    row = review.application_row(store, SCAN)
    assert review.machine_fields(row)["full_name"] is None
    assert review.effective_fields(row)["groups"] == [4, 5]
    history = review.corrections(store, row["id"])
    assert [(c.field, c.old, c.new, c.by) for c in history][1] == ("groups", [], [4, 5], "anna")
    # the same value again is no correction
    assert review.correct(store, SCAN, {"groups": "5,4"}, actor="anna") == []
    with pytest.raises(review.ReviewError):
        review.correct(store, SCAN, {"groups": "czwarta"}, actor="anna")
    with pytest.raises(review.ReviewError):
        review.correct(store, SCAN, {"nonsense": "x"}, actor="anna")
    event = store.db.execute(
        "SELECT detail, actor FROM events WHERE kind = 'correction'"
    ).fetchone()
    assert event == (f"{SCAN} full_name, groups, consents_gdpr", "anna")


def test_decision_recorded_with_who_and_when_and_the_notice_threaded(config, store):
    before = len(queued(store))
    result = review.decide(config, store, SCAN, "accepted", actor="anna", notify=True)
    assert (result.old_status, result.status) == ("needs_review", "accepted")
    row = review.application_row(store, SCAN)
    assert row["decided_by"] == "anna" and row["decided_at"]
    assert row["machine_status"] == "needs_review"
    replies = queued(store)
    assert len(replies) == before + 1
    notice = replies[-1]
    assert notice["template"] == "review_accepted" and notice["application_pk"] == row["id"]
    msg = email.message_from_bytes(notice["raw"], policy=email.policy.default)
    original = store.db.execute(
        "SELECT message_id FROM messages WHERE id = ?", [row["message_pk"]]
    ).fetchone()[0]
    assert msg["In-Reply-To"].strip() == original and original in msg["References"]
    assert "zostało przyjęte" in msg.get_body(("plain",)).get_content()
    assert msg["To"] == "dyrektor@zaz-bystrzyca.example.pl"
    event = store.db.execute("SELECT detail, actor FROM events WHERE kind = 'decision'").fetchone()
    assert event == (f"{SCAN} needs_review -> accepted", "anna")


def test_incomplete_needs_problems_rejected_needs_a_reason(config, store):
    with pytest.raises(review.ReviewError):
        review.decide(config, store, ANNA, "incomplete", actor="anna")
    with pytest.raises(review.ReviewError):
        review.decide(config, store, ANNA, "rejected", actor="anna")
    with pytest.raises(review.ReviewError):
        review.decide(config, store, ANNA, "maybe", actor="anna")
    review.decide(
        config,
        store,
        ANNA,
        "incomplete",
        actor="anna",
        problems=["missing_phone"],
        note="Prosimy o czytelny podpis.",
    )
    row = review.application_row(store, ANNA)
    assert json.loads(row["problems"]) == ["missing_phone", "other"]
    letter = review.notice(
        config, store, ANNA, "incomplete", ["missing_phone"], "Prosimy o czytelny podpis."
    )
    assert "Telefon kontaktowy" in letter.body and "czytelny podpis" in letter.body
    assert "missing_phone" not in letter.body


def test_answer_is_queued_threaded_and_clears_the_entry(config, store):
    pk = add_message(
        store,
        "correspondence",
        sender="Anna <a.kowalska@cis-olawa.example.pl>",
        subject="Pytanie o termin",
        body="Czy mogę dosłać podpis?\nAnna",
    )
    items = review.attention(config, store)
    entry = next(i for i in items if i.item == f"message:{pk}")
    assert entry.kind == "correspondence" and entry.lines[0] == "Czy mogę dosłać podpis?"
    reply_id = answers.answer(config, store, pk, "Tak, do 24 maja.", actor="anna")
    raw = store.db.execute("SELECT raw, state FROM replies WHERE id = ?", [reply_id]).fetchone()
    assert raw[1] == "queued"
    msg = email.message_from_bytes(raw[0], policy=email.policy.default)
    assert msg["Subject"] == "Re: Pytanie o termin"
    assert msg["References"].split() == ["<earlier@example.pl>", msg["In-Reply-To"].strip()]
    assert all(i.item != f"message:{pk}" for i in review.attention(config, store))
    with pytest.raises(review.ReviewError):
        answers.answer(config, store, pk, "   ", actor="anna")


def test_attention_queue_kinds_and_clearing(config, store):
    unrelated = add_message(
        store,
        "unrelated",
        sender="biuro@firma.example.com",
        subject="Faktura",
        body="W załączeniu faktura.",
    )
    outside = add_message(
        store,
        "unrelated",
        sender="biuro@firma.example.com",
        subject="Faktura 2",
        body="x",
        received_at="2024-06-20T10:00:00+00:00",
    )
    store.db.execute(
        "UPDATE replies SET state = 'failed', last_error = '550 no such user' "
        "WHERE id = (SELECT min(id) FROM replies)"
    )
    items = review.attention(config, store)
    kinds = {i.kind for i in items}
    assert {"needs_review", "late", "reply_failed"} <= kinds
    # mail judged unrelated is no queue item; the call's span of it is listed apart
    assert f"message:{unrelated}" not in {i.item for i in items}
    apart = {m.message_pk for m in teach.unrelated_in_window(config, store)}
    assert unrelated in apart and outside not in apart
    review.decide(config, store, SCAN, "accepted", actor="anna")
    review.mark_handled(
        store, next(i.item for i in items if i.kind == "reply_failed"), actor="anna"
    )
    # "to jest zgłoszenie": read again as an application, numbered, its letter queued
    done = reclassify.as_application(config, store, unrelated, actor="anna")
    assert done.disposition == "application" and done.reply_queued
    (disposition,) = store.db.execute(
        "SELECT disposition FROM messages WHERE id = ?", [unrelated]
    ).fetchone()
    assert disposition == "application"
    (reference,) = store.db.execute(
        "SELECT reference FROM applications WHERE message_pk = ?", [unrelated]
    ).fetchone()
    assert reference.startswith(config.call.reference_prefix)
    assert (
        store.db.execute(
            "SELECT count(*) FROM replies WHERE message_pk = ? AND state = 'queued'", [unrelated]
        ).fetchone()[0]
        == 1
    )
    left = {i.kind for i in review.attention(config, store)}
    assert not left & {"needs_review", "reply_failed"}
    assert unrelated not in {m.message_pk for m in teach.unrelated_in_window(config, store)}
    assert "late" in left
    with pytest.raises(review.ReviewError):
        review.mark_handled(store, "../../etc", actor="anna")


def test_stored_file_has_its_name_and_cannot_leave_the_store(store):
    f = review.form_file(store, SCAN)
    assert f.download_name == "skan_20240521.pdf" and f.inline
    assert f.path.read_bytes()[:5] == b"%PDF-"
    store.db.execute(
        "UPDATE attachments SET file = '../../../etc/passwd' WHERE id = ?", [f.attachment_pk]
    )
    with pytest.raises(review.ReviewError):
        review.stored_file(store, f.attachment_pk)


def test_json_export_has_reference_decision_corrections_and_form_path(config, store):
    review.correct(store, SCAN, {"full_name": "Tomasz Lewandowski", "groups": "4"}, actor="anna")
    review.decide(config, store, SCAN, "accepted", actor="anna")
    data = json.loads(export_json(store, config.call.timezone))
    app = next(a for a in data["applications"] if a["reference"] == SCAN)
    assert app["decided_by"] == "anna"
    decided = datetime.fromisoformat(app["decided_at"])
    assert decided.utcoffset() == decided.astimezone(config.call.timezone).utcoffset()
    assert abs(datetime.now(decided.tzinfo) - decided) < timedelta(minutes=5)
    assert app["fields"]["full_name"] == "Tomasz Lewandowski"
    assert app["machine_fields"]["full_name"] is None
    assert app["corrected_fields"] == ["full_name", "groups"]
    assert app["form_path"].startswith(str(config.storage.files))
    assert Path(app["form_path"]).read_bytes()[:5] == b"%PDF-"
    untouched = next(a for a in data["applications"] if a["reference"] == ANNA)
    assert untouched["decided_by"] is None and untouched["corrected_fields"] == []


def test_csv_for_polish_excel(config, store):
    review.correct(
        store, ANNA, {"phone": "+48 600 100 200", "position": "=HYPERLINK(1)"}, actor="anna"
    )
    text = export_csv(store, config.call.timezone, excel=True)
    assert text.startswith("\ufeffNumer zgłoszenia;Status;")
    assert text.split("\n", 1)[0].endswith("\r") and text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";"))
    header = rows[0]
    anna = next(r for r in rows if r[0] == ANNA)
    assert anna[header.index("Telefon kontaktowy")] == "+48 600 100 200"
    assert anna[header.index("Stanowisko / pełniona funkcja")] == "'=HYPERLINK(1)"
    assert anna[header.index("Status")].startswith("przyjęte")
    assert "Telefon kontaktowy" in anna[header.index("Poprawione przez pracownika")]
    plain = export_csv(store, config.call.timezone)
    assert plain.splitlines()[0].startswith("reference,status,")


def test_resolution_list_xlsx_and_docx(config, store):
    review.correct(
        store,
        SCAN,
        {"full_name": "Tomasz Lewandowski", "groups": "4, 5", "organisation": "ZAZ Bystrzyca"},
        actor="anna",
    )
    review.decide(config, store, SCAN, "accepted", actor="anna")
    lists = resolution_lists(store, config.call)
    assert [gl.number for gl in lists] == [g.number for g in config.call.groups] + [None]
    book = openpyxl.load_workbook(io.BytesIO(resolution_xlsx(lists, config.call)))
    assert book.sheetnames[-1] == "Wszyscy" and book.sheetnames[0] == "Grupa robocza nr 1"
    g4 = book["Grupa robocza nr 4"]
    # the call names its groups "Grupa robocza ds. …": the title does not say it twice
    assert g4["A1"].value == f"{config.call.groups[3].name} (nr 4)"
    assert g4["A1"].value.count("Grupa robocza") == 1
    assert [c.value for c in g4[2]] == [
        "Lp.",
        "Imię i nazwisko",
        "Nazwa reprezentowanego podmiotu / instytucji",
        "Rodzaj podmiotu",
        "Stanowisko / pełniona funkcja",
    ]
    names = [g4.cell(row=r, column=2).value for r in range(3, g4.max_row + 1)]
    assert names == ["Anna Kowalska", "Tomasz Lewandowski", "Grzegorz Zieliński"]
    assert g4.freeze_panes == "A3" and g4.auto_filter.ref
    everyone = book["Wszyscy"]
    assert everyone.max_row - 2 == 4  # Kowalska, Lewandowski, Nowak, Zieliński
    assert everyone.cell(row=2, column=6).value == "Grupy robocze"
    document = docx.Document(io.BytesIO(resolution_docx(lists, config.call)))
    texts = [p.text for p in document.paragraphs]
    assert "Skład grup roboczych" in texts
    assert len(document.tables) == len(config.call.groups) + 1
    table4 = document.tables[3]
    assert [c.text for c in table4.rows[0].cells][:2] == ["Lp.", "Imię i nazwisko"]
    assert table4.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    assert [r.cells[1].text for r in table4.rows[1:]] == names


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def test_cli_user_review_and_export(config, tmp_path):
    c = str(config.path)
    result = run(
        "--config", c, "user", "add", "koord", "--role", "viewer", stdin="haslo-z-pliku-1\n"
    )
    assert result.exit_code == 0, result.output
    assert "koord" in run("--config", c, "user", "list").output
    listed = json.loads(
        run("--config", c, "review", "list", "--status", "needs_review", "--json").output
    )
    assert [a["reference"] for a in listed] == [SCAN]
    assert {"reference", "decided_by", "corrected_fields", "form_path"} <= set(listed[0])
    result = run(
        "--config", c, "review", "correct", SCAN, "--set", "full_name=Tomasz L", "--set", "groups=4"
    )
    assert result.exit_code == 0 and "Tomasz L" in result.output
    result = run(
        "--config",
        c,
        "review",
        "decide",
        SCAN,
        "--status",
        "incomplete",
        "--problem",
        "missing_phone",
        "--notify",
    )
    assert result.exit_code == 0 and "notice queued" in result.output, result.output
    shown = json.loads(run("--config", c, "review", "show", SCAN, "--json").output)
    assert shown["status"] == "incomplete" and shown["decided_by"].startswith("cli")
    assert shown["corrections"][0]["field"] == "full_name"
    text = tmp_path / "odp.txt"
    text.write_text("Dzień dobry, dziękujemy.", encoding="utf-8")
    result = run("--config", c, "review", "answer", ANNA, "--text-file", str(text))
    assert result.exit_code == 0 and "queued" in result.output
    assert run("--config", c, "review", "decide", "NOPE-1", "--status", "accepted").exit_code == 65
    out = tmp_path / "lista.xlsx"
    assert run("--config", c, "export", "--format", "xlsx", "--output", str(out)).exit_code == 0
    assert out.stat().st_mode & 0o077 == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "Grupa robocza nr 1"
    out = tmp_path / "lista.docx"
    assert (
        run(
            "--config", c, "export", "--format", "docx", "--group", "4", "--output", str(out)
        ).exit_code
        == 0
    )
    assert len(docx.Document(str(out)).tables) == 1
    grouped = json.loads(run("--config", c, "export", "--group", "2").output)
    assert [a["reference"] for a in grouped["applications"]] == ["DKRES-2024-0003"]
    assert run("--config", c, "user", "remove", "koord").exit_code == 0
