"""Withdrawals: what a message asks (the rule), what mailbot proposes (never sets), what a
person's withdrawal changes — on the demo's real pipeline data and a real SQLite file."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from web.workspace_data import add_message, demo_copy, open_store

from mailbot.cli import cli
from mailbot.config import Group
from mailbot.errors import WithdrawalError
from mailbot.ops import review, withdrawals
from mailbot.ops.export import export_csv, export_json
from mailbot.ops.resolution import resolution_lists
from mailbot.pipeline.applicants import AppState, supersede
from mailbot.pipeline.withdrawals import read_withdrawal
from mailbot.web.errors import phrase

ANNA = "DKRES-2024-0001"  # accepted, group 4
PIOTR = "DKRES-2024-0003"  # accepted, groups 2 and 5
GRZEGORZ_OLD = "DKRES-2024-0002"  # superseded by his correction
ROBOT_MESSAGE = 6  # the out-of-office answer (ignored)
GROUPS = [
    Group(1, "Grupa robocza ds. rozwoju usług społecznych"),
    Group(3, "Grupa robocza ds. promocji i współpracy z biznesem"),
    Group(5, "Grupa robocza ds. przedsiębiorstw społecznych"),
]


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("Dzień dobry, z przyczyn osobistych wycofuję swoją kandydaturę.\nRenata Dudek", ()),
        ("Dzień dobry, niestety rezygnuję z udziału w naborze.", ()),
        ("REZYGNACJA", ()),
        ("Proszę o wycofanie mojego zgłoszenia z grup nr 1 i 3. Pozdrawiam", (1, 3)),
        ("Rezygnuję z grupy 3, zostaję w grupie 1.", (3,)),
        ("Wycofuję się z udziału w grupie roboczej ds. promocji. Dziękuję.", (3,)),
    ],
)
def test_a_plain_withdrawal_is_read_with_its_groups(text, groups):
    found = read_withdrawal(text, GROUPS)
    assert found is not None and found.groups == groups


@pytest.mark.parametrize(
    "text",
    [
        "Czy mogę zrezygnować z grupy 3?",
        "Jeśli nie zostanę przyjęta do grupy 1, rezygnuję z naboru.",
        "Nie rezygnuję z udziału, przesyłam poprawiony formularz.",
        "Wycofuję się z obiadu o 13.",
        "Dziękuję za potwierdzenie.\n\nW dniu 14.05.2024 Nabór napisał:\n> rezygnuję z udziału",
        "Zastanawiam się, czy nie wycofać zgłoszenia.",
    ],
)
def test_a_question_a_condition_a_negation_or_quoted_text_is_not_a_withdrawal(text):
    assert read_withdrawal(text, GROUPS) is None


@pytest.fixture
def config(tmp_path):
    return demo_copy(tmp_path)


@pytest.fixture
def store(config):
    s = open_store(config)
    yield s
    s.close()


def letter_from(store, sender: str, body: str, subject: str = "Rezygnacja") -> int:
    """A correspondence message received after every application of the demo."""
    return add_message(
        store,
        "correspondence",
        sender=sender,
        subject=subject,
        body=body,
        received_at="2024-05-24T08:00:00+00:00",
    )


def test_a_clear_withdrawal_of_the_one_live_application_is_proposed_not_set(config, store):
    pk = letter_from(store, "a.kowalska@cis-olawa.example.pl", "Rezygnuję z udziału w naborze.")
    proposal = withdrawals.propose(config, store, pk)
    assert proposal is not None and proposal.reference == ANNA and proposal.whole
    assert "prośba o wycofanie zgłoszenia DKRES-2024-0001" in withdrawals.proposal_text(proposal)
    assert review.application_row(store, ANNA)["status"] == "accepted"  # nothing changed
    items = withdrawals.with_proposals(config, store, review.attention(config, store))
    entry = next(i for i in items if i.message_pk == pk)
    assert entry.withdrawal == ANNA and entry.reference == ANNA
    assert entry.detail.startswith("prośba o wycofanie zgłoszenia DKRES-2024-0001")


def test_a_partial_withdrawal_is_proposed_as_the_groups_to_leave(config, store):
    pk = letter_from(store, "p.nowak@boleslawiec.example.pl", "Rezygnuję z grupy nr 5.")
    proposal = withdrawals.propose(config, store, pk)
    assert proposal is not None
    assert (proposal.reference, proposal.groups, proposal.remaining) == (PIOTR, (5,), (2,))
    # every group left: the whole application
    pk = letter_from(store, "p.nowak@boleslawiec.example.pl", "Rezygnuję z grup 2 i 5.")
    proposal = withdrawals.propose(config, store, pk)
    assert proposal is not None and proposal.whole


@pytest.mark.parametrize(
    ("sender", "body"),
    [
        ("p.nowak@boleslawiec.example.pl", "Rezygnuję z grupy 3."),  # a group not applied for
        ("p.nowak@boleslawiec.example.pl", "Czy mogę zrezygnować?"),
        ("ktos@example.pl", "Rezygnuję z udziału w naborze."),  # no application
        ("mailer-daemon@example.pl", "Rezygnuję z udziału w naborze."),  # a robot
    ],
)
def test_nothing_is_proposed_when_it_is_not_plain(config, store, sender, body):
    assert withdrawals.propose(config, store, letter_from(store, sender, body)) is None


def test_withdrawing_takes_the_application_off_the_committees_list_and_keeps_it(config, store):
    pk = letter_from(store, "a.kowalska@cis-olawa.example.pl", "Wycofuję swoje zgłoszenie.")
    listed = {m.reference for m in resolution_lists(store, config.call)[-1].members}
    assert ANNA in listed
    result = withdrawals.withdraw(config, store, ANNA, pk, actor="koordynatorka")
    assert (result.old_status, result.status, result.whole) == ("accepted", "withdrawn", True)
    row = review.application_row(store, ANNA)
    assert row["status"] == "withdrawn" and row["withdrawal_message_pk"] == pk
    assert row["machine_status"] == "accepted" and row["decided_by"] == "koordynatorka"
    assert not row["superseded"]
    lists = resolution_lists(store, config.call)
    assert all(ANNA not in {m.reference for m in group.members} for group in lists)
    # the export keeps it, with the withdrawal message's Message-ID
    exported = {
        a["reference"]: a
        for a in json.loads(export_json(store, config.call.timezone))["applications"]
    }
    message_id = store.db.execute("SELECT message_id FROM messages WHERE id = ?", [pk]).fetchone()
    assert exported[ANNA]["status"] == "withdrawn"
    assert exported[ANNA]["withdrawal_message_id"] == message_id[0]
    excel = list(
        csv.reader(
            io.StringIO(export_csv(store, config.call.timezone, excel=True)[1:]), delimiter=";"
        )
    )
    assert any(ANNA in r and "wycofane (na prośbę osoby zgłaszającej)" in r for r in excel)
    # the message's entry is done, the application leaves the queue, the events say who
    assert review_store_handled(store, f"message:{pk}") == ("koordynatorka", "withdrawal")
    assert all(i.reference != ANNA for i in review.attention(config, store))
    events = store.db.execute(
        "SELECT kind, actor, message_pk FROM events WHERE kind = 'withdrawal'"
    ).fetchall()
    assert ("withdrawal", "koordynatorka", pk) in events and ("withdrawal", "koordynatorka", 1) in (
        events
    )
    # proposed no more; a second withdrawal is refused in Polish
    assert withdrawals.propose(config, store, pk) is None
    with pytest.raises(WithdrawalError) as err:
        withdrawals.withdraw(config, store, ANNA, pk, actor="koordynatorka")
    assert "wycofane" in phrase(err.value)
    # a person's later decision replaces the withdrawal
    review.decide(config, store, ANNA, "accepted", actor="koordynatorka")
    row = review.application_row(store, ANNA)
    assert row["status"] == "accepted" and row["withdrawal_message_pk"] is None


def review_store_handled(store, item):
    from mailbot.storage import review as review_store

    entry = review_store.handled_entry(store, item)
    return (entry.by, entry.how) if entry else None


def test_a_partial_withdrawal_corrects_the_groups(config, store):
    pk = letter_from(store, "p.nowak@boleslawiec.example.pl", "Rezygnuję z grupy 5.")
    result = withdrawals.withdraw(config, store, PIOTR, pk, actor="koordynatorka", groups=[5])
    assert (result.status, result.groups_before, result.groups_after) == ("accepted", (2, 5), (2,))
    row = review.application_row(store, PIOTR)
    assert row["status"] == "accepted" and review.effective_fields(row)["groups"] == [2]
    assert review.machine_fields(row)["groups"] == [2, 5]  # what the form said is kept
    fix = review.corrections(store, row["id"])[-1]
    assert (fix.field, fix.old, fix.new, fix.by) == ("groups", [2, 5], [2], "koordynatorka")
    by_group = {
        g.number: {m.reference for m in g.members}
        for g in resolution_lists(store, config.call)
        if g.number
    }
    assert PIOTR in by_group[2] and PIOTR not in by_group[5]


@pytest.mark.parametrize(
    ("ref", "message", "groups", "polish"),
    [
        (GRZEGORZ_OLD, None, (), "zastąpiło późniejsze"),
        (PIOTR, None, (3,), "nie wskazano grup(y) 3"),
        (PIOTR, ROBOT_MESSAGE, (), "automat"),
        ("DKRES-2024-9999", None, (), "Nie ma zgłoszenia"),
    ],
)
def test_what_cannot_be_withdrawn_is_refused_in_polish(config, store, ref, message, groups, polish):
    pk = message or letter_from(store, "p.nowak@boleslawiec.example.pl", "Rezygnuję.")
    with pytest.raises(WithdrawalError) as err:
        withdrawals.withdraw(config, store, ref, pk, actor="koordynatorka", groups=groups)
    assert polish in phrase(err.value)
    assert err.value.exit_code == 65


def test_a_withdrawn_application_keeps_its_place_until_the_person_applies_again():
    older, withdrawn = AppState(1, "2024-05-10", "accepted"), AppState(2, "2024-05-12", "withdrawn")
    marks = supersede([older, withdrawn])
    assert not marks[2].superseded and marks[1].superseded  # the older one never comes back
    again = AppState(3, "2024-05-20", "accepted")
    marks = supersede([older, withdrawn, again])
    assert not marks[3].superseded and marks[2].superseded


def test_the_command_line_proposes_and_withdraws(config, store):
    pk = letter_from(store, "p.nowak@boleslawiec.example.pl", "Rezygnuję z grupy 5.")
    base = ["--config", str(config.path), "review", "withdraw"]
    shown = CliRunner().invoke(cli, [*base, "--message", str(pk)])
    assert shown.exit_code == 0, shown.output
    assert f"mailbot review withdraw {PIOTR} --message {pk} --group 5" in shown.output
    done = CliRunner().invoke(cli, [*base, PIOTR, "--message", str(pk), "--group", "5"])
    assert done.exit_code == 0 and "groups 2,5 -> 2" in done.output
    refused = CliRunner().invoke(cli, [*base, GRZEGORZ_OLD, "--message", str(pk)])
    assert refused.exit_code == 65 and "not live" in refused.output
    nothing = CliRunner().invoke(cli, [*base, "--message", str(ROBOT_MESSAGE)])
    assert nothing.exit_code == 65


def test_the_digest_mentions_the_proposal(config, store):
    from mailbot.ops.digest import build_digest

    letter_from(store, "a.kowalska@cis-olawa.example.pl", "Niniejszym wycofuję moje zgłoszenie.")
    text = build_digest(config, store).text
    todo = text.split("DO ZROBIENIA")[1].split("STAN ZGŁOSZEŃ")[0]
    assert f"korespondencja (pytanie, wycofanie, podziękowanie) – {ANNA}" in todo
    assert f"prośba o wycofanie zgłoszenia {ANNA} – do potwierdzenia przez pracownika" in todo


def test_a_message_older_than_the_application_proposes_nothing(config, store):
    pk = add_message(
        store,
        "correspondence",
        sender="p.nowak@boleslawiec.example.pl",
        subject="Rezygnacja",
        body="Rezygnuję z udziału w naborze.",
        received_at="2024-05-16T08:00:00+00:00",  # his application came on 23 May
    )
    assert withdrawals.propose(config, store, pk) is None
