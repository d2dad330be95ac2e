"""Words as the parsers compare them: folded (case, Polish diacritics), enumerators dropped,
and the words every office form prints, which say nothing about which form a file is.

A leaf module (it imports nothing of ``parsers``): the form spec, the label matcher and the
form's identification all normalise text the same way.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: letters NFKD does not decompose, and their plain forms
_EXTRA_FOLD = (("ł", "l"), ("Ł", "l"), ("ø", "o"), ("đ", "d"), ("ß", "ss"))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
#: bytes: ASCII letters and digits as they are, any other byte a space (see ``norm``)
_WORD_BYTES = bytes(b if 48 <= b <= 57 or 97 <= b <= 122 else 32 for b in range(256))
_PARENS = re.compile(r"\([^)]*\)?")
#: leading enumerators of a section, point or option ("III.", "2)", "a.")
ENUMERATOR = re.compile(r"^\s*(?:(?:[ivx]{1,4}|\d{1,2}|[a-h])[.)]\s*)+")


def _unless_mark(m: re.Match[str]) -> str:
    c = m.group()
    return "" if unicodedata.combining(c) else c


def fold(s: str) -> str:
    """Lower case without diacritics (ą -> a, ł -> l): the NFKD decomposition without its
    combining marks."""
    if s.isascii():
        return s.lower()
    for letter, plain in _EXTRA_FOLD:
        s = s.replace(letter, plain)
    return _NON_ASCII.sub(_unless_mark, unicodedata.normalize("NFKD", s)).lower()


@lru_cache(maxsize=8192)
def norm(s: str) -> str:
    """Folded, leading enumerators ("III.", "2.") dropped, the words of ASCII letters and
    digits joined by single spaces (any other character separates words). Remembered: a file
    repeats its texts (a line is classified, then cleaned as a value), and every form prints
    the same labels."""
    f = ENUMERATOR.sub("", fold(s), count=1)
    # as bytes, a non-ASCII character encoded as "?": every byte but a letter or digit a space
    return b" ".join(f.encode("ascii", "replace").translate(_WORD_BYTES).split()).decode("ascii")


def core(s: str) -> str:
    """``norm`` without parenthesised hints ("(np. CIS, KIS …)")."""
    return norm(_PARENS.sub(" ", s)) if "(" in s else norm(s)


#: words (as ``norm`` spells them) that any Polish office form prints, whoever's it is: the
#: joining words, the personal-data labels, the statements' and consents' common wording,
#: the words of a call's or contest's paperwork. A text made only of these (and of words of
#: two letters or fewer, and numbers) tells nothing about which form a file is.
OFFICE_WORDS = frozenset(
    """
    oraz lub albo ani ich jego jej jest byc sie nie tak dla przez przy pod nad przed
    od do na ktory ktora ktore ktorej ktorego ktorym ktorych ktorzy tym ten ta to tej tego
    tych te ze aby czy jako jak tez takze rowniez wraz wszystkie wszystkich moich moje
    mojego mojej moim moja swoich swoje swojego niniejszym niniejszego niniejszej
    niniejszy zgodnie celu celach zakresie ramach dotyczy dotyczacych jesli jezeli wlasciwe
    wlasciwy wlasciwa wlasciwej prosze zaznaczyc zaznacz zaznaczenie pole pola maks
    maksymalnie znakow znaki inny inne innych inna itp wyraznie drukowanymi literami
    czytelny czytelnie czytelnym formularz formularza formularzu formularze zgloszeniowy
    zgloszeniowego zgloszeniowym zgloszenia zgloszenie zgloszeniu zgloszen zalacznik
    zalacznika zalaczniki zalacznikiem dane danych osobowe osobowych osobowymi imie imienia
    imiona nazwisko nazwiska nazwiskiem adres adresu adresem email mail poczty
    elektronicznej telefon telefonu telefonem tel kontaktowy kontaktowe kontaktowego
    kontaktu kontakt numer numeru data daty dnia miejscowosc miejscowosci miejsce podpis
    podpisu podpisy pieczec pieczatka oswiadczam oswiadczenie oswiadczenia oswiadczen
    wyrazam zgode zgoda zgody przetwarzanie przetwarzania przetwarzaniu przetwarzane
    zawartych zawarte administratorem administrator administratora klauzula klauzuli
    informacyjna informacyjnej rodo kandydat kandydata kandydatki kandydatka kandydatow
    kandydatury kandydature kandydatem uczestnik uczestnika uczestnikow uczestniczka
    osoba osoby osob osobie organizacja organizacji instytucja instytucji podmiot
    podmiotu nazwa nazwy stanowisko stanowiska funkcja funkcji zapoznalam zapoznalem
    zapoznalismy regulaminem regulamin regulaminu akceptuje akceptujemy
    postanowienia postanowien tresc tresci przeprowadzenia przeprowadzenie naboru nabor
    naborze ogloszenia ogloszenie ogloszeniu konkursu konkurs konkursie rekrutacji
    rekrutacja uwagi informacje informacja informacji czesc sekcja punkt pkt wypelnia
    wypelnic wypelniony wypelnienia prawdziwe zgodne prawda stanem faktycznym wymienionych
    powyzej ponizej niepotrzebne skreslic dobrowolne dobrowolnie prawo prawa dostepu
    ustawy ustawa rozporzadzenia rozporzadzenie parlamentu europejskiego rady
    """.split()  # noqa: SIM905 - a list of words is read best as words
)


def distinctive(words: frozenset[str] | set[str], also_common: frozenset[str]) -> frozenset[str]:
    """The words that may tell one form from another: neither an office word, nor in
    ``also_common`` (e.g. the words of the form's own personal-data labels), nor a number,
    nor of two letters or fewer."""
    return frozenset(
        w
        for w in words
        if len(w) > 2 and not w.isdigit() and w not in OFFICE_WORDS and w not in also_common
    )
