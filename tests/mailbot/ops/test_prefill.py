"""The application side of OCR on a real SQLite file (the demo's pipeline data): the pre-fill's
states and claims, what export and ``mailbot check`` say, and the coordinator's confirmation
(``confirm_prefill``, ``review correct --from-prefill``) with every value checked by the form
spec. What OCR reads is tested with real Tesseract in tests/integration/test_scans.py; here a
reading is stored as the OCR stage stores one."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from web.workspace_data import demo_copy, open_store

from mailbot.cli import cli
from mailbot.cli_errors import phrase as cli_phrase
from mailbot.errors import ActionRefused
from mailbot.names import OcrState
from mailbot.ops import check, review
from mailbot.ops.export import export_json
from mailbot.ops.prefill import confirm_prefill, scan_reading
from mailbot.pipeline.ocr import enqueue
from mailbot.storage import prefills
from mailbot.storage.store import iso, utcnow

SCAN = "DKRES-2024-0004"  # the demo's scanned form (needs_review)
ANNA = "DKRES-2024-0001"  # a DOCX, accepted

READ = {
    "fields": {
        "full_name": "Tomasz Lewandowski",
        "organisation": "Zakład Aktywności Zawodowej",
        "organisation_type": "ZAZ",
        "position": "Dyrektor",
        "address": None,
        "email": "dyrektor@zaz.example.pl",
        "phone": "74 811 00 00",
        "groups": [4, 5],
        "experience": None,
        "place_and_date": "Bystrzyca, 20.05.2024",
        "accepts_rules": True,
        "consents_gdpr": True,
    },
    "confidence": {"full_name": 0.93, "email": 0.41, "groups": 0.97},
    "engine": "tesseract 5.3.0 (pol)",
    "boxes": {"full_name": [{"page": 0, "left": 0.3, "top": 0.2, "width": 0.4, "height": 0.03}]},
}


@pytest.fixture
def config(tmp_path):
    return demo_copy(tmp_path)


@pytest.fixture
def store(config):
    s = open_store(config)
    yield s
    s.close()


def app_pk(store, ref: str) -> int:
    return int(review.application_row(store, ref)["id"])


def store_reading(store, ref: str = SCAN, reading: dict | None = None) -> int:
    """Claim the scan and store a reading as the OCR stage does after a read."""
    pk = app_pk(store, ref)
    enqueue(store)
    with store.transaction():
        prefills.record_done(
            store,
            pk,
            prefill=reading or READ,
            engine="tesseract 5.3.0 (pol)",
            pages=0,
            page_files=[],
            now=iso(utcnow()),
            seconds=1.5,
        )
    return pk


def test_only_scans_are_queued_and_a_claim_is_taken_once(store):
    assert prefills.prefill_of(store, app_pk(store, SCAN)) is not None  # the demo read it
    with store.transaction():
        store.db.execute("DELETE FROM prefills")
    assert enqueue(store) == 1
    assert enqueue(store) == 0  # queued once
    row = prefills.prefill_of(store, app_pk(store, SCAN))
    assert row.state == OcrState.PENDING
    assert prefills.prefill_of(store, app_pk(store, ANNA)) is None  # a DOCX is never OCR'd
    now = utcnow()
    stale = iso(now - timedelta(minutes=5))
    with store.transaction():
        first = prefills.claim_next(store, iso(now), stale)
        second = prefills.claim_next(store, iso(now), stale)
    assert first is not None and first.reference == SCAN and second is None
    assert [f.filename for f in first.files] == ["skan_20240521.pdf"]
    # a reader that died: taken again once its claim is stale, counting the attempt
    with store.transaction():
        again = prefills.claim_next(
            store, iso(now + timedelta(minutes=10)), iso(now + timedelta(seconds=1))
        )
    assert again is not None and again.attempts == 2
    with store.transaction():
        prefills.release(store, again.application_pk)
    assert prefills.prefill_of(store, again.application_pk).state == OcrState.PENDING


def test_a_reading_is_kept_apart_and_never_decides_anything(store):
    pk = store_reading(store)
    row = review.application_row(store, SCAN)
    assert row["status"] == "needs_review"
    assert json.loads(row["fields"])["full_name"] is None  # fields stay empty
    reading = scan_reading(store, pk)
    assert reading.done and reading.fields["full_name"] == "Tomasz Lewandowski"
    assert reading.low("email") and not reading.low("full_name")
    assert not reading.read("address") and not reading.low("address")


def test_export_gives_a_scan_its_prefill_in_the_contract_shape(config, store):
    store_reading(store)
    data = json.loads(export_json(store, config.call.timezone, spec=config.form))
    apps = {a["reference"]: a for a in data["applications"]}
    prefill = apps[SCAN]["prefill"]
    assert set(prefill) == {"fields", "confidence", "engine"}
    assert prefill["engine"] == "tesseract 5.3.0 (pol)"
    assert list(prefill["fields"]) == list(config.form.keys)
    assert prefill["fields"]["groups"] == [4, 5] and prefill["fields"]["experience"] is None
    assert prefill["confidence"]["email"] == 0.41 and prefill["confidence"]["address"] == 0.0
    assert apps[SCAN]["fields"]["full_name"] is None  # not the application's values
    assert "prefill" not in apps[ANNA]


def test_no_prefill_when_the_reading_failed(config, store):
    pk = app_pk(store, SCAN)
    enqueue(store)
    with store.transaction():
        prefills.record_failed(
            store, pk, reason="no_engine", detail="x", now=iso(utcnow()), seconds=None
        )
    data = json.loads(export_json(store, config.call.timezone, spec=config.form))
    assert all("prefill" not in a for a in data["applications"])
    reading = scan_reading(store, pk)
    assert reading.state == "failed" and "Tesseract" in reading.reason


def test_check_names_the_packages_when_tesseract_is_missing(monkeypatch):
    from parsers import ocr

    monkeypatch.setattr(ocr, "engine", lambda: None)
    assert check.check_ocr().line.endswith(
        "OCR: tesseract not found — install tesseract-ocr tesseract-ocr-pol"
    )
    monkeypatch.setattr(ocr, "engine", lambda: "tesseract 5.3.0 (pol)")
    found = check.check_ocr()
    assert found.state == "ok" and "tesseract 5.3.0 (pol)" in found.line


def test_confirming_turns_the_reading_into_corrections(config, store):
    store_reading(store)
    made = confirm_prefill(store, SCAN, actor="anna", call=config.call)
    assert {c.field for c in made} == {
        "full_name",
        "organisation",
        "organisation_type",
        "position",
        "email",
        "phone",
        "groups",
        "place_and_date",
        "accepts_rules",
        "consents_gdpr",
    }
    fixes = review.corrections(store, app_pk(store, SCAN))
    groups = next(c for c in fixes if c.field == "groups")
    assert (groups.old, groups.new, groups.by) == ([], [4, 5], "anna") and groups.at
    row = review.application_row(store, SCAN)
    assert row["status"] == "needs_review"  # a person decides the status, in Zdecyduj
    assert review.machine_fields(row)["email"] is None  # the machine's values stay
    kinds = [r[0] for r in store.db.execute("SELECT kind FROM events WHERE actor = 'anna'")]
    assert kinds == ["correction", "prefill_confirmed"]


@pytest.mark.parametrize("typed", ["4 i 5", "4, 5", "4 oraz 5", "grupy nr 4 i 5", "5;4"])
def test_groups_as_people_write_them(config, store, typed):
    made = review.correct(store, SCAN, {"groups": typed}, actor="anna", call=config.call)
    assert [(c.field, c.new) for c in made] == [("groups", [4, 5])]


def test_a_typed_value_is_checked_by_the_form_spec(config, store):
    with pytest.raises(review.FieldErrors) as refused:
        review.correct(
            store,
            SCAN,
            {"email": "a@@cis.example.pl", "groups": "4 i 9", "full_name": "Tomasz"},
            actor="anna",
            call=config.call,
        )
    errors = refused.value.errors
    assert set(errors) == {"email", "groups"}
    assert errors["email"] == "Podany adres e-mail wygląda na niepoprawny."
    assert "spoza naboru (nr 9)" in errors["groups"] and "1, 2, 3, 4, 5" in errors["groups"]
    assert review.corrections(store, app_pk(store, SCAN)) == []  # nothing saved
    with pytest.raises(review.FieldErrors) as words:
        review.correct(store, SCAN, {"groups": "czwarta"}, actor="anna", call=config.call)
    assert words.value.errors["groups"].startswith("Wpisz numery")


def test_a_reading_with_a_bad_value_is_refused_until_fixed(config, store):
    bad = json.loads(json.dumps(READ))
    bad["fields"]["email"] = "dyrektorQzaz@@example.pl"
    store_reading(store, reading=bad)
    with pytest.raises(review.FieldErrors) as refused:
        confirm_prefill(store, SCAN, actor="anna", call=config.call)
    assert set(refused.value.errors) == {"email"}
    made = confirm_prefill(
        store, SCAN, actor="anna", call=config.call, overrides={"email": "dyrektor@zaz.example.pl"}
    )
    assert ("email", "dyrektor@zaz.example.pl") in [(c.field, c.new) for c in made]


def test_nothing_to_confirm_while_the_scan_is_read_or_for_a_docx(config, store):
    with store.transaction():
        store.db.execute("DELETE FROM prefills")
    enqueue(store)
    with pytest.raises(ActionRefused) as reading:
        confirm_prefill(store, SCAN, actor="anna", call=config.call)
    assert reading.value.code == "reading_in_progress"
    assert "still being read" in cli_phrase(reading.value)
    with pytest.raises(ActionRefused) as docx:
        confirm_prefill(store, ANNA, actor="anna", call=config.call)
    assert docx.value.code == "not_a_scan" and "not a scan" in cli_phrase(docx.value)


def test_cli_correct_from_prefill(config, store, tmp_path):
    with store.transaction():
        store.db.execute("DELETE FROM prefills")
    store_reading(store)
    runner = CliRunner()
    base = ["--config", str(config.path), "review", "correct", SCAN]
    bad = runner.invoke(cli, [*base, "--from-prefill", "--set", "groups=9"])
    assert bad.exit_code == 65 and "spoza naboru (nr 9)" in bad.output
    done = runner.invoke(cli, [*base, "--from-prefill", "--set", "phone=71 344 55 66"])
    assert done.exit_code == 0, done.output
    assert "groups: [] -> [4, 5]" in done.output
    assert 'phone: null -> "71 344 55 66"' in done.output
    again = runner.invoke(cli, [*base, "--from-prefill", "--set", "phone=71 344 55 66"])
    assert again.exit_code == 0 and "nothing changed" in again.output
    assert runner.invoke(cli, base).exit_code == 2  # neither --set nor --from-prefill


def test_purge_removes_a_reading_with_its_application_and_keeps_the_live_ones(config, store):
    from datetime import UTC, datetime

    from mailbot.ops import jobs
    from mailbot.pipeline.ocr import PAGE_SUFFIX

    page = b"\x89PNG\r\n\x1a\n" + b"page" * 100
    rel = store.save_file(page, "ab" * 32, PAGE_SUFFIX)
    pk = app_pk(store, SCAN)
    enqueue(store)
    with store.transaction():
        prefills.record_done(
            store,
            pk,
            prefill=READ,
            engine="tesseract 5.3.0 (pol)",
            pages=1,
            page_files=[rel],
            now=iso(utcnow()),
            seconds=1.0,
        )
    jobs.purge_before(config, datetime(2024, 5, 1, tzinfo=UTC))  # nothing that old
    assert (store.files / rel).is_file() and prefills.prefill_of(store, pk) is not None
    jobs.purge_before(config, datetime(2030, 1, 1, tzinfo=UTC))
    assert prefills.prefill_of(store, pk) is None
    assert not (store.files / rel).exists()
