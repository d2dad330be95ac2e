"""mailbot/mail/tls.py: every connection verifies the server's certificate unless the config says
otherwise; a CA file names the one authority to trust."""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path

import pytest
from rig.dovecot import make_cert

from mailbot.mail.tls import tls_context


def test_verified_by_default() -> None:
    context = tls_context(None, verify=True)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname


def test_not_verified_only_when_asked() -> None:
    context = tls_context(None, verify=False)
    assert context.verify_mode == ssl.CERT_NONE
    assert not context.check_hostname


def _handshake(context: ssl.SSLContext, cert: Path, key: Path) -> None:
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def serve() -> None:
            conn, _ = listener.accept()
            try:
                with server.wrap_socket(conn, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                pass

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        try:
            with (
                socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
                context.wrap_socket(raw, server_hostname="localhost"),
            ):
                pass
        finally:
            thread.join(timeout=10)


def test_a_ca_file_is_trusted_and_nothing_else(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    make_cert(cert, key)
    _handshake(tls_context(cert, verify=True), cert, key)  # trusted: the handshake completes
    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(tls_context(None, verify=True), cert, key)  # self-signed, not in the system's
    _handshake(tls_context(None, verify=False), cert, key)
