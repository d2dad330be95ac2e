"""The coordinator's work on the applications: decide, correct, answer, clear the queue.

Each change commits in one transaction together with its event (who, when, what); the values
read by machine are never overwritten: a correction is a layer of its own (``corrections``
holds the history, ``applications.corrected`` the current values), and exports show the
corrected value and mark it. A notice to the applicant or an answer to a question is queued
in the same outbox (table ``replies``, state ``queued``) as every automatic reply, so it is
sent once by the next pass, threaded under the applicant's message.

The work is split by concern: :mod:`.labels` (statuses and problems in Polish),
:mod:`.fields` (an application as a person reads and types it), :mod:`.decisions`
(decisions, corrections, notices, handled entries), :mod:`.attention` (the queue) and
:mod:`.files` (stored files and previews). This module gathers their names.
"""

from __future__ import annotations

from mailbot.errors import FieldErrors, ReviewError
from mailbot.ops.letters import Letter
from mailbot.ops.recipients import Recipient
from mailbot.ops.review.attention import (
    ATTENTION_LABELS,
    AttentionItem,
    attention,
    first_lines,
    message_text,
    text_of,
    with_first_lines,
)
from mailbot.ops.review.decisions import (
    ENTRY_KINDS,
    DecisionResult,
    check_decision,
    correct,
    decide,
    entry_number,
    mark_handled,
    mark_not_application,
    notice,
    recipients,
)
from mailbot.ops.review.fields import (
    applicant_keys,
    application_row,
    checked_values,
    corrections,
    effective_fields,
    history,
    latest_message_pk,
    machine_fields,
    message_row,
    parse_field_value,
    read_application,
)
from mailbot.ops.review.files import (
    CONTENT_TYPES,
    EXTENSIONS,
    PREVIEW_KINDS,
    PREVIEW_SUFFIX,
    StoredFile,
    form_file,
    pdf_preview,
    preview_possible,
    stored_file,
)
from mailbot.ops.review.labels import (
    DECIDED_LABELS,
    DECISION_STATUSES,
    FIELD_PROBLEM_TEXTS,
    NOTICE_TEMPLATES,
    OTHER_PROBLEM,
    PROBLEM_TEXTS,
    decided_status_label,
    problem_choices,
    problem_text,
    status_label,
)
from mailbot.pipeline.texts import STATUS_LABELS
from mailbot.storage.review import Correction

__all__ = [
    "ATTENTION_LABELS",
    "CONTENT_TYPES",
    "DECIDED_LABELS",
    "DECISION_STATUSES",
    "ENTRY_KINDS",
    "EXTENSIONS",
    "FIELD_PROBLEM_TEXTS",
    "NOTICE_TEMPLATES",
    "OTHER_PROBLEM",
    "PREVIEW_KINDS",
    "PREVIEW_SUFFIX",
    "PROBLEM_TEXTS",
    "STATUS_LABELS",
    "AttentionItem",
    "Correction",
    "DecisionResult",
    "FieldErrors",
    "Letter",
    "Recipient",
    "ReviewError",
    "StoredFile",
    "applicant_keys",
    "application_row",
    "attention",
    "check_decision",
    "checked_values",
    "correct",
    "corrections",
    "decide",
    "decided_status_label",
    "effective_fields",
    "entry_number",
    "first_lines",
    "form_file",
    "history",
    "latest_message_pk",
    "machine_fields",
    "mark_handled",
    "mark_not_application",
    "message_row",
    "message_text",
    "notice",
    "parse_field_value",
    "pdf_preview",
    "preview_possible",
    "problem_choices",
    "problem_text",
    "read_application",
    "recipients",
    "status_label",
    "stored_file",
    "text_of",
    "with_first_lines",
]
