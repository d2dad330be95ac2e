"""Serving the workspace with waitress (a production WSGI server, pure Python)."""

from __future__ import annotations

import errno
import ipaddress
import logging

from mailbot.config import Config
from mailbot.errors import ListenError

log = logging.getLogger(__name__)


def is_loopback(host: str) -> bool:
    """Only this machine can reach an address like 127.0.0.1, ::1 or localhost."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may be reachable from anywhere


def insecure_listening(config: Config, host: str) -> str | None:
    """The warning for listening beyond this machine without ``web.secure_cookies``, or None."""
    if is_loopback(host) or config.web.secure_cookies:
        return None
    return (
        f"the workspace listens on {host}, beyond this machine, but web.secure_cookies is "
        "false: logins and session cookies would travel without TLS. Put it behind a reverse "
        "proxy with HTTPS (README: The coordinator's workspace) and set web.secure_cookies = "
        "true"
    )


def listen_error(host: str, port: int, exc: OSError) -> ListenError:
    """One line naming the address and the fix (``--port``), with the exit code README gives."""
    where = f"{host}:{port}"
    if exc.errno == errno.EADDRINUSE:
        return ListenError(
            f"cannot start the workspace: port {port} on {host} is already in use (another "
            f"program, perhaps another `mailbot web`, listens there): choose another with "
            f"--port, e.g. --port {port + 1 if port < 65535 else 8025}, or set web.port",
            75,
        )
    if exc.errno == errno.EACCES:
        return ListenError(
            f"cannot start the workspace on {where}: this user may not listen on port {port} "
            f"(ports below 1024 need root): choose a port from 1024 up with --port, or set "
            f"web.port",
            77,
        )
    return ListenError(
        f"cannot start the workspace on {where} ({exc.strerror or exc}): check --host "
        f"(web.host: an address of this machine, e.g. 127.0.0.1) and --port",
        78,
    )


def check_port(host: str, port: int) -> None:
    """Raise the :class:`ListenError` serving would meet, before a long preparation (the demo)
    is spent on a port another program holds."""
    import socket

    try:
        with socket.create_server((host, port), reuse_port=False) as sock:
            sock.close()
    except OSError as exc:
        raise listen_error(host, port, exc) from exc


def serve(config: Config, host: str | None = None, port: int | None = None) -> None:
    """Serve until stopped; a port taken or refused is a :class:`ListenError` (one line)."""
    import waitress

    from . import create_app

    host = host or config.web.host
    port = port or config.web.port
    warning = insecure_listening(config, host)
    if warning:
        log.warning("%s", warning)
    app = create_app(config)
    try:
        server = waitress.create_server(app, host=host, port=port, threads=4, ident="mailbot")
    except OSError as exc:
        raise listen_error(host, port, exc) from exc
    log.warning("workspace at http://%s:%s/", host, port)
    server.run()
