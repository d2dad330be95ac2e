"""The values of the ``[form]`` table checked one by one: ``FormSpecError`` names the key and
what is expected there (an unknown key, the nearest valid one).

A leaf module of ``parsers.spec``: plain values in, plain values out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class FormSpecError(ValueError):
    """A bad ``[form]`` table: ``key`` is the dotted path, ``expected`` what should be there."""

    def __init__(self, key: str, expected: str, *, unknown: bool = False) -> None:
        super().__init__(f"`{key}`: {expected}" if unknown else f"{key}: expected {expected}")
        self.key = key
        self.expected = expected
        self.unknown = unknown  # a key the format does not have (``expected`` says the nearest)


def unknown_key(where: str, key: str, known: Iterable[str]) -> FormSpecError:
    """``form.fields.email.lables``: unknown key; did you mean ``labels``?"""
    known = sorted(known)
    import difflib  # only for the message of a mistyped key

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"did you mean `{close[0]}`?" if close else "known keys: " + ", ".join(known)
    return FormSpecError(f"{where}.{key}", f"unknown key; {hint}", unknown=True)


def as_text(v: Any, key: str, allow_empty: bool = False) -> str:
    if not isinstance(v, str) or (not allow_empty and not v.strip()):
        raise FormSpecError(key, "a non-empty string" if not allow_empty else "a string")
    return v.strip()


def as_texts(v: Any, key: str, empty: bool = False) -> list[str]:
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list | tuple) or (not v and not empty):
        raise FormSpecError(key, "an array of non-empty strings")
    out = []
    for item in v:
        if not isinstance(item, str) or not item.strip():
            raise FormSpecError(key, "an array of non-empty strings")
        out.append(item.strip())
    return out


def as_opt_text(raw: Mapping[str, Any], key: str, where: str) -> str | None:
    value = raw.get(key)
    return None if value is None else as_text(value, f"{where}.{key}")


def choice_bounds(
    raw: Mapping[str, Any], where: str, ftype: str, options: int
) -> tuple[int | None, int | None]:
    """``min_choices`` / ``max_choices`` of a choice field: whole numbers from 1 to the number
    of its options, the least not above the most."""
    bounds: list[int | None] = []
    for name in ("min_choices", "max_choices"):
        value = raw.get(name)
        if value is not None and ftype != "groups":
            raise FormSpecError(f"{where}.{name}", 'a bound only on the field of type "choice"')
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= options
        ):
            raise FormSpecError(
                f"{where}.{name}", f"a whole number from 1 to the number of options ({options})"
            )
        bounds.append(value)
    least, most = bounds
    if least is not None and most is not None and least > most:
        raise FormSpecError(f"{where}.min_choices", f"at most max_choices ({most})")
    return least, most
