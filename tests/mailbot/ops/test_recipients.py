"""The library under the workspace's new actions: who a letter goes to and how it greets,
the event log said in Polish, the list of messages searched folded, saved answers' titles."""

from __future__ import annotations

import json

import pytest
from letters import dkres_config

from mailbot.ops.answers import saved_answers
from mailbot.ops.recipients import PLURAL, application_recipients, choose_recipient
from mailbot.storage import mail_list
from mailbot.storage.applications import Application
from mailbot.storage.store import Store
from mailbot.web.events import event_detail


@pytest.fixture(scope="module")
def config():
    return dkres_config()


def row(sender: str | None, email: str | None, name: str = "Maria Nowicka", **extra) -> Application:
    return Application.from_row(
        {
            "id": 8,
            "reference": "DKRES-2024-0008",
            "message_pk": 8,
            "status": "accepted",
            "received_at": "2024-05-14T10:00:00+00:00",
            "sender": sender,
            "fields": json.dumps({"full_name": name, "email": email}),
            "corrected": extra.pop("corrected", None),
            **extra,
        }
    )


def test_the_form_address_and_the_sender_are_two_recipients_when_they_differ(config):
    form, sender = application_recipients(
        config, row("sekretariat@dops.wroc.pl", "m.nowicka@example.pl")
    )
    assert (form.key, form.address, form.salutation) == (
        "form",
        "m.nowicka@example.pl",
        "Szanowna Pani,",
    )
    assert form.applicant and not form.sender
    assert (sender.key, sender.salutation, sender.applicant, sender.sender) == (
        "sender",
        PLURAL,
        False,
        True,
    )
    assert (
        choose_recipient(config, row("sekretariat@dops.wroc.pl", "m.nowicka@example.pl"), None)
        == form
    )


def test_one_recipient_when_the_applicant_wrote_herself(config):
    (only,) = application_recipients(config, row("M.Nowicka@example.pl", "m.nowicka@example.pl"))
    assert only.key == "form" and only.sender and only.salutation == "Szanowna Pani,"


def test_a_corrected_address_counts_and_an_unusable_one_does_not(config):
    corrected = row(
        "sekretariat@dops.wroc.pl",
        "jolanta.pawlak@@ces",
        corrected=json.dumps({"email": "j.pawlak@ces.example.pl"}),
    )
    assert application_recipients(config, corrected)[0].address == "j.pawlak@ces.example.pl"
    (only,) = application_recipients(config, row("sekretariat@dops.wroc.pl", "jolanta.pawlak@@ces"))
    assert only.key == "sender" and only.salutation == PLURAL  # a colleague: not the applicant
    (herself,) = application_recipients(config, row("m.nowicka@example.pl", None))
    assert herself.salutation == "Szanowna Pani," and herself.applicant


def test_a_recipient_that_is_not_there_is_refused_with_a_code(config):
    from mailbot.errors import ActionRefused

    with pytest.raises(ActionRefused) as refused:
        choose_recipient(config, row("m.nowicka@example.pl", None), "form")
    assert refused.value.code == "unknown_recipient"
    with pytest.raises(ActionRefused) as refused:
        choose_recipient(config, row(None, None), None)
    assert refused.value.code == "no_recipient"


@pytest.mark.parametrize(
    ("kind", "detail", "said"),
    [
        (
            "decision",
            "DKRES-2024-0006 late -> accepted",
            "DKRES-2024-0006: po terminie → przyjęte – decyzja pracownika",
        ),
        (
            "decision",
            "is_application (unrelated)",
            "uznano za zgłoszenie (wcześniej: niezwiązana z naborem)",
        ),
        ("handled", "message:12 done", "wiadomość nr 12: oznaczone jako załatwione"),
        ("answer_queued", "reply 9", "odpowiedź w kolejce do wysłania"),
        ("note", "DKRES-2024-0001 nr 3", "DKRES-2024-0001: dodano notatkę"),
        (
            "reprocessed",
            "unrelated -> application DKRES-2024-0008 no_form (reply queued)",
            "niezwiązana z naborem → zgłoszenie DKRES-2024-0008 bez formularza "
            "(odpowiedź w kolejce do wysłania)",
        ),
    ],
)
def test_events_are_said_in_polish(kind, detail, said):
    assert event_detail({"kind": kind, "detail": detail}) == said


def test_the_messages_are_searched_folded(tmp_path):
    with Store(tmp_path / "m.db", tmp_path / "files") as store:
        for n, (sender, subject) in enumerate(
            [("l.swiatek@lodz.example.pl", "Zaproszenie – Łódź"), ("a@b.pl", "Faktura")]
        ):
            store.insert(
                "messages",
                {
                    "message_id": f"<m{n}@x>",
                    "sha256": str(n) * 64,
                    "disposition": "unrelated",
                    "received_at": f"2024-05-1{n}T10:00:00+00:00",
                    "sender": sender,
                    "subject": subject,
                },
            )
        found = mail_list.message_page(store, mail_list.MessageFilter(text="lodz"))
        assert [m.subject for m in found] == ["Zaproszenie – Łódź"]
        assert mail_list.count_messages(store, mail_list.MessageFilter(sender="swiatek")) == 1
        assert mail_list.count_messages(store, mail_list.MessageFilter(text="%")) == 0
        newest_first = mail_list.message_page(store, mail_list.MessageFilter())
        assert [m.subject for m in newest_first] == ["Faktura", "Zaproszenie – Łódź"]


def test_the_built_in_saved_answers_have_polish_titles(config):
    titles = {a.name: a.title for a in saved_answers(config)}
    assert titles == {
        "formularz": "Podpis, skan, format pliku",
        "potwierdzenie": "Potwierdzenie, że zgłoszenie dotarło",
        "termin": "Termin i sposób zgłoszenia",
    }
