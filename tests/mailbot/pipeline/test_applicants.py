"""Who the applicant is, and the superseding policy over one applicant's applications."""

from __future__ import annotations

from mailbot.pipeline.applicants import AppState, Mark, applicant_key, supersede
from parsers import DEFAULT_FORM, FormSpec


def app(id_: int, day: int, status: str) -> AppState:
    return AppState(id_, f"2024-05-{day:02d}T10:00:00+00:00", status)


def live(marks: dict[int, Mark]) -> list[int]:
    return [i for i, m in marks.items() if not m.superseded]


def test_applicant_is_the_form_email_then_name_and_organisation_then_sender():
    assert (
        applicant_key({"email": " A.Kowalska@Example.pl "}, "sekretariat@x.pl", "h", DEFAULT_FORM)
        == "email:a.kowalska@example.pl"
    )
    assert (
        applicant_key(
            {"email": None, "full_name": "Anna  Kowalska", "organisation": "CIS Oława"},
            "s@x.pl",
            "h",
            DEFAULT_FORM,
        )
        == "person:anna kowalska|cis olawa"
    )
    assert applicant_key({}, "Sekretariat@X.pl", "h", DEFAULT_FORM) == "sender:sekretariat@x.pl"
    assert applicant_key({}, None, "h", DEFAULT_FORM) == "message:h"


#: another call's card: the name under its own key, an e-mail field of its own, no organisation
CARD = FormSpec.from_mapping(
    {
        "salutation_from": "imie_nazwisko",
        "fields": [
            {"key": "imie_nazwisko", "type": "text", "labels": ["Imię i nazwisko"]},
            {"key": "rok", "type": "text", "labels": ["Rok urodzenia"]},
            {"key": "adres_email", "type": "email", "labels": ["E-mail"]},
            {"key": "zgoda", "type": "statement", "labels": ["Wyrażam zgodę."]},
        ],
    }
)


def test_another_forms_applicant_is_its_email_field_then_its_name_field():
    assert (
        applicant_key({"adres_email": "Z.W@Poczta.pl", "email": "x@y.pl"}, "s@x.pl", "h", CARD)
        == "email:z.w@poczta.pl"
    )
    # no organisation field: the name alone, never another field in its place
    assert (
        applicant_key({"imie_nazwisko": "Zofia  Wiśniewska", "rok": "2009"}, "s@x.pl", "h", CARD)
        == "person:zofia wisniewska|"
    )
    assert applicant_key({"full_name": "Anna Kowalska"}, "s@x.pl", "h", CARD) == "sender:s@x.pl"


def test_latest_on_time_is_live():
    marks = supersede([app(1, 7, "incomplete"), app(2, 8, "accepted")])
    assert marks == {1: Mark(True), 2: Mark(False)}


def test_an_on_time_correction_replaces_an_accepted_one():
    marks = supersede([app(1, 7, "accepted"), app(2, 9, "incomplete")])
    assert live(marks) == [2]


def test_late_never_supersedes_on_time():
    marks = supersede([app(1, 20, "accepted"), app(2, 26, "late")])
    assert marks == {1: Mark(False), 2: Mark(True, "late_correction")}


def test_early_never_supersedes_on_time_and_on_time_supersedes_early():
    assert live(supersede([app(1, 3, "early"), app(2, 8, "accepted")])) == [2]


def test_late_only_applicant_keeps_the_latest_late_one_live():
    marks = supersede([app(1, 26, "late"), app(2, 27, "late")])
    assert marks == {1: Mark(True), 2: Mark(False)}


def test_needs_review_never_supersedes_a_machine_read_one():
    marks = supersede([app(1, 10, "accepted"), app(2, 12, "needs_review")])
    assert marks == {1: Mark(False), 2: Mark(True, "possible_correction")}


def test_machine_read_supersedes_an_earlier_scan():
    marks = supersede([app(1, 10, "needs_review"), app(2, 12, "incomplete")])
    assert marks == {1: Mark(True), 2: Mark(False)}


def test_only_scans_latest_is_live():
    assert live(supersede([app(1, 10, "needs_review"), app(2, 12, "needs_review")])) == [2]


def test_no_form_never_supersedes_a_form():
    marks = supersede([app(1, 10, "accepted"), app(2, 12, "no_form")])
    assert live(marks) == [1]
    assert live(supersede([app(1, 10, "no_form"), app(2, 11, "accepted")])) == [2]


def test_forgotten_attachment_then_late_form():
    assert live(supersede([app(1, 24, "no_form"), app(2, 26, "late")])) == [2]


def test_same_time_is_ordered_by_id_and_empty_is_empty():
    assert live(supersede([app(2, 10, "accepted"), app(1, 10, "accepted")])) == [2]
    assert supersede([]) == {}


def test_a_form_without_email_joins_the_same_persons_form_with_one():
    from mailbot.pipeline.applicants import person_joins, person_key

    anna = person_key({"full_name": "Anna Kowalska", "organisation": "CIS Oława"}, DEFAULT_FORM)
    assert anna == "person:anna kowalska|cis olawa"
    assert person_key({"full_name": " ", "organisation": "CIS"}, DEFAULT_FORM) is None
    joins = person_joins(
        {"email:a.k@cis.pl": anna, anna: anna, "email:p.n@gmina.pl": "person:piotr nowak|gmina"}
    )
    assert joins == {anna: "email:a.k@cis.pl", "person:piotr nowak|gmina": "email:p.n@gmina.pl"}
    # one name with two addresses: nobody can tell which, the form without one stays apart
    assert person_joins({"email:a@x.pl": anna, "email:b@y.pl": anna, anna: anna}) == {}


def test_an_address_shared_by_differently_named_people_is_split_by_name():
    from mailbot.pipeline.applicants import shared_address_groups

    sek = "email:sekretariat@mops.pl"
    assert shared_address_groups(
        [(sek, "iza nowicka"), (sek, "oliwia kaczmarek"), (sek, None), ("email:a@x.pl", "anna")]
    ) == [f"{sek}|iza nowicka", f"{sek}|oliwia kaczmarek", f"{sek}|", "email:a@x.pl"]
    # one person's forms at her address (a correction, DOCX + PDF, a form naming nobody)
    assert (
        shared_address_groups(
            [("email:a@x.pl", "anna"), ("email:a@x.pl", "anna"), ("email:a@x.pl", None)]
        )
        == ["email:a@x.pl"] * 3
    )
