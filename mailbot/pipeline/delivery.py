"""Why a letter did not reach its recipient, in Polish; and whether an address is a robot's.

A bounce or an SMTP refusal carries the server's own English words, e.g. ``550 5.1.1
<x@y>: Recipient address rejected: User unknown``. The coordinator reads instead
"odpowiedź nie dotarła – adres nie istnieje (serwer: 550 5.1.1 <x@y>: Recipient address
rejected: User unknown)": what it means, from the enhanced status code (RFC 3463) or the basic
reply code, else from the words servers commonly use, and the server's text kept after
"serwer:" for whoever has to look into it.
"""

from __future__ import annotations

import re

from mailbot.pipeline.classify import ROBOT_LOCAL_PARTS

#: enhanced status codes (RFC 3463: class.subject.detail, the class left out) → meaning
ENHANCED: dict[str, str] = {
    "1.0": "adres jest niepoprawny",
    "1.1": "adres nie istnieje",
    "1.2": "domena adresu nie istnieje",
    "1.3": "adres jest zapisany niepoprawnie",
    "1.4": "adres jest niejednoznaczny",
    "1.6": "adresat ma nowy adres",
    "1.10": "domena adresu nie przyjmuje poczty",
    "2.0": "skrzynka adresata jest niedostępna",
    "2.1": "skrzynka adresata jest wyłączona",
    "2.2": "skrzynka adresata jest pełna",
    "2.3": "wiadomość jest za duża dla skrzynki adresata",
    "2.4": "lista adresowa odbiorcy nie działa",
    "3.0": "serwer adresata nie przyjmuje poczty",
    "3.1": "serwer adresata nie ma miejsca na wiadomości",
    "3.2": "serwer adresata nie przyjmuje teraz poczty",
    "3.4": "wiadomość jest za duża dla serwera adresata",
    "4.0": "nie udało się połączyć z serwerem adresata",
    "4.1": "serwer adresata nie odpowiada",
    "4.2": "połączenie z serwerem adresata zostało przerwane",
    "4.3": "błąd w wyszukiwaniu serwera adresata",
    "4.4": "nie można ustalić drogi do serwera adresata",
    "4.6": "wiadomość krążyła między serwerami",
    "4.7": "wiadomości nie udało się doręczyć w wymaganym czasie",
    "5.0": "błąd w komunikacji z serwerem adresata",
    "6.0": "serwer adresata nie obsługuje treści wiadomości",
    "7.0": "serwer adresata odrzucił wiadomość ze względów bezpieczeństwa",
    "7.1": "serwer adresata odmówił przyjęcia wiadomości",
    "7.26": "serwer adresata uznał wiadomość za niepotwierdzoną (DMARC/SPF/DKIM)",
}
#: basic SMTP reply codes (RFC 5321) → meaning, when there is no enhanced code
BASIC: dict[str, str] = {
    "421": "serwer adresata jest chwilowo niedostępny",
    "450": "skrzynka adresata jest chwilowo niedostępna",
    "451": "serwer adresata miał chwilowy błąd",
    "452": "serwer adresata nie ma miejsca na wiadomości",
    "550": "skrzynka adresata jest niedostępna",
    "551": "adresat nie ma skrzynki na tym serwerze",
    "552": "skrzynka adresata jest pełna",
    "553": "adres jest niepoprawny",
    "554": "serwer adresata odrzucił wiadomość",
}
NO_SUCH_ADDRESS = "adres nie istnieje"
#: what servers commonly say, when neither code tells (lower case)
WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), meaning)
    for p, meaning in (
        (
            r"user unknown|unknown user|no such user|does not exist|doesn't exist|"
            r"not exist|recipient (address )?rejected|invalid recipient|unknown recipient|"
            r"no mailbox|mailbox not found|address rejected|nie istnieje",
            NO_SUCH_ADDRESS,
        ),
        (
            r"host (or domain name )?not found|domain not found|name service error|"
            r"no mx|nxdomain|unrouteable|unroutable",
            "domena adresu nie istnieje",
        ),
        (
            r"mailbox (is )?full|quota|over ?quota|insufficient storage",
            "skrzynka adresata jest pełna",
        ),
        (r"disabled|inactive|suspended", "skrzynka adresata jest wyłączona"),
        (r"too (large|big)|size limit|message size", "wiadomość jest za duża"),
        (
            r"spam|blocked|blacklist|policy|denied|refused",
            "serwer adresata odmówił przyjęcia wiadomości",
        ),
        (r"timed? ?out|expired|too long", "wiadomości nie udało się doręczyć w wymaganym czasie"),
    )
)
_ENHANCED_CODE = re.compile(r"\b[245]\.(\d{1,3})\.(\d{1,3})\b")
_BASIC_CODE = re.compile(r"^\s*(?:status\s+)?([45]\d\d)\b", re.IGNORECASE)


def meaning(reason: str | None) -> str:
    """What a server's refusal means, in Polish ("adres nie istnieje"): the server's words
    saying the address does not exist first (Microsoft 365 says so under 5.4.1), then the
    enhanced status code, then the other common words, then the basic reply code."""
    text = (reason or "").strip()
    said = _words_meaning(text)
    if said == NO_SUCH_ADDRESS:
        return said
    found = _ENHANCED_CODE.search(text)
    if found:
        subject, detail = found.groups()
        key = f"{subject}.{int(detail)}"
        if key in ENHANCED:
            return ENHANCED[key]
        if not said and f"{subject}.0" in ENHANCED:
            return ENHANCED[f"{subject}.0"]
    if said:
        return said
    basic = _BASIC_CODE.match(text)
    if basic and basic.group(1) in BASIC:
        return BASIC[basic.group(1)]
    return "serwer poczty nie doręczył wiadomości"


def _words_meaning(text: str) -> str | None:
    lowered = text.lower()
    for pattern, said in WORDS:
        if pattern.search(lowered):
            return said
    return None


def undelivered_text(reason: str | None, *, bounced: bool = True) -> str:
    """The coordinator's line for a letter that did not reach its recipient: "odpowiedź nie
    dotarła – adres nie istnieje (serwer: 550 5.1.1 …)"; ``bounced`` False: the mail server
    refused to take it at all."""
    head = "odpowiedź nie dotarła" if bounced else "serwer poczty nie przyjął odpowiedzi"
    server = " ".join((reason or "").split())
    said = meaning(server)
    return f"{head} – {said}" + (f" (serwer: {server})" if server else "")


def is_robot_address(address: str | None) -> bool:
    """An address only robots write from (mailer-daemon, postmaster, no-reply …): never answered,
    never an applicant."""
    if not address or "@" not in address:
        return False
    local = address.strip().strip("<>").rsplit("@", 1)[0].lower()
    return (
        local in ROBOT_LOCAL_PARTS
        or local.startswith(("mailer-daemon", "noreply", "no-reply"))
        or local.endswith(("-noreply", "_noreply", "-no-reply", ".noreply"))
    )
