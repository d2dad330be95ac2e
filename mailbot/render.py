"""jinja2 environments for replies (plain text) and the digest (text and HTML).

Applicant text only ever reaches a template as a variable value: jinja2 never evaluates it, and
the HTML digest is autoescaped. Templates live in the top-level ``templates/`` folder of a
checkout, which the wheel ships as ``mailbot/templates``; a ``templates.dir`` from config is
searched first.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from .mime import one_line


def templates_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "reply").is_dir():
            return candidate
    raise FileNotFoundError("mailbot's templates folder is missing from this installation")


@cache
def environment(html: bool, extra_dir: Path | None = None) -> jinja2.Environment:
    """The one render environment; ``extra_dir`` (config ``templates.dir``) is searched before
    the built-in templates, so an office can reword a letter without touching the package."""
    dirs = [extra_dir] if extra_dir is not None else []
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([*dirs, templates_dir()]),
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, context: dict[str, Any],
           extra_dir: Path | None = None) -> tuple[str, str]:
    """Render a template; return (subject, body). The subject is made single-line."""
    html = name.endswith(".html.j2")
    template = environment(html, extra_dir).get_template(name)
    body = template.render(context)
    subject = str(getattr(template.make_module(context), "subject", "") or "")
    return one_line(subject, 200), body
