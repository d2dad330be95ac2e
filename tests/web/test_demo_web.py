"""`mailbot demo --web`: the workspace on the demo's data, a demo login printed once."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(folder, port):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mailbot",
            "demo",
            "--dir",
            str(folder),
            "--web",
            "--port",
            str(port),
        ],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"demo --web ended: {proc.stderr.read()}")
        lines.append(line)
        if line.startswith("workspace login:"):
            break
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, "".join(lines)
        if time.monotonic() > deadline:
            raise AssertionError("the workspace did not start")
        time.sleep(0.1)


def test_demo_web_prints_a_login_once_and_serves_the_workspace(tmp_path):
    port = free_port()
    proc, output = start(tmp_path / "demo", port)
    try:
        match = re.search(r"workspace login: (\S+)\s+password: (\S+)", output)
        assert match, output
        login, password = match.groups()
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        base = f"http://127.0.0.1:{port}"
        page = opener.open(base + "/logowanie").read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"csrf_token": token, "login": login, "password": password}
        ).encode()
        pulpit = opener.open(base + "/logowanie", data=data).read().decode()
        assert "<h1>Pulpit</h1>" in pulpit
        todo = opener.open(base + "/do-zrobienia").read().decode()
        assert "DKRES-2024-0004" in todo  # the scan waits for the coordinator
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    port = free_port()
    proc, output = start(tmp_path / "demo", port)
    try:
        assert "password:" not in output and password not in output
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    secret = tmp_path / "demo" / "data" / "web-secret"
    assert secret.stat().st_mode & 0o777 == 0o600
