"""The demo's data (a real pipeline run over the example inbox) copied per test, plus a few
messages of the kinds the attention queue lists (correspondence, unrelated in the window)."""

from __future__ import annotations

import shutil
from email.message import EmailMessage
from pathlib import Path

from mailbot.config import Config, load_config
from mailbot.ops.demo import run_demo
from mailbot.storage.store import Store, iso, utcnow

_BUILT: dict[str, Path] = {}


def demo_copy(tmp_path: Path) -> Config:
    if "demo" not in _BUILT or not _BUILT["demo"].exists():
        import tempfile

        root = Path(tempfile.mkdtemp(prefix="mailbot-ws-demo-")) / "demo"
        run_demo(root)
        _BUILT["demo"] = root
    target = tmp_path / "demo"
    shutil.copytree(_BUILT["demo"], target)
    return load_config(target / "config.toml")


def open_store(config: Config) -> Store:
    return Store(config.storage.database, config.storage.files)


def add_message(
    store: Store,
    disposition: str,
    *,
    sender: str,
    subject: str,
    body: str,
    received_at: str = "2024-05-16T10:00:00+00:00",
) -> int:
    """A stored message with a disposition the pipeline gives (its raw bytes in the store)."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "d.butryn@dops.wroc.pl"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<q{abs(hash((sender, subject, body)))}@example.pl>"
    msg["References"] = "<earlier@example.pl>"
    msg.set_content(body)
    raw = msg.as_bytes()
    import hashlib

    digest = hashlib.sha256(raw).hexdigest()
    rel = store.save_file(raw, digest, ".eml")
    with store.transaction():
        return store.insert(
            "messages",
            {
                "message_id": msg["Message-ID"],
                "origin": "file",
                "mailbox": "test",
                "sha256": digest,
                "size": len(raw),
                "received_at": received_at,
                "received_at_source": "date_header",
                "sender": sender.split("<")[-1].rstrip(">"),
                "subject": subject,
                "disposition": disposition,
                "reason": "test",
                "raw_file": rel,
                "stored_at": iso(utcnow()),
            },
        )
