"""OAuth2 pieces of the test rig, all on 127.0.0.1 and without network.

* :class:`DovecotOAuth2` — a Dovecot that accepts only SASL XOAUTH2 / OAUTHBEARER and validates
  the bearer token locally as an HS256 JWT (``passdb { driver = oauth2 }`` with
  ``introspection_mode = local``); expired tokens, a wrong issuer, a wrong user and a bad
  signature are refused.
* :class:`OAuthSmtpSink` — aiosmtpd accepting AUTH XOAUTH2 and OAUTHBEARER with the same JWTs
  (line limits raised: real tokens are 1.5–3 KB).
* :class:`TokenEndpoint` — an OAuth2 token endpoint (RFC 6749 refresh-token grant) that hands
  out such JWTs for one refresh token and counts its calls.
* :func:`make_jwt` — sign a token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult

from .dovecot import Dovecot
from .ports import free_port
from .smtp import SmtpSink, _Handler

ISSUER = "https://idp.test/"
BIG_LINE = 16384  # RFC 4954 allows AUTH lines up to 12288 octets

#: how users log in to the OAuth2 Dovecot: bearer tokens only (the rest as in .dovecot)
OAUTH2_AUTH_CONFIG = """\
disable_plaintext_auth = yes
auth_mechanisms = xoauth2 oauthbearer
auth_failure_delay = 0 secs

passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {dir}/dovecot-oauth2.conf.ext
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={dir}/mail/%n
}}

"""

OAUTH2_EXT = """\
introspection_mode = local
local_validation_key_dict = fs:posix:prefix={dir}/keys/
username_attribute = email
issuers = {issuer}
"""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_jwt(key: bytes, email: str, ttl: float = 600, issuer: str = ISSUER) -> str:
    """An HS256 JWT for ``email`` valid ``ttl`` seconds (negative: already expired)."""
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {
        "iss": issuer,
        "sub": email,
        "email": email,
        # issued a second ago: Dovecot compares with its own clock, cached per second, and
        # refuses a token "issued in future" when this one has already turned the second
        "iat": now - 1,
        "nbf": now - 60,
        "exp": int(now + ttl),
    }
    signing = (
        _b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64url(json.dumps(claims, separators=(",", ":")).encode())
    )
    signature = hmac.new(key, signing.encode(), hashlib.sha256).digest()
    return signing + "." + _b64url(signature)


def check_jwt(key: bytes, token: str, user: str) -> str | None:
    """None when ``token`` is a valid HS256 JWT for ``user``, else the reason."""
    try:
        head, body, signature = token.split(".")
        header, claims = json.loads(_unb64url(head)), json.loads(_unb64url(body))
    except (ValueError, binascii.Error):
        return "malformed token"
    if header.get("alg") != "HS256":
        return "alg not allowed"
    good = hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(good, _unb64url(signature)):
        return "bad signature"
    now = time.time()
    if claims.get("exp", 0) < now:
        return "expired"
    if claims.get("iss") != ISSUER:
        return "issuer not allowed"
    if str(claims.get("email", "")).lower() != user.lower():
        return "user mismatch"
    return None


class DovecotOAuth2(Dovecot):
    """A throw-away Dovecot that takes only OAuth2 bearer tokens (see the module docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key = os.urandom(32)

    def token(self, email: str, ttl: float = 600) -> str:
        return make_jwt(self.key, email, ttl)

    def _write_config(self) -> None:
        assert self.dir is not None
        keys = self.dir / "keys" / "default" / "HS256"
        keys.mkdir(parents=True, exist_ok=True)
        (keys / "default").write_text(base64.b64encode(self.key).decode())
        for path in (self.dir / "keys", self.dir / "keys" / "default", keys):
            os.chmod(path, 0o755)
        os.chmod(keys / "default", 0o644)
        (self.dir / "dovecot-oauth2.conf.ext").write_text(
            OAUTH2_EXT.format(dir=self.dir, issuer=ISSUER)
        )
        super()._write_config()

    def _auth_config(self) -> str:
        return OAUTH2_AUTH_CONFIG

    def client(self, user: str, **kwargs: Any):  # type: ignore[no-untyped-def,override]
        """A client logged in with a fresh token (STARTTLS: plain login is disabled)."""
        from imapclient import IMAPClient

        client = IMAPClient(self.host, self.port, ssl=False, timeout=kwargs.get("timeout", 10))
        client.starttls(self.ssl_context())
        client.normalise_times = False
        client.oauth2_login(user, self.token(user))
        return client


class _OAuthSMTP(SMTP):
    line_length_limit = BIG_LINE  # the 334 continuation line carries the token

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.command_size_limits["AUTH"] = BIG_LINE


class _OAuthHandler(_Handler):
    def __init__(self, sink: OAuthSmtpSink) -> None:
        super().__init__(sink)
        self.oauth_sink = sink

    async def _finish(self, server: SMTP, user: str, token: str, mechanism: str) -> AuthResult:
        why = check_jwt(self.oauth_sink.key, token, user)
        with self.oauth_sink._cond:
            self.oauth_sink.auth_attempts.append((f"{mechanism}:{user}", why is None))
        if why is None:
            return AuthResult(success=True, auth_data=user)
        # RFC 7628: failure is a 334 with a JSON error; the client answers with an empty line
        error = json.dumps({"status": "401", "schemes": "bearer", "scope": "smtp"}).encode()
        await server.challenge_auth(error)
        return AuthResult(
            success=False,
            handled=False,
            message=f"535 5.7.8 Authentication credentials invalid ({why})",
        )

    async def _blob(self, server: SMTP, args: list[str]) -> bytes | None:
        if len(args) == 2:
            try:
                return base64.b64decode(args[1], validate=True)
            except binascii.Error:
                return None
        got = await server.challenge_auth("")
        return got if isinstance(got, bytes) else None

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        blob = await self._blob(server, args)
        if not blob:
            return AuthResult(success=False, handled=False)
        parts = dict(
            p.split("=", 1) for p in blob.decode("utf-8", "replace").split("\x01") if "=" in p
        )
        token = parts.get("auth", "").removeprefix("Bearer ").strip()
        return await self._finish(server, parts.get("user", ""), token, "XOAUTH2")

    async def auth_OAUTHBEARER(self, server: SMTP, args: list[str]) -> AuthResult:
        blob = await self._blob(server, args)
        if not blob:
            return AuthResult(success=False, handled=False)
        gs2, _, rest = blob.decode("utf-8", "replace").partition("\x01")
        user = next((f[2:] for f in gs2.split(",") if f.startswith("a=")), "")
        user = user.replace("=2C", ",").replace("=3D", "=")
        fields = dict(p.split("=", 1) for p in rest.split("\x01") if "=" in p)
        token = fields.get("auth", "").removeprefix("Bearer ").strip()
        return await self._finish(server, user, token, "OAUTHBEARER")


class _OAuthController(Controller):
    def factory(self) -> SMTP:
        return _OAuthSMTP(self.handler, **self.SMTP_kwargs)


class OAuthSmtpSink(SmtpSink):
    """An SmtpSink (STARTTLS required) whose only AUTH mechanisms are XOAUTH2 and OAUTHBEARER,
    checking the tokens against ``key``; ``auth_attempts`` lists ("MECH:user", accepted)."""

    def __init__(self, key: bytes, tls_context: Any, cafile: str) -> None:
        super().__init__(tls_context=tls_context, require_starttls=True, cafile=cafile)
        self.key = key

    def start(self) -> None:
        if self._controller is not None:
            return
        controller = _OAuthController(
            _OAuthHandler(self),
            hostname=self.host,
            port=self.port,
            server_hostname="smtp-oauth.test",
            tls_context=self.tls_context,
            require_starttls=True,
            auth_require_tls=True,
            auth_required=True,
            auth_exclude_mechanism=["LOGIN", "PLAIN"],
            enable_SMTPUTF8=True,
        )
        controller.start()
        self._controller = controller


class TokenEndpoint:
    """``POST /token`` with grant_type=refresh_token: a JWT for ``email`` when the refresh
    token and client id match; ``invalid_grant`` otherwise. ``calls`` counts the requests."""

    def __init__(
        self, key: bytes, email: str, refresh_token: str, client_id: str, ttl: float = 3600
    ) -> None:
        self.key, self.email, self.ttl = key, email, ttl
        self.refresh_token, self.client_id = refresh_token, client_id
        self.calls = 0
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/token"
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                endpoint.calls += 1
                if (
                    form.get("grant_type") != "refresh_token"
                    or form.get("refresh_token") != endpoint.refresh_token
                    or form.get("client_id") != endpoint.client_id
                ):
                    self._answer(
                        400,
                        {"error": "invalid_grant", "error_description": "refresh token revoked"},
                    )
                    return
                self._answer(
                    200,
                    {
                        "access_token": make_jwt(endpoint.key, endpoint.email, endpoint.ttl),
                        "token_type": "Bearer",
                        "expires_in": int(endpoint.ttl),
                    },
                )

            def _answer(self, code: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> TokenEndpoint:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
