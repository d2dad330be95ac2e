"""Other purposes a message may name: a meeting, minutes, an invoice, a newsletter, a training
… (in Polish and in English), sought word by word and, for what takes several words, by a
pattern.

Nothing of the call itself ever names another purpose: a word of its name, short name,
keywords, groups, owner or office ("zamówień publicznych" in a group's title, "komisji
konkursowych" in the call's name) is not another purpose; neither is a phrase of several
words that runs inside one of them ("Młodzieżowa Rada Miasta" is the youth council's call,
not "another body's council", and "Rada Seniorów" still is).

What only describes the sender (a sentence in which they say who they are, their signature)
is told apart (:func:`sender_lines`): where a message asks about the call directly, such words
say who asks, not what the message is for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from mailbot.pipeline.relevance.stems import STOP, WORD, akin, loose, stem


class CallVocabulary(Protocol):
    """What of the call's vocabulary (:class:`~.vocabulary.CallVocabulary`) is read here."""

    @property
    def own_words(self) -> frozenset[str]: ...
    @property
    def own_phrases(self) -> tuple[tuple[str, ...], ...]: ...
    @property
    def purposes(self) -> tuple[Purpose, ...]: ...
    @property
    def purpose_starts(self) -> tuple[str, ...]: ...
    @property
    def purpose_of(self) -> re.Pattern[str]: ...


#: (what the message is about instead, in Polish; what says it, Polish and English). A word
#: alternative matches a word's start: "posiedzen" matches "posiedzenie", "posiedzeniu".
OTHER_PURPOSES: tuple[tuple[str, str], ...] = (
    (
        "spotkanie lub posiedzenie",
        r"posiedzen|obrad|spotkani|spotkan|zebrani|narad|agend|meeting",
    ),
    (
        "protokół lub sprawozdanie",
        r"protokol|sprawozdan|raport|notatk\w* (?:z|ze) |report|minutes of",
    ),
    (
        "uchwała lub głosowanie",
        r"uchwal|glosowan|obiegow|karta do glos|resolution (?:no|nr|of the)|vote|voting|ballot",
    ),
    ("lista obecności", r"list\w* obecnosc|obecnosc\w* na|attendance"),
    (
        "faktura, zamówienie, rezerwacja lub płatność",
        r"faktur|rachun|nota ksiegow|platnosc|zaplat|przelew|catering|wynaj|rezerw|zarezerw|"
        r"zamowieni|kosztorys|fv |invoice|payment|receipt|booking|reservation|quotation|"
        r"purchase order",
    ),
    ("newsletter lub biuletyn", r"newsletter|biuletyn|subskryp|wypisz|unsubscribe|mailing"),
    (
        "szkolenie lub webinar",
        r"szkoleni|szkolen|warsztat|webinar|seminar|kurs(?:y|u|ie)?\b|training|workshop|"
        r"courses|course\b(?<!of course)|bootcamp",
    ),
    (
        "konferencja lub wydarzenie",
        r"konferencj|forum|kongres|targ(?:i|ach|ow) |gala|festiwal|conference|congress|summit|"
        r"festival|expo\b",
    ),
    (
        "konkurs, dotacja lub przetarg",
        r"konkurs|nagrod|grant|dotacj|dofinansow|przetarg|contest|competition|award|prize|"
        r"funding|tender|subsid|call for (?:proposals|papers|projects)",
    ),
    ("prośba o patronat", r"patronat|patronage|endorsement"),
    (
        "prasa",
        r"redakcj|dziennikar|artykul|wywiad|rzecznik\w* prasow|journalist|editor|article|"
        r"interview|press (?:release|office)",
    ),
    (
        "ankieta lub aktualizacja danych",
        r"ankiet|aktualizacj|baz\w* (?:pes|podmiot|danych)|survey|questionnaire|"
        r"(?:data|database|details) update|update (?:your|the) (?:data|details)",
    ),
    (  # the owner itself, not the call: its members, its composition
        "przedstawiciel w organie, nie nabór",
        r"przedstawiciel\w*(?: \S+){0,6}? (?:w|do|z) (?:\S+ )?(?:{owner})|desygn|"
        r"sklad\w* (?:osobow\w* )?(?:{owner})|czlon\w* (?:{owner})|"
        r"representative\w*(?: \S+){0,6}? (?:in|to|on|of) (?:the )?(?:{owner})",
    ),
    (
        "sprawy biurowe",
        r"urlop|delegacj|zfss|wczas|kadr|ocen\w* okresow|zapotrzebowan|serwis|awari|usterk|"
        r"drukar|helpdesk|hasl|przerw\w* techniczn|printer|password|maintenance|outage",
    ),
    (
        "pismo urzędowe",
        r"okolnik|rozporzadzen|wytyczn|ministerstw|ministr|minister|wojewod|"
        r"circular (?:letter|no)",
    ),
    (
        "zgłoszenie w innym systemie",
        r"zgloszeni\w*\s+(?:nr|numer)\.?\s*\d|ticket\w*\s*(?:#|no\.?|nr|number)?\s*#?\d",
    ),
    (  # another body's council or commission: its own calls and members
        "inny organ (rada, komisja)",
        r"rad\w* (?:dzialalnosci |pozytk|senior|mlodziez|programow|nadzorcz|gmin|miast|"
        r"powiat|sportu|kobiet)|komisj\w* (?:konkursow|rewizyjn|dialogu)|"
        r"(?:supervisory|advisory|municipal) (?:council|board)|board of directors",
    ),
    (
        "życzenia",
        r"zyczeni|zyczy|wesolych|gratulacj|szczesliwego|wszystkiego dobrego|swiat |"
        r"merry christmas|happy (?:new year|easter|holidays)|season's greetings|congratulat",
    ),
    (
        "oferta handlowa",
        r"rabat|oferta handlow|sklep|promocj\w* cenow|cennik|discount|special offer|price list|"
        r"promo code",
    ),
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


def purpose_patterns(acronym: str, owner: Sequence[str], target: bool) -> tuple[Purpose, ...]:
    """The purposes, ready to be sought; the owner's name fills "a representative in the
    owner" — unless the call fills the owner itself (``target``: "Nabór do Młodzieżowej Rady
    Miasta"), where a member or a representative of it is what the call is about."""
    if target:
        alternatives = r"(?!x)x"
    else:
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


def own_word(word: str, vocab: CallVocabulary) -> bool:
    """A word of the call's own name, short name, keywords, groups, owner or office, in any
    inflection ("rady" of "Rada", "konkursie" of "konkursowych")."""
    return _own_key(loose(stem(word)), vocab.own_words)


@lru_cache(maxsize=16_384)
def _own_key(key: str, own: frozenset[str]) -> bool:
    if key in own:
        return True
    return len(key) >= 5 and any(akin(key, k) for k in own)


def own_run(text: str, vocab: CallVocabulary) -> bool:
    """The words of ``text`` (a match of several words) run, in order, inside one phrase of
    the call's own ("rada miasta" in "Młodzieżowa Rada Miasta")."""
    keys = [loose(stem(w)) for w in WORD.findall(text) if w not in STOP and len(w) > 1]
    return own_keys(keys, vocab)


def own_keys(keys: Sequence[str], vocab: CallVocabulary) -> bool:
    """Loose keys that run, in order, inside one phrase of the call's own."""
    if not keys:
        return False
    n = len(keys)
    for phrase in vocab.own_phrases:
        for i in range(len(phrase) - n + 1):
            if all(akin(keys[j], phrase[i + j]) for j in range(n)):
                return True
    return False


def other_purposes(
    text: str, vocab: CallVocabulary, words: Sequence[str] | None = None
) -> list[tuple[str, str]]:
    """(purpose, the word that names it) in a normalised text (whose words the caller may have
    already: ``words``), in the order of :data:`OTHER_PURPOSES`; the call's own words and
    phrases name no other purpose."""
    starts, which = vocab.purpose_starts, vocab.purpose_of
    by_purpose: dict[int, str] = {}
    for w in WORD.findall(text) if words is None else words:
        if w.startswith(starts):
            match = which.match(w)
            at = int(str(match.lastgroup)[1:]) if match else -1
            if at not in by_purpose and not own_word(w, vocab):
                by_purpose[at] = w
    found = []
    for number, purpose in enumerate(vocab.purposes):
        word = by_purpose.get(number)
        if word is None and purpose.pattern is not None and any(a in text for a in purpose.anchors):
            for match in purpose.pattern.finditer(text):
                at = match.start()
                if at and text[at - 1].isalnum():
                    continue  # inside a word
                if own_run(match.group(0), vocab):
                    continue  # the call's own words ("komisji konkursowych" in its name)
                word = match.group(0).strip()
                break
        if word is not None:
            found.append((purpose.label, word))
    return found


# --- what only describes the sender ----------------------------------------------------------

#: a sentence in which the sender says who they are or what they do
SELF_DESCRIPTION = re.compile(
    r"\b(?:prowadze|prowadzimy|jestem|jestesmy|reprezentuje|reprezentujemy|pracuje|pracujemy|"
    r"zajmuje sie|zajmujemy sie|kieruje|kierujemy|dzialam|dzialamy|"
    r"(?:moja|nasza|mojej|naszej|moje|nasze|mojego|naszego) (?:firm|dzialalnos|spoldzielni|"
    r"fundacj|stowarzyszeni|organizacj|przedsiebiorstw|restaurac|zaklad)\w*|"
    r"i run|we run|i own|we own|i am an?|i am the|i'm an?|i'm the|we are an?|we are the|"
    r"we're an?|i work|we work|i manage|we manage|"
    r"i represent|we represent|owner of|founder of|"
    r"(?:my|our) (?:company|business|firm|organi[sz]ation|cooperative|co-operative|shop|"
    r"restaurant|enterprise|foundation|association|social enterprise))\b"
)
#: a line that closes a letter: what follows it is the signature
CLOSING = re.compile(
    r"^\s*(?:(?:z )?(?:serdecznymi |najlepszymi )?pozdrowieniami|(?:serdecznie |milo )?"
    r"pozdrawiam\w*|z powazaniem|z wyrazami szacunku|lacze pozdrowienia|(?:best|kind|warm|"
    r"warmest)(?: regards| wishes)|regards|sincerely|yours (?:sincerely|faithfully|truly)|"
    r"many thanks|thank you|thanks|--)\W*$"
)
#: the lines of a signature looked at
SIGNATURE_LINES = 8
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def sender_lines(folded: str) -> tuple[str, str]:
    """A folded text split into what describes its sender (sentences in which they say who
    they are, the signature after the closing) and the rest."""
    lines = folded.splitlines()
    closing = max((i for i, line in enumerate(lines) if CLOSING.match(line)), default=None)
    body = lines if closing is None else lines[:closing]
    signature = [] if closing is None else lines[closing + 1 : closing + 1 + SIGNATURE_LINES]
    about: list[str] = list(signature)
    rest: list[str] = []
    for line in body:
        for sentence in _SENTENCE.findall(line):
            (about if SELF_DESCRIPTION.search(sentence) else rest).append(sentence)
        rest.append("\n")
    return "\n".join(about), " ".join(rest)
