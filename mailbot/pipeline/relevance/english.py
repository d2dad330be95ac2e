"""The call's words in English, for mail written in English or half in it.

The call is configured in Polish; someone who writes in English about it still names what it
is about: the working group, the application form, applying, being a candidate or a member.

- the generic call words (every call has them: a call for applications, an application form,
  applying, a candidate, membership) and the English of the call's own Polish words that have
  one (working group, committee, commission, council, expert) are *weak* call words, as their
  Polish forms are;
- the English of the call's objects (for the DKRES call: the working groups) and the group
  numbers ("working group no. 4", "groups 2 and 5") say what an English question asks about.

The groups' titles are not put into English: that needs a translation, not a rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mailbot.pipeline.relevance.stems import akin

#: the generic call words in English: (family, pattern)
CALL_WORDS: tuple[tuple[str, str], ...] = (
    (
        "call for applications",
        r"calls? for (?:applications|candidates|candidatures|nominations|members)|recruitment",
    ),
    ("application form", r"application forms?"),
    ("apply", r"apply|applying|applied|applications?|applicants?"),
    ("candidate", r"candidates?|candidacy|candidacies|candidatures?"),
    ("membership", r"membership|become a member|be a member"),
)
#: the English of the call's own Polish words (their loose stems, all present): (Polish, English)
EQUIVALENTS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("grup", "robocz"), "working group", r"working groups?|work groups?|workgroups?"),
    (("komitet",), "committee", r"committees?"),
    (("komisj",), "commission", r"commissions?|committees?"),
    (("rad",), "council", r"councils?"),
    (("ekspert",), "expert", r"experts?"),
    (("sekcj",), "section", r"sections?"),
)
#: a question asks about applying when it holds one of these (and names the call's objects)
ASKED_ABOUT = re.compile(
    r"\b(?:apply|applying|applications?|applicants?|candidat\w*|members?|membership|join|"
    r"joining|eligib\w*|forms?|recruitment|deadline)\b"
)
#: a group of the call by its number, in English ("working group no. 4", "groups 2 and 5")
GROUP_NUMBER = re.compile(
    r"\b(?:working\s+)?groups?(?:\s+(?:no|nr|number))?\.?\s*#?\s*(\d{1,2})"
    r"((?:\s*(?:,|and|or|&|\+|/|-)\s*(?:no\.?\s*)?\d{1,2}\b)*)"
    r"(?!\s*(?:people|persons|participants|members|minutes|hours|days|weeks|%|percent|\d))"
)
#: one of these is in every text an English call word is found in (spares the pattern)
ANCHORS = (
    "appl", "candida", "member", "recruit", "call", "group", "committee", "commission",
    "council", "expert", "section",
)  # fmt: skip
NEVER = re.compile(r"(?!x)x")


def _has(keys: frozenset[str], wanted: Iterable[str]) -> bool:
    return all(any(akin(w, k) for k in keys) for w in wanted)


def _pattern(alternatives: list[tuple[str, str]]) -> tuple[re.Pattern[str], tuple[str, ...]]:
    if not alternatives:
        return NEVER, ()
    body = "|".join(f"(?P<e{i}>{p})" for i, (_, p) in enumerate(alternatives))
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)"), tuple(f for f, _ in alternatives)


def call_words(call_keys: frozenset[str]) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """The weak English call words of a call whose own words (loose keys) are ``call_keys``:
    the generic ones and the English of its own; one pattern (group ``e<n>``: family n)."""
    found = list(CALL_WORDS)
    for keys, family, pattern in EQUIVALENTS:
        if _has(call_keys, keys) and family not in dict(found):
            found.append((family, pattern))
    return _pattern(found)


def objects(object_keys: frozenset[str]) -> re.Pattern[str]:
    """The English of the call's objects (for DKRES "working group"), or a pattern that never
    matches when none of them has one."""
    found = [(family, p) for keys, family, p in EQUIVALENTS if _has(object_keys, keys)]
    return _pattern(found)[0]
