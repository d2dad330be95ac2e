"""Words and stems: how a text becomes the rough stems every relevance rule compares.

Text is normalised (lower case, no diacritics), cut into words and each word reduced to a
rough stem (common Polish endings stripped: "grupy", "grupie", "grupą" → ``grup``), so that one
phrase matches its inflected forms. Short words keep their endings ("rada", "rady"): where two
words must be recognised as one word of the call's own name, :func:`loose` compares them
("rada", "rady", "radzie" → ``rad``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mailbot.pipeline.relevance.text import normalise

#: endings stripped from a word (longest first); the stem keeps at least 4 letters
_ENDINGS = tuple(
    sorted(
        (
            "owie", "iami", "iach", "iego", "iemu", "ami", "ach", "ych", "ich", "ego", "emu",
            "iej", "iem", "owi", "ymi", "imi", "iom", "om", "ow", "ej", "ie", "ia", "iu", "io",
            "em", "ym", "im", "mi", "a", "e", "i", "o", "u", "y",
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip
#: endings that alternate the stem's last consonant ("naborze" → nabor, "komitecie" → komitet)
_ALTERNATIONS = (("rze", "r"), ("cie", "t"), ("dzie", "d"))
#: words that join the words of a phrase and carry nothing themselves
STOP = frozenset(
    {
        "a", "aby", "albo", "ale", "az", "bo", "by", "czy", "do", "dla", "i", "ich", "jak",
        "jako", "jest", "juz", "lub", "na", "nad", "nie", "o", "od", "oraz", "po", "pod",
        "przez", "przy", "sa", "sie", "ta", "tak", "te", "to", "tu", "w", "we", "z", "za", "ze",
        "zas", "tym", "tych", "ten", "ktore", "ktory", "roku", "rok", "nr", "numer",
    }
)  # fmt: skip
WORD = re.compile(r"[^\W_]+")
NOISE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")
#: a stem's last letters that still inflect in a short word ("rada", "rady"; "radzie" → radz)
_VOWELS = "aeiouy"
_SOFT = (("dz", "d"), ("rz", "r"))

_STEMS: dict[str, str] = {}  # remembered stems (cleared when it grows past 65,536)
_LOOSE: dict[str, str] = {}


def stem(word: str) -> str:
    """A rough stem of a normalised word (digits and short words as they are)."""
    found = _STEMS.get(word)
    if found is None:
        if len(_STEMS) > 65_536:
            _STEMS.clear()
        found = _STEMS[word] = _stem(word)
    return found


def known_stem(word: str) -> str | None:
    """The stem already worked out for ``word``, if any (spares a call on a hot path)."""
    return _STEMS.get(word)


def _stem(word: str) -> str:
    if len(word) <= 4 or not word.isalpha():
        return word
    for ending, replacement in _ALTERNATIONS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)] + replacement
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def loose(stem_: str) -> str:
    """A stem with the vowels a short word still inflects with stripped (at least 3 letters
    kept) and a softened last consonant hardened: the key under which "rada", "rady", "radzie"
    and "radą" are one word."""
    found = _LOOSE.get(stem_)
    if found is None:
        if len(_LOOSE) > 65_536:
            _LOOSE.clear()
        key = stem_
        while len(key) > 3 and key[-1] in _VOWELS and key.isalpha():
            key = key[:-1]
        for soft, hard in _SOFT:
            if key.endswith(soft) and len(key) > 3:
                key = key[: -len(soft)] + hard
        found = _LOOSE[stem_] = key
    return found


def akin(a: str, b: str) -> bool:
    """Two loose keys that are one word: equal, or one the other's start when both are long
    ("konkurs", "konkursow")."""
    if a == b:
        return True
    return len(a) >= 5 and len(b) >= 5 and (a.startswith(b) or b.startswith(a))


def words(text: str) -> list[str]:
    """The normalised words of a text (addresses and links left out)."""
    return WORD.findall(NOISE.sub(" ", normalise(text)))


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def content(stemmed: Sequence[str]) -> list[str]:
    """The stems that carry meaning: no joining words, no single letters."""
    return [s for s in stemmed if s not in STOP and (len(s) > 1 or s == "|")]


def loose_content(text: str) -> tuple[str, ...]:
    """A text's content words as loose keys (how the call's own phrases are compared)."""
    return tuple(loose(s) for s in content(stems(text)))
