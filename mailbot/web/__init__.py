"""``mailbot web``: the coordinator's workspace (Flask, server-rendered, Polish).

One blueprint per concern (auth, pulpit, do zrobienia, zgłoszenia, zgłoszenie, popraw, zdecyduj,
odpowiedz, lista do uchwały); each view parses the request, calls the library (mailbot.ops.review,
mailbot.ops.export, mailbot.ops.resolution, mailbot.ops.overview) and renders a template from
``templates/web``. Security (sessions, CSRF, headers, login throttling) is in
:mod:`mailbot.web.security`.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
