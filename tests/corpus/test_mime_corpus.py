"""Every real-world message of ../shared/corpus/mime through `mailbot import`: no crash, one
disposition each, and a reply only where a person applies to the call (nobody in the corpus
does: bounces, auto-replies, read receipts, newsletters, spam and other projects' mail)."""

import json

import pytest
from click.testing import CliRunner
from testdata import CORPUS as SHARED_CORPUS
from testdata import REPO, need_shared

from mailbot.cli import cli

CORPUS = SHARED_CORPUS / "mime"
DISPOSITIONS = {"application", "correspondence", "unrelated", "ignored", "duplicate", "error"}


@pytest.fixture
def config_path(tmp_path):
    text = (REPO / "config.toml").read_text(encoding="utf-8").split("[imap]")[0]
    path = tmp_path / "config.toml"
    path.write_text(
        text + '[smtp]\ndirectory = "outbox"\n[limits]\nreplies_per_sender_per_day = 1000\n',
        encoding="utf-8",
    )
    return path


def test_every_corpus_message_gets_a_disposition(tmp_path, config_path):
    files = sorted(need_shared(CORPUS).glob("*.eml"))
    assert files, f"no messages in {CORPUS}"
    runner = CliRunner()
    # the corpus spans decades: --since reaches back before all of it
    result = runner.invoke(
        cli, ["--config", str(config_path), "import", "--since", "1970-01-01", str(CORPUS)]
    )
    assert result.exit_code == 0, result.output
    exported = runner.invoke(cli, ["--config", str(config_path), "export"])
    data = json.loads(exported.output)
    messages = data["messages"]
    # identical files are imported once; every distinct file has exactly one message row
    distinct = {f.read_bytes() for f in files}
    assert len(messages) == len(distinct)
    assert {m["disposition"] for m in messages} <= DISPOSITIONS
    errors = [m for m in messages if m["disposition"] == "error"]
    assert errors == [], errors
    for m in messages:
        if m["disposition"] == "ignored":
            assert m["reason"]
            assert not m["replied"]
    # none of the corpus applies to the call: no application, no reply, no reference number
    assert [m for m in messages if m["disposition"] == "application"] == []
    assert data["applications"] == []
    assert list((tmp_path / "outbox").glob("*.eml")) == []
    assert not any(m["replied"] for m in messages)
