"""What the middle stages of the pipeline need, passed explicitly (no global configuration)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from mailbot.config import CallConfig, LimitsConfig
from mailbot.storage.store import Store, utcnow
from parsers import FormSpec


@dataclass(frozen=True)
class Context:
    """The call, its form, the limits, the store and the clock of one pass."""

    call: CallConfig
    form: FormSpec
    limits: LimitsConfig
    store: Store
    now: Callable[[], datetime] = field(default=utcnow)
