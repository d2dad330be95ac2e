"""The label matcher's quick ways agree with the plain definitions they stand for.

parsers/text.py computes ``fold`` and ``norm`` with a regex and a byte table, rules out most
fuzzy comparisons with rapidfuzz's longest common subsequence before difflib runs, looks labels
up by their first letter and remembers classified texts. Each is checked here against the
plain definition, on generated text.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

import parsers_testlib  # noqa: F401  (puts the repo on sys.path)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import LCSseq

from parsers import DEFAULT_FORM
from parsers.text import (
    LABEL_T,
    OPTION_T,
    Matcher,
    _may_match,
    fold,
    matcher_for,
    norm,
    similar,
)

# -- plain definitions ------------------------------------------------------------------------

_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "đ": "d", "ß": "ss"})
_ENUM = re.compile(r"^\s*(?:(?:[ivx]{1,4}|\d{1,2}|[a-h])[.)]\s*)+")


def plain_fold(s: str) -> str:
    """Lower case of the NFKD decomposition without combining marks (ł, ø, đ, ß first)."""
    decomposed = unicodedata.normalize("NFKD", s.translate(_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def plain_norm(s: str) -> str:
    """Folded, leading enumerators dropped, each run of anything but a-z 0-9 one space."""
    return re.sub(r"[^0-9a-z]+", " ", _ENUM.sub("", plain_fold(s))).strip()


def plain_similar(a: str, b: str, threshold: float) -> bool:
    if a == b:
        return True
    if not a or not b or min(len(a), len(b)) / max(len(a), len(b)) < 0.75:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= threshold


# -- text to try them on ----------------------------------------------------------------------

POLISH = "aąbcćdeęfghijklłmnńoóprsśtuwyzźżAĄBCĆDEĘFGHIJKLŁMNŃOÓPRSŚTUWYZŹŻ"
FORM_CHARS = POLISH + "0123456789 .,:;()/-–—„”\"'\t☒☐✔xXIVøđßé\u0301\u0327\u034f\u00a0"
form_like = st.text(alphabet=FORM_CHARS, max_size=80)
any_text = st.text(max_size=60)  # any code point, surrogates and combining marks included
texts = st.one_of(form_like, any_text)

SPEC_TEXTS = sorted(
    {
        *DEFAULT_FORM.headings,
        *DEFAULT_FORM.stop,
        *(x for f in DEFAULT_FORM.fields for x in f.labels),
        *(o.name for f in DEFAULT_FORM.fields for o in f.options),
    }
)


@st.composite
def near_form_texts(draw: st.DrawFn) -> str:
    """A text printed on the form, then edited as applicants do: characters dropped, added or
    changed, a tick or an enumerator in front, something typed after it."""
    s = draw(st.sampled_from(SPEC_TEXTS))
    if draw(st.booleans()):
        s = s[: draw(st.integers(3, max(3, len(s))))]  # a PDF line cut short
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, len(s)))
        edit = draw(st.sampled_from(["drop", "add", "swap"]))
        ch = draw(st.sampled_from(FORM_CHARS))
        if edit == "drop":
            s = s[:i] + s[i + 1 :]
        elif edit == "add":
            s = s[:i] + ch + s[i:]
        else:
            s = s[:i] + ch + s[i + 1 :]
    prefix = draw(st.sampled_from(["", "☒ ", "☐ ", "X ", "2. ", "III. ", "[x] "]))
    suffix = draw(
        st.sampled_from(["", ":", ": Jan Kowalski", " Anna Nowak", " X", " (jako członek)"])
    )
    return prefix + s + suffix


# -- the checks -------------------------------------------------------------------------------

#: results are checked, not time: a loaded machine must not fail them
RESULTS_ONLY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RESULTS_ONLY
@given(texts)
def test_fold_is_the_plain_fold(s: str) -> None:
    assert fold(s) == plain_fold(s)


@RESULTS_ONLY
@given(st.one_of(texts, near_form_texts()))
def test_norm_is_the_plain_norm(s: str) -> None:
    norm.cache_clear()
    assert norm(s) == plain_norm(s)
    assert norm(s) == plain_norm(s)  # and so when remembered


@settings(RESULTS_ONLY, max_examples=1000)
@given(
    st.text(alphabet="abcde ", max_size=24),
    st.text(alphabet="abcde ", max_size=24),
    st.sampled_from([LABEL_T, OPTION_T, 0.5, 0.75, 0.8, 0.9, 1.0]),
)
@example("ab", "ac", 0.5)  # the ratio exactly at the threshold
@example("abcde", "abced", 0.8)
@example("abcd", "bcda", 0.75)  # difflib's blocks equal the LCS
def test_similar_is_difflibs_ratio_on_close_strings(a: str, b: str, threshold: float) -> None:
    """A small alphabet: many pairs near the threshold, where a wrong bound would show."""
    assert similar(a, b, threshold) == plain_similar(a, b, threshold)


@RESULTS_ONLY
@given(
    st.one_of(texts, near_form_texts()),
    st.one_of(texts, near_form_texts()),
    st.sampled_from([LABEL_T, OPTION_T]),
)
def test_similar_is_difflibs_ratio(a: str, b: str, threshold: float) -> None:
    a, b = norm(a), norm(b)
    assert similar(a, b, threshold) == plain_similar(a, b, threshold)


@RESULTS_ONLY
@given(st.text(max_size=40), st.text(max_size=40))
def test_lcs_bounds_difflibs_matching_characters(a: str, b: str) -> None:
    matched = sum(m.size for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    assert LCSseq.similarity(a, b) >= matched


MATCHER = matcher_for(DEFAULT_FORM)


def plain_label(m: Matcher, n: str, c: str) -> object:
    """Every label compared: an exact one, else the longest similar one (the first of them)."""
    if not n:
        return None
    exact = m.exact.get(n) or (m.exact.get(c) if c else None)
    if exact is not None:
        return exact
    words = frozenset(n.split())
    found = [
        e
        for e in m.labels
        if _may_match(n, words, e)
        and (
            plain_similar(n, e.full, LABEL_T)
            or bool(c and e.core and plain_similar(c, e.core, LABEL_T))
        )
    ]
    return max(found, key=lambda e: len(e.full), default=None)


def plain_box(m: Matcher, n: str) -> object:
    """An exact box text, else the first similar one."""
    if n in m.exact_box:
        return m.exact_box[n]
    words = frozenset(n.split())
    return next(
        (e for e in m.boxes if _may_match(n, words, e) and plain_similar(n, e.full, OPTION_T)), None
    )


@RESULTS_ONLY
@given(st.one_of(near_form_texts(), form_like))
def test_lookup_by_first_letter_is_every_entry_compared(s: str) -> None:
    n = norm(s)
    c = norm(re.sub(r"\([^)]*\)?", " ", s))
    assert MATCHER._label(n, c) == plain_label(MATCHER, n, c)
    box = plain_box(MATCHER, n)
    if box is not None:  # else a box is found, if at all, by its beginning or a tail
        assert MATCHER._box(n, partial=False) == (box, False)


@RESULTS_ONLY
@given(st.one_of(near_form_texts(), form_like), st.booleans())
@example("Nazwa reprezentowanego", True)  # a label's beginning: only a wrapped PDF line
@example("Nazwa reprezentowanego", False)
def test_remembered_classification_is_the_classification(s: str, partial: bool) -> None:
    fresh = MATCHER._classify(s, partial)
    assert MATCHER.classify(s, partial) == fresh
    assert MATCHER.classify(s, partial) == fresh  # remembered
    MATCHER.forget()
    assert MATCHER.classify(s, partial) == fresh
