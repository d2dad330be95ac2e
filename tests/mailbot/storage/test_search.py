"""Search that speaks Polish: case and diacritics folded on both sides, on a real SQLite file
(the demo's pipeline data), kept by the triggers of migration 16 and filled in for the
applications stored before it."""

from __future__ import annotations

import pytest
from web.workspace_data import demo_copy, open_store

from mailbot.ops import review
from mailbot.storage import store as store_module
from mailbot.storage.reports import ApplicationFilter, application_rows, count_applications
from mailbot.storage.search import fold, search_text
from mailbot.storage.store import Store, dumps


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Łódź", "lodz"),
        ("ŚWIDNICKIEJ", "swidnickiej"),
        ("Spółdzielnia „Łączy Nas”", "spoldzielnia „laczy nas”"),
        ("Müller  Ørsted\nStraße", "muller orsted strasse"),
        ("DKRES-2024-0007", "dkres-2024-0007"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_the_search_text_holds_the_values_not_the_keys():
    text = search_text(
        "DKRES-2024-0001",
        "A.Kowalska@example.pl",
        dumps({"full_name": "Żaneta Łęcka", "groups": [1, 4], "consents_gdpr": True}),
        dumps({"full_name": "Żaneta Łęcka-Nowak"}),
    )
    assert "zaneta lecka" in text and "lecka-nowak" in text and "a.kowalska@example.pl" in text
    assert "full_name" not in text and "true" not in text
    assert search_text(None, None, "{not json", None) == "{not json"


@pytest.fixture
def config(tmp_path):
    return demo_copy(tmp_path)


def found(store: Store, text: str) -> list[str]:
    flt = ApplicationFilter(text=text)
    refs = [r["reference"] for r in application_rows(store, flt)]
    assert count_applications(store, flt) == len(refs)
    return refs


def test_case_and_diacritics_are_folded_on_both_sides(config):
    with open_store(config) as store:
        review.correct(
            store,
            "DKRES-2024-0001",
            {"address": "ul. Świdnickiej 3\n90-001 Łódź"},
            actor="koordynatorka",
        )
        assert found(store, "lodz") == found(store, "ŁÓDŹ") == ["DKRES-2024-0001"]
        assert found(store, "swidnickiej") == ["DKRES-2024-0001"]
        assert found(store, "Świdnickiej 3") == ["DKRES-2024-0001"]
        # what the form said before the correction is still found
        assert found(store, "wroclawska 12") == ["DKRES-2024-0001", "DKRES-2024-0006"]
        # Grzegorz Zieliński of „Łączy Nas”: both of his applications (the first superseded)
        assert found(store, "laczy") == ["DKRES-2024-0002", "DKRES-2024-0007"]
        assert (
            found(store, "ZIELIŃSKI")
            == found(store, "zielinski")
            == [
                "DKRES-2024-0002",
                "DKRES-2024-0007",
            ]
        )
        assert found(store, "dkres-2024-0004") == ["DKRES-2024-0004"]
        assert found(store, "g.zielinski@laczynas") == ["DKRES-2024-0002", "DKRES-2024-0007"]
        # LIKE's wildcards are plain characters; nothing matches them here
        assert found(store, "%") == [] and found(store, "_") == []
        assert found(store, "nikogo takiego") == []


def test_applications_stored_before_the_migration_are_found(tmp_path, monkeypatch):
    database, files = tmp_path / "m.db", tmp_path / "files"
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 11)
    with Store(database, files) as old:
        message = old.insert(
            "messages",
            {
                "message_id": "<a@example.pl>",
                "sha256": "0" * 64,
                "disposition": "application",
                "received_at": "2024-05-10T10:00:00+00:00",
            },
        )
        old.insert(
            "applications",
            {
                "message_pk": message,
                "reference": "DKRES-2024-0001",
                "status": "accepted",
                "fields": dumps({"full_name": "Łucja Żółkiewska", "address": "Łódź"}),
                "received_at": "2024-05-10T10:00:00+00:00",
                "superseded": 0,
            },
        )
        assert old.conn.execute("PRAGMA user_version").fetchone()[0] == 11
    monkeypatch.undo()
    with Store(database, files) as new:
        assert new.conn.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
        assert found(new, "zolkiewska") == ["DKRES-2024-0001"]
        assert found(new, "LODZ") == ["DKRES-2024-0001"]
