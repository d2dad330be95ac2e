#!/usr/bin/env python3
"""Benchmark of the workspace (mailbot web) with 10,000 applications in the database.

Run by hand (pytest does not collect it)::

    python tests/bench/bench_web.py                 # 10,000 applications, 30 requests a page
    python tests/bench/bench_web.py --applications 2000 --requests 10

Fills a fresh SQLite store with applications as the pipeline writes them (message, stored
form file, application, sent reply, event; 70 % accepted, 15 % incomplete, 3 % to review, the
rest late / no form / superseded, 1 % correspondence messages with their raw text), logs in
through the Flask app (the same app `mailbot web` serves with waitress) and times every page;
then the searches a coordinator types into Zgłoszenia (without Polish letters, in capitals, a
name, a reference number: case and diacritics are folded on both sides), then the XLSX and
DOCX of the Committee's list with everyone. Prints one table; the goals are p95 < 150 ms a page
(a search too) and the XLSX of everyone < 5 s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from mailbot.config import parse_config  # noqa: E402
from mailbot.ops.resolution import resolution_docx, resolution_lists, resolution_xlsx  # noqa: E402
from mailbot.ops.users import add_user  # noqa: E402
from mailbot.storage.store import Store, dumps, iso  # noqa: E402
from mailbot.web import create_app  # noqa: E402

FIRST = [
    "Anna",
    "Piotr",
    "Katarzyna",
    "Tomasz",
    "Małgorzata",
    "Grzegorz",
    "Ewa",
    "Jan",
    "Zofia",
    "Łukasz",
    "Agnieszka",
    "Paweł",
]
LAST = [
    "Kowalska",
    "Nowak",
    "Wiśniewski",
    "Zieliński",
    "Lewandowska",
    "Wójcik",
    "Kamiński",
    "Dąbrowska",
    "Żak",
    "Szymański",
    "Kaczmarek",
    "Mazur",
]
ORGS = [
    "Spółdzielnia Socjalna „Razem”",
    "Centrum Integracji Społecznej",
    "Fundacja Pomocy",
    "Gmina Miejska",
    "Stowarzyszenie „Łączy Nas”",
    "Zakład Aktywności Zawodowej",
]
ADDRESSES = [
    "ul. Długa 1, 50-001 Wrocław",
    "ul. Świdnicka 5/7, 58-100 Świdnica",
    "ul. Piotrkowska 12, 90-001 Łódź",
    "ul. Żeromskiego 3, 59-220 Legnica",
    "Plac Ratuszowy 1, 59-700 Bolesławiec",
]
#: searches a coordinator types: without Polish letters, in capitals, a name, a number
SEARCHES = [
    ("Search 'lodz' (finds Łódź)", "lodz"),
    ("Search 'SWIDNICKA'", "SWIDNICKA"),
    ("Search 'łączy' (an organisation)", "łączy"),
    ("Search 'kowalska' (a name)", "kowalska"),
    ("Search a reference number", "{middle}"),
]
CONFIG = """
[call]
name = "Nabór członków grup roboczych przy DKRES"
opens_at = 2024-05-06T00:00:00+02:00
closes_at = 2024-05-24T23:59:59+02:00
timezone = "Europe/Warsaw"
address = "d.butryn@dops.wroc.pl"
reference_prefix = "DKRES-2024"
{groups}
[storage]
database = "data/mailbot.db"
files = "data/files"
"""


def build(root: Path, count: int, seed: int = 7) -> object:
    import tomllib

    groups = "".join(
        f'\n[[call.groups]]\nnumber = {n}\nname = "Grupa robocza nr {n} ds. '
        f'rozwoju ekonomii społecznej"\n'
        for n in range(1, 6)
    )
    config = parse_config(tomllib.loads(CONFIG.format(groups=groups)), base=root)
    rnd = random.Random(seed)
    store = Store(config.storage.database, config.storage.files)
    form = store.save_file(
        b"%PDF-1.4 bench form\n" * 200, hashlib.sha256(b"bench form").hexdigest()
    )
    start = datetime(2024, 5, 6, 8, 0, tzinfo=UTC)
    statuses = (
        ["accepted"] * 70
        + ["incomplete"] * 15
        + ["needs_review"] * 3
        + ["late"] * 5
        + ["no_form"] * 5
        + ["superseded"] * 2
    )
    with store.transaction():
        for i in range(count):
            when = start + timedelta(seconds=int(i * 18 * 86400 / count))
            name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
            sender = f"osoba{i}@example{i % 97}.pl"
            status = rnd.choice(statuses)
            superseded = status == "superseded"
            status = "incomplete" if superseded else status
            msg = store.insert(
                "messages",
                {
                    "message_id": f"<m{i}@example.pl>",
                    "origin": "imap",
                    "mailbox": "INBOX",
                    "uidvalidity": 1,
                    "uid": i + 1,
                    "sha256": f"{i:064x}",
                    "size": 60000,
                    "received_at": iso(when),
                    "received_at_source": "internaldate",
                    "sender": sender,
                    "subject": "Zgłoszenie",
                    "disposition": "application",
                    "reason": None,
                    "raw_file": None,
                    "stored_at": iso(when),
                },
            )
            att = store.insert(
                "attachments",
                {
                    "message_pk": msg,
                    "part": "2",
                    "filename": "formularz.pdf",
                    "declared_type": "application/pdf",
                    "kind": "pdf",
                    "size": 4000,
                    "sha256": "x",
                    "file": form,
                    "is_form": 1,
                    "readable": 1,
                    "reason": None,
                },
            )
            fields = {
                "full_name": name,
                "organisation": rnd.choice(ORGS),
                "organisation_type": "spółdzielnia socjalna",
                "position": "Prezes",
                "address": rnd.choice(ADDRESSES),
                "email": sender,
                "phone": "600 100 200",
                "groups": sorted(rnd.sample(range(1, 6), rnd.randint(1, 3))),
                "experience": "Doświadczenie " * 20,
                "accepts_rules": True,
                "consents_gdpr": True,
                "place_and_date": "Wrocław, 20.05.2024",
            }
            problems = (
                ["missing_phone"]
                if status == "incomplete"
                else ["form_unreadable"]
                if status == "needs_review"
                else []
            )
            app = store.insert(
                "applications",
                {
                    "message_pk": msg,
                    "status": status,
                    "problems": dumps(problems),
                    "fields": dumps(fields),
                    "sources": "{}",
                    "attachment_pk": att,
                    "sender": sender,
                    "sender_key": sender,
                    "applicant_email": sender,
                    "received_at": iso(when),
                    "superseded": int(superseded),
                    "created_at": iso(when),
                    "reference": f"DKRES-2024-{i + 1:05d}",
                },
            )
            store.insert(
                "replies",
                {
                    "message_pk": msg,
                    "application_pk": app,
                    "template": status,
                    "to_addr": sender,
                    "subject": "Potwierdzenie",
                    "reply_message_id": f"<r{i}@x>",
                    "raw": b"Subject: x\r\n\r\nDzien dobry",
                    "state": "sent",
                    "attempts": 1,
                    "queued_at": iso(when),
                    "sent_at": iso(when),
                },
            )
            store.event("application", msg, f"DKRES-2024-{i + 1:05d} {status}")
        for j in range(count // 100):  # correspondence, with the text the queue quotes
            mail = EmailMessage()
            mail["From"] = f"osoba{j}@example{j % 97}.pl"
            mail["Subject"] = f"Pytanie {j}"
            mail.set_content("Dzień dobry,\nczy mogę zmienić grupę?\nPozdrawiam")
            raw = mail.as_bytes()
            digest = hashlib.sha256(raw).hexdigest()
            rel = store.save_file(raw, digest, ".eml")
            store.insert(
                "messages",
                {
                    "message_id": f"<q{j}@example.pl>",
                    "origin": "imap",
                    "mailbox": "INBOX",
                    "uidvalidity": 1,
                    "uid": count + j + 1,
                    "sha256": digest,
                    "size": len(raw),
                    "received_at": iso(start + timedelta(hours=j)),
                    "received_at_source": "internaldate",
                    "sender": mail["From"],
                    "subject": mail["Subject"],
                    "disposition": "correspondence",
                    "reason": None,
                    "raw_file": rel,
                    "stored_at": iso(start),
                },
            )
        store.set_state("last_poll_ok", iso(datetime.now(UTC)))
    add_user(store, "bench", "haslo-benchmarku-1")
    store.close()
    return config


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


#: the search before the folded column: SQLite's ASCII-only lower() over the JSON of the form
ASCII_LOWER_SQL = (
    "SELECT count(*) FROM applications a WHERE a.superseded = 0 AND (a.reference LIKE ? "
    "OR lower(a.sender) LIKE ? OR lower(a.fields) LIKE ? OR lower(coalesce(a.corrected, '')) "
    "LIKE ?)"
)
FOLDED_SQL = "SELECT count(*) FROM applications a WHERE a.superseded = 0 AND instr(a.search, ?) > 0"


def compare_search_sql(
    store: object, middle: str, repeats: int
) -> list[tuple[str, float, int, float, int]]:
    """Per search text, measured in this run: (text, folded p50 ms, found, ASCII lower() p50 ms,
    found) — the reference the folded search is compared with."""
    from mailbot.storage.search import fold

    out = []
    for _label, text in SEARCHES:
        text = text.format(middle=middle.lower())
        like = f"%{text.strip().lower()}%"
        runs: dict[str, list[float]] = {"folded": [], "ascii": []}
        found = {}
        for _ in range(repeats):
            for kind, sql, params in (
                ("folded", FOLDED_SQL, [fold(text)]),
                ("ascii", ASCII_LOWER_SQL, [like] * 4),
            ):
                t = time.perf_counter()
                found[kind] = store.db.execute(sql, params).fetchone()[0]  # type: ignore[attr-defined]
                runs[kind].append((time.perf_counter() - t) * 1000)
        out.append(
            (
                text,
                statistics.median(runs["folded"]),
                found["folded"],
                statistics.median(runs["ascii"]),
                found["ascii"],
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="mailbot-bench-web-"))
    t0 = time.perf_counter()
    config = build(root, args.applications)
    print(
        f"built {args.applications} applications in {time.perf_counter() - t0:.1f} s ({root})",
        file=sys.stderr,
    )
    app = create_app(config, secret="bench" * 8)
    client = app.test_client()
    page = client.get("/logowanie").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert (
        client.post(
            "/logowanie",
            data={"csrf_token": token, "login": "bench", "password": "haslo-benchmarku-1"},
        ).status_code
        == 302
    )
    middle = f"DKRES-2024-{args.applications // 2:05d}"
    pages = [
        ("Pulpit", "/"),
        ("Do zrobienia", "/do-zrobienia"),
        ("Zgłoszenia (first 100 of all)", "/zgloszenia"),
        ("Zgłoszenia, status + group filter", "/zgloszenia?status=accepted&grupa=3"),
        ("Zgłoszenia, sorted by name, page 50", "/zgloszenia?sort=name&strona=50"),
        ("Zgłoszenie (one application)", f"/zgloszenie/{middle}"),
        ("Popraw (form)", f"/zgloszenie/{middle}/popraw"),
        ("Zdecyduj (form)", f"/zgloszenie/{middle}/zdecyduj"),
        ("Lista do uchwały (group 1, the default)", "/lista"),
        ("Do zrobienia, correspondence only", "/do-zrobienia?rodzaj=correspondence"),
        ("Lista do uchwały, one group", "/lista?grupa=2"),
        ("Wiadomości (first 50 of all)", "/wiadomosci"),
        (
            "Wiadomości, one kind and days",
            "/wiadomosci?rodzaj=application&od=2024-05-10&do=2024-05-20",
        ),
        ("Wiadomości, page 100", "/wiadomosci?strona=100"),
        ("Załatwione (the archive)", "/zalatwione"),
    ]
    rows = []

    def timed(label: str, url: str) -> None:
        times = []
        for _ in range(args.requests):
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        rows.append((label, statistics.median(times), percentile(times, 95), len(response.data)))

    for label, url in pages:
        timed(label, url)
    found: dict[str, int] = {}
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/zgloszenia").text).group(1)
    for label, text in SEARCHES:  # the text is posted once and kept in the session
        text = text.format(middle=middle.lower())
        posted = client.post("/zgloszenia/szukaj", data={"csrf_token": token, "q": text})
        assert posted.status_code == 302, posted.status_code
        timed(label, "/zgloszenia")
        total = re.search(
            r'<h1>Zgłoszenia <span class="count">(\d+)</span>', client.get("/zgloszenia").text
        )
        found[label] = int(total.group(1)) if total else -1
    client.post("/zgloszenia/szukaj", data={"csrf_token": token, "clear": "1"})
    for label, text in (
        ("Wiadomości, search 'kowalska'", "kowalska"),
        ("Wiadomości, search 'lodz'", "lodz"),
    ):
        posted = client.post("/wiadomosci/szukaj", data={"csrf_token": token, "q": text})
        assert posted.status_code == 302, posted.status_code
        timed(label, "/wiadomosci")
    client.post("/wiadomosci/szukaj", data={"csrf_token": token, "clear": "1"})
    t = time.perf_counter()
    listed = client.get("/zgloszenia/zgloszenia.xlsx?zastapione=1")
    list_xlsx_s = time.perf_counter() - t
    assert listed.status_code == 200
    from mailbot.storage.store import Store as _Store

    with _Store(config.storage.database, config.storage.files) as store:
        t = time.perf_counter()
        lists = resolution_lists(store, config.call)
        xlsx = resolution_xlsx(lists, config.call)
        xlsx_s = time.perf_counter() - t
        t = time.perf_counter()
        docx_bytes = resolution_docx(resolution_lists(store, config.call), config.call)
        docx_s = time.perf_counter() - t
        members = len(lists[-1].members)
        folded_vs_ascii = compare_search_sql(store, middle, args.requests)
    cpu = platform.processor() or platform.machine()
    print(
        f"machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{args.applications} applications, {args.requests} requests a page "
        f"(Flask test client, in-process)"
    )
    print(f"| {'page':40} | {'p50 ms':>7} | {'p95 ms':>7} | {'KB':>6} | goal p95 < 150 ms |")
    print(f"|{'-' * 42}|{'-' * 9}|{'-' * 9}|{'-' * 8}|{'-' * 19}|")
    for label, p50, p95, size in rows:
        print(
            f"| {label:40} | {p50:7.1f} | {p95:7.1f} | {size / 1024:6.0f} | "
            f"{'yes' if p95 < 150 else 'NO':17} |"
        )
    print(
        f"XLSX of everyone ({members} accepted, {len(lists) - 1} groups + everyone): "
        f"{xlsx_s:.2f} s, {len(xlsx) / 1024:.0f} KB (goal < 5 s: "
        f"{'yes' if xlsx_s < 5 else 'NO'})"
    )
    print(f"DOCX annex: {docx_s:.2f} s, {len(docx_bytes) / 1024:.0f} KB")
    print(
        f"Zgłoszenia as XLSX, every application (the list's export): {list_xlsx_s:.2f} s, "
        f"{len(listed.data) / 1024:.0f} KB (goal < 5 s: {'yes' if list_xlsx_s < 5 else 'NO'})"
    )
    print(
        "search SQL alone (count of live applications, p50 in this run): "
        + "; ".join(
            f"'{text}' folded {f_ms:.1f} ms / {f_n} found vs ASCII lower() {a_ms:.1f} ms / "
            f"{a_n} found ({f_ms / a_ms:.2f}x)"
            for text, f_ms, f_n, a_ms, a_n in folded_vs_ascii
        )
    )
    print(
        "search results (live applications found): "
        + ", ".join(f"{label}: {n}" for label, n in found.items())
    )
    print(
        json.dumps(
            {
                "pages": {
                    label: {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1)}
                    for label, p50, p95, _ in rows
                },
                "xlsx_s": round(xlsx_s, 2),
                "docx_s": round(docx_s, 2),
            }
        ),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
