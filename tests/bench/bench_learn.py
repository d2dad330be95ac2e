#!/usr/bin/env python3
"""`mailbot learn` over a large history, and what the relevance weighing costs per message.

Run by hand (pytest does not collect it)::

    python tests/bench/bench_learn.py                 # 10,000 history messages
    python tests/bench/bench_learn.py --count 2000    # fewer
    python tests/bench/bench_learn.py --judge 5000    # messages for the weighing's timing

A throw-away Dovecot (tests/rig, STARTTLS) gets N generated everyday messages of a secretariat
received in 2023 (before ``imap.since``): meetings, minutes, newsletters (HTML only), invoices
and other bodies' calls with a 150 kB PDF attached, colleagues' notes — varied wording, names,
numbers. Then:

* ``mailbot learn`` (a subprocess, as the IT person runs it): wall and CPU time, what it kept
  (terms, bytes in the database) — the goals are at most 60 s for 10,000 messages and at most
  5 MB kept;
* the weighing, in this process, on messages of the call and of the everyday kinds (no
  attachments: MIME parsing and form reading are not the weighing): per message, the relevance
  stage as the pipeline runs it (the own text, the call's vocabulary, the learned statistics of
  the message's words looked up in that database, every signal, the decision) against the floor
  that stage had before the weighing (the own text only); the goal is at most 1 ms more per
  message.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import random
import re
import statistics
import sys
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from benchrig import REPO, Rig, log, mailbot_command, run_timed

GOAL_SECONDS = 60.0
GOAL_BYTES = 5_000_000
GOAL_MS = 1.0

FIRST = ["Anna", "Piotr", "Ewa", "Marek", "Katarzyna", "Tomasz", "Agnieszka", "Paweł", "Joanna"]
LAST = ["Nowak", "Kowalska", "Wiśniewski", "Zielińska", "Lewandowski", "Kamińska", "Dudek"]
PLACES = ["Wrocław", "Legnica", "Wałbrzych", "Jelenia Góra", "Oława", "Świdnica", "Bolesławiec"]
BODIES = ["OWES", "ROPS", "CIS", "KIS", "ZAZ", "WTZ", "spółdzielnia socjalna", "fundacja", "gmina"]
SUBJECTS = [
    "Posiedzenie Komitetu – {d}",
    "Protokół z posiedzenia nr {n}",
    "Newsletter {b} – {m}",
    "Faktura {n}/{y}",
    "Zaproszenie na szkolenie: {t}",
    "Nabór wniosków – {t}",
    "Uwagi do projektu uchwały nr {n}",
    "Spotkanie grupy roboczej – {d}",
    "Informacja {b} {p}",
    "Re: {t}",
]
SENTENCES = [
    "Uprzejmie informuję, że posiedzenie Komitetu odbędzie się {d} w sali {n} w {p}.",
    "W załączeniu przesyłam projekt protokołu z posiedzenia z prośbą o uwagi do {d}.",
    "Zapraszamy na szkolenie „{t}” organizowane przez {b} w {p}.",
    "Formularz zgłoszeniowy na szkolenie należy przesłać do {d}.",
    "Faktura nr {n}/{y} za catering podczas spotkania w {p} jest płatna w terminie 14 dni.",
    "Porządek obrad obejmuje sprawozdanie z działalności {b} za {y} rok.",
    "Przypominam o głosowaniu w trybie obiegowym nad uchwałą nr {n}.",
    "W newsletterze: {t}, konkurs dla {b}, nowe dotacje dla podmiotów ekonomii społecznej.",
    "Proszę o aktualizację danych w bazie PES do {d}.",
    "Grupa robocza omówi {t} na spotkaniu {d}.",
    "{f} {l} z {b} w {p} prosi o kontakt w sprawie {t}.",
    "Lista obecności z posiedzenia jest w załączniku.",
    "Rada Działalności Pożytku Publicznego ogłasza nabór kandydatów do {d}.",
    "Dziękuję za informację, przekażę ją dalej do {b} w {p}.",
    "Materiały na posiedzenie są dostępne w systemie od {d}.",
]
TOPICS = [
    "ekonomia społeczna w praktyce",
    "zamówienia społecznie odpowiedzialne",
    "reintegracja zawodowa",
    "usługi społeczne w gminie",
    "finansowanie zwrotne dla PES",
    "księgowość spółdzielni socjalnej",
    "współpraca z biznesem",
    "deinstytucjonalizacja usług",
]
MONTHS = ["styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "wrzesień", "październik"]


SYLLABLES = [c + v for c in "bcdfghjklmnprstwz" for v in "aeiouy"] + ["prze", "szcz", "owa"]
ENDINGS = ["", "a", "y", "ie", "ów", "ach", "ami", "ego", "ej", "ymi", "ę", "ą"]


def word_pool(size: int, seed: int = 7) -> list[str]:
    """``size`` made-up Polish-looking words (with endings): a real mailbox's many words."""
    rng = random.Random(seed)
    pool = set()
    while len(pool) < size:
        pool.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(pool)


POOL = word_pool(30_000)
WEIGHTS_ZIPF = [1 / (rank + 1) for rank in range(len(POOL))]


def prose(rng: random.Random, count: int) -> str:
    """Words drawn as a language draws them: a few often, most rarely (Zipf)."""
    picked = rng.choices(POOL, weights=WEIGHTS_ZIPF, k=count)
    return " ".join(w + rng.choice(ENDINGS) for w in picked) + "."


def history_message(rng: random.Random, n: int, when: datetime) -> bytes:
    words = {
        "d": f"{rng.randint(1, 28)}.{rng.randint(1, 12):02d}.2023",
        "n": str(rng.randint(1, 400)),
        "y": str(rng.choice([2022, 2023])),
        "b": rng.choice(BODIES),
        "p": rng.choice(PLACES),
        "t": rng.choice(TOPICS),
        "m": rng.choice(MONTHS),
        "f": rng.choice(FIRST),
        "l": rng.choice(LAST),
    }
    sender = f"{rng.choice(FIRST)} {rng.choice(LAST)} <osoba{rng.randint(1, 400)}@example.org>"
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "d.butryn@dops.wroc.pl"
    msg["Subject"] = rng.choice(SUBJECTS).format(**words)
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = f"<history-{n}@example.org>"
    text = "Dzień dobry,\n\n" + " ".join(
        rng.choice(SENTENCES).format(**words) for _ in range(rng.randint(4, 14))
    )
    text += "\n\n" + prose(rng, rng.randint(40, 160))
    text += f"\n\nZ poważaniem\n{words['f']} {words['l']}\n{words['b']} {words['p']}\n"
    kind = n % 10
    if kind == 0:  # a newsletter: HTML only
        msg.set_content(
            "<html><body><p>" + text.replace("\n", "<br>") + "</p></body></html>", subtype="html"
        )
    else:
        msg.set_content(text)
        if kind == 1:
            msg.add_alternative("<p>" + text.replace("\n", "<br>") + "</p>", subtype="html")
        if kind in (2, 3):  # an invoice or another body's form: never downloaded
            data = bytes(rng.getrandbits(8) for _ in range(2_000)) * 75
            msg.add_attachment(
                data, maintype="application", subtype="pdf", filename=f"zalacznik_{n}.pdf"
            )
    return msg.as_bytes()


def fill_history(rig: Rig, user: str, count: int) -> None:
    """Deliver the history straight into the Maildir (mtime: its receipt time in 2023)."""
    new = rig.dovecot.maildir(user) / "new"
    owner = pwd.getpwnam("nobody")
    rng = random.Random(16)
    start = datetime(2023, 3, 1, 8, tzinfo=UTC)
    step = (datetime(2024, 4, 1, tzinfo=UTC) - start) / max(count, 1)
    began = time.monotonic()
    for n in range(count):
        when = start + step * n
        raw = history_message(rng, n, when)
        name = f"{int(when.timestamp())}.M{n}P{os.getpid()}.history,S={len(raw)}"
        tmp = new.parent / "tmp" / name
        tmp.write_bytes(raw)
        os.chown(tmp, owner.pw_uid, owner.pw_gid)
        os.chmod(tmp, 0o600)
        os.utime(tmp, (when.timestamp(), when.timestamp()))
        os.rename(tmp, new / name)
    with rig.dovecot.client(user) as client:
        client.select_folder("INBOX", readonly=True)
    log(f"filled {count} history messages in {time.monotonic() - began:.1f} s")


def judge_messages(count: int) -> list[bytes]:
    """Mail of the call (questions, applications without a form) and of the everyday kinds."""
    rng = random.Random(5)
    call = [
        ("Pytanie – grupa nr 4", "Dzień dobry, kto może kandydować do grupy nr 4? Pozdrawiam"),
        ("Zgłoszenie do naboru", "W załączeniu przesyłam formularz zgłoszeniowy. Anna Nowak"),
        ("Rezygnacja", "Rezygnuję z udziału w naborze do grup roboczych DKRES."),
        ("Wyniki naboru?", "Kiedy będą wyniki naboru do grup roboczych? Dziękuję."),
    ]
    out = []
    when = datetime(2024, 5, 14, 10, tzinfo=UTC)
    for n in range(count):
        if n % 3 == 0:
            subject, body = call[n % len(call)]
            msg = EmailMessage()
            msg["From"] = f"Osoba {n} <osoba{n}@example.pl>"
            msg["To"] = "d.butryn@dops.wroc.pl"
            msg["Subject"] = subject
            msg["Message-ID"] = f"<judge-{n}@example.pl>"
            msg.set_content(body)
            out.append(msg.as_bytes())
        else:
            out.append(
                history_message(rng, 100_000 + n, when).replace(b"application/pdf", b"text/x-skip")
            )
    return out


def time_weighing(config_path: Path, count: int) -> dict[str, float]:
    """Per message: the relevance stage as the pipeline runs it vs. its floor (own text only)."""
    sys.path.insert(0, str(REPO))
    from mailbot.config import load_config
    from mailbot.models import FormRead, FoundFiles, RawMessage
    from mailbot.pipeline import relevance
    from mailbot.pipeline.classify import classify
    from mailbot.pipeline.relevance.learned import learned_for
    from mailbot.storage.store import Store

    config = load_config(config_path)
    seen = [
        classify(
            RawMessage(raw, "file", "bench"),
            known_message_id=lambda _mid: False,
            max_message_bytes=10**8,
            now=datetime.now(UTC),
        )
        for raw in judge_messages(count)
    ]
    nothing = (FormRead(None, None, (), ()),)
    found = FoundFiles((), None)
    floor, weighed, cpu = [], [], []
    with Store(config.storage.database, config.storage.files) as store:
        for s in seen:  # warm: the vocabulary, the stems' cache, the database's pages
            relevance.own_text(relevance.body_text(s.message))
        for s in seen:
            env = s.envelope
            started = time.perf_counter()
            text = relevance.own_text(relevance.body_text(s.message))
            middle = time.perf_counter()
            cpu_middle = time.process_time()
            ev = relevance.Evidence(
                subject=env.subject,
                text=text,
                found=found,
                forms=nothing,
                thread=None,
                keywords=config.call.keywords,
                vocabulary=relevance.call_vocabulary(config.call),
                bulk=s.no_reply,
                learned=learned_for(store, env.sender, env.references),
            )
            relevance.judge(ev)
            ended = time.perf_counter()
            cpu.append(time.process_time() - cpu_middle)
            floor.append(middle - started)
            weighed.append(ended - middle)
    added = sorted(weighed)
    return {
        "messages": len(seen),
        "floor_ms": statistics.median(floor) * 1000,
        "added_ms": statistics.median(weighed) * 1000,
        "added_p95_ms": added[int(len(added) * 0.95)] * 1000,
        "added_mean_ms": statistics.fmean(weighed) * 1000,
        "added_cpu_mean_ms": statistics.fmean(cpu) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="history messages")
    parser.add_argument("--judge", type=int, default=3_000, help="messages weighed")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    with Rig(keep=args.keep) as rig:
        user, config = rig.setup("learn")
        fill_history(rig, user, args.count)
        log("mailbot learn")
        run = run_timed(
            mailbot_command("--config", str(config), "learn"),
            cwd=rig.tmp,
            env=rig.env,
            timeout=3600,
        )
        kept = re.search(r"kept: (\d+) words and phrases", run.stdout)
        from mailbot.config import load_config
        from mailbot.storage import learning
        from mailbot.storage.store import Store

        cfg = load_config(config)
        with Store(cfg.storage.database, cfg.storage.files) as store:
            summary = learning.summary(store)
        db_bytes = cfg.storage.database.stat().st_size
        log("the weighing, per message")
        weighing = time_weighing(config, args.judge)
    per_10k = run.wall * 10_000 / max(args.count, 1)
    print(run.stdout.strip())
    print(
        json.dumps(
            {
                "history_messages": args.count,
                "learn_wall_s": round(run.wall, 2),
                "learn_cpu_s": round(run.cpu, 2),
                "learn_wall_s_per_10000": round(per_10k, 2),
                "terms_kept": summary.terms if kept else None,
                "kept_bytes": summary.size_bytes,
                "database_bytes": db_bytes,
                **{k: round(v, 3) for k, v in weighing.items()},
            },
            indent=2,
        )
    )
    print(
        f"learn: {per_10k:.1f} s per 10,000 messages (goal <= {GOAL_SECONDS:.0f} s): "
        f"{'yes' if per_10k <= GOAL_SECONDS else 'NO'}"
    )
    print(
        f"kept: {summary.size_bytes / 1e6:.2f} MB (goal <= {GOAL_BYTES / 1e6:.0f} MB): "
        f"{'yes' if summary.size_bytes <= GOAL_BYTES else 'NO'}"
    )
    print(
        f"weighing: {weighing['added_ms']:.3f} ms per message (median wall; CPU mean "
        f"{weighing['added_cpu_mean_ms']:.3f} ms, wall p95 {weighing['added_p95_ms']:.3f} ms) "
        f"more than its floor (goal <= {GOAL_MS} ms): "
        f"{'yes' if weighing['added_ms'] <= GOAL_MS else 'NO'}"
    )


if __name__ == "__main__":
    main()
