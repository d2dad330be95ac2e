"""Every error the workspace shows, in Polish: the error pages (400, 403, 404, 405, 413, 429,
500, a form whose token expired) and the library's refusals phrased for the coordinator.

The library says *why* an action cannot be done: every error carries a code and parameters
(:class:`~mailbot.errors.ActionRefused` for a person's action; each failure of the mailbox, the
lock, the store its class's own); :data:`POLISH` is the one table of codes to Polish words and
:func:`phrase` says an error with it. The web never checks a rule a second time: it calls the
library and says its refusal.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from mailbot.errors import REFUSALS, MailbotError
from mailbot.pipeline.texts import STATUS_LABELS

log = logging.getLogger(__name__)

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

#: every error code (:data:`mailbot.errors.REFUSALS` and each error class's own), said to the
#: coordinator; ``{name}`` is a parameter of the error (or one derived from it here:
#: ``status_text``, a status in Polish). A refusal is said as it is; a failure of the mailbox,
#: the database or the program ends with "Nic nie zmieniono."
POLISH: Mapping[str, str] = {
    # refusals of a person's action
    "review": GENERIC_REFUSAL,
    "no_application": "Nie ma zgłoszenia o numerze {ref}.",
    "no_message": "Nie ma takiej wiadomości.",
    "unknown_entry": "Nie ma takiego wpisu.",
    "not_handled": "Ten wpis nie jest oznaczony jako załatwiony (może ktoś już go przywrócił).",
    "nothing_chosen": "Zaznacz co najmniej jeden wpis.",
    "no_page": "Nie ma takiej strony skanu.",
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
    "note_empty": "Notatka jest pusta.",
    "note_too_long": "Notatka jest za długa: może mieć najwyżej {limit} znaków.",
    "field_errors": "Nie zapisano: popraw zaznaczone pola (opis przy każdym z nich).",
    "not_a_scan": "Formularz zgłoszenia {reference} nie jest skanem: nie ma odczytu do "
    "zatwierdzenia.",
    "reading_in_progress": "Skan zgłoszenia {reference} jest jeszcze odczytywany. Spróbuj "
    "ponownie za chwilę.",
    "reading_failed": "Skanu zgłoszenia {reference} nie udało się odczytać automatycznie "
    "({reason}): wpisz dane ręcznie.",
    "reference_missing": "Wybierz zgłoszenie, które ma zostać wycofane.",
    "groups_missing": "Zaznacz grupy, z których osoba zgłaszająca rezygnuje.",
    "robot_withdrawal": "Tę wiadomość wysłał automat, nie osoba: nie może wycofać zgłoszenia.",
    "not_live": "Zgłoszenie {reference} zastąpiło późniejsze zgłoszenie tej osoby: wycofać "
    "można tylko aktualne.",
    "not_withdrawable": "Zgłoszenia {reference} nie można wycofać: jego status to już "
    "„{status_text}”.",
    "groups_not_named": "W zgłoszeniu {reference} nie wskazano grup(y) {numbers}.",
    "no_proposal": "Z tej wiadomości nie wynika wycofanie jednego zgłoszenia: wybierz "
    "zgłoszenie, które ma zostać wycofane.",
    "unknown_disposition": "Wybierz rodzaj wiadomości z listy.",
    "days_reversed": "Data „do” jest wcześniejsza niż data „od”.",
    "login_invalid": "Login ma od 2 do 40 znaków: małe litery, cyfry, kropka, podkreślenie "
    "albo łącznik.",
    "password_short": "Hasło musi mieć co najmniej {minimum} znaków.",
    "unknown_role": "Wybierz rolę z listy.",
    "user_exists": "Login {login} już istnieje.",
    "no_user": "Nie ma użytkownika o loginie {login}.",
    # failures: the program, its configuration, the mailbox, the database
    "failed": GENERIC_REFUSAL + NOTHING_CHANGED,
    "config": GENERIC_REFUSAL + NOTHING_CHANGED,
    "config_unknown_key": GENERIC_REFUSAL + NOTHING_CHANGED,
    "locked": LOCKED + NOTHING_CHANGED,
    "storage": STORAGE + NOTHING_CHANGED,
    "mailbox": MAILBOX_DOWN + NOTHING_CHANGED,
    "login_refused": MAILBOX_DOWN + NOTHING_CHANGED,
    "security_mismatch": MAILBOX_DOWN + NOTHING_CHANGED,
    "connect_timeout": MAILBOX_DOWN + NOTHING_CHANGED,
    "certificate_not_trusted": MAILBOX_DOWN + NOTHING_CHANGED,
    "folder": MAILBOX_DOWN + NOTHING_CHANGED,
    "message_gone": MESSAGE_GONE + NOTHING_CHANGED,
    "token": GENERIC_REFUSAL + NOTHING_CHANGED,
    "transport": GENERIC_REFUSAL + NOTHING_CHANGED,
    "transport_temporary": GENERIC_REFUSAL + NOTHING_CHANGED,
    "transport_unavailable": GENERIC_REFUSAL + NOTHING_CHANGED,
    "connection_lost": GENERIC_REFUSAL + NOTHING_CHANGED,
    "transport_permanent": GENERIC_REFUSAL + NOTHING_CHANGED,
    "listen": GENERIC_REFUSAL + NOTHING_CHANGED,
    "source": GENERIC_REFUSAL + NOTHING_CHANGED,
    "not_stored": NOT_KEPT + NOTHING_CHANGED,
    "snapshot": GENERIC_REFUSAL + NOTHING_CHANGED,
}


def _derived(params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters with the ones said in Polish added (a status's Polish name)."""
    out = dict(params)
    status = params.get("status")
    if isinstance(status, str):
        out["status_text"] = STATUS_LABELS.get(status, status)
    return out


def phrase(exc: MailbotError) -> str:
    """What went wrong, in Polish, for the coordinator (ending with "Nic nie zmieniono." where
    an action failed before it changed anything), from the error's code and parameters."""
    template = POLISH.get(exc.code)
    if template is None:
        log.warning("an error without Polish words: %s", exc.code)
        return GENERIC_REFUSAL if exc.code in REFUSALS else GENERIC_REFUSAL + NOTHING_CHANGED
    try:
        return template.format(**_derived(exc.params))
    except (KeyError, IndexError, ValueError):
        return GENERIC_REFUSAL


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
