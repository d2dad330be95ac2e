"""OAuth2 access tokens for IMAP and SMTP (SASL XOAUTH2 and OAUTHBEARER).

Microsoft 365 and Google Workspace mailboxes refuse passwords; they take an OAuth2 access
token instead. mailbot gets one in either of two ways, per ``[imap]`` / ``[smtp]``:

* ``oauth2_token_command``: a command that prints an access token on its first output line
  (the convention of msmtp's ``passwordeval`` and mbsync's ``PassCmd``); it runs through
  ``/bin/sh`` whenever a new token is needed;
* the refresh-token flow (RFC 6749 section 6): ``oauth2_token_url`` and ``oauth2_client_id``,
  with the client secret (if the app has one) and the refresh token read from the environment
  variables named by ``oauth2_client_secret_env`` / ``oauth2_refresh_token_env`` (or from the
  files named by ``NAME_FILE``).

A token is reused until 5 minutes before it expires (``expires_in`` of the token endpoint, or
the ``exp`` claim of a JWT from a command); a server's refusal renews it once at once (a token
revoked or expired early), so a pass is not lost to a token that ran out mid-way.
"""

from __future__ import annotations

import base64
import json
import logging
import smtplib
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from mailbot.config import OAuth2Config
from mailbot.errors import TokenError

log = logging.getLogger(__name__)

RENEW_MARGIN_SECONDS = 300.0  # a token this close to its expiry is renewed before use
COMMAND_TIMEOUT_SECONDS = 60.0
HTTP_TIMEOUT_SECONDS = 30.0


class OAuth2Account(Protocol):
    """What :class:`ImapConfig` and :class:`SmtpConfig` share for OAuth2: the account and how
    its tokens are obtained."""

    @property
    def username(self) -> str | None: ...
    @property
    def oauth2(self) -> OAuth2Config: ...


@dataclass
class _Token:
    value: str
    expires_at: float | None  # time.time() of expiry; None: unknown (renewed on every use)

    def fresh(self, now: float) -> bool:
        return self.expires_at is not None and now < self.expires_at - RENEW_MARGIN_SECONDS


class TokenSource:
    """Access tokens for one account, renewed before they expire."""

    def __init__(self, config: OAuth2Config, section: str) -> None:
        self.config = config
        self.section = section  # "imap" or "smtp", for messages naming the keys
        self._token: _Token | None = None
        self._refresh_token: str | None = None  # a rotated refresh token, kept in memory
        self._lock = threading.Lock()

    def token(self, *, renew: bool = False) -> str:
        """A usable access token; ``renew`` forces a new one (the server refused the last)."""
        with self._lock:
            now = time.time()
            if renew or self._token is None or not self._token.fresh(now):
                self._token = (
                    self._from_command()
                    if self.config.token_command
                    else self._from_refresh_token()
                )
                log.info(
                    "%s: OAuth2 access token obtained (%s)",
                    self.section,
                    f"expires in {self._token.expires_at - now:.0f} s"
                    if self._token.expires_at
                    else "expiry unknown",
                )
            return self._token.value

    # --- the two ways --------------------------------------------------------------------------

    def _from_command(self) -> _Token:
        command = self.config.token_command
        assert command
        key = f"{self.section}.oauth2_token_command"
        try:
            done = subprocess.run(
                ["/bin/sh", "-c", command],
                capture_output=True,
                timeout=COMMAND_TIMEOUT_SECONDS,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            raise TokenError(
                f"{key} did not finish within {COMMAND_TIMEOUT_SECONDS:.0f} s: "
                "run it by hand to see what it waits for"
            ) from exc
        if done.returncode != 0:
            why = _last_line(done.stderr) or f"exit code {done.returncode}"
            raise TokenError(
                f"{key} failed ({why}): run it by hand; its refresh token may need a new sign-in"
            )
        value = _first_line(done.stdout)
        if not value:
            raise TokenError(
                f"{key} printed no access token: it must print the token on its first line"
            )
        return _Token(value, jwt_expiry(value))

    def _from_refresh_token(self) -> _Token:
        c = self.config
        assert c.token_url and c.client_id
        refresh = self._refresh_token or c.refresh_token.resolve(
            f"{self.section}.oauth2_refresh_token_env"
        )
        form = {
            "grant_type": "refresh_token",
            "refresh_token": refresh or "",
            "client_id": c.client_id,
        }
        secret = c.client_secret.resolve(f"{self.section}.oauth2_client_secret_env")
        if secret:
            form["client_secret"] = secret
        if c.scope:
            form["scope"] = c.scope
        request = urllib.request.Request(
            c.token_url,
            data=urllib.parse.urlencode(form).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            method="POST",
        )
        where = f"{self.section}.oauth2_token_url"
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
                body = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            error, detail = _oauth_error(exc)
            fix = (
                "sign in again to get a new refresh token (README: OAuth2) and put it in "
                f"{c.refresh_token.env}"
                if error == "invalid_grant"
                else f"check {self.section}.oauth2_client_id, the client secret and the app's "
                "registration"
            )
            raise TokenError(
                f"the token endpoint refused the refresh token ({error}"
                f"{': ' + detail if detail else ''}): {fix}"
            ) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise TokenError(
                f"cannot get an OAuth2 token from {where} ({reason}): check the "
                "address and the network"
            ) from exc
        value = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(value, str) or not value:
            raise TokenError(f"{where} answered without an access_token")
        rotated = body.get("refresh_token")
        if isinstance(rotated, str) and rotated:
            self._refresh_token = rotated
        try:
            lifetime = float(body.get("expires_in", 3600))
        except (TypeError, ValueError):
            lifetime = 3600.0
        return _Token(value, time.time() + lifetime)


_SOURCES: dict[tuple[str, str | None, str | None, str | None], TokenSource] = {}
_SOURCES_LOCK = threading.Lock()


def token_source(account: OAuth2Account, section: str) -> TokenSource:
    """The one token source of this account in this process (tokens are shared by the
    worker's IDLE connection and its passes)."""
    config = account.oauth2
    key = (
        section,
        account.username,
        config.token_command or config.token_url,
        config.client_id,
    )
    with _SOURCES_LOCK:
        source = _SOURCES.get(key)
        if source is None:
            source = _SOURCES[key] = TokenSource(config, section)
        return source


def smtp_login(smtp: smtplib.SMTP, config: OAuth2Account) -> None:
    """AUTH XOAUTH2 / OAUTHBEARER on an smtplib session; one renewal when refused."""
    user = config.username or ""
    smtp.ehlo_or_helo_if_needed()
    offered = set((smtp.esmtp_features.get("auth") or "").upper().split())
    mechanism = choose_mechanism(config.oauth2.mechanism, offered)
    source = token_source(config, "smtp")
    host, port = smtp._host, int(getattr(config, "port", 0))  # type: ignore[attr-defined]
    for renew in (False, True):
        token = source.token(renew=renew)
        sasl = (
            oauthbearer(user, token, host, port)
            if mechanism == "OAUTHBEARER"
            else xoauth2(user, token)
        )

        def answer(challenge: bytes | None = None, sasl: str = sasl) -> str:
            # the first call gives the initial response; a 334 error challenge gets "" back
            return sasl if challenge is None else ""

        try:
            smtp.auth(mechanism, answer, initial_response_ok=True)
            log.info("SMTP: logged in with OAuth2 (%s)", mechanism)
            return
        except smtplib.SMTPAuthenticationError:
            if renew:
                raise
            log.info("SMTP: OAuth2 token refused; getting a new one")


def xoauth2(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial response (Google, Microsoft)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def oauthbearer(user: str, token: str, host: str, port: int) -> str:
    """The SASL OAUTHBEARER initial response (RFC 7628)."""
    authzid = user.replace("=", "=3D").replace(",", "=2C")
    return f"n,a={authzid},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01"


def choose_mechanism(configured: str, offered: set[str]) -> str:
    """``oauth2_mechanism`` as set, or (``auto``) OAUTHBEARER when offered, else XOAUTH2."""
    if configured != "auto":
        return configured
    return "OAUTHBEARER" if "OAUTHBEARER" in offered and "XOAUTH2" not in offered else "XOAUTH2"


def jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim of a JWT access token, or None for an opaque token."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        return float(claims["exp"]) if isinstance(claims, dict) and "exp" in claims else None
    except (ValueError, TypeError, KeyError):
        return None


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0].strip()[:300] if text else ""


def _last_line(data: bytes) -> str:
    lines = data.decode("utf-8", "replace").strip().splitlines()
    return lines[-1].strip()[:300] if lines else ""


def _oauth_error(exc: urllib.error.HTTPError) -> tuple[str, str]:
    try:
        body = json.loads(exc.read().decode("utf-8"))
        return str(body.get("error", exc.code)), str(body.get("error_description", ""))[:160]
    except (ValueError, OSError, AttributeError):
        return f"HTTP {exc.code}", ""
