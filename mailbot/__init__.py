"""mailbot: runs a public call for applications by e-mail, end to end.

The library does the work; ``mailbot.cli`` is a thin command line over it::

    from mailbot import load_config
    from mailbot.ops import jobs

    report = jobs.poll(load_config(Path("config.toml")))

The pipeline (``mailbot.pipeline.stages``): fetch → classify → find the form → extract →
relevance → validate → compose the reply → record → send. Errors: ``mailbot.errors`` (one tree
under MailbotError). The layout and who may import whom: ``mailbot/README.md``.
"""

from mailbot.config import Config, load_config
from mailbot.errors import MailbotError

__all__ = ["Config", "MailbotError", "load_config"]
__version__ = "0.2.0"
