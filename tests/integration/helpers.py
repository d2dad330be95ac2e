"""Config for mailbot pointing at the test rig's Dovecot and aiosmtpd."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PASSWORD_ENV = "MAILBOT_TEST_IMAP_PASSWORD"


def write_config(tmp: Path, dovecot, user: str, smtp, *, security: str = "starttls",
                 extra: str = "") -> Path:
    """The shipped config.toml with [imap], [smtp], [storage] replaced by the rig's."""
    call = (REPO / "config.toml").read_text(encoding="utf-8").split("[imap]")[0]
    port = dovecot.ssl_port if security == "ssl" else dovecot.port
    text = call + f"""
[imap]
host = "{dovecot.host}"
port = {port}
security = "{security}"
username = "{user}"
password_env = "{PASSWORD_ENV}"
ca_file = "{dovecot.cafile}"
timeout = 10
batch_size = 7

[smtp]
host = "{smtp.host}"
port = {smtp.port}
security = "none"
timeout = 10

[storage]
database = "state/mailbot.db"
files = "state/files"

[digest]
recipients = ["koordynator@dops.example.pl"]
at = "07:30"
{extra}
"""
    path = tmp / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path
