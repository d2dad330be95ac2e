"""One line of ``mailbot check``: an item, its state and, when it is not ok, the fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

State = Literal["ok", "warn", "FAIL"]


@dataclass(frozen=True)
class Check:
    item: str
    state: State
    detail: str
    fix: str | None = None
    text: str | None = None  # the whole line after the state, when it is fixed by contract

    @property
    def line(self) -> str:
        if self.text is not None:
            return f"{self.state:<4}  {self.text}"
        text = f"{self.state:<4}  {self.item:<22} {self.detail}"
        return text + (f" — fix: {self.fix}" if self.fix and self.state != "ok" else "")


def failed(checks: list[Check]) -> bool:
    return any(c.state == "FAIL" for c in checks)
