"""Every error the workspace shows, in Polish: the error pages (400, 403, 404, 405, 413, 429,
500, a form whose token expired) and the library's refusals phrased for the coordinator.

The library says *why* an action cannot be done (:class:`~mailbot.errors.ActionRefused` with a
code and parameters; the mailbox, the lock, the store); :func:`phrase` says it in Polish. The
web never checks a rule a second time.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from mailbot.errors import (
    ActionRefused,
    LockedError,
    MailbotError,
    MailboxError,
    MessageGone,
    NotStoredError,
    StorageError,
)

log = logging.getLogger(__name__)

#: the library's refusal codes, said to the coordinator (``{name}``: a parameter)
REFUSALS: Mapping[str, str] = {
    "no_message": "Nie ma takiej wiadomości.",
    "robot": "Tę wiadomość wysłał automat (np. serwer poczty): nie odpowiada się na nią i nie "
    "jest ani zgłoszeniem, ani korespondencją w sprawie naboru.",
    "already_application": "Ta wiadomość jest już zgłoszeniem {reference}.",
    "not_unrelated": "Za korespondencję można uznać tylko wiadomość uznaną za niezwiązaną "
    "z naborem.",
    "decision_missing": "Wybierz decyzję.",
    "problems_missing": "Wybierz braki albo opisz problem w uwagach.",
    "reason_missing": "Podaj powód odrzucenia w uwagach.",
    "no_notice": "Do tej decyzji nie ma powiadomienia.",
    "no_recipient": "Zgłoszenie nie ma adresu e-mail w formularzu ani adresu nadawcy: nie ma do "
    "kogo napisać.",
    "unknown_recipient": "Wybierz adresata z listy.",
    "answer_empty": "Odpowiedź jest pusta: wpisz jej treść albo wybierz gotową odpowiedź.",
    "unknown_answer": "Nie ma takiej gotowej odpowiedzi.",
    "answer_broken": "Gotowej odpowiedzi „{name}” nie udało się przygotować (błąd w jej "
    "szablonie): napisz odpowiedź samodzielnie i przekaż to osobie, która przygotowuje "
    "szablony.",
    "unknown_entry": "Nie ma takiego wpisu.",
    "not_handled": "Ten wpis nie jest oznaczony jako załatwiony (może ktoś już go przywrócił).",
    "nothing_chosen": "Zaznacz co najmniej jeden wpis.",
    "note_empty": "Notatka jest pusta.",
    "note_too_long": "Notatka jest za długa: może mieć najwyżej {limit} znaków.",
    "unknown_disposition": "Wybierz rodzaj wiadomości z listy.",
    "days_reversed": "Data „do” jest wcześniejsza niż data „od”.",
}
GENERIC_REFUSAL = "Tej czynności nie można wykonać."

NOTHING_CHANGED = " Nic nie zmieniono."
MESSAGE_GONE = (
    "Tej wiadomości nie ma już w skrzynce pocztowej (została usunięta albo przeniesiona do "
    "innego folderu), a jej treści mailbot nie przechowuje."
)
NOT_KEPT = (
    "Treści tej wiadomości mailbot nie zachował (wiadomości niezwiązanych z naborem nie "
    "przechowuje), a nie można jej pobrać ze skrzynki pocztowej: wiadomość zaimportowano z "
    "pliku albo skrzynka nie jest skonfigurowana. Zaimportuj plik wiadomości ponownie "
    "(mailbot import) albo wpisz dane zgłoszenia ręcznie."
)
MAILBOX_DOWN = (
    "Nie udało się połączyć ze skrzynką pocztową, aby pobrać tę wiadomość. Spróbuj ponownie "
    "za chwilę; jeśli to się powtarza, powiadom osobę, która opiekuje się serwerem poczty."
)
LOCKED = "Właśnie trwa sprawdzanie skrzynki pocztowej. Spróbuj ponownie za chwilę."
STORAGE = "Nie udało się zapisać zmian w bazie danych. Spróbuj ponownie za chwilę."


def phrase(exc: MailbotError) -> str:
    """What went wrong, in Polish, for the coordinator (ending with "Nic nie zmieniono." where
    an action was refused before it changed anything)."""
    polish = getattr(exc, "polish", None)
    if isinstance(polish, str) and polish:
        return polish
    if isinstance(exc, ActionRefused):
        template = REFUSALS.get(exc.code)
        if template is None:
            log.warning("a refusal without Polish words: %s", exc.code)
            return GENERIC_REFUSAL
        try:
            return template.format(**exc.params)
        except (KeyError, IndexError):
            return GENERIC_REFUSAL
    if isinstance(exc, MessageGone):
        return MESSAGE_GONE + NOTHING_CHANGED
    if isinstance(exc, NotStoredError):
        return NOT_KEPT + NOTHING_CHANGED
    if isinstance(exc, MailboxError):
        return MAILBOX_DOWN + NOTHING_CHANGED
    if isinstance(exc, LockedError):
        return LOCKED + NOTHING_CHANGED
    if isinstance(exc, StorageError):
        return STORAGE + NOTHING_CHANGED
    return GENERIC_REFUSAL + NOTHING_CHANGED


#: HTTP status -> (title, what to do), in Polish
PAGES: Mapping[int, tuple[str, str]] = {
    400: (
        "Nieprawidłowe żądanie",
        "Przeglądarka wysłała dane, których nie można przyjąć. Wróć, odśwież stronę i spróbuj "
        "ponownie.",
    ),
    401: ("Wymagane logowanie", "Zaloguj się, aby kontynuować."),
    403: ("Brak uprawnień", "To konto może tylko przeglądać dane."),
    404: ("Nie znaleziono", "Nie ma takiej strony ani takiego zgłoszenia."),
    405: (
        "Tego nie można zrobić w ten sposób",
        "Ta strona nie przyjmuje takiego żądania (np. formularz otwarty ponownie z historii "
        "przeglądarki). Wróć na poprzednią stronę i użyj przycisku na niej.",
    ),
    413: (
        "Za dużo danych",
        "Wysłany formularz jest za duży. Skróć tekst i spróbuj ponownie.",
    ),
    429: ("Zbyt wiele prób", "Odczekaj chwilę i spróbuj ponownie."),
    500: (
        "Błąd programu",
        "Nie udało się wykonać tej czynności z powodu błędu w programie; zmiany z tej próby nie "
        "zostały zapisane. Spróbuj ponownie; jeśli błąd się powtarza, powiadom osobę, która "
        "opiekuje się programem (szczegóły są w jego dzienniku).",
    ),
}
CSRF_PAGE = (
    "Formularz wygasł",
    "Formularz wygasł albo nie pochodzi z tej strony. Wróć, odśwież stronę i spróbuj ponownie.",
)


def error_page(status: int, title: str, message: str) -> Any:
    return render_template("web/error.html", title=title, message=message, status=status), status


def register(app: Flask) -> None:
    """Polish pages for every error the workspace can answer with."""

    @app.errorhandler(CSRFError)
    def _csrf(_exc: CSRFError) -> Any:
        return error_page(400, *CSRF_PAGE)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Any:
        status = exc.code or 500
        title, message = PAGES.get(status, PAGES[500 if status >= 500 else 400])
        response = exc.get_response()
        page, _status = error_page(status, title, message)
        out = app.make_response((page, status))
        for header in ("Allow", "Retry-After"):
            if header in response.headers:
                out.headers[header] = response.headers[header]
        return out

    @app.errorhandler(500)
    def _server(_exc: Exception) -> Any:
        return error_page(500, *PAGES[500])
