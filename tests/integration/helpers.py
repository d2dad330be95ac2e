"""Config for mailbot pointing at the test rig's Dovecot and aiosmtpd."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PASSWORD_ENV = "MAILBOT_TEST_IMAP_PASSWORD"


def write_config(
    tmp: Path,
    dovecot,
    user: str,
    smtp,
    *,
    security: str = "starttls",
    limits: dict[str, int] | None = None,
    poll_minutes: int = 5,
    batch_size: int = 7,
    extra: str = "",
    ca_file: bool = True,
    imap_extra: str = "",
) -> Path:
    """The shipped config.toml's [call] with [imap], [smtp], [storage] pointing at the rig."""
    call = (REPO / "config.toml").read_text(encoding="utf-8").split("[imap]")[0]
    port = dovecot.ssl_port if security == "ssl" else dovecot.port
    ca = f'ca_file = "{dovecot.cafile}"\n' if ca_file else ""
    limit_lines = "".join(f"{k} = {v}\n" for k, v in (limits or {}).items())
    text = (
        call
        + f"""
[imap]
host = "{dovecot.host}"
port = {port}
security = "{security}"
username = "{user}"
password_env = "{PASSWORD_ENV}"
{ca}timeout = 10
batch_size = {batch_size}
{imap_extra}
[smtp]
host = "{smtp.host}"
port = {smtp.port}
security = "none"
timeout = 10

[storage]
database = "state/mailbot.db"
files = "state/files"
lock = "state/mailbot.lock"

[digest]
recipients = ["koordynator@dops.example.pl"]
at = "07:30"

[schedule]
poll_minutes = {poll_minutes}

[limits]
{limit_lines}
{extra}
"""
    )
    path = tmp / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path
