"""The compose stage: numbers and letters made before the write transaction, from reads only.

Messages are real e-mails with filled DOCX forms, classified and judged by the real stages,
against a real SQLite store in a temporary folder."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mailbot.config import Config
from mailbot.errors import StorageError
from mailbot.models import RawMessage
from mailbot.ops.samples import Applicant, email_with, filled_docx
from mailbot.pipeline.classify import classify
from mailbot.pipeline.compose import compose
from mailbot.pipeline.context import Context
from mailbot.pipeline.record import record_judged
from mailbot.pipeline.stages import judge
from mailbot.storage import messages as sql
from mailbot.storage.store import Store
from tests.letters import dkres_config

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RECEIVED = datetime(2024, 5, 14, 8, 30, tzinfo=UTC)
ANNA = Applicant()
JAN = Applicant(full_name="Jan Nowak", email="j.nowak@cis-olawa.example.pl")


def _ctx(tmp_path: Path, config: Config) -> Context:
    store = Store(tmp_path / "db.sqlite", tmp_path / "files")
    return Context(
        call=config.call, form=config.form, limits=config.limits, store=store, now=lambda: RECEIVED
    )


def _judged(  # type: ignore[no-untyped-def]
    ctx: Context,
    *people: Applicant,
    uid: int = 1,
    sender: str = "Sekretariat CIS <sekretariat@cis-olawa.example.pl>",
):
    raw = email_with(
        sender,
        "Zgłoszenia do grup roboczych",
        "Dzień dobry, w załączeniu formularze zgłoszeniowe.",
        to=ctx.call.address,
        date=RECEIVED,
        attachments=tuple(
            (f"formularz-{i}.docx", filled_docx(p), DOCX) for i, p in enumerate(people)
        ),
    )
    message = RawMessage(raw=raw, origin="file", mailbox=f"test-{uid}.eml")
    seen = classify(
        message,
        known_message_id=ctx.store.message_id_known,
        max_message_bytes=ctx.limits.max_message_bytes,
        now=RECEIVED,
    )
    return judge(seen, ctx)


def test_two_applications_of_one_message_get_consecutive_numbers_and_a_letter_each(
    tmp_path: Path,
) -> None:
    ctx = _ctx(tmp_path, dkres_config())
    judged = _judged(ctx, ANNA, JAN)
    composed = compose(judged, ctx)
    assert [letter.reference for letter in composed.letters] == [
        "DKRES-2024-0001",
        "DKRES-2024-0002",
    ]
    assert composed.replies == 2
    assert all(
        letter.reply and letter.reference in letter.reply.subject for letter in composed.letters
    )
    # compose only reads: nothing is numbered or queued until the record stage writes it
    assert sql.last_reference_number(ctx.store) == 0
    assert ctx.store.conn.execute("SELECT count(*) FROM replies").fetchone()[0] == 0
    outcome = record_judged(judged, composed, ctx)
    assert outcome.reply_queued
    assert sql.last_reference_number(ctx.store) == 2
    rows = ctx.store.conn.execute(
        "SELECT reference, reply_withheld FROM applications ORDER BY reference"
    ).fetchall()
    assert rows == [("DKRES-2024-0001", None), ("DKRES-2024-0002", None)]


def test_the_hourly_cap_counts_the_letters_composed_for_the_same_message(tmp_path: Path) -> None:
    config = dkres_config()
    config = replace(config, limits=replace(config.limits, replies_per_hour=1))
    ctx = _ctx(tmp_path, config)
    composed = compose(_judged(ctx, ANNA, JAN), ctx)
    first, second = composed.letters
    assert first.reply is not None and first.withheld is None
    assert second.reply is None
    assert second.withheld == "osiągnięto limit 1 odpowiedzi na godzinę"


def test_numbers_held_already_are_kept_and_no_letter_is_composed_without_a_reply(
    tmp_path: Path,
) -> None:
    ctx = _ctx(tmp_path, dkres_config())
    judged = _judged(ctx, ANNA)
    key = judged.applications[0].applicant_key
    composed = compose(judged, ctx, references={key: "DKRES-2024-0042"}, allow_reply=False)
    assert [(letter.reference, letter.reply, letter.withheld) for letter in composed.letters] == [
        ("DKRES-2024-0042", None, None)
    ]
    assert composed.counter_after == composed.counter_read == 0


def test_a_counter_moved_after_compose_stops_the_write_and_writes_nothing(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path, dkres_config())
    judged = _judged(ctx, ANNA)
    composed = compose(judged, ctx)
    with ctx.store.transaction():
        sql.set_last_reference_number(ctx.store, 5)  # another writer took numbers meanwhile
    with pytest.raises(StorageError, match="reference counter moved"):
        record_judged(judged, composed, ctx)
    assert ctx.store.conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 0
    assert ctx.store.conn.execute("SELECT count(*) FROM applications").fetchone()[0] == 0


def test_a_database_error_while_composing_stops_the_pass_rather_than_failing_the_message(
    tmp_path: Path,
) -> None:
    ctx = _ctx(tmp_path, dkres_config())
    judged = _judged(ctx, ANNA)
    ctx.store.conn.execute("DROP TABLE meta")  # the counter cannot be read
    with pytest.raises(StorageError, match="database read failed"):
        compose(judged, ctx)


def _greeting(letter) -> str:  # type: ignore[no-untyped-def]
    assert letter.reply is not None
    body = email.message_from_bytes(letter.reply.raw, policy=email.policy.default)
    text = body.get_content()  # type: ignore[attr-defined]
    return next(line for line in str(text).splitlines() if line.startswith("Szanown"))


def test_a_secretariat_passing_two_candidates_on_is_not_greeted_as_either_of_them(
    tmp_path: Path,
) -> None:
    ctx = _ctx(tmp_path, dkres_config())
    composed = compose(_judged(ctx, ANNA, JAN), ctx)
    assert [_greeting(letter) for letter in composed.letters] == ["Szanowni Państwo,"] * 2


@pytest.mark.parametrize(
    ("sender", "greeting"),
    [
        # another address under a name that is not the applicant's: someone passed it on
        ("Sekretariat CIS <sekretariat@cis-olawa.example.pl>", "Szanowni Państwo,"),
        ("Jan Kowalski <jan.kowalski@example.org>", "Szanowni Państwo,"),
        # the applicant from a private address: her name shows it is she
        (f"{ANNA.full_name} <prywatny@example.org>", "Szanowna Pani,"),
        # no display name: nothing shows someone else wrote
        ("prywatny@example.org", "Szanowna Pani,"),
        # the form's own address, whatever its display name
        (f"Biuro <{ANNA.email}>", "Szanowna Pani,"),
    ],
)
def test_one_application_greets_its_person_unless_the_sender_is_plainly_someone_else(
    tmp_path: Path, sender: str, greeting: str
) -> None:
    ctx = _ctx(tmp_path, dkres_config())
    (letter,) = compose(_judged(ctx, ANNA, sender=sender), ctx).letters
    assert _greeting(letter) == greeting
