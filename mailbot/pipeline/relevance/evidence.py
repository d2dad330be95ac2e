"""What the relevance rules look at: one message after its forms were sought, and what this
mailbox has learned (its everyday mail, the coordinator's teaching)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from mailbot.config import DEFAULT_KEYWORDS
from mailbot.models import FormRead, FoundFiles
from mailbot.pipeline.relevance import vocabulary as vocab_mod
from mailbot.pipeline.relevance.text import normalise
from mailbot.pipeline.relevance.vocabulary import CallVocabulary
from parsers.text import fold

#: fewer everyday messages learned than this: the built-in weights apply as they are
MIN_DOCUMENTS = 30


@dataclass(frozen=True)
class Taught:
    """A person's judgement that applies to this message: its sender or its thread was marked
    as about the call (``side="call"``) or not (``side="everyday"``)."""

    kind: str  # sender | thread
    side: str  # call | everyday


@dataclass(frozen=True)
class Learned:
    """The learned statistics a message's terms have (looked up for this message only)."""

    everyday_documents: int = 0
    call_documents: int = 0
    counts: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # term -> (every, call)
    taught: tuple[Taught, ...] = ()

    def everyday_share(self, term: str) -> float:
        """The share of the everyday mail that holds ``term`` (0 without a history)."""
        if self.everyday_documents < MIN_DOCUMENTS:
            return 0.0
        return self.counts.get(term, (0, 0))[0] / self.everyday_documents

    def call_share(self, term: str) -> float:
        if self.call_documents < 1:
            return 0.0
        return self.counts.get(term, (0, 0))[1] / self.call_documents


NOTHING_LEARNED = Learned()


@dataclass(frozen=True)
class Evidence:
    """What the relevance rules look at, taken from one message after the form was sought."""

    subject: str
    text: str  # the sender's own text (quotes cut)
    found: FoundFiles
    forms: tuple[FormRead, ...]
    thread: str | None  # the stored reply or reference number this message answers, if any
    keywords: tuple[str, ...] = DEFAULT_KEYWORDS
    from_call: bool = False  # sent from the call's own address (the mailbox's owner)
    from_colleague: bool = False  # sent from another address in the call's own domain
    vocabulary: CallVocabulary | None = None  # the call's words (None: from ``keywords`` only)
    bulk: tuple[str, ...] = ()  # list and bulk headers (List-Id, Precedence: bulk …)
    applicant: bool = False  # the sender applied or wrote about the call before
    learned: Learned = NOTHING_LEARNED

    @cached_property
    def filenames(self) -> str:
        names = " ".join(f.filename or "" for f in self.found.files)
        return normalise(re.sub(r"[_.\-]+", " ", names))

    @cached_property  # lower case, no diacritics, line ends kept: folded once per message
    def folded(self) -> str:
        return fold(self.subject + "\n" + self.text)

    @cached_property  # read by several rules: normalised once per message
    def words(self) -> str:
        return " ".join(self.folded.split())

    @cached_property
    def subject_words(self) -> str:
        return normalise(self.subject)

    @cached_property
    def index(self) -> dict[str, list[int]]:
        """Where each stem of :attr:`seq` stands (phrases are sought through it)."""
        return vocab_mod.positions(self.seq)

    @cached_property
    def memo(self) -> dict[str, object]:
        """The rules' findings, for a rule another rule asks about (computed once)."""
        return {}

    @cached_property
    def vocab(self) -> CallVocabulary:
        if self.vocabulary is not None:
            return self.vocabulary
        return _keywords_only(self.keywords)

    @cached_property
    def seq(self) -> list[str]:
        """Content stems of the subject and the text (the owner's name as its acronym)."""
        return vocab_mod.message_stems(self.tokens, self.vocab)

    @cached_property
    def tokens(self) -> list[str]:
        """The words of the subject and the text, folded, with sentence ends."""
        return vocab_mod.tokens(self.folded)

    @property
    def read_forms(self) -> tuple[FormRead, ...]:
        """Forms read and filled in (the blank template passed on is not one)."""
        return tuple(f for f in self.forms if is_filled(f))

    @property
    def blank_forms(self) -> tuple[FormRead, ...]:
        return tuple(
            f
            for f in self.forms
            if f.extraction is not None and f.extraction.readable and not is_filled(f)
        )


def _keywords_only(keywords: tuple[str, ...]) -> CallVocabulary:
    """A vocabulary with no call behind it (rules tried on their own): the keywords only."""
    return vocab_mod._vocabulary("", "", "", (), keywords)


def is_filled(form: FormRead) -> bool:
    """The form was read and at least one of its fields holds something: a blank template
    (the call's form passed on with the announcement) holds nothing."""
    extraction = form.extraction
    if extraction is None or not extraction.readable:
        return False
    return any(v not in (None, "", [], False) for v in extraction.fields.values())
