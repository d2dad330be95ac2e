"""A busy office: the coordinator works in the workspace while the worker polls, on one SQLite
file.

`mailbot web` runs as its own process (waitress, as in production) and takes decisions and
corrections over HTTP without a pause — at least 50, as many as it can while 20 `mailbot poll`
processes run one after another, each finding new applications in a real Dovecot and answering
them through aiosmtpd. No process may meet "database is locked": every poll exits 0, every
change answers with its redirect, and no page answers 500. (With a deferred BEGIN, the record
stage's transaction — which reads the reference counter first — failed whenever a decision was
committed between its read and its first write: 19 of 20 polls exited 74 in one run here.)
"""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rig.ports import free_port, port_open

from mailbot.ops import samples

from . import helpers as h

pytestmark = pytest.mark.integration

N_POLLS = 20
N_CHANGES = 50
NEW_PER_POLL = 10
PASSWORD = "haslo-koordynatorki-1"
LOCKED = "database is locked"


class Workspace:
    """A coordinator's browser, as far as HTTP goes: cookies, the page's CSRF token, forms."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )
        self.token = ""

    def get(self, path: str) -> tuple[int, str]:
        status, text = self._open(urllib.request.Request(self.base + path))
        found = re.search(r'name="csrf_token" value="([^"]+)"', text)
        if found:
            self.token = found.group(1)
        return status, text

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode({"csrf_token": self.token, **data}).encode()
        return self._open(urllib.request.Request(self.base + path, data=body))

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _new_mail(dovecot, user: str, run: int, docx: bytes) -> None:
    items = []
    for i in range(NEW_PER_POLL):
        n = run * NEW_PER_POLL + i
        when = h.spread(n, N_POLLS * NEW_PER_POLL + NEW_PER_POLL)
        raw = h.application(
            f"osoba{n}@biuro.example.pl", f"<busy-{n}@biuro.example.pl>", docx, date=when
        )
        items.append((raw, when))
    h.append_many(dovecot, user, items)


def test_polls_and_the_workspace_never_lock_each_other_out(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(h.PASSWORD_ENV, dovecot.password)
    config = h.write_config(tmp_path, dovecot, imap_user, smtp_sink)
    docx = samples.filled_docx(samples.Applicant())
    _new_mail(dovecot, imap_user, 0, docx)
    first = h.run(config, "poll")
    assert first.returncode == 0, first.stderr
    added = subprocess.run(
        h.cmd(config, "user", "add", "koordynatorka"),
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=h.env(),
        cwd=h.REPO,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    port = free_port()
    web_log = tmp_path / "web.err"
    server = subprocess.Popen(
        h.cmd(config, "web", "--port", str(port)),
        env=h.env(),
        cwd=h.REPO,
        stdout=subprocess.DEVNULL,
        stderr=web_log.open("wb"),
    )
    try:
        deadline = time.monotonic() + 30
        while not port_open("127.0.0.1", port):
            assert server.poll() is None, web_log.read_text()
            assert time.monotonic() < deadline, "mailbot web did not start"
            time.sleep(0.1)
        ws = Workspace(f"http://127.0.0.1:{port}")
        ws.get("/logowanie")
        status, _ = ws.post("/logowanie", {"login": "koordynatorka", "password": PASSWORD})
        assert status == 302
        references = [r[0] for r in h.query(config, "SELECT reference FROM applications")]
        assert references

        answers: list[tuple[str, int, str]] = []

        done = threading.Event()

        def coordinator() -> None:
            i = 0
            while not done.is_set() or i < N_CHANGES:
                i += 1
                ref = references[i % len(references)]
                if i % 2:
                    ws.get(f"/zgloszenie/{ref}/popraw")
                    status, text = ws.post(
                        f"/zgloszenie/{ref}/popraw",
                        {"position": f"Prezes zarządu {i}", "groups": "4"},
                    )
                else:
                    ws.get(f"/zgloszenie/{ref}/zdecyduj")
                    status, text = ws.post(
                        f"/zgloszenie/{ref}/zdecyduj",
                        {"status": "accepted" if i % 4 else "rejected", "note": "decyzja"},
                    )
                answers.append((ref, status, text))

        worker = threading.Thread(target=coordinator)
        worker.start()
        polls = []
        for run in range(1, N_POLLS + 1):
            _new_mail(dovecot, imap_user, run, docx)
            polls.append(h.run(config, "poll"))
        done.set()
        worker.join(timeout=300)
        assert not worker.is_alive()
    finally:
        server.terminate()
        server.wait(timeout=30)
    web_errors = web_log.read_text(encoding="utf-8", errors="replace")
    locked = sum(LOCKED in p.stderr + p.stdout for p in polls)
    locked += sum(LOCKED in text for _ref, _status, text in answers)
    locked += web_errors.count(LOCKED)
    failed_polls = sum(p.returncode != 0 for p in polls)
    failed_changes = sum(status != 302 for _ref, status, _text in answers)
    print(
        f"\n{len(polls)} polls ({failed_polls} failed), {len(answers)} workspace changes "
        f"({failed_changes} failed): {locked} 'database is locked'"
    )
    assert locked == 0
    assert [p.returncode for p in polls] == [0] * N_POLLS, [p.stderr for p in polls]
    assert len(answers) >= N_CHANGES
    assert failed_changes == 0
    stored = h.query(config, "SELECT count(*) FROM applications")[0][0]
    assert stored == (N_POLLS + 1) * NEW_PER_POLL
    events = h.query(
        config,
        "SELECT count(*) FROM events WHERE actor = 'koordynatorka' "
        "AND kind IN ('decision', 'correction')",
    )[0][0]
    assert events == len(answers)


def test_log_names(tmp_path: Path) -> None:
    """The count above looks for SQLite's own words."""
    import sqlite3

    one = sqlite3.connect(tmp_path / "x.db", timeout=0, isolation_level=None)
    two = sqlite3.connect(tmp_path / "x.db", timeout=0, isolation_level=None)
    one.execute("CREATE TABLE t(x)")
    one.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match=LOCKED):
        two.execute("BEGIN IMMEDIATE")
    one.execute("ROLLBACK")
