"""Serving the workspace with waitress (a production WSGI server, pure Python)."""

from __future__ import annotations

import ipaddress
import logging

from mailbot.config import Config

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


def serve(config: Config, host: str | None = None, port: int | None = None) -> None:
    import waitress

    from . import create_app

    host = host or config.web.host
    port = port or config.web.port
    warning = insecure_listening(config, host)
    if warning:
        log.warning("%s", warning)
    log.warning("workspace at http://%s:%s/", host, port)
    waitress.serve(create_app(config), host=host, port=port, threads=4, ident="mailbot")
