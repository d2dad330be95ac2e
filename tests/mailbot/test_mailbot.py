"""mailbot/__init__.py: the package's version and its few public names, imported when first
used so that `mailbot --help` loads nothing else."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import mailbot

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_written_once_and_the_build_reads_it_there():
    assert re.fullmatch(r"\d+\.\d+\.\d+", mailbot.__version__)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "mailbot/__init__.py"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {mailbot.__version__}" in changelog


def test_the_public_names_are_the_librarys_own():
    from mailbot.config import Config, load_config
    from mailbot.errors import MailbotError

    assert mailbot.load_config is load_config
    assert mailbot.Config is Config
    assert mailbot.MailbotError is MailbotError
    with pytest.raises(AttributeError, match="no attribute 'poll'"):
        mailbot.poll  # noqa: B018


def test_importing_the_package_loads_neither_config_nor_errors():
    code = (
        "import sys, mailbot\n"
        "print(sorted(m for m in sys.modules if m.startswith('mailbot.')))\n"
        "mailbot.load_config\n"
        "print('mailbot.config' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=ROOT,
    )
    first, second = done.stdout.splitlines()
    assert first == "[]"
    assert second == "True"
