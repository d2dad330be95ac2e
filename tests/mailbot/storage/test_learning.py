"""What the mailbox learns and how the coordinator teaches it, on a real SQLite file: the word
statistics (add, look up, replace a history, prune, what is kept), the teaching by sender and
thread, and the next similar message following her judgement through the pipeline."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from mailbot.cli import cli
from mailbot.config import load_config
from mailbot.mail.history import HistoryText, TextPart, decode, text_part
from mailbot.names import Side, TaughtKind
from mailbot.ops import jobs, learn, samples, teach
from mailbot.ops.review import attention
from mailbot.pipeline.relevance import terms
from mailbot.storage import learning
from mailbot.storage.store import Store

WARSAW = ZoneInfo("Europe/Warsaw")
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "db.sqlite", tmp_path / "files")
    yield s
    s.close()


def test_terms_are_stems_one_or_two_at_a_time_without_addresses_or_links():
    found = terms("Posiedzenie Komitetu – porządek obrad\nPiszcie: jan@example.pl, https://x.pl/a")
    assert {"posiedzen", "komitet", "posiedzen komitet", "porzadek obrad"} <= found
    assert not any("@" in t or "http" in t or "example" in t for t in found)
    assert all(len(t.split()) <= 2 for t in found)


def test_documents_counts_lookup_and_pruning(store):
    with store.transaction():
        learning.add_document(store, Side.EVERYDAY, {"posiedzen", "posiedzen komitet"})
        learning.add_document(store, Side.EVERYDAY, {"posiedzen", "faktur"})
        learning.add_document(store, Side.CALL, {"grup robocz"})
    found = learning.lookup(store, ["posiedzen", "faktur", "grup robocz", "nic"], None, [])
    assert found.everyday_documents == 2 and found.call_documents == 1
    assert found.counts == {"posiedzen": (2, 0), "faktur": (1, 0), "grup robocz": (0, 1)}
    with store.transaction():
        assert learning.prune(store) == 3  # seen once since the last history: gone
    assert learning.lookup(store, ["posiedzen"], None, []).counts == {"posiedzen": (2, 0)}


def test_a_history_replaces_the_last_one_and_keeps_what_was_learned_since(store):
    with store.transaction():
        learning.add_document(store, Side.EVERYDAY, {"uchwal"})
        learning.add_document(store, Side.EVERYDAY, {"uchwal"})
    learning.replace_history(store, {"protokol": 40, "uchwal": 7}, 100, {"messages": 100})
    learning.replace_history(store, {"protokol": 30}, 60, {"messages": 60})
    found = learning.lookup(store, ["protokol", "uchwal"], None, [])
    assert found.counts == {"protokol": (30, 0), "uchwal": (2, 0)}
    assert found.everyday_documents == 60 + 2
    kept = learning.summary(store)
    assert (kept.terms, kept.history_documents, kept.everyday_documents) == (2, 60, 2)
    assert kept.last_run == {"messages": 60} and 0 < kept.size_bytes < 100_000


def test_kept_terms_are_the_frequent_ones_and_what_learn_counts_per_message():
    counts = Counter({"a": 5, "b": 1, "c": 2, "d": 9})
    assert learn.kept_terms(counts, max_terms=2) == {"d": 9, "a": 5}
    assert learn.kept_terms(counts) == {"d": 9, "a": 5, "c": 2}
    item = HistoryText(
        "Re: Protokół", "<p>Uwagi do protokołu</p><blockquote>cytat</blockquote>", True
    )
    assert {"protokol", "uwag"} <= learn.document_terms(item)
    assert "cytat" not in learn.document_terms(item)
    counted, messages, empty = learn.count_terms([item, HistoryText("", "", False)], None)
    assert (messages, empty) == (2, 1) and counted["protokol"] == 1


def test_the_text_part_is_found_in_the_bodystructure_and_decoded():
    class Body(tuple):
        is_multipart = True

    plain = (b"text", b"plain", (b"CHARSET", b"iso-8859-2"), None, None, b"QUOTED-PRINTABLE", 10)
    html = (b"text", b"html", (b"CHARSET", b"utf-8"), None, None, b"BASE64", 10)
    pdf = (b"application", b"pdf", None, None, None, b"BASE64", 99, None, (b"attachment", None))
    assert text_part(Body(([html, plain], b"alternative"))) == TextPart(
        "2", False, "iso-8859-2", "quoted-printable"
    )
    mixed = Body(([Body(([html], b"alternative")), pdf], b"mixed"))
    assert text_part(mixed) == TextPart("1.1", True, "utf-8", "base64")
    assert text_part(Body(([pdf], b"mixed"))) is None
    assert (
        decode(b"Zg=B3oszenie", TextPart("1", False, "iso-8859-2", "quoted-printable"))
        == "Zgłoszenie"
    )
    # a base64 text cut at the byte limit decodes what it holds
    assert (
        decode(b"WmfFgm9zemVuaWUgZG8gbmFib3J1", TextPart("1", False, "utf-8", "base64"))[:10]
        == "Zgłoszenie"
    )


def test_teaching_by_sender_and_thread_latest_wins(store):
    with store.transaction():
        learning.teach(
            store, TaughtKind.SENDER, learning.sender_key("A@X.pl"), Side.EVERYDAY, "k", "t"
        )
        learning.teach(store, TaughtKind.THREAD, learning.thread_key("<m1@x>"), Side.CALL, "k", "t")
    found = learning.lookup(store, [], "a@x.pl", ["<other@x>", "<M1@x>"])
    assert found.taught == [("sender", "everyday"), ("thread", "call")]
    with store.transaction():
        learning.teach(store, TaughtKind.SENDER, learning.sender_key("a@x.pl"), Side.CALL, "k", "t")
    assert learning.lookup(store, [], "a@x.pl", []).taught == [("sender", "call")]
    # the address is kept only as a hash
    (key,) = store.db.execute("SELECT key FROM taught WHERE kind = 'sender'").fetchone()
    assert "@" not in key and len(key) == 32


# --- the coordinator teaches, the pipeline follows --------------------------------------------


@pytest.fixture
def config(tmp_path):
    text = (REPO / "config.toml").read_text(encoding="utf-8").split("[imap]")[0]
    path = tmp_path / "config.toml"
    path.write_text(text + '[smtp]\ndirectory = "outbox"\n', encoding="utf-8")
    return load_config(path)


def deliver(tmp_path, name: str, sender: str, subject: str, body: str, day: int) -> None:
    when = datetime(2024, 5, day, 10, tzinfo=WARSAW)
    raw = samples.email_with(
        sender, subject, body, to="d.butryn@dops.wroc.pl", date=when, received=when
    )
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.eml").write_bytes(raw)


def disposition(config, subject: str) -> str:
    with jobs.open_store(config) as store:
        rows = store.db.execute("SELECT disposition FROM messages WHERE subject = ?", [subject])
        return rows.fetchone()[0]


def test_not_about_the_call_takes_it_out_and_the_next_similar_message_follows(tmp_path, config):
    sender = "Rada Seniorów <biuro@seniorzy.example.pl>"
    deliver(
        tmp_path,
        "a",
        sender,
        "Pytanie o grupy robocze DKRES",
        "Czy grupa nr 2 działa w czerwcu?",
        14,
    )
    assert jobs.import_paths(config, [tmp_path / "in"]).ok
    assert disposition(config, "Pytanie o grupy robocze DKRES") == "correspondence"
    with jobs.open_store(config) as store:
        (pk,) = store.db.execute("SELECT id FROM messages").fetchone()
        assert any(i.message_pk == pk for i in attention(config, store))
        done = teach.teach(config, store, pk, about_call=False, actor="koordynatorka")
        assert done.side == Side.EVERYDAY and not any(
            i.message_pk == pk for i in attention(config, store)
        )
        event = store.db.execute(
            "SELECT detail, actor FROM events WHERE kind = 'taught'"
        ).fetchone()
        assert event[1] == "koordynatorka" and "nie dotyczy naboru" in event[0]
        # read again as unrelated: its text is no longer kept
        assert store.db.execute("SELECT disposition, raw_file FROM messages").fetchone() == (
            "unrelated",
            None,
        )
    deliver(tmp_path, "b", sender, "Pytanie o grupę nr 3", "Czy grupa nr 3 spotka się w lipcu?", 15)
    assert jobs.import_paths(config, [tmp_path / "in"]).ok
    assert disposition(config, "Pytanie o grupę nr 3") == "unrelated"


def test_about_the_call_teaches_the_call_side(tmp_path, config):
    sender = "Jan <jan@example.pl>"
    deliver(
        tmp_path,
        "a",
        sender,
        "Grupy robocze",
        "Czy grupy robocze DKRES spotkają się w czerwcu?",
        14,
    )
    assert jobs.import_paths(config, [tmp_path / "in"]).ok
    assert disposition(config, "Grupy robocze") == "unrelated"
    with jobs.open_store(config) as store:
        (pk,) = store.db.execute("SELECT id FROM messages").fetchone()
        done = teach.teach(config, store, pk, about_call=True, actor="koordynatorka")
        # imported mail judged unrelated keeps no bytes to read again: the teaching stays
        assert done.side == Side.CALL and done.reread is False and "Zapamiętano" in done.note
        assert learning.summary(store).call_documents == 1
    deliver(
        tmp_path, "b", sender, "Grupy robocze – termin", "Kiedy spotkanie grup roboczych DKRES?", 15
    )
    assert jobs.import_paths(config, [tmp_path / "in"]).ok
    assert disposition(config, "Grupy robocze – termin") == "correspondence"


def test_review_teach_on_the_command_line(tmp_path, config):
    deliver(
        tmp_path, "a", "Jan <jan@example.pl>", "Pytanie – grupa nr 4", "Kto może kandydować?", 14
    )
    assert jobs.import_paths(config, [tmp_path / "in"]).ok
    with jobs.open_store(config) as store:
        (pk, mid) = store.db.execute("SELECT id, message_id FROM messages").fetchone()
        assert teach.find_message(store, str(pk)) == pk == teach.find_message(store, mid)
    path = str(config.storage.database.parent.parent / "config.toml")
    result = CliRunner().invoke(
        cli, ["--config", path, "review", "teach", str(pk), "--not-about-call"]
    )
    assert result.exit_code == 0, result.output
    assert f"message {pk}: taught everyday" in result.output
    missing = CliRunner().invoke(cli, ["--config", path, "review", "teach", "999", "--about-call"])
    assert missing.exit_code == 65 and "no message 999" in missing.output
    with jobs.open_store(config) as store:
        detail = store.db.execute("SELECT actor FROM events WHERE kind = 'taught'").fetchone()[0]
    assert detail.startswith("cli")


def test_the_export_carries_each_messages_weighed_reasons(tmp_path, config):
    deliver(
        tmp_path, "a", "Jan <jan@example.pl>", "Pytanie – grupa nr 4", "Kto może kandydować?", 14
    )
    jobs.import_paths(config, [tmp_path / "in"])
    from mailbot.ops.export import export_json

    with jobs.open_store(config) as store:
        (message,) = json.loads(export_json(store, WARSAW))["messages"]
    assert isinstance(message["signals"], list) and message["signals"]
    assert all({"signal", "detail", "weight"} <= set(s) for s in message["signals"])
    group = next(s for s in message["signals"] if s["signal"] == "call_group")
    assert group["weight"] > 0 and "grupa nr 4" in group["detail"]
