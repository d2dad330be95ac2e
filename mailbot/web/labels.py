"""The names the workspace gives to what mailbot stores: events, reply states, how an entry was
handled, dispositions (Polish; a page never shows a stored key)."""

from __future__ import annotations

EVENT_LABELS = {
    "application": "zgłoszenie zapisane",
    "decision": "decyzja",
    "correction": "poprawka danych",
    "notice_queued": "powiadomienie w kolejce",
    "answer_queued": "odpowiedź w kolejce",
    "handled": "załatwione",
    "reply_failed": "odpowiedź niedostarczona",
    "error": "błąd przetwarzania",
    "ignored": "pominięte (automat)",
    "duplicate": "duplikat",
    "correspondence": "korespondencja",
    "unrelated": "niezwiązane z naborem",
    "uid_remapped": "wiadomość odnaleziona po zmianie skrzynki",
    "withdrawal": "wycofanie zgłoszenia",
    "reply_bounced": "odpowiedź nie dotarła",
    "taught": "ocena pracownika: dotyczy / nie dotyczy naboru",
    "reprocessed": "przetworzono ponownie",
    "ocr_done": "skan odczytany (OCR)",
    "ocr_failed": "skanu nie udało się odczytać (OCR)",
    "prefill_confirmed": "odczyt skanu zatwierdzony",
    "note": "notatka",
    "restored": "przywrócone do Do zrobienia",
}
#: reply states (names.ReplyState) as the workspace shows them
REPLY_STATE_LABELS = {
    "queued": "czeka na wysłanie",
    "sending": "w trakcie wysyłania",
    "sent": "wysłana",
    "failed": "nie została wysłana",
    "bounced": "nie dotarła",
}
#: how an entry of Do zrobienia was dealt with (handled.how)
HANDLED_LABELS = {
    "done": "oznaczone jako załatwione",
    "answered": "odpowiedziano",
    "is_application": "uznane za zgłoszenie",
    "not_application": "uznane za niebędące zgłoszeniem",
    "withdrawal": "zgłoszenie wycofane",
    "not_about_call": "uznane za niedotyczące naboru",
    "restored": "przywrócone",
}
DISPOSITION_LABELS = {
    "application": "zgłoszenie",
    "ignored": "pominięta (automat)",
    "duplicate": "duplikat",
    "error": "błąd przetwarzania",
    "correspondence": "korespondencja",
    "unrelated": "niezwiązana z naborem",
}
