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
#: words that, written before a group's title, show it is a group's name ("grupa ds. …")
GROUP_CONTEXT = frozenset({"grup", "ds", "obszar", "dziedzin", "sekcj", "zespol", "komisj"})
_WORD = re.compile(r"[^\W_]+")
_NOISE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")


_STEMS: dict[str, str] = {}  # remembered stems (cleared when it grows past 65,536)


def stem(word: str) -> str:
    """A rough stem of a normalised word (digits and short words as they are)."""
    found = _STEMS.get(word)
    if found is None:
        if len(_STEMS) > 65_536:
            _STEMS.clear()
        found = _STEMS[word] = _stem(word)
    return found


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


def words(text: str) -> list[str]:
    """The normalised words of a text (addresses and links left out)."""
    return _WORD.findall(_NOISE.sub(" ", normalise(text)))


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def content(stemmed: Sequence[str]) -> list[str]:
    """The stems that carry meaning: no joining words, no single letters."""
    return [s for s in stemmed if s not in STOP and (len(s) > 1 or s == "|")]


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
    alternatives = sorted({normalise(k) for k in keywords if k.strip()}, key=len, reverse=True)
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
    office: str = "",
) -> CallVocabulary:
    acronym = normalise(re.split(r"[-_/\s\d]", prefix.strip() or "x")[0])
    name_seq = content(stems(name))
    run = _acronym_run(name_seq, acronym)
    owner = tuple(name_seq[run[0] : run[1]]) if run else ()
    name_seq = _collapse(name_seq, owner, acronym)
    short_seq = _collapse(content(stems(short_name)), owner, acronym)
    head = (short_seq or name_seq or ["nabor"])[0]
    # the owner's and the office's names are everyday words, not the call's objects
    everyday = {*owner, acronym, *content(stems(office))}
    objects = frozenset(
        s
        for s in [*name_seq, *short_seq]
        if s != head and s not in everyday and len(s) >= 4 and not s.isdigit()
    )
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
    return CallVocabulary(
        head=head,
        objects=objects,
        owner=owner,
        owner_acronym=acronym,
        name_phrases=tuple(sorted(phrases, key=len, reverse=True)),
        groups=tuple(titles),
        numbers=frozenset(n for n, _ in groups),
        prefix=normalise(prefix),
        generic=_keyword_pattern(k for k in keywords if normalise(k) in _DEFAULTS),
        chosen=_keyword_pattern(k for k in keywords if normalise(k) not in _DEFAULTS),
        own_stems=frozenset(own - STOP),
        purposes=(purposes := _purpose_patterns(acronym, owner)),
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
        call.office.name if call.office else "",
    )


#: where a sentence or a line ends: phrases are not sought across it
BOUNDARY = "|"
_WORD_OR_END = re.compile(r"[^\W_]+|[.,?!;:\n\u2013\u2014]+|\s-\s")


def tokens(folded: str) -> list[str]:
    """A folded text's words (lower case, no diacritics; addresses and links left out) and,
    where a sentence, a clause, a line or a dashed part of a subject ends, :data:`BOUNDARY`."""
    return [
        w if w[0].isalnum() else BOUNDARY for w in _WORD_OR_END.findall(_NOISE.sub(" ", folded))
    ]


def message_stems(words: Sequence[str], vocab: CallVocabulary) -> list[str]:
    """A message's content stems (of its :func:`tokens`), the owner's spelt-out name collapsed
    to its acronym."""
    known = _STEMS.get
    seq = [known(w) or stem(w) for w in words]
    return _collapse(content(seq), vocab.owner, vocab.owner_acronym)


# --- another purpose ---------------------------------------------------------------------

#: (what the message is about instead, in Polish; stems that say it). A pattern matches a
#: word's start: "posiedzen" matches "posiedzenie", "posiedzeniu", "posiedzeń".
OTHER_PURPOSES: tuple[tuple[str, str], ...] = (
    ("spotkanie lub posiedzenie", r"posiedzen|obrad|spotkani|spotkan|zebrani|narad|agend"),
    ("protokół lub sprawozdanie", r"protokol|sprawozdan|raport|notatk\w* (?:z|ze) "),
    ("uchwała lub głosowanie", r"uchwal|glosowan|obiegow|karta do glos"),
    ("lista obecności", r"list\w* obecnosc|obecnosc\w* na"),
    (
        "faktura, zamówienie, rezerwacja lub płatność",
        r"faktur|rachun|nota ksiegow|platnosc|zaplat|przelew|catering|wynaj|rezerw|zarezerw|"
        r"zamowieni|kosztorys|fv ",
    ),
    ("newsletter lub biuletyn", r"newsletter|biuletyn|subskryp|wypisz|unsubscribe|mailing"),
    ("szkolenie lub webinar", r"szkoleni|szkolen|warsztat|webinar|seminari|kurs(?:y|u|ie)?\b"),
    ("konferencja lub wydarzenie", r"konferencj|forum|kongres|targ(?:i|ach|ow) |gala|festiwal"),
    ("konkurs, dotacja lub przetarg", r"konkurs|nagrod|grant|dotacj|dofinansow|przetarg"),
    ("prośba o patronat", r"patronat"),
    ("prasa", r"redakcj|dziennikar|artykul|wywiad|rzecznik\w* prasow"),
    ("ankieta lub aktualizacja danych", r"ankiet|aktualizacj|baz\w* (?:pes|podmiot|danych)"),
    (  # the owner itself, not the call: its members, its composition
        "przedstawiciel w organie, nie nabór",
        r"przedstawiciel\w*(?: \S+){0,6}? (?:w|do|z) (?:\S+ )?(?:{owner})|desygn|"
        r"sklad\w* (?:osobow\w* )?(?:{owner})|czlon\w* (?:{owner})",
    ),
    (
        "sprawy biurowe",
        r"urlop|delegacj|zfss|wczas|kadr|ocen\w* okresow|zapotrzebowan|serwis|awari|usterk|"
        r"drukar|helpdesk|hasl|przerw\w* techniczn",
    ),
    ("pismo urzędowe", r"okolnik|rozporzadzen|wytyczn|ministerstw|ministr|wojewod"),
    ("zgłoszenie w innym systemie", r"zgloszeni\w*\s+(?:nr|numer)\.?\s*\d"),
    (  # another body's council or commission: its own calls and members
        "inny organ (rada, komisja)",
        r"rad\w* (?:dzialalnosci |pozytk|senior|mlodziez|programow|nadzorcz|gmin|miast|"
        r"powiat|sportu|kobiet)|komisj\w* (?:konkursow|rewizyjn|dialogu)",
    ),
    ("życzenia", r"zyczeni|zyczy|wesolych|gratulacj|szczesliwego|wszystkiego dobrego|swiat "),
    ("oferta handlowa", r"rabat|oferta handlow|sklep|promocj\w* cenow|cennik"),
)


@dataclass(frozen=True)
class Purpose:
    """One other purpose, ready to be sought: the words it starts (most of its alternatives)
    found among a text's words; the rest (several words, a boundary) by a pattern, tried only
    when one of their literal starts is in the text."""

    label: str
    prefixes: tuple[str, ...]
    anchors: tuple[str, ...]
    pattern: re.Pattern[str] | None


def _split_top(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (``a|b(?:c|d)`` → ``a``, ``b(?:c|d)``)."""
    parts, depth, current = [], 0, ""
    for char in pattern:
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current += char
    return [*parts, current]


def _purpose_patterns(acronym: str, owner: Sequence[str]) -> tuple[Purpose, ...]:
    names = sorted({acronym, *(s for s in owner if len(s) >= 5)} - {""}) or ["komitet"]
    alternatives = "|".join(re.escape(n) for n in names)
    out = []
    for label, pattern in OTHER_PURPOSES:
        parts = _split_top(pattern.replace("{owner}", alternatives))
        words = [part for part in parts if part.isalpha()]
        complex_ = [part for part in parts if not part.isalpha()]
        anchors = tuple(re.sub(r"[^a-z].*", "", part) or part[:1] for part in complex_)
        compiled = re.compile("(?:" + "|".join(complex_) + r")\w*") if complex_ else None
        out.append(Purpose(label, tuple(words), anchors, compiled))
    return tuple(out)


def other_purposes(
    text: str, vocab: CallVocabulary, words: Sequence[str] | None = None
) -> list[tuple[str, str]]:
    """(purpose, the word that names it) in a normalised text (whose words the caller may have
    already: ``words``), in the order of :data:`OTHER_PURPOSES`; a word of the call's own name
    or groups names no other purpose ("zamówień publicznych" in a group's title)."""
    starts, which = vocab.purpose_starts, vocab.purpose_of
    by_purpose: dict[int, str] = {}
    for w in _WORD.findall(text) if words is None else words:
        if w.startswith(starts):
            match = which.match(w)
            at = int(str(match.lastgroup)[1:]) if match else -1
            if at not in by_purpose and stem(w) not in vocab.own_stems:
                by_purpose[at] = w
    found = []
    for number, purpose in enumerate(vocab.purposes):
        word = by_purpose.get(number)
        if word is None and purpose.pattern is not None and any(a in text for a in purpose.anchors):
            for match in purpose.pattern.finditer(text):
                at = match.start()
                if at and text[at - 1].isalnum():
                    continue  # inside a word
                named = [w for w in match.group(0).split() if len(w) >= 3]
                if named and all(stem(w) in vocab.own_stems for w in named):
                    continue  # the call's own words ("komisji konkursowych" in its name)
                word = match.group(0).strip()
                break
        if word is not None:
            found.append((purpose.label, word))
    return found
