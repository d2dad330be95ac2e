"""mailbot: runs a public call for applications by e-mail, end to end.

The library does the work; ``mailbot.cli`` is a thin command line over it::

    from mailbot import load_config
    from mailbot.ops import jobs

    report = jobs.poll(load_config(Path("config.toml")))

The pipeline (``mailbot.pipeline.stages``): fetch → classify → find the form → extract →
relevance → validate → compose the reply → record → send. Errors: ``mailbot.errors`` (one tree
under MailbotError). The layout and who may import whom: ``mailbot/README.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mailbot.config import Config, load_config
    from mailbot.errors import MailbotError

__all__ = ["Config", "MailbotError", "load_config"]
__version__ = "0.2.0"


def __getattr__(name: str) -> Any:
    """``mailbot.load_config`` and friends, imported when first used (``mailbot --help`` and a
    pass with nothing new load only what they need)."""
    if name in ("Config", "load_config"):
        from mailbot import config

        return getattr(config, name)
    if name == "MailbotError":
        from mailbot.errors import MailbotError

        return MailbotError
    raise AttributeError(f"module 'mailbot' has no attribute {name!r}")
