"""Fetch stage over files: ``.eml`` files, folders of them, mbox files and Maildirs.

The receipt time of an imported message is its newest ``Received:`` header, else ``Date:``
(see :func:`mailbot.mail.mime.receipt_time_from_headers`); the bytes are read as they are.

A file named ``*.eml`` is always one message: a leading mbox ``From `` line (some mail clients
save one) is dropped, and an unescaped "From " inside the quoted original never splits it.
Only other files that begin with ``From `` are read as mbox files.
"""

from __future__ import annotations

import logging
import mailbox
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from mailbot.errors import SourceError
from mailbot.mail.mime import parse_message, receipt_time_from_headers
from mailbot.models import RawMessage

log = logging.getLogger(__name__)


def _is_maildir(path: Path) -> bool:
    return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()


EML_SUFFIXES = (".eml",)


def _is_mbox(path: Path) -> bool:
    if path.suffix.lower() in EML_SUFFIXES:
        return False
    try:
        with path.open("rb") as fh:
            return fh.read(5) == b"From "
    except OSError:
        return False


def delivery_order(name: str) -> list[tuple[int, str]]:
    """A sort key that compares the numbers in a name as numbers: a Maildir's unique names
    (``<seconds>.M<microseconds>P<pid>Q<count>.<host>``, the microseconds without leading zeros)
    and files named ``2.eml`` … ``10.eml`` come out in the order they were delivered."""
    parts = _DIGITS.split(name)  # the odd places hold the numbers the pattern took
    return [(int(part), "") if i % 2 else (-1, part) for i, part in enumerate(parts)]


_DIGITS = re.compile(r"(\d+)")


def _maildir(path: Path) -> Iterator[RawMessage]:
    box = mailbox.Maildir(path, factory=None, create=False)
    for key in sorted(box.keys(), key=delivery_order):
        try:
            with box.get_file(key) as fh:
                data = fh.read()
        except (OSError, KeyError):
            continue
        yield RawMessage(raw=data, origin="file", mailbox=f"{path}#{key}")


def _mbox(path: Path) -> Iterator[RawMessage]:
    box = mailbox.mbox(path, create=False)
    try:
        for i, key in enumerate(box.iterkeys()):
            try:
                data = box.get_bytes(key, from_=False)
            except (OSError, KeyError):
                continue
            yield RawMessage(raw=data, origin="file", mailbox=f"{path}#{i}")
    finally:
        box.close()


def drop_mbox_from_line(data: bytes) -> bytes:
    """The message without a leading mbox ``From `` separator line, if it has one."""
    if not data.startswith(b"From "):
        return data
    end = data.find(b"\n")
    return b"" if end < 0 else data[end + 1 :]


def _file(path: Path) -> Iterator[RawMessage]:
    try:
        data = drop_mbox_from_line(path.read_bytes())
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror}") from exc
    yield RawMessage(raw=data, origin="file", mailbox=str(path))


def _folder(path: Path) -> Iterator[RawMessage]:
    for child in sorted(path.iterdir(), key=lambda p: delivery_order(p.name)):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield from _folder(child) if not _is_maildir(child) else _maildir(child)
        elif child.is_file():
            yield from (_mbox(child) if _is_mbox(child) else _file(child))


def read_paths(paths: Iterable[Path]) -> Iterator[RawMessage]:
    """Every message under the given paths, in a stable order."""
    for path in paths:
        if not path.exists():
            raise SourceError(f"{path} does not exist")
        if _is_maildir(path):
            yield from _maildir(path)
        elif path.is_dir():
            yield from _folder(path)
        elif _is_mbox(path):
            yield from _mbox(path)
        else:
            yield from _file(path)


def received_since(messages: Iterable[RawMessage], since: datetime) -> Iterator[RawMessage]:
    """The messages whose receipt time (newest ``Received:``, else ``Date:``) is not before
    ``since``; a message with neither is kept (its receipt time is the import time)."""
    left_out = 0
    for raw in messages:
        received, _source = receipt_time_from_headers(parse_message(raw.raw, headers_only=True))
        if received is not None and received < since:
            left_out += 1
            continue
        yield raw
    if left_out:
        log.info(
            "%d message(s) received before %s left out (imap.since / --since)",
            left_out,
            since.date().isoformat(),
        )
