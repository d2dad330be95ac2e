"""One path into the outbox and one letter builder, checked in the code itself: every letter
mailbot writes is composed by :func:`mailbot.pipeline.replies.build_letter` and queued by
:func:`mailbot.storage.replies.queue_reply`, the only statement inserting into ``replies``."""

from __future__ import annotations

import re
from pathlib import Path

import mailbot

PACKAGE = Path(mailbot.__file__).resolve().parent
#: an INSERT into replies, written as SQL or through a helper that names the table
_INSERTS = re.compile(
    r"""(?isx)
    \bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+["'`]?replies\b   # SQL
    | \binsert\(\s*["']replies["']                       # store.insert("replies", …)
    | table\(\s*["']replies["']\s*\)\s*\.\s*(?:insert|upsert)   # sqlite-utils
    """
)
#: where a message of our own is made (ops/samples.py makes incoming mail for the demo)
_BUILDS = re.compile(r"\bEmailMessage\(")
_SAMPLES = {"ops/samples.py"}


def _sources() -> dict[str, str]:
    return {
        str(path.relative_to(PACKAGE)): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def test_a_single_insert_into_replies() -> None:
    found = [
        (name, text[: m.start()].count("\n") + 1)
        for name, text in _sources().items()
        for m in _INSERTS.finditer(text)
    ]
    assert [name for name, _line in found] == ["storage/replies.py"], found


def test_the_pattern_finds_every_way_of_inserting() -> None:
    for text in (
        'conn.execute("INSERT INTO replies (a) VALUES (?)")',
        "conn.execute('insert or ignore into replies(a) values (1)')",
        'store.insert("replies", {"a": 1})',
        'db.table("replies").insert({"a": 1})',
    ):
        assert _INSERTS.search(text), text
    assert not _INSERTS.search('conn.execute("INSERT INTO sent_letters (a) VALUES (1)")')


def test_a_single_letter_builder() -> None:
    builders = sorted(
        name for name, text in _sources().items() if _BUILDS.search(text) and name not in _SAMPLES
    )
    assert builders == ["pipeline/replies.py"]
    stamped = sorted(
        name
        for name, text in _sources().items()
        if re.search(r"msg\[\s*STAMP_HEADER\s*\]\s*=", text)
    )
    assert stamped == ["pipeline/replies.py"]
