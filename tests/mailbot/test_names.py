"""The names in mailbot.names are the values README.md documents (and the database holds)."""

from __future__ import annotations

import re
from pathlib import Path

from mailbot import names

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
_TICKED = re.compile(r"`([a-z_]+)`")


def _without_parentheses(text: str) -> str:
    while True:
        shorter = re.sub(r"\([^()]*\)", "", text)
        if shorter == text:
            return text
        text = shorter


def _after(marker: str, until: str) -> str:
    start = README.index(marker)
    return README[start + len(marker) : README.index(until, start)]


def documented_dispositions() -> list[str]:
    """The names each bullet of the README's disposition list opens with."""
    block = _after("**disposition** (exported as `messages[].disposition`):", "\nHow relevance")
    found: list[str] = []
    for bullet in _without_parentheses(block).split("\n- ")[1:]:
        found += _TICKED.findall(bullet.split(":", 1)[0])
    return found


def documented(marker: str) -> list[str]:
    """The ticked names of the clause that follows ``marker`` (asides in parentheses left out)."""
    paragraph = _without_parentheses(_after(marker, "\n\n"))
    return _TICKED.findall(re.split(r"[.;](?:\s|$)", paragraph, maxsplit=1)[0])


def test_the_readme_lists_are_read() -> None:
    # the readers below must find something for the comparisons to mean anything
    assert len(documented_dispositions()) >= 6
    assert len(documented("Every application gets one **status**:")) >= 6


def test_dispositions_are_the_documented_ones() -> None:
    assert [d.value for d in names.Disposition] == documented_dispositions()


def test_machine_statuses_are_the_documented_ones() -> None:
    assert [s.value for s in names.MACHINE_STATUSES] == documented(
        "Every application gets one **status**:"
    )


def test_decision_statuses_are_the_documented_ones() -> None:
    assert [s.value for s in names.DECISION_STATUSES] == documented(
        "A person may decide an application"
    )


def test_the_withdrawal_status_is_the_documented_one() -> None:
    assert [names.WITHDRAWAL_STATUS.value] == documented("A person may also mark an application")


def test_every_application_status_is_a_machine_a_decision_or_the_withdrawal_status() -> None:
    assert set(names.ApplicationStatus) == set(names.MACHINE_STATUSES) | set(
        names.DECISION_STATUSES
    ) | {names.WITHDRAWAL_STATUS}


def test_every_status_reads_in_polish() -> None:
    from mailbot.ops.overview import ORDER
    from mailbot.pipeline.texts import STATUS_LABELS

    assert set(STATUS_LABELS) == set(names.ApplicationStatus) == set(ORDER)
    assert STATUS_LABELS["withdrawn"].startswith("wycofane")


def test_reply_states_are_the_documented_ones() -> None:
    assert [s.value for s in names.ReplyState] == documented("Every reply has a **state**:")
    assert set(names.UNSENT) == {"queued", "sending"}


def test_supersede_notes_are_the_documented_ones() -> None:
    for note in names.SupersedeNote:
        assert f"marked `{note}`" in README


def test_names_are_the_stored_strings() -> None:
    assert names.ReplyState.SENT == "sent"
    assert f"{names.SentCopy.NOT_SAVED}" == "not_saved"
    assert str(names.Disposition.APPLICATION) == "application"


def test_meta_keys_keep_their_spelling() -> None:
    assert names.last_uid_key("d.butryn/INBOX") == "imap:d.butryn/INBOX:last_uid"
    assert names.uidvalidity_key("d.butryn/INBOX") == "imap:d.butryn/INBOX:uidvalidity"
    assert names.REFERENCE_COUNTER_KEY == "reference_counter"
    assert names.LAST_POLL_KEY == "last_poll_ok"


def test_the_pipeline_types_hold_the_same_values_as_the_names() -> None:
    """models keeps Literal types for the type checker; their values are the names'."""
    from mailbot import models

    assert list(models.DISPOSITIONS) == [d.value for d in names.Disposition]
    assert list(models.STATUSES) == [s.value for s in names.MACHINE_STATUSES]
