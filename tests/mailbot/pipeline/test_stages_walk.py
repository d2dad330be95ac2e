"""The walk (``tests/bench/walk.py``): one message from fetch to send enters each stage's module
once, in the order of :data:`mailbot.pipeline.stages.STAGE_MODULES` — the record stage once —
and one decision in the workspace reads the application once."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

WALK = Path(__file__).resolve().parents[2] / "bench" / "walk.py"


def _walk_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mailbot_walk", WALK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, object]:
    walk = _walk_module()
    root = tmp_path_factory.mktemp("walk")
    return walk.run(root)  # type: ignore[no-any-return]


def test_a_message_walks_the_stages_once_in_order(walked: tuple[object, object]) -> None:
    from mailbot.pipeline.stages import STAGE_MODULES

    message, _decision = walked
    assert message.outcome == "1 accepted"  # type: ignore[attr-defined]
    assert message.sent == 1  # type: ignore[attr-defined]
    assert message.order == [stage for stage, _module in STAGE_MODULES]  # type: ignore[attr-defined]
    assert message.stages == message.order  # type: ignore[attr-defined]
    assert message.stages.count("record") == 1  # type: ignore[attr-defined]


def test_a_decision_reads_the_application_once(walked: tuple[object, object]) -> None:
    _message, decision = walked
    assert decision.status == 302  # type: ignore[attr-defined]
    assert decision.decided == "accepted"  # type: ignore[attr-defined]
    assert len(decision.reads) == 1, decision.reads  # type: ignore[attr-defined]


def test_the_walk_sees_a_stage_entered_twice() -> None:
    walk = _walk_module()
    w = walk.Walk(
        entries=[
            "mailbot.mail.sources",
            "mailbot.pipeline.record",
            "mailbot.pipeline.classify",
            "mailbot.storage.store",
            "mailbot.pipeline.relevance.rule",
            "mailbot.pipeline.relevance",
            "mailbot.pipeline.record",
        ],
        called=[True] * 7,
    )
    stages = {"fetch": "mailbot.mail.sources", "classify": "mailbot.pipeline.classify"}
    stages |= {"relevance": "mailbot.pipeline.relevance", "record": "mailbot.pipeline.record"}
    assert w.entered(stages) == ["fetch", "record", "classify", "relevance", "record"]
    assert w.returns["mailbot.pipeline.record"] == 1
