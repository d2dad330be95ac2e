"""Words: how a text becomes terms, what is the call's own, what names another purpose.

Text is normalised (lower case, no diacritics), cut into words and each word reduced to a
rough stem (common Polish endings stripped: "grupy", "grupie", "grupą" → ``grup``), so that one
phrase matches its inflected forms. A *term* is a stem or two neighbouring stems ("grup
robocz"); terms are what learning counts (:mod:`mailbot.storage.learning`).

:class:`CallVocabulary` is derived from the call's configuration, never listed by hand:

- the call's *head* (the first word of its short name, "Nabór") and its *objects* (the other
  words of its name and short name: "członków", "grup roboczych");
- the *owner*: the body whose acronym the reference prefix spells ("DKRES-2024" → the words
  "Dolnośląski Komitet Rozwoju Ekonomii Społecznej" in the name); mail about the owner is the
  mailbox's everyday work, so its name is no evidence for the call;
- the groups' titles ("ds. promocji i współpracy z biznesem") and numbers;
- the generic call words (the default ``call.keywords``: "nabór", "Komitet", "formularz" …):
  they fill the everyday mail of a secretariat and say little on their own; a word the
  configuration adds to ``call.keywords`` is the call's own and weighs as its name does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from mailbot.config import DEFAULT_KEYWORDS, CallConfig
from mailbot.pipeline.relevance import english
from mailbot.pipeline.relevance.purposes import (
    OTHER_PURPOSES,
    Purpose,
    other_purposes,
    purpose_patterns,
)
from mailbot.pipeline.relevance.stems import (
    NOISE,
    STOP,
    content,
    known_stem,
    loose,
    loose_content,
    stem,
    stems,
    words,
)
from mailbot.pipeline.relevance.text import normalise

__all__ = [
    "BOUNDARY",
    "GROUP_CONTEXT",
    "OTHER_PURPOSES",
    "STOP",
    "CallVocabulary",
    "GroupTitle",
    "Purpose",
    "call_vocabulary",
    "content",
    "find_run",
    "message_stems",
    "other_purposes",
    "positions",
    "stem",
    "stems",
    "terms",
    "tokens",
    "words",
]

#: words that, written before a group's title, show it is a group's name ("grupa ds. …")
GROUP_CONTEXT = frozenset({"grup", "ds", "obszar", "dziedzin", "sekcj", "zespol", "komisj"})


MAX_TERMS = 600


def terms(text: str) -> set[str]:
    """What learning counts of a text: its content stems (3+ letters, not numbers) and each two
    neighbouring ones ("posiedzen komitet"); at most :data:`MAX_TERMS`."""
    seq = [s for s in content(stems(text)) if len(s) >= 3 and not s.isdigit()]
    found: set[str] = set(seq)
    found.update(f"{a} {b}" for a, b in pairwise(seq))
    if len(found) > MAX_TERMS:
        return set(sorted(found)[:MAX_TERMS])
    return found


def positions(seq: Sequence[str]) -> dict[str, list[int]]:
    """Where each stem stands in ``seq`` (built once per message, read by every phrase)."""
    index: dict[str, list[int]] = {}
    for i, s in enumerate(seq):
        index.setdefault(s, []).append(i)
    return index


def find_run(
    seq: Sequence[str],
    phrase: Sequence[str],
    max_gap: int = 0,
    index: dict[str, list[int]] | None = None,
) -> int:
    """Index in ``seq`` where ``phrase`` starts (each next stem within ``max_gap`` other stems
    of the previous one), or -1. ``index`` (:func:`positions` of ``seq``) spares the scan."""
    index = positions(seq) if index is None else index
    if not phrase or any(p not in index for p in phrase):
        return -1  # a stem of the phrase is nowhere in the message
    for i in index[phrase[0]]:
        at = i
        for nxt in phrase[1:]:
            window = seq[at + 1 : at + 2 + max_gap]
            if nxt not in window:
                break
            at = at + 1 + window.index(nxt)
        else:
            return i
    return -1


@dataclass(frozen=True)
class GroupTitle:
    number: int
    phrases: tuple[tuple[str, ...], ...]  # content stems of the title, two or three at a time
    label: str  # as configured, for the reasons


@dataclass(frozen=True)
class CallVocabulary:
    """What is the call's own, derived from its configuration."""

    head: str  # "nabor"
    objects: frozenset[str]  # "czlonk", "grup", "robocz"
    owner: tuple[str, ...]  # the owner's name as stems ("dolnoslask", "komitet", …)
    owner_acronym: str  # "dkres"
    name_phrases: tuple[tuple[str, ...], ...]  # with the head: ("nabor", "grup", "robocz")
    groups: tuple[GroupTitle, ...]
    numbers: frozenset[int]
    prefix: str  # the reference prefix, normalised ("dkres-2024")
    generic: re.Pattern[str]  # the generic call words (the default ``call.keywords``)
    chosen: re.Pattern[str]  # words the configuration adds to ``call.keywords``: the call's own
    own_stems: frozenset[str]  # every stem of the call's name, short name and group titles
    #: the loose keys of every word of the call's name, short name, keywords, groups, owner and
    #: office: none of them ever names another purpose
    own_words: frozenset[str]
    own_phrases: tuple[tuple[str, ...], ...]  # the same, phrase by phrase (loose keys)
    target: bool  # the call fills its owner itself ("Nabór do Młodzieżowej Rady Miasta")
    english: re.Pattern[str]  # the weak English call words (group ``e<n>``: family n)
    english_families: tuple[str, ...]  # the family of each ``e<n>``
    english_objects: re.Pattern[str]  # the English of the call's objects ("working group")
    purposes: tuple[Purpose, ...]  # the other purposes (:data:`OTHER_PURPOSES`)
    purpose_starts: tuple[str, ...]  # every word any of them starts
    purpose_of: re.Pattern[str]  # which purpose a word starting so names (group ``p<number>``)


def _acronym_run(seq: Sequence[str], acronym: str) -> tuple[int, int] | None:
    """Where the words whose initials spell ``acronym`` are in ``seq`` (start, end)."""
    n = len(acronym)
    if n < 2:
        return None
    for i in range(len(seq) - n + 1):
        if "".join(s[0] for s in seq[i : i + n]) == acronym:
            return i, i + n
    return None


def _collapse(seq: list[str], owner: Sequence[str], acronym: str) -> list[str]:
    """The owner's spelt-out name replaced by its acronym, as the mail writes either."""
    if not owner or owner[0] not in seq:
        return seq
    n, out, i, first, whole = len(owner), [], 0, owner[0], list(owner)
    while i < len(seq):
        if seq[i] == first and seq[i : i + n] == whole:
            out.append(acronym)
            i += n
        else:
            out.append(seq[i])
            i += 1
    return out


def _fills_owner(seq: Sequence[str], acronym: str) -> bool:
    """The call's head is followed by its owner ("Nabór do Młodzieżowej Rady Miasta", the
    owner's name collapsed to its acronym): the call fills the owner's seats itself."""
    if not acronym or acronym not in seq[1:]:
        return False
    between = seq[1 : seq.index(acronym, 1)]
    return all(s in _HEAD_FILLERS for s in between)


#: words between the call's head and what it fills that do not change what it fills
_HEAD_FILLERS = frozenset({"kandydat", "kandydatow", "czlonk", "czlonkow", "now", "nowych"})


def _ngrams(seq: Sequence[str], low: int, high: int) -> list[tuple[str, ...]]:
    return [tuple(seq[i : i + n]) for n in range(low, high + 1) for i in range(len(seq) - n + 1)]


def _title_stems(name: str) -> list[str]:
    """A group's title without its generic start ("Grupa robocza ds. …" → what follows)."""
    ws = words(name)
    if "ds" in ws:
        ws = ws[ws.index("ds") + 1 :]
    elif "spraw" in ws and ws.index("spraw") > 0 and ws[ws.index("spraw") - 1] == "do":
        ws = ws[ws.index("spraw") + 1 :]
    return content([stem(w) for w in ws])


_DEFAULTS = frozenset(normalise(k) for k in DEFAULT_KEYWORDS)


def _keyword_pattern(keywords: Iterable[str]) -> re.Pattern[str]:
    # longest first (a longer keyword wins over its prefix), then in text order: the same
    # pattern, and the same findings, in every process whatever its hash seed
    alternatives = sorted({normalise(k) for k in keywords if k.strip()}, key=lambda k: (-len(k), k))
    if not alternatives:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(a) for a in alternatives) + r")\w*")


@lru_cache(maxsize=16)
def _vocabulary(
    name: str,
    short_name: str,
    prefix: str,
    groups: tuple[tuple[int, str], ...],
    keywords: tuple[str, ...],
    office_names: tuple[str, ...] = (),
) -> CallVocabulary:
    acronym = normalise(re.split(r"[-_/\s\d]", prefix.strip() or "x")[0])
    name_seq = content(stems(name))
    run = _acronym_run(name_seq, acronym)
    owner = tuple(name_seq[run[0] : run[1]]) if run else ()
    name_seq = _collapse(name_seq, owner, acronym)
    short_seq = _collapse(content(stems(short_name)), owner, acronym)
    head = (short_seq or name_seq or ["nabor"])[0]
    # the owner's and the office's names are everyday words, not the call's objects — unless
    # the call fills the owner's seats itself: then the owner is what one applies to
    target = _fills_owner(short_seq, acronym) or _fills_owner(name_seq, acronym)
    everyday = {*owner, acronym, *content(stems(office_names[0] if office_names else ""))}
    objects = frozenset(
        s
        for s in [*name_seq, *short_seq]
        if s != head and s not in everyday and len(s) >= 4 and not s.isdigit()
    ) | ({acronym} if target else set())
    phrases = {p for seq in (name_seq, short_seq) for p in _ngrams(seq, 2, 4) if head in p}
    if acronym in (*name_seq, *short_seq):
        phrases.add((head, acronym))  # "nabór DKRES": the call by its owner's acronym
    titles = []
    own = set(name_seq) | set(short_seq) | set(owner)
    for number, label in groups:
        seq = _title_stems(label)
        own.update(seq)
        found = _ngrams(seq, 2, 3) if len(seq) > 1 else [tuple(seq)] if seq else []
        titles.append(GroupTitle(number, tuple(found), label))
    own_texts = [name, short_name, *keywords, *(label for _, label in groups), *office_names]
    own_phrases = {p for p in (loose_content(t) for t in own_texts) if p}
    if owner:
        own_phrases.add(tuple(loose(s) for s in owner))
    own_words = frozenset(k for p in own_phrases for k in p if not k.isdigit()) | (
        {acronym} if len(acronym) >= 2 else set()
    )
    english_words, families = english.call_words(own_words)
    return CallVocabulary(
        head=head,
        objects=objects,
        owner=owner,
        owner_acronym=acronym,
        name_phrases=tuple(sorted(phrases, key=lambda p: (-len(p), p))),
        groups=tuple(titles),
        numbers=frozenset(n for n, _ in groups),
        prefix=normalise(prefix),
        generic=_keyword_pattern(k for k in keywords if normalise(k) in _DEFAULTS),
        chosen=_keyword_pattern(k for k in keywords if normalise(k) not in _DEFAULTS),
        own_stems=frozenset(own - STOP),
        own_words=own_words,
        own_phrases=tuple(sorted(own_phrases)),
        target=target,
        english=english_words,
        english_families=families,
        english_objects=english.objects(
            frozenset(loose(s) for s in [*objects, *(owner if target else ())])
        ),
        purposes=(purposes := purpose_patterns(acronym, owner, target)),
        purpose_starts=tuple(sorted({w for p in purposes for w in p.prefixes})),
        purpose_of=re.compile(
            "|".join(
                f"(?P<p{i}>{'|'.join(p.prefixes)})" for i, p in enumerate(purposes) if p.prefixes
            )
        ),
    )


def call_vocabulary(call: CallConfig) -> CallVocabulary:
    """The call's vocabulary (built once per call configuration)."""
    return _vocabulary(
        call.name,
        call.short_name,
        call.reference_prefix,
        tuple((g.number, g.name) for g in call.groups),
        tuple(call.keywords),
        tuple(n for n in (call.office.name, call.office.unit) if n) if call.office else (),
    )


#: where a sentence or a line ends: phrases are not sought across it
BOUNDARY = "|"
_WORD_OR_END = re.compile(r"[^\W_]+|[.,?!;:\n\u2013\u2014]+|\s-\s")


def tokens(folded: str) -> list[str]:
    """A folded text's words (lower case, no diacritics; addresses and links left out) and,
    where a sentence, a clause, a line or a dashed part of a subject ends, :data:`BOUNDARY`."""
    return [w if w[0].isalnum() else BOUNDARY for w in _WORD_OR_END.findall(NOISE.sub(" ", folded))]


def message_stems(words: Sequence[str], vocab: CallVocabulary) -> list[str]:
    """A message's content stems (of its :func:`tokens`), the owner's spelt-out name collapsed
    to its acronym."""
    seq = [known_stem(w) or stem(w) for w in words]
    return _collapse(content(seq), vocab.owner, vocab.owner_acronym)
