"""`mailbot web` and `mailbot demo --web` on a port another program holds: one line naming the
port and --port, the exit code of README's table, no traceback (real processes, real sockets)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from mailbot.web.serve import check_port

REPO = Path(__file__).resolve().parents[3]


def _mailbot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mailbot", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _one_line_naming_the_port(result: subprocess.CompletedProcess[str], port: int) -> None:
    assert result.returncode == 75, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"port {port}" in lines[0] and "--port" in lines[0] and "in use" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_a_busy_port_is_one_line(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        config = tmp_path / "config.toml"
        config.write_text(
            (REPO / "config.toml").read_text(encoding="utf-8") + f"\n[web]\nport = {port}\n",
            encoding="utf-8",
        )
        _one_line_naming_the_port(_mailbot("--config", str(config), "web", cwd=tmp_path), port)
        other = _mailbot("--config", str(config), "web", "--port", str(port), cwd=tmp_path)
        _one_line_naming_the_port(other, port)
        # the demo says so before it builds anything
        demo = _mailbot(
            "demo", "--dir", str(tmp_path / "d"), "--web", "--port", str(port), cwd=tmp_path
        )
        _one_line_naming_the_port(demo, port)
        assert not (tmp_path / "d").exists()


def test_the_check_lets_a_free_port_be(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    check_port("127.0.0.1", port)  # free: no error, and it is free again afterwards
    with socket.create_server(("127.0.0.1", port)):
        pass
