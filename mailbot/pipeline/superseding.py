"""Superseding: which of a person's applications is the live one.

The applications of the persons a message touches are read from the store, the pure
:func:`~mailbot.pipeline.applicants.supersede` weighs each person's applications, and the
marks that change are written together (inside the caller's transaction). Called by the record
stage for a new message, by reprocessing, and by a person's decision that a message is not an
application (or no longer is not).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache

from mailbot import form_roles
from mailbot.pipeline.applicants import (
    AppState,
    name_in,
    person_joins,
    shared_address_groups,
    supersede,
)
from mailbot.storage import messages as sql
from mailbot.storage.messages import ApplicantRow
from mailbot.storage.store import Store, stored_object
from parsers import FormSpec


def resupersede(store: Store, keys: set[str], senders: set[str], spec: FormSpec) -> None:
    """Apply :func:`~mailbot.pipeline.applicants.supersede` to every applicant these keys touch.

    An application known only by its sender (no form read: a scan, no form) belongs to the
    applicant whose forms that sender sent, when the sender sent one person's forms only (a
    secretariat sending several candidates' forms is not one applicant). The rows are read
    first, each once, :func:`~mailbot.pipeline.applicants.supersede` (pure) weighs each
    person's applications, and the marks that change are written together at the end.

    What is read: every application of these keys and senders; every application of the
    persons their forms name; for the senders of those, which applicant each of their
    applications belongs to (one index read: which senders sent one person's forms, and which
    of their applications are known by the sender only — rows read again only when not held
    yet); who the first form of each applicant not read whole names; who else those persons
    are. The outcome depends on which rows are read, not on the order they come in.
    """
    rows = {r.id: r for r in sql.applications_of_applicants(store, keys, senders)}
    read = set(keys)  # every application of these applicant keys is in ``rows``
    form_keys = {
        r.applicant_key
        for r in rows.values()
        if not r.applicant_key.startswith(("sender:", "message:"))
    } - read
    _add(rows, sql.applications_of_applicants(store, form_keys) if form_keys else ())
    read |= form_keys
    all_senders = {r.sender_key for r in rows.values() if r.sender_key}
    sent = sql.sent_by(store, all_senders) if all_senders else []
    people = sql.people_of(sent)
    sender_only = [a.id for a in sent if a.sender_only and a.id not in rows]  # not held yet
    _add(rows, sql.applications_with_ids(store, sender_only) if sender_only else ())
    same_person = _same_person(store, rows, read)
    joined = {*same_person, *same_person.values()} - read
    _add(rows, sql.applications_of_applicants(store, joined) if joined else ())
    joins = {sender: next(iter(persons)) for sender, persons in people.items() if len(persons) == 1}
    name_key = form_roles.name_key(spec)
    entries: list[tuple[str, str | None]] = []
    for r in rows.values():
        key = r.applicant_key
        if key.startswith("sender:"):
            key = joins.get(str(r.sender_key), key)
        entries.append((same_person.get(key, key), _stored_name(r.fields, name_key)))
    groups: dict[str, list[AppState]] = {}
    for r, key in zip(rows.values(), shared_address_groups(entries), strict=True):
        groups.setdefault(key, []).append(AppState(r.id, r.received_at, r.status))
    changed = [
        (app_id, mark.superseded, mark.note)
        for apps in groups.values()
        for app_id, mark in supersede(apps).items()
        if (bool(rows[app_id].superseded), rows[app_id].supersede_note)
        != (mark.superseded, mark.note)
    ]
    if changed:
        sql.mark_superseded_all(store, changed)


def _add(rows: dict[int, ApplicantRow], found: Iterable[ApplicantRow]) -> None:
    for r in found:
        rows[r.id] = r


#: distinct stored forms whose applicant's name is remembered: each message re-weighs its
#: applicant's earlier applications, whose forms are then not parsed again
NAME_CACHE_SIZE = 4096


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _stored_name(fields: str | None, name_key: str | None) -> str | None:
    """:func:`~mailbot.pipeline.applicants.name_in` of a stored form (its JSON)."""
    return name_in(stored_object(fields), name_key)


def _same_person(
    store: Store, rows: Mapping[int, ApplicantRow], whole: Collection[str]
) -> dict[str, str]:
    """``person:`` key → the ``email:`` key of the same person's forms, for the persons these
    applications name (see :func:`~mailbot.pipeline.applicants.person_joins`). Every stored
    application has its ``person_key``: the record stage stores it, migration 11 computed it
    for those stored before. The applicants in ``whole`` have all their applications in
    ``rows``: their first one is there; the others' first is looked up."""
    keys = {r.applicant_key for r in rows.values()}
    first: dict[str, ApplicantRow] = {}
    for r in rows.values():
        if r.applicant_key in whole and (
            r.applicant_key not in first or r.id < first[r.applicant_key].id
        ):
            first[r.applicant_key] = r
    named = {key: r.person_key for key, r in first.items() if r.person_key}
    rest = keys - first.keys()
    if rest:
        named.update(sql.persons_of(store, rest))
    persons = set(named.values())
    return person_joins(sql.applicants_naming(store, persons)) if persons else {}
