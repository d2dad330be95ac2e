"""Every error the command line prints: one English line naming the fix, and its exit code.

The library says *why* (every :class:`~mailbot.errors.MailbotError` carries a ``code`` and
``params``); :data:`ENGLISH` is the one table of a refusal's code to its line, and
:func:`phrase` says an error with it. The errors of the configuration, the mail servers, the
database and the store carry the line that names the fix as they are raised (the key, the
server and what it said): their code maps to ``None`` here and their own line is printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mailbot.errors import ActionRefused, MailbotError

#: a refusal's code -> its English line (``{name}``: a parameter of the error); a code that
#: maps to ``None`` is printed as the error's own line
ENGLISH: Mapping[str, str | None] = {
    # refusals of a person's action
    "review": None,
    "no_application": "no application {ref}",
    "no_message": "no message {message_pk}",
    "unknown_entry": "unknown entry {item!r}",
    "not_handled": "{item} is not marked handled",
    "nothing_chosen": "no entry chosen",
    "no_page": "no page {page} of {reference}",
    "robot": "the message was sent by a robot: it is never an application or correspondence",
    "already_application": "the message is already application {reference}",
    "not_unrelated": "only a message judged unrelated is turned into correspondence",
    "decision_missing": "status must be one of: {choices}",
    "problems_missing": "incomplete: name the problems (--problem CODE) or write one (--note)",
    "reason_missing": "rejected: give the reason (--note)",
    "no_notice": "no notice for the decision {status!r}",
    "no_recipient": "the message has no sender address to write to",
    "unknown_recipient": "unknown recipient {recipient!r} (form or sender)",
    "answer_empty": "the answer is empty",
    "unknown_answer": "no saved answer {name!r}",
    "answer_broken": "the saved answer {name!r} cannot be rendered",
    "note_empty": "the note is empty",
    "note_too_long": "the note is longer than {limit} characters",
    "field_errors": "refused values: {errors}",
    "not_a_scan": "{reference}: the form is not a scan; nothing was read by OCR",
    "reading_in_progress": "{reference}: no OCR reading to confirm (still being read)",
    "reading_failed": "{reference}: no OCR reading to confirm (failed: {reason})",
    "reference_missing": "give REF, the application to withdraw",
    "groups_missing": "name the groups to leave (--group N)",
    "robot_withdrawal": "message {message_pk} was sent by a robot, not by a person",
    "not_live": "{reference} is not live (a later application replaced it)",
    "not_withdrawable": "{reference} is {status}: it cannot be withdrawn",
    "groups_not_named": "{reference} does not name group(s) {numbers}",
    "no_proposal": "message {message_pk}: no withdrawal to propose (not a plain withdrawal, "
    "or its sender has no single live application); give REF to withdraw one",
    "unknown_disposition": "disposition must be one of: {choices}",
    "days_reversed": "the last day is before the first",
    "login_invalid": "a login is 2–40 characters: lower-case letters, digits, . _ -",
    "password_short": "the password must have at least {minimum} characters",
    "unknown_role": "role must be one of: {choices}",
    "user_exists": "user {login} exists already (mailbot user passwd {login} sets a new password)",
    "no_user": "no user {login}",
    # failures that carry their own line naming the fix
    "failed": None,
    "config": None,
    "config_unknown_key": None,
    "locked": None,
    "storage": None,
    "mailbox": None,
    "login_refused": None,
    "security_mismatch": None,
    "connect_timeout": None,
    "certificate_not_trusted": None,
    "folder": None,
    "message_gone": None,
    "token": None,
    "transport": None,
    "transport_temporary": None,
    "transport_unavailable": None,
    "connection_lost": None,
    "transport_permanent": None,
    "listen": None,
    "source": None,
    "not_stored": None,
    "snapshot": None,
}


def phrase(exc: MailbotError) -> str:
    """The English line for an error: a refusal raised with its own line keeps it; otherwise
    its code's line with its parameters; a failure's own line."""
    if isinstance(exc, ActionRefused) and exc.own_line:
        return exc.message
    template = ENGLISH.get(exc.code)
    if template is None:
        return exc.message
    try:
        return template.format(**_params(exc.params))
    except (KeyError, IndexError, ValueError):
        return exc.message


def _params(params: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(params)
    choices = out.get("choices")
    if isinstance(choices, (list, tuple)):
        out["choices"] = ", ".join(str(c) for c in choices)
    return out
