"""The schema as first created (migration 1) and its changes 2–10, in the order they are
applied; :mod:`mailbot.storage.migrations` lists every migration in order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailbot.names import REFERENCE_COUNTER_KEY, last_uid_key, uidvalidity_key

if TYPE_CHECKING:  # imported when first used: a pass with nothing new never needs it
    import sqlite_utils


def migrate_1(db: sqlite_utils.Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("messages").create(
        {
            "id": int,
            "message_id": str,
            "origin": str,
            "mailbox": str,
            "uidvalidity": int,
            "uid": int,
            "sha256": str,
            "size": int,
            "received_at": str,
            "received_at_source": str,
            "sender": str,
            "subject": str,
            "disposition": str,
            "reason": str,
            "raw_file": str,
            "stored_at": str,
        },
        pk="id",
        not_null={"message_id", "sha256", "disposition", "received_at"},
    )
    db.table("messages").create_index(["message_id"])
    db.table("messages").create_index(["sha256"])
    db.table("messages").create_index(["mailbox", "uidvalidity", "uid"], unique=True)
    db.table("attachments").create(
        {
            "id": int,
            "message_pk": int,
            "part": str,
            "filename": str,
            "declared_type": str,
            "kind": str,
            "size": int,
            "sha256": str,
            "file": str,
            "is_form": int,
            "readable": int,
            "reason": str,
        },
        pk="id",
        foreign_keys=[("message_pk", "messages", "id")],
    )
    db.table("attachments").create_index(["message_pk"])
    db.table("applications").create(
        {
            "id": int,
            "message_pk": int,
            "reference": str,
            "status": str,
            "problems": str,
            "fields": str,
            "sources": str,
            "attachment_pk": int,
            "sender": str,
            "applicant_email": str,
            "received_at": str,
            "superseded": int,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("message_pk", "messages", "id"), ("attachment_pk", "attachments", "id")],
    )
    db.table("applications").create_index(["message_pk"], unique=True)
    db.table("applications").create_index(["sender"])
    db.table("applications").create_index(["applicant_email"])
    db.table("replies").create(
        {
            "id": int,
            "message_pk": int,
            "application_pk": int,
            "template": str,
            "to_addr": str,
            "subject": str,
            "reply_message_id": str,
            "raw": bytes,
            "state": str,
            "attempts": int,
            "next_attempt_at": str,
            "last_error": str,
            "queued_at": str,
            "sent_at": str,
        },
        pk="id",
        foreign_keys=[("message_pk", "messages", "id")],
        defaults={"state": "queued", "attempts": 0},
    )
    db.table("replies").create_index(["state", "next_attempt_at"])
    db.table("replies").create_index(["to_addr", "queued_at"])
    db.table("events").create(
        {"id": int, "at": str, "kind": str, "message_pk": int, "detail": str}, pk="id"
    )
    db.table("digests").create({"day": str, "sent_at": str, "recipients": int}, pk="day")


def migrate_2(db: sqlite_utils.Database) -> None:
    """Messages whose processing failed, waiting to be retried (poison-message counter)."""
    db.table("failures").create(
        {
            "id": int,
            "origin": str,
            "mailbox": str,
            "uidvalidity": int,
            "uid": int,
            "internaldate": str,
            "sha256": str,
            "raw_file": str,
            "attempts": int,
            "last_error": str,
            "first_at": str,
            "last_at": str,
        },
        pk="id",
        not_null={"sha256", "raw_file"},
    )
    db.table("failures").create_index(["sha256", "mailbox"], unique=True)


def migrate_3(db: sqlite_utils.Database) -> None:
    """Messages moved to imap.archive_folder after they were stored and answered."""
    db.table("messages").add_column("archived", int, not_null_default=0)


def migrate_4(db: sqlite_utils.Database) -> None:
    """The sender's address folded to lower case, indexed: finding an applicant's earlier
    applications must not scan the table."""
    db.table("applications").add_column("sender_key", str)
    db.execute("UPDATE applications SET sender_key = lower(sender)")
    db.table("applications").create_index(["sender_key"])


def migrate_5(db: sqlite_utils.Database) -> None:
    """Mail that is not an application; several applications in one message; who the
    applicant is (the person in the form), why a reply was withheld, why an application is not
    live, the first lines of correspondence and the application it relates to; a reference
    counter that survives purge."""
    # one message may hold several applicants' forms (a secretariat sending two candidates)
    db.execute("DROP INDEX IF EXISTS idx_applications_message_pk")
    db.table("applications").create_index(["message_pk"])
    db.table("applications").add_column("applicant_key", str)
    db.table("applications").add_column("supersede_note", str)
    db.table("applications").add_column("reply_withheld", str)
    db.execute(
        "UPDATE applications SET applicant_key = CASE WHEN applicant_email IS NOT NULL "
        "THEN 'email:' || applicant_email ELSE 'sender:' || sender_key END"
    )
    db.table("applications").create_index(["applicant_key"])
    db.table("messages").add_column("excerpt", str)
    db.table("messages").add_column("signals", str)
    db.table("messages").add_column("related_application_pk", int)
    db.table("messages").create_index(["disposition"])
    db.table("replies").create_index(["queued_at"])
    db.execute(
        "INSERT OR REPLACE INTO meta(key, value) SELECT ?, CAST(coalesce(max(id), 0) "
        "AS TEXT) FROM applications",
        [REFERENCE_COUNTER_KEY],
    )


def _mailbox_without_host(mailbox: str) -> str:
    """``user@host/folder`` (the old key) -> ``user/folder``."""
    account, slash, folder = mailbox.partition("/")
    if not slash or "@" not in account:
        return mailbox
    return f"{account.rsplit('@', 1)[0]}/{folder}"


def migrate_6(db: sqlite_utils.Database) -> None:
    """The IMAP high-water mark and message keys by user + folder (+ UIDVALIDITY), no longer by
    how the host is spelt; replies get the state of their copy in the Sent folder."""
    db.table("replies").add_column("sent_copy", str)  # NULL: to save; saving; saved; not_saved
    db.table("replies").create_index(["sent_copy", "state"])  # the few still to save, found fast
    db.execute("UPDATE replies SET sent_copy = 'not_saved' WHERE state = 'sent'")
    for table in ("messages", "failures"):
        for (old,) in db.execute(
            f"SELECT DISTINCT mailbox FROM {table} WHERE origin = 'imap' AND mailbox IS NOT NULL"
        ).fetchall():
            new = _mailbox_without_host(old)
            if new != old:
                db.execute(
                    f"UPDATE OR IGNORE {table} SET mailbox = ? WHERE mailbox = ?", [new, old]
                )
    marks: dict[str, tuple[int, int]] = {}  # new key -> (uidvalidity, last_uid)
    olds = db.execute("SELECT key, value FROM meta WHERE key LIKE 'imap:%:uidvalidity'").fetchall()
    for key, value in olds:
        mailbox = key[len("imap:") : -len(":uidvalidity")]
        last = db.execute(
            "SELECT value FROM meta WHERE key = ?", [last_uid_key(mailbox)]
        ).fetchone()
        candidate = (int(value), int(last[0]) if last else 0)
        new = _mailbox_without_host(mailbox)
        kept = marks.get(new)
        if kept is None or candidate[1] > kept[1]:
            marks[new] = candidate
        db.execute("DELETE FROM meta WHERE key IN (?, ?)", [key, last_uid_key(mailbox)])
    for mailbox, (uidvalidity, last_uid) in marks.items():
        db.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?), (?, ?)",
            [
                uidvalidity_key(mailbox),
                str(uidvalidity),
                last_uid_key(mailbox),
                str(last_uid),
            ],
        )


def migrate_7(db: sqlite_utils.Database) -> None:
    """Replies refused after the SMTP server took them: state ``bounced``, the remote reason,
    when the bounce arrived and which message it was."""
    db.table("replies").add_column("bounce_reason", str)
    db.table("replies").add_column("bounced_at", str)
    db.table("replies").add_column("bounce_message_pk", int)
    db.table("replies").create_index(["reply_message_id"])


def migrate_8(db: sqlite_utils.Database) -> None:
    """The coordinator's workspace: users, decisions, corrections, handled entries, who did it."""
    db.table("users").create(
        {"login": str, "role": str, "password_hash": str, "created_at": str},
        pk="login",
        not_null={"role", "password_hash"},
    )
    db.table("events").add_column("actor", str)
    db.table("applications").add_column("decided_by", str)
    db.table("applications").add_column("decided_at", str)
    db.table("applications").add_column("decision_note", str)
    db.table("applications").add_column("machine_status", str)
    db.table("applications").add_column("corrected", str)  # JSON {field: value}: the current layer
    db.table("applications").create_index(["reference"])
    db.table("applications").create_index(["status", "superseded"])
    # the values lists filter and sort by, with corrections applied, kept small by triggers
    # (the form's JSON is large; reading it for every row of a 10,000-row list is slow): the
    # triggers that keep them are migration 17's
    db.table("applications").add_column("summary", str)
    db.table("applications").add_column("groups_key", str)  # "|1|4|": a group filter without JSON
    db.table("corrections").create(
        {
            "id": int,
            "application_pk": int,
            "field": str,
            "old": str,
            "new": str,
            "by": str,
            "at": str,
        },
        pk="id",
        foreign_keys=[("application_pk", "applications", "id")],
    )
    db.table("corrections").create_index(["application_pk"])
    # an entry of the attention queue someone dealt with (a message, an application, a reply)
    db.table("handled").create({"item": str, "by": str, "at": str, "how": str}, pk="item")
    db.table("messages").create_index(["disposition"], if_not_exists=True)
    db.table("replies").create_index(["application_pk"])
    db.table("replies").create_index(["message_pk"])


def migrate_9(db: sqlite_utils.Database) -> None:
    """Notes for the coordinator about an application (unusual, not wrong: never sent to the
    applicant), a JSON list of Polish sentences."""
    db.table("applications").add_column("notes", str)


def migrate_10(db: sqlite_utils.Database) -> None:
    """The per-sender reply cap counts replies by lower(to_addr): an index on that expression
    (the plain to_addr index cannot serve it, so every message scanned every reply)."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_replies_to_lower ON replies(lower(to_addr), queued_at)"
    )
