"""Personal data stays private: file modes of everything mailbot writes, logs without form
contents or unmasked addresses, TLS verified (and loudly not, when switched off), purge.
"""

from __future__ import annotations

import os
import re
import subprocess
from datetime import UTC, datetime

import pytest

from mailbot.config import load_config
from mailbot.ops import jobs, samples

from . import helpers as h

pytestmark = pytest.mark.integration

PERSON = samples.Applicant(
    full_name="Zenobia Przybyszewska-Kwiatkowska",
    email="zenobia.kwiatkowska@prywatna.example.pl",
    organisation="Fundacja Tajemnicza Przystań",
    address="ul. Sekretna 77/3\n50-999 Wrocław",
    phone="+48 517 482 913",
    position="Prezeska Zarządu",
    experience="Prowadzę świetlicę środowiskową od 2011 r.",
    place_and_date="Wrocław, 9.05.2024",
)
EMAIL_RE = re.compile(r"([A-Za-z0-9._%+\-*]+)@([A-Za-z0-9.\-]+\.[A-Za-z]{2,})")


def _run(config, *args: str, verbose: int = 0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        h.cmd(config, *args, verbose=verbose),
        capture_output=True,
        text=True,
        env=h.env(),
        cwd=h.REPO,
        timeout=120,
        check=False,
        umask=0o022,
    )


def test_files_are_private_and_logs_carry_no_form_contents(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(h.PASSWORD_ENV, dovecot.password)
    docx = samples.filled_docx(PERSON)
    dovecot.append(
        imap_user,
        h.application(
            PERSON.email,
            "<zenobia-1@prywatna.example.pl>",
            docx,
            name=PERSON.full_name,
            subject="Zgłoszenie – Fundacja Tajemnicza Przystań",
        ),
        internaldate=h.at(9, 12),
    )
    dovecot.append(
        imap_user,
        h.application("inna.osoba@prywatna.example.pl", "<inna@p>", None, name="Inna Osoba"),
        internaldate=h.at(9, 13),
    )
    config = h.write_config(tmp_path, dovecot, imap_user, smtp_sink)
    done = _run(config, "poll", verbose=2)
    assert done.returncode == 0, done.stderr
    assert "2 new message(s)" in done.stdout
    logs = done.stdout + done.stderr
    assert len(done.stderr.splitlines()) >= 2, "-vv logs each message"

    # no form contents in the logs
    secrets = [
        PERSON.full_name,
        "Przybyszewska",
        "Zenobia",
        "Sekretna",
        "50-999",
        "517 482 913",
        "517482913",
        "Tajemnicza",
        "świetlicę",
        "Prezeska",
    ]
    leaked = [s for s in secrets if s.lower() in logs.lower()]
    assert not leaked, f"form contents in the logs: {leaked}"
    # every e-mail address in the logs is masked (a***@domain)
    for local, domain in EMAIL_RE.findall(logs):
        assert re.fullmatch(r".\*\*\*", local), f"unmasked address {local}@{domain} in logs"

    # file modes: the database (and its WAL files), the store, the lock
    state = tmp_path / "state"
    checked = {}
    assert h.mode(state) == 0o700
    for p in [state / "mailbot.db", *state.glob("mailbot.db-*"), state / "mailbot.lock"]:
        if p.exists():
            checked[p.name] = oct(h.mode(p))
            assert h.mode(p) == 0o600, (p, oct(h.mode(p)))
    assert "mailbot.db" in checked and "mailbot.lock" in checked
    # the WAL and shared-memory files exist while a pass has the database open
    old = os.umask(0o022)
    try:
        with jobs.open_store(load_config(config)) as store, store.transaction():
            store.set_state("privacy-test", "1")
            for p in state.glob("mailbot.db-*"):
                checked[p.name] = oct(h.mode(p))
                assert h.mode(p) == 0o600, (p, oct(h.mode(p)))
    finally:
        os.umask(old)
    assert {"mailbot.db-wal", "mailbot.db-shm"} <= set(checked), checked
    files = state / "files"
    assert h.mode(files) == 0o700
    stored = list(files.rglob("*"))
    assert any(p.is_file() for p in stored)
    for p in stored:
        assert h.mode(p) == (0o700 if p.is_dir() else 0o600), (p, oct(h.mode(p)))
        if p.is_file():
            assert h.STORED_NAME.match(p.relative_to(files).as_posix())

    # exports written with --output are private, also over an existing world-readable file
    fresh = tmp_path / "export.json"
    existing = tmp_path / "export.csv"
    existing.write_text("old\n")
    existing.chmod(0o644)
    for out, fmt in ((fresh, "json"), (existing, "csv")):
        made = _run(config, "export", "--format", fmt, "--output", str(out))
        assert made.returncode == 0, made.stderr
        assert h.mode(out) == 0o600, (out, oct(h.mode(out)))
        assert PERSON.full_name in out.read_text(encoding="utf-8")
    print(f"\nmodes: {checked}, {len(stored)} store entries, exports 0600")


def test_tls_verification_off_warns_and_self_signed_is_refused(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(h.PASSWORD_ENV, dovecot.password)
    dovecot.append(
        imap_user, h.application("tls@prywatna.example.pl", "<tls@p>", None), internaldate=h.at(10)
    )
    for security in ("ssl", "starttls"):
        strict = h.write_config(
            tmp_path, dovecot, imap_user, smtp_sink, security=security, ca_file=False
        )
        refused = _run(strict, "poll")
        assert refused.returncode == 80, (security, refused.stderr)  # certificate not trusted
        lines = [x for x in refused.stderr.splitlines() if x.startswith("mailbot:")]
        assert len(lines) == 1 and "certificate" in lines[0].lower(), refused.stderr
        assert "imap.ca_file" in lines[0] and not refused.stdout, refused
        assert not h.replies(smtp_sink)
    loose = h.write_config(
        tmp_path,
        dovecot,
        imap_user,
        smtp_sink,
        security="ssl",
        ca_file=False,
        imap_extra="tls_verify = false\n",
    )
    done = _run(loose, "poll")
    assert done.returncode == 0, done.stderr
    assert "tls_verify = false" in done.stderr and "NOT" in done.stderr  # without -v too
    assert len(smtp_sink.wait_for(1)) == 1


def test_purge_removes_old_data_and_nothing_comes_back(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(h.PASSWORD_ENV, dovecot.password)
    docs = {
        n: samples.filled_docx(
            samples.Applicant(full_name=f"Osoba {n}", email=f"{n}@purge.example.pl")
        )
        for n in ("early", "edge_before", "edge_after", "late")
    }
    # 00:30 on 15 May in Warsaw is 22:30 on 14 May in UTC: it is ON the 15th, kept
    times = {
        "early": h.at(7, 9),
        "edge_before": h.at(14, 23, 50),
        "edge_after": datetime(2024, 5, 14, 22, 30, tzinfo=UTC),
        "late": h.at(20, 9),
    }
    for n, doc in docs.items():
        dovecot.append(
            imap_user,
            h.application(f"{n}@purge.example.pl", f"<{n}@purge>", doc),
            internaldate=times[n],
        )
    config = h.write_config(tmp_path, dovecot, imap_user, smtp_sink)
    assert _run(config, "poll").returncode == 0
    assert len(smtp_sink.wait_for(4)) == 4
    files_before = h.stored_files(config)

    purged = _run(config, "purge", "--before", "2024-05-15", "--yes")
    assert purged.returncode == 0, purged.stderr
    assert "removed 2 message(s)" in purged.stdout, purged.stdout
    data = h.export(config)
    assert sorted(m["message_id"] for m in data["messages"]) == [
        "<edge_after@purge>",
        "<late@purge>",
    ]
    assert sorted(a["message_id"] for a in data["applications"]) == [
        "<edge_after@purge>",
        "<late@purge>",
    ]
    # their files are gone from the store; the others stay
    files_after = h.stored_files(config)
    assert len(files_after) < len(files_before)
    remaining = b"".join(p.read_bytes() for p in files_after)
    assert b"early@purge" not in remaining and b"edge_before@purge" not in remaining
    assert b"late@purge" in remaining
    for table in ("replies", "attachments", "events"):
        rows = h.query(config, f"SELECT * FROM {table}")
        text = " ".join(str(tuple(r)) for r in rows)
        assert "early@purge" not in text and "edge_before@purge" not in text, table
    # the mailbox still holds the purged mail: the next pass must not take it in again
    again = _run(config, "poll")
    assert again.returncode == 0 and again.stdout.startswith("0 new message(s)"), again.stdout
    assert len(h.replies(smtp_sink)) == 4
