"""The relevance signals: each a small rule returning a weighed finding (or None). The rules of
the files and of the sender are in :mod:`.files`; those of the text and the call's words here.

A finding's weight is positive for the call and negative against it; its detail says why in
Polish, for the dry run, the export and the workspace. The weights themselves live in one table,
:data:`~mailbot.pipeline.relevance.weighing.WEIGHTS`;
:func:`~mailbot.pipeline.relevance.weighing.decide` makes the one decision. A word that fills
this mailbox's everyday mail counts for less (:func:`discount`): the learned share of everyday
messages holding it lowers its weight.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import NamedTuple

from mailbot.models import Finding
from mailbot.pipeline.relevance import english
from mailbot.pipeline.relevance.evidence import MIN_DOCUMENTS, Evidence
from mailbot.pipeline.relevance.files import (
    applicant,
    blank_form,
    bulk,
    colleague,
    form_meant,
    form_read,
    own_mail,
    reply_to_mailbot,
    taught,
    unreadable_document,
)
from mailbot.pipeline.relevance.purposes import other_purposes, own_keys, sender_lines
from mailbot.pipeline.relevance.rule import Rule, discount, finding, remembered
from mailbot.pipeline.relevance.stems import NOISE, WORD, loose
from mailbot.pipeline.relevance.text import normalise
from mailbot.pipeline.relevance.vocabulary import (
    BOUNDARY,
    GROUP_CONTEXT,
    CallVocabulary,
    find_run,
    stem,
    words,
)
from mailbot.pipeline.relevance.weighing import WEIGHTS as W

_W = r"(?:[\w.,-]+\s+){0,4}"  # up to four words in between
#: the text applies, sends the application, or says the form is attached
APPLY_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"\bzglaszam(?:y)?\s+(?:sie|swoja|moja|nasza|kandydatur|chec|udzial|pania|pana|kandydat)",
        r"\b(?:chce|chcialbym|chcialabym|chcielibysmy|pragne|pragniemy|zamierzam)\s+(?:sie\s+)?"
        r"(?:zglosic|kandydowac|aplikowac|przystapic|dolaczyc|wziac udzial w naborze)",
        r"\b(?:zgloszenie|kandydatura|formularz zgloszeniowy)\s+(?:[\w.,-]+\s+){0,3}"
        r"(?:do (?:naboru|grup|komitetu)|kandydat)",
        r"\b(?:przesylam|przesylamy|przekazuje|przekazujemy|wysylam|wysylamy|skladam|skladamy|"
        r"zalaczam|zalaczamy|dolaczam|dolaczamy|zalaczony|zalaczone|ponownie)\b\s+"
        + _W
        + r"(?:zgloszen|formularz|kandydatur|dokumenty zgloszeniow)",
        r"\bw zalacz\w*\s+" + _W + r"(?:zgloszen|formularz|kandydatur)",
        r"\b(?:zgloszen\w*|formularz\w*|kandydatur\w*)\s+" + _W + r"w zalacz",
    )
)
APPLY = re.compile("|".join(f"(?:{p.pattern})" for p in APPLY_PATTERNS))  # one scan for all
#: one of these is in every text an apply pattern finds
APPLY_WORDS = ("zglos", "zglasz", "formularz", "kandyd", "aplik", "przystap", "dolacz")
#: a subject that is only "Zgłoszenie" (or "Kandydatura"), perhaps with a name after a dash
APPLY_SUBJECT = re.compile(r"^(?:zgloszenie|kandydatura)(?:\s*[-–:,]\s*.*)?$")
#: standing as a candidate, said in any way (a question about it too)
CANDIDACY = re.compile(
    r"\b(?:kandyd\w+|zglosic sie|zglaszac sie|zgloszenie sie|przystapic|dolaczyc do|"
    r"aplikowac|rekrutacj\w*)"
)
WITHDRAW_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"\brezygnuj\w*",
        r"\brezygnacj\w*\b(?! z (?:subskrypcj|newslett|otrzymywan))",
        r"\bwycof\w*\s+(?:[\w.,-]+\s+){0,3}(?:zgloszen|kandydatur|formularz|wniosek)",
    )
)
OWN_APPLICATION = re.compile(
    r"\b(?:moj\w*|naszego|nasze|naszym|swoj\w*)\s+(?:zgloszen\w*|formularz\w*|kandydatur\w*)"
)
#: application words before the call's objects ("zgłoszenie do grup roboczych"): the stems
#: they start with; the verbs of joining need only one of the objects ("zgłosić się do grupy")
CALL_OBJECT_LEAD = ("zgloszen", "formularz", "nabor", "rekrut")
JOIN_LEAD = (
    "zglos", "zglasz", "kandyd", "dolacz", "przystap", "aplik", "wszedl", "weszl", "wejd",
    "wejsc", "dostal", "dostan", "przyjet", "przyjec",
)  # fmt: skip
#: the stems of a message (its start) weighed for likeness: enough to say what it is
LIKENESS_STEMS = 200
#: a question about these is a question about applying
ASKED_ABOUT = ("formularz", "zgloszen", "zglos", "zglasz", "kandyd")
#: the words every letter has (greetings, politeness, attachments): no mailbox's own
GENERIC_MAIL = frozenset(
    {
        "dzien", "dobr", "dobry", "szanown", "panstw", "pani", "pana", "panie", "powazan",
        "pozdraw", "pozdrawiam", "serdeczn", "uprzejm", "prosz", "prosb", "dziek", "dziekuj",
        "zalacz", "zalaczen", "zalacznik", "przesyl", "przesylam", "informuj", "informacj",
        "wiadomosc", "kontakt", "telefon", "email", "mail", "adres", "ponizej", "powyzsz",
        "goraco", "milego", "tydzien", "dnia",
    }
)  # fmt: skip
#: words right after the call's head that do not yet say which call ("nabór kandydatów na …")
HEAD_FILLERS = frozenset(
    {"kandydat", "kandydatow", "czlonk", "czlonkow", "uzupelniajac", "otwart", "ogloszen",
     "trwajac", "tegoroczn", "zgloszen", "osob", "nowy", "nowych", "now"}
)  # fmt: skip
_GROUP_NUMBER = re.compile(
    r"\bgrup\w*(?:\s+robocz\w*)?(?:\s+(?:nr|numer|no)\.?)?\s*(\d{1,2})"
    r"((?:\s*(?:,|i|oraz|lub|albo|\+|/|-)\s*(?:nr\.?\s*)?\d{1,2}\b)*)"
    r"(?!\s*(?:os\b|osob|uczestn|minut|godz|dni|%|proc|\d))"
)


# --- what the text says ---------------------------------------------------------------------


@remembered
def withdrawal(ev: Evidence) -> Finding | None:
    if "rezygn" not in ev.words and "wycof" not in ev.words:
        return None  # (quicker than the patterns on a long text)
    for pattern in WITHDRAW_PATTERNS:
        found = pattern.search(ev.words)
        if found:
            return finding("withdrawal", f"rezygnacja: „{found.group(0)[:60]}”", W["withdrawal"])
    return None


@remembered
def applies(ev: Evidence) -> Finding | None:
    """The text applies, sends the application, or says the form is attached."""
    if not any(w in ev.words for w in APPLY_WORDS):
        return None  # (quicker than the patterns on a long text)
    found = APPLY.search(ev.words) or APPLY_SUBJECT.search(ev.subject_words)
    if found:
        return finding(
            "applies",
            f"nadawca zgłasza się lub przesyła zgłoszenie: „{found.group(0)[:60].strip()}”",
            W["applies"],
        )
    return None


@remembered
def candidacy(ev: Evidence) -> Finding | None:
    words = ev.words
    if not any(
        w in words for w in ("kandyd", "zglos", "zglasz", "przystap", "dolacz", "aplik", "rekrut")
    ):
        return None  # (quicker than the pattern on a long text)
    found = CANDIDACY.search(words)
    if found:
        keep = discount(ev, [stem(found.group(0).split()[0])], 0.3)
        return finding(
            "candidacy", f"mowa o kandydowaniu: „{found.group(0)}”", W["candidacy"] * keep
        )
    return None


@remembered
def own_application(ev: Evidence) -> Finding | None:
    if not any(w in ev.words for w in ("zgloszen", "formularz", "kandydatur")):
        return None
    found = OWN_APPLICATION.search(ev.words)
    if found:
        return finding(
            "own_application",
            f"nawiązanie do własnego zgłoszenia: „{found.group(0)}”",
            W["own_application"],
        )
    return None


def question(ev: Evidence) -> Finding | None:
    """The sender asks something; more when the question itself is about applying (the call's
    head, the form, an application, a candidate, its groups: "Do kiedy trwa nabór?", "Czy
    formularz trzeba podpisać?"; in English: applying, membership, the form, asked about the
    call's objects: "Can a foreign citizen be a member of the working group?")."""
    asked = _questions(ev)
    if asked.about is not None:
        return finding(
            "question", f"pytanie o zgłoszenie: „{asked.about.strip()[:60]}”", W["call_question"]
        )
    if asked.first is not None:
        return finding("question", f"pytanie: „{asked.first.strip()[:60]}”", W["question"])
    return None


class _Asked(NamedTuple):
    first: str | None  # the first line with a question
    about: str | None  # the first line with a question about applying
    direct: bool  # a question about applying names the call's objects


def _questions(ev: Evidence) -> _Asked:
    """What the message asks (worked out once per message)."""
    found = ev.memo.get("_questions")
    if isinstance(found, _Asked):
        return found
    first = about = None
    direct = False
    for line in _question_lines(ev):
        first = first or line
        asked = _about_applying(line, ev.vocab)
        if asked is None:
            continue
        about = about or line
        if _names_objects(normalise(asked), ev.vocab):
            direct = True
            break
    ev.memo["_questions"] = result = _Asked(first, about, direct)
    return result


def _question_lines(ev: Evidence) -> list[str]:
    return [
        line
        for line in [ev.subject, *ev.text.splitlines()]
        if "?" in line and not line.lstrip().startswith(("http", "<"))
    ]


_QUESTION = re.compile(r"[^.!?]*\?")


def _about_applying(line: str, vocab: CallVocabulary) -> str | None:
    """What of a line with a question asks about applying (or None): in Polish the line, by
    its words; in English the question itself, when it also names the call's objects (an
    English "form" or "apply" alone is everyday mail's too)."""
    folded = normalise(line)
    stems = {stem(w) for w in WORD.findall(NOISE.sub(" ", folded))}
    if vocab.head in stems or any(s.startswith(ASKED_ABOUT) for s in stems):
        return line
    if not english.ASKED_ABOUT.search(folded):
        return None
    for question in _QUESTION.findall(folded):
        if english.ASKED_ABOUT.search(question) and _names_objects(question, vocab):
            return question
    return None


def _names_objects(folded: str, vocab: CallVocabulary) -> bool:
    """A text names the call's objects: its own words for them (Polish or English), or one of
    its groups by number."""
    if vocab.english_objects.search(folded) or any(stem(w) in vocab.objects for w in words(folded)):
        return True
    for pattern in (_GROUP_NUMBER, english.GROUP_NUMBER):
        for match in pattern.finditer(folded):
            numbers = {int(n) for n in re.findall(r"\d{1,2}", match.group(1) + match.group(2))}
            if numbers and numbers <= vocab.numbers:
                return True
    return False


# --- the call's own words -------------------------------------------------------------------


def _phrase_text(phrase: tuple[str, ...]) -> str:
    return " ".join(phrase)


def call_name(ev: Evidence) -> Finding | None:
    """The call's name as the mail writes it: words of its name with its head ("nabór do grup
    roboczych", "nabór członków"), the application's words before its objects ("zgłoszenie do
    grup roboczych"), its reference prefix, or its head alone as what one applies to
    ("zgłoszenie do naboru") when no other call is named. Its objects alone ("członków grup
    roboczych") are the owner's everyday words: the current groups' members."""
    vocab, seq = ev.vocab, ev.seq
    best: tuple[float, str] | None = None

    def offer(weight: float, detail: str) -> None:
        nonlocal best
        if best is None or weight > best[0]:
            best = (weight, detail)

    for phrase in vocab.name_phrases:
        if find_run(seq, phrase, max_gap=1, index=ev.index) >= 0:
            keep = discount(ev, _bigrams(phrase), 0.5)
            offer(W["call_name"] * keep, f"nazwa naboru: „{_phrase_text(phrase)}”")
            break
    if vocab.prefix and re.search(re.escape(vocab.prefix) + r"\b", ev.words):
        offer(W["call_prefix"], f"oznaczenie naboru „{vocab.prefix.upper()}”")
    objects = _object_run(seq, vocab.objects, ev.index)
    if objects is not None:
        named = " ".join(o.upper() if o == vocab.owner_acronym else o for o in objects.split())
        offer(W["call_object"], f"zgłoszenie do {named}")
    if _head_alone(ev):
        offer(W["call_head"], f"„{vocab.head}” bez nazwy innego naboru")
    if best is None:
        return None
    return finding("call_name", best[1], best[0])


def _bigrams(phrase: tuple[str, ...]) -> list[str]:
    return [f"{a} {b}" for a, b in pairwise(phrase)] or list(phrase)


def _object_run(seq: list[str], objects: frozenset[str], index: dict[str, list[int]]) -> str | None:
    """An application word followed (within 4 words, in one sentence) by two of the call's
    objects, or a verb of joining followed by one that is what one joins ("zgłosić się do
    grupy"; "kandydat na członka" alone joins nothing named)."""
    if not any(o in index for o in objects):
        return None
    leads = [
        (i, s.startswith(JOIN_LEAD) and not s.startswith("zgloszen"))
        for s, at in index.items()
        if s.startswith(JOIN_LEAD) or s.startswith(CALL_OBJECT_LEAD)
        for i in at
    ]
    for i, joining in sorted(leads):
        window = seq[i + 1 : i + 6]
        if BOUNDARY in window:
            window = window[: window.index(BOUNDARY)]
        hits = list(dict.fromkeys(w for w in window if w in objects))
        if joining and all(h in HEAD_FILLERS for h in hits):
            continue  # "kandydat na członka" says who, not what they join
        if len(hits) >= (1 if joining else 2):
            return " ".join(hits[:2])
    return None


def _head_alone(ev: Evidence) -> bool:
    """The call's head as what one applies to (or withdraws from), and no other call named."""
    if ev.vocab.head not in ev.seq or other_call(ev) is not None:
        return False
    return any(rule(ev) is not None for rule in (applies, withdrawal, candidacy, own_application))


@remembered
def other_call(ev: Evidence) -> Finding | None:
    """Another call named: the call's head followed by words not of this call ("nabór
    wniosków", "nabór do Rady Pożytku")."""
    vocab, seq = ev.vocab, ev.seq
    for i, s in enumerate(seq):
        if s != vocab.head:
            continue
        after = seq[i + 1 : i + 5]
        if BOUNDARY in after:
            after = after[: after.index(BOUNDARY)]
        following = [w for w in after if w not in HEAD_FILLERS and not w.isdigit()]
        if not following:
            continue
        if following[0] in vocab.objects or following[0] == vocab.owner_acronym:
            continue
        if any(w in vocab.objects for w in following[:2]):
            continue
        keys = [loose(w) for w in following[:2]]
        owners = {loose(w) for w in vocab.owner} if not vocab.target else set()
        if own_keys(keys, vocab) and not owners.intersection(keys):
            continue  # the call's own name ("nabór do Młodzieżowej Rady"), not its owner's
        return finding(
            "other_call",
            f"inny nabór: „{vocab.head} {' '.join(following[:2])}”",
            W["other_call"],
        )
    return None


def call_group(ev: Evidence) -> Finding | None:
    """A working group of the call: its number ("grupa nr 4", "grupy 2 i 5") or its title
    after "grupa"/"ds." ("grupy roboczej ds. promocji i współpracy z biznesem")."""
    vocab = ev.vocab
    numbered = (_GROUP_NUMBER, "grup"), (english.GROUP_NUMBER, "group")
    for pattern, lead in numbered:
        for match in pattern.finditer(ev.words) if lead in ev.words else ():
            numbers = {int(n) for n in re.findall(r"\d{1,2}", match.group(1) + match.group(2))}
            if numbers and numbers <= vocab.numbers:
                detail = f"grupa naboru: „{match.group(0).strip()}”"
                return finding("call_group", detail, W["group"])
    seq = ev.seq
    for group in vocab.groups:
        for phrase in group.phrases:
            at = find_run(seq, phrase, max_gap=1, index=ev.index)
            if at < 0:
                continue
            if not any(s in GROUP_CONTEXT for s in seq[max(0, at - 5) : at]):
                continue
            keep = discount(ev, _bigrams(phrase), 0.5)
            return finding(
                "call_group", f"grupa naboru nr {group.number}: „{group.label}”", W["group"] * keep
            )
    return None


def call_words(ev: Evidence) -> Finding | None:
    """The generic call words (the default ``call.keywords``): each says little, and less the
    more of this mailbox's everyday mail holds it. A word the configuration added to
    ``call.keywords`` is the call's own: it weighs as the call's name."""
    chosen = ev.vocab.chosen.search(ev.words)
    if chosen:
        word = chosen.group(0)
        keep = discount(ev, [" ".join(stem(w) for w in word.split())], 0.5)
        return finding(
            "call_words", f"słowo naboru z konfiguracji: „{word}”", W["call_keyword"] * keep
        )
    found: dict[str, str] = {}
    for match in ev.vocab.generic.finditer(ev.words):
        word = match.group(0)
        found.setdefault(stem(word.split()[-1])[:6], word)
    families = ev.vocab.english_families
    anchored = families and any(a in ev.words for a in english.ANCHORS)
    for match in ev.vocab.english.finditer(ev.words) if anchored else ():
        found.setdefault("en " + families[int(str(match.lastgroup)[1:])], match.group(0))
    if not found:
        return None
    weight = 0.0
    for word in found.values():
        weight += W["call_word"] * discount(ev, [" ".join(stem(w) for w in word.split())], 0.1)
    weight = min(weight, W["call_words_max"])
    listed = ", ".join(sorted(found.values())[:6])
    return finding("call_words", f"słowa związane z naborem: {listed}", weight)


# --- against the call -----------------------------------------------------------------------


def other_purpose(ev: Evidence) -> Finding | None:
    """Other purposes named (a meeting, minutes, an invoice, a newsletter, a training …): in
    the subject they weigh more than in the text or a file's name. Where the message asks
    about applying and names the call's objects, what the sender
    says of themselves ("I run a catering business", the signature) is left out."""
    in_subject = other_purposes(ev.subject_words, ev.vocab)
    seen = {label for label, _ in in_subject}
    if _questions(ev).direct:
        rest = " ".join(sender_lines(ev.folded)[1].split())
        named = other_purposes(rest + "\n" + ev.filenames, ev.vocab)
    else:
        words = [*ev.tokens, *ev.filenames.split()]
        named = other_purposes(ev.words + "\n" + ev.filenames, ev.vocab, words)
    elsewhere = [(label, word) for label, word in named if label not in seen]
    if not in_subject and not elsewhere:
        return None
    weight = W["purpose_subject"] * len(in_subject) + W["purpose_text"] * len(elsewhere)
    weight = max(weight, W["purpose_max"])
    said = [f"{label} („{word}”)" for label, word in [*in_subject, *elsewhere]]
    return finding("other_purpose", "inny cel: " + "; ".join(said[:4]), weight)


def everyday_likeness(ev: Evidence) -> Finding | None:
    """Phrases typical of this mailbox's everyday mail (learned), not of the call."""
    learned = ev.learned
    documents = learned.everyday_documents
    if documents < MIN_DOCUMENTS:
        return None
    typical = []
    skip = ev.vocab.own_stems | {ev.vocab.owner_acronym, ev.vocab.head} | GENERIC_MAIL
    counts, called = learned.counts, max(learned.call_documents, 1)
    words = [
        s if len(s) >= 4 and s not in skip and not s.isdigit() else ""
        for s in ev.seq[:LIKENESS_STEMS]
    ]
    for a, b in dict.fromkeys(pairwise(words)):
        if not a or not b:
            continue  # short words, numbers, sentence ends, the call's and every letter's words
        term = f"{a} {b}"
        every, call = counts.get(term, (0, 0))
        share = every / documents
        if 0.02 <= share <= 0.3 and call / called < share:
            typical.append(term)
    if not typical:
        return None
    weight = max(W["everyday_phrase"] * len(typical), W["everyday_max"])
    shown = ", ".join(f"„{t}”" for t in typical[:4])
    return finding("everyday", f"zwroty typowe dla codziennej poczty: {shown}", weight)


#: every signal, in the order they are reported
RULES: tuple[Rule, ...] = (
    form_read,
    form_meant,
    blank_form,
    unreadable_document,
    reply_to_mailbot,
    applicant,
    taught,
    withdrawal,
    applies,
    own_application,
    candidacy,
    question,
    call_name,
    call_group,
    call_words,
    other_call,
    other_purpose,
    bulk,
    own_mail,
    colleague,
    everyday_likeness,
)
