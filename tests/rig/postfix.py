"""The real delivery path for tests: Postfix delivering into Dovecot by LMTP, and neomutt.

``DeliveryRig`` starts, all on 127.0.0.1 with free ports and everything under one /tmp folder:

* a Dovecot with IMAP (STARTTLS), LMTP and an auth listener Postfix uses for SMTP AUTH; its
  users (``DeliveryRig.USERS``, password ``DeliveryRig.password``) are the call's mailbox
  ``nabor@urzad.test`` and applicants at ``kandydat.test``;
* Postfix 3.7 with its own config and queue folders: ``smtpd_port`` (what a mail client or
  another server uses) and ``submission_port`` (STARTTLS required, AUTH through Dovecot) —
  both domains are delivered into Dovecot by LMTP. ``lost@kandydat.test`` is a known address to
  Postfix but not to Dovecot: mail to it is accepted, then refused by the next hop (LMTP) and
  bounced to its sender; ``nikt@kandydat.test`` is unknown to Postfix (refused at RCPT).

``send_with_neomutt`` sends a message with an attachment as a person's mail client does.
Requires root and the packages postfix, dovecot-imapd, dovecot-lmtpd, neomutt.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from imapclient import IMAPClient

from .dovecot import _greets, _read_pid, _world_traversable, dovecot_binary, make_cert
from .ports import free_port, port_open

HOST = "127.0.0.1"
CALL_DOMAIN, APPLICANT_DOMAIN = "urzad.test", "kandydat.test"
SBIN = "/usr/sbin:/sbin:/usr/local/sbin:/usr/bin:/bin"

DOVECOT_CONF = """\
base_dir = {dir}/dovecot/run
state_dir = {dir}/dovecot/state
instance_name = mailbot-rig-{name}
log_path = {dir}/dovecot/dovecot.log
listen = 127.0.0.1
protocols = imap lmtp
ssl = yes
ssl_cert = <{dir}/cert.pem
ssl_key = <{dir}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0 secs
mail_uid = nobody
mail_gid = nogroup
first_valid_uid = 65534
mail_home = {dir}/dovecot/mail/%n
mail_location = maildir:~/Maildir
mail_max_userip_connections = 100
mailbox_idle_check_interval = 1 secs
auth_username_format = %n
protocol lmtp {{
  postmaster_address = postmaster@{call_domain}
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%n {dir}/dovecot/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%n {dir}/dovecot/users
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp_port}
  }}
}}
service auth {{
  inet_listener auth-postfix {{
    address = 127.0.0.1
    port = {auth_port}
  }}
}}
"""

MAIN_CF = """\
compatibility_level = 3.6
config_directory = {dir}/postfix/etc
queue_directory = {dir}/postfix/spool
data_directory = {dir}/postfix/lib
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.{call_domain}
mydomain = {call_domain}
myorigin = {call_domain}
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
maillog_file = {dir}/postfix/maillog
maillog_file_prefixes = {dir}/postfix/
smtputf8_enable = yes
biff = no
virtual_mailbox_domains = {call_domain}, {applicant_domain}
virtual_mailbox_maps = texthash:{dir}/postfix/etc/vmailbox
virtual_alias_maps = texthash:{dir}/postfix/etc/valias
virtual_transport = lmtp:inet:127.0.0.1:{lmtp_port}
lmtp_host_lookup = native
smtp_host_lookup = native
disable_dns_lookups = yes
relayhost =
default_transport = error:no outside mail in this rig
smtpd_banner = $myhostname ESMTP Postfix (mailbot test rig)
smtpd_tls_cert_file = {dir}/cert.pem
smtpd_tls_key_file = {dir}/key.pem
smtpd_tls_security_level = may
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:127.0.0.1:{auth_port}
smtpd_sasl_auth_enable = no
smtpd_tls_auth_only = yes
message_size_limit = 52428800
alias_maps =
alias_database =
delay_warning_time = 0
"""

MASTER_CF = """\
127.0.0.1:{smtpd_port} inet  n       -       n       -       -       smtpd
127.0.0.1:{submission_port} inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""

NEOMUTTRC = """\
set smtp_url = "smtp://127.0.0.1:{smtpd_port}"
set ssl_starttls = yes
set ssl_force_tls = no
set ssl_ca_certificates_file = "{dir}/cert.pem"
set record = ""
set copy = no
set use_from = yes
set send_charset = "utf-8"
set charset = "utf-8"
set hostname = "{applicant_domain}"
set mbox_type = Maildir
set folder = "{dir}/mua/Mail"
set spoolfile = "{dir}/mua/Mail"
set header_cache = ""
set message_cachedir = ""
"""


class RigError(RuntimeError):
    pass


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_software() -> list[str]:
    """The packages this rig needs that are not installed."""
    missing = []
    if dovecot_binary() is None:
        missing.append("dovecot-imapd")
    if not any(Path(p).exists() for p in ("/usr/lib/dovecot/lmtp", "/usr/libexec/dovecot/lmtp")):
        missing.append("dovecot-lmtpd")
    if shutil.which("postfix", path=SBIN) is None:
        missing.append("postfix")
    if shutil.which("neomutt") is None:
        missing.append("neomutt")
    return missing


class DeliveryRig:
    """Dovecot (IMAP + LMTP + auth) and Postfix (smtpd + submission) in one /tmp folder."""

    #: Dovecot users; Postfix knows these plus ``lost`` (known to Postfix, not to Dovecot)
    USERS = ("nabor", "pm", "anna", "jan", "ewa")
    CALL_ADDRESS = f"nabor@{CALL_DOMAIN}"

    def __init__(self) -> None:
        self.password = "rig-" + secrets.token_hex(6)
        self.dir = Path(tempfile.mkdtemp(prefix="mailbot-postfix-rig-", dir="/tmp"))
        self.imap_port, self.lmtp_port, self.auth_port = free_port(), free_port(), free_port()
        self.smtpd_port, self.submission_port = free_port(), free_port()
        self.cafile = str(self.dir / "cert.pem")
        self._dovecot: subprocess.Popen[bytes] | None = None
        self._postfix_started = False

    # ---------------------------------------------------------------- lifecycle

    def start(self, timeout: float = 30.0) -> None:
        if os.geteuid() != 0:
            raise RigError("the Postfix rig needs root")
        _world_traversable(self.dir)
        make_cert(self.dir / "cert.pem", self.dir / "key.pem")
        os.chmod(self.dir / "key.pem", 0o644)  # Postfix's and Dovecot's processes read it
        values = {
            "dir": self.dir,
            "name": self.dir.name,
            "call_domain": CALL_DOMAIN,
            "applicant_domain": APPLICANT_DOMAIN,
            "imap_port": self.imap_port,
            "lmtp_port": self.lmtp_port,
            "auth_port": self.auth_port,
            "smtpd_port": self.smtpd_port,
            "submission_port": self.submission_port,
        }
        self._start_dovecot(values, timeout)
        self._start_postfix(values, timeout)
        (self.dir / "mua" / "Mail").mkdir(parents=True)
        (self.dir / "mua" / "neomuttrc").write_text(NEOMUTTRC.format(**values))

    def _start_dovecot(self, values: dict[str, object], timeout: float) -> None:
        base = self.dir / "dovecot"
        for sub in ("run", "state", "mail"):
            (base / sub).mkdir(parents=True, mode=0o755)
        os.chmod(base, 0o755)
        os.chown(base / "mail", pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid)
        (base / "users").write_text(
            "".join(f"{u}:{{PLAIN}}{self.password}::::::\n" for u in self.USERS)
        )
        conf = base / "dovecot.conf"
        conf.write_text(DOVECOT_CONF.format(**values))
        binary = dovecot_binary()
        assert binary is not None
        with open(base / "stdout.log", "ab") as out:
            self._dovecot = subprocess.Popen(
                [binary, "-F", "-c", str(conf)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._dovecot.poll() is not None:
                raise RigError(f"dovecot exited: {self._tail(base / 'dovecot.log')}")
            if (
                _read_pid(base / "run" / "master.pid") == self._dovecot.pid
                and _greets(HOST, self.imap_port)
                and port_open(HOST, self.lmtp_port)
            ):
                return
            time.sleep(0.05)
        raise RigError(f"dovecot not ready: {self._tail(base / 'dovecot.log')}")

    def _start_postfix(self, values: dict[str, object], timeout: float) -> None:
        base = self.dir / "postfix"
        etc = base / "etc"
        for sub in ("etc", "spool", "lib"):
            (base / sub).mkdir(parents=True)
        os.chmod(base, 0o755)
        os.chown(base / "lib", pwd.getpwnam("postfix").pw_uid, -1)
        (etc / "main.cf").write_text(MAIN_CF.format(**values))
        (etc / "master.cf").write_text(MASTER_CF.format(**values))
        known = [*self.USERS, "lost"]
        (etc / "vmailbox").write_text(
            f"nabor@{CALL_DOMAIN} ok\npm@{CALL_DOMAIN} ok\n"
            + "".join(f"{u}@{APPLICANT_DOMAIN} ok\n" for u in known if u not in ("nabor", "pm"))
        )
        (etc / "valias").write_text(
            f"postmaster@{CALL_DOMAIN} pm@{CALL_DOMAIN}\n"
            f"postmaster@{APPLICANT_DOMAIN} pm@{CALL_DOMAIN}\n"
        )
        for command in ("check", "start"):
            done = self._postfix(command)
            if done.returncode != 0:
                raise RigError(
                    f"postfix {command} failed ({done.returncode}): "
                    f"{done.stdout}{done.stderr}{self._tail(base / 'maillog')}"
                )
        self._postfix_started = True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if port_open(HOST, self.smtpd_port) and port_open(HOST, self.submission_port):
                return
            time.sleep(0.05)
        raise RigError(f"postfix not listening: {self._tail(base / 'maillog')}")

    def _postfix(self, command: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, PATH=SBIN)
        return subprocess.run(
            ["postfix", "-c", str(self.dir / "postfix" / "etc"), command],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
            stdin=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        if self._postfix_started:
            self._postfix("stop")  # TERM to its master; falls back below
            self._postfix_started = False
            pid = _read_pid(self.dir / "postfix" / "spool" / "pid" / "master.pid")
            if pid is not None:
                for _ in range(100):
                    try:
                        os.kill(pid, 0)
                    except ProcessLookupError:
                        break
                    time.sleep(0.05)
                else:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, 9)
        if self._dovecot is not None:
            self._dovecot.terminate()
            try:
                self._dovecot.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._dovecot.kill()
                self._dovecot.wait()
            self._dovecot = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> DeliveryRig:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()

    # ---------------------------------------------------------------- helpers for tests

    def maillog(self, lines: int = 40) -> str:
        return self._tail(self.dir / "postfix" / "maillog", lines)

    def client(self, user: str) -> IMAPClient:
        client = IMAPClient(HOST, port=self.imap_port, ssl=False, timeout=30)
        client.starttls(ssl_context=_context(self.cafile))
        client.login(user, self.password)
        return client

    def messages(self, user: str) -> list[bytes]:
        """Every message in the user's INBOX, as stored."""
        with self.client(user) as client:
            client.select_folder("INBOX", readonly=True)
            uids = client.search("ALL")
            if not uids:
                return []
            data = client.fetch(uids, ["BODY.PEEK[]"])
            return [data[uid][b"BODY[]"] for uid in sorted(data)]

    def wait_for(self, user: str, count: int, timeout: float = 30.0) -> list[bytes]:
        deadline = time.monotonic() + timeout
        while True:
            found = self.messages(user)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{user}: {len(found)} message(s), expected {count}, "
                    f"within {timeout} s\n{self.maillog()}"
                )
            time.sleep(0.2)

    def send_with_neomutt(self, sender: str, subject: str, body: str, attachment: Path) -> None:
        """Send as a person's mail client: neomutt through Postfix's smtpd port."""
        home = self.dir / "mua"
        env = dict(os.environ, HOME=str(home), LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="dumb")
        done = subprocess.run(
            [
                "neomutt",
                "-n",
                "-F",
                str(home / "neomuttrc"),
                "-e",
                f'set from="{sender}"',
                "-s",
                subject,
                "-a",
                str(attachment),
                "--",
                self.CALL_ADDRESS,
            ],
            input=body.encode(),
            capture_output=True,
            env=env,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise RigError(
                f"neomutt failed ({done.returncode}): "
                f"{done.stderr.decode(errors='replace')}\n{self.maillog()}"
            )

    @staticmethod
    def _tail(path: Path, lines: int = 40) -> str:
        try:
            return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return f"({path} not readable)"


def _context(cafile: str):  # type: ignore[no-untyped-def]
    import ssl

    return ssl.create_default_context(cafile=cafile)
