"""jinja2 environments for replies (plain text) and the digest (text and HTML).

Applicant text only ever reaches a template as a variable value: jinja2 never evaluates it, and
the HTML digest is autoescaped. Templates live in the top-level ``templates/`` folder of a
checkout, which the wheel ships as ``mailbot/templates``; a ``templates.dir`` from config is
searched first.
"""

from __future__ import annotations

import re
import textwrap
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2

from mailbot.mail.mime import one_line


def templates_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "reply").is_dir():
            return candidate
    raise FileNotFoundError("mailbot's templates folder is missing from this installation")


NBSP = "\u00a0"
#: a one-letter word ("i", "w", "z", "o", "a", "u") is not left at the end of a line, and
#: "r." (roku) stays with its year, "część", "nr", "godz." with what follows: Polish
#: typesetting, kept by wrapping
_ORPHAN = re.compile(r"(?<=\s)([aiouwzAIOUWZ]) (?=\S)")
_YEAR = re.compile(r"(\d) (r\.)|\b(część|nr|godz\.) (?=[\dIVX])")


#: distinct texts whose wrapping is remembered: the letters' fixed paragraphs and the values
#: that repeat in a pass are wrapped once, not once per letter
WRAP_CACHE_SIZE = 4096


@lru_cache(maxsize=WRAP_CACHE_SIZE)
def wrap_text(text: str, width: int = 70) -> str:
    """Paragraphs (separated by an empty line) re-wrapped at spaces to ``width``; never inside
    a word, an address or a number, no one-letter word at a line end, "2025 r." kept together.
    Ends with one newline."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    out = ["\n".join(wrap_line(" ".join(p.split()), width)) for p in paragraphs]
    return "\n\n".join(out) + "\n" if out else ""


def _keep(match: re.Match[str]) -> str:
    if match.group(3):
        return match.group(3) + NBSP
    return f"{match.group(1)}{NBSP}{match.group(2)}"


def wrap_line(text: str, width: int = 70, subsequent_indent: str = "") -> list[str]:
    """One line of text wrapped as :func:`wrap_text` does."""
    return list(_wrapped_line(text, width, subsequent_indent))


@lru_cache(maxsize=WRAP_CACHE_SIZE)
def _wrapped_line(text: str, width: int, subsequent_indent: str) -> tuple[str, ...]:
    kept = _YEAR.sub(_keep, _ORPHAN.sub(rf"\1{NBSP}", " " + text))[1:]
    lines = textwrap.wrap(
        kept,
        width,
        subsequent_indent=subsequent_indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return tuple(line.replace(NBSP, " ") for line in lines) or ("",)


@cache
def environment(html: bool, extra_dir: Path | None = None) -> jinja2.Environment:
    """The one render environment; ``extra_dir`` (config ``templates.dir``) is searched before
    the built-in templates, so an office can reword a letter without touching the package."""
    dirs = [extra_dir] if extra_dir is not None else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*dirs, templates_dir()]),
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["wrap"] = wrap_text
    return env


def render(name: str, context: dict[str, Any], extra_dir: Path | None = None) -> tuple[str, str]:
    """Render a template; return (subject, body). The subject is made single-line.

    One run of the template gives both: the body, and the ``subject`` it sets (an exported
    variable of that same run), as ``Template.render`` and ``make_module`` would separately."""
    env = environment(name.endswith(".html.j2"), extra_dir)
    template = env.get_template(name)
    run = template.new_context(dict(context))
    try:
        body: str = env.concat(template.root_render_func(run))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - re-raised with the template's own line numbers
        env.handle_exception()
    subject = str(run.get_exported().get("subject", "") or "")
    return one_line(subject, 200), body
