"""Serving the workspace with waitress (a production WSGI server, pure Python)."""

from __future__ import annotations

import logging

from mailbot.config import Config

log = logging.getLogger(__name__)


def serve(config: Config, host: str | None = None, port: int | None = None) -> None:
    import waitress

    from . import create_app

    host = host or config.web.host
    port = port or config.web.port
    log.warning("workspace at http://%s:%s/", host, port)
    waitress.serve(create_app(config), host=host, port=port, threads=4, ident="mailbot")
