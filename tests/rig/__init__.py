"""Test rig for mailbot: a real Dovecot IMAP server and a real aiosmtpd SMTP server on 127.0.0.1."""

from .dovecot import Dovecot, DovecotError
from .ports import free_port
from .smtp import Received, SmtpSink

__all__ = ["Dovecot", "DovecotError", "Received", "SmtpSink", "free_port"]
