"""One throw-away Dovecot IMAP server for tests.

Runs `dovecot -F -c DIR/dovecot.conf` as a child process with everything (config, sockets,
state, log, mail, TLS cert) in its own directory under /tmp and its own free ports on 127.0.0.1.
Any user name logs in with `Dovecot.password` and gets its own empty mailbox, so tests isolate
themselves with `new_user()`.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import grp
import itertools
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import weakref
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from imapclient import IMAPClient

from .ports import free_port
from .process import stop_group

HOST = "127.0.0.1"
PORT_CLASH_EXIT = 89  # dovecot's exit code when a listener cannot bind
MAIL_USER, MAIL_GROUP = "nobody", "nogroup"
SBIN = "/usr/sbin:/sbin:/usr/local/sbin:/usr/bin:/bin"

#: the parts of the rig's Dovecot config: the server, how users log in (a subclass may
#: replace it), their mailboxes and the listeners
SERVER_CONFIG = """\
# mailbot test rig: generated, throw-away Dovecot instance ({kind})
base_dir = {dir}/run
state_dir = {dir}/state
instance_name = {instance}
log_path = {dir}/dovecot.log
auth_verbose = yes

listen = 127.0.0.1
protocols = imap
ssl = yes
ssl_cert = <{dir}/cert.pem
ssl_key = <{dir}/key.pem

"""
PASSWORD_AUTH_CONFIG = """\
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0 secs

passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = allow_all_users=yes
}}

"""
MAILBOXES_CONFIG = """\
mail_uid = {mail_user}
mail_gid = {mail_group}
mail_home = {dir}/mail/%n
mail_location = maildir:~/Maildir
mail_max_userip_connections = 100
mailbox_idle_check_interval = 1 secs

namespace inbox {{
  inbox = yes
  separator = /
}}

service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}

service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ssl_port}
    ssl = yes
  }}
}}
"""

_APPENDUID = re.compile(rb"APPENDUID\s+\d+\s+(\d+)", re.IGNORECASE)
_live: weakref.WeakSet[Dovecot] = weakref.WeakSet()


class DovecotError(RuntimeError):
    """Dovecot did not start, or a doveadm command failed; the message carries the log tail."""


def dovecot_binary() -> str | None:
    """Path of the dovecot binary, also when /usr/sbin is not on PATH."""
    return shutil.which("dovecot") or shutil.which("dovecot", path=SBIN)


def doveadm_binary() -> str | None:
    return shutil.which("doveadm") or shutil.which("doveadm", path=SBIN)


def _pdeathsig() -> None:
    """In the child before exec: get SIGTERM when the test process dies, even by SIGKILL."""
    with contextlib.suppress(Exception):
        _PRCTL(1, signal.SIGTERM)  # PR_SET_PDEATHSIG (Linux)


try:
    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux
    _PRCTL = None


class Dovecot:
    """One throw-away Dovecot instance; see the module docstring."""

    def __init__(self, *, password: str | None = None, start_timeout: float = 15.0) -> None:
        self.host: str = HOST
        self.port: int = 0
        self.ssl_port: int = 0
        self.password: str = password or "test-" + secrets.token_hex(6)
        self.start_timeout = start_timeout
        self.dir: Path | None = None
        self.cafile: str = ""
        self.log_path: str = ""
        self.config_path: str = ""
        self.proc: subprocess.Popen[bytes] | None = None
        self._users = itertools.count(1)
        self._ports_fixed = False

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Start Dovecot; returns once master.pid names our child and the port greets `* OK`."""
        if self.running:
            return
        binary = dovecot_binary()
        if binary is None:
            raise DovecotError("dovecot binary not found (apt-get install dovecot-imapd)")
        if self.dir is None:
            self._setup()
        _live.add(self)
        attempts = 1 if self._ports_fixed else 5
        for attempt in range(attempts):
            if not self._ports_fixed:
                self.port, self.ssl_port = free_port(), free_port()
                while self.ssl_port == self.port:
                    self.ssl_port = free_port()
            self._write_config()
            code = self._spawn(binary)
            if code is None:
                self._ports_fixed = True
                return
            if code == PORT_CLASH_EXIT and attempt + 1 < attempts:
                continue  # another process took a port between free_port() and bind
            raise DovecotError(
                f"dovecot exited with code {code} during start "
                f"(ports {self.port}/{self.ssl_port})\n{self.log_tail()}"
            )

    def stop(self) -> None:
        """Stop Dovecot (SIGTERM, then SIGKILL of its process group); mail and ports are kept."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        stop_group(proc, term_timeout=10)
        if self.dir is not None:
            with contextlib.suppress(FileNotFoundError):
                (self.dir / "run" / "master.pid").unlink()

    def restart(self) -> None:
        self.stop()
        self.start()

    def cleanup(self) -> None:
        """Stop and remove the instance's directory (set MAILBOT_RIG_KEEP=1 to keep it)."""
        self.stop()
        _live.discard(self)
        if self.dir is not None and os.environ.get("MAILBOT_RIG_KEEP", "") in ("", "0"):
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self) -> Dovecot:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    # ---------------------------------------------------------------- helpers for tests

    def new_user(self, prefix: str = "nabor") -> str:
        """A fresh, unique user name: logging in as it gives an isolated empty mailbox."""
        return f"{prefix}{next(self._users)}x{secrets.token_hex(3)}"

    def client(
        self,
        user: str,
        *,
        ssl: bool = False,
        starttls: bool = False,
        normalise_times: bool = False,
        timeout: float = 10.0,
    ) -> IMAPClient:
        """A logged-in IMAPClient; plain by default, `ssl=True` implicit TLS, `starttls=True`.

        TLS is verified against `cafile`. Times come back tz-aware (normalise_times=False).
        """
        context = self.ssl_context()
        if ssl:
            client = IMAPClient(
                self.host, self.ssl_port, ssl=True, ssl_context=context, timeout=timeout
            )
        else:
            client = IMAPClient(self.host, self.port, ssl=False, timeout=timeout)
            if starttls:
                client.starttls(context)
        # an attribute in imapclient, not a constructor argument
        client.normalise_times = normalise_times
        client.login(user, self.password)
        return client

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts exactly this instance's certificate."""
        return _ssl_context(self.cafile)

    def append(
        self,
        user: str,
        raw: bytes,
        *,
        folder: str = "INBOX",
        internaldate: datetime | None = None,
        flags: Iterable[str | bytes] = (),
    ) -> int:
        """IMAP APPEND with an explicit INTERNALDATE (must be tz-aware); returns the new UID."""
        if internaldate is not None and internaldate.utcoffset() is None:
            raise ValueError(
                "internaldate must be timezone-aware (the machine's zone must not "
                "decide when mail arrived)"
            )
        with self.client(user) as client:
            if folder.upper() != "INBOX" and not client.folder_exists(folder):
                client.create_folder(folder)
            response = client.append(folder, raw, flags=tuple(flags), msg_time=internaldate)
        if isinstance(response, str):
            response = response.encode()
        match = _APPENDUID.search(response or b"")
        if match is None:
            raise DovecotError(f"APPEND gave no APPENDUID: {response!r}")
        return int(match.group(1))

    def deliver(self, user: str, raw: bytes, *, folder: str = "INBOX") -> None:
        """Deliver like an MTA: `doveadm -c CONF save -u USER -m FOLDER` with the mail on stdin."""
        self.doveadm("save", "-u", user, "-m", folder, input=raw)

    def status(self, user: str, folder: str = "INBOX") -> dict[str, int]:
        """{"messages", "unseen", "uidvalidity", "uidnext"} of a folder (IMAP STATUS)."""
        with self.client(user) as client:
            data = client.folder_status(
                folder, [b"MESSAGES", b"UNSEEN", b"UIDVALIDITY", b"UIDNEXT"]
            )
        return {_text(key).lower(): int(value) for key, value in data.items()}

    def fetch_flags(self, user: str, folder: str = "INBOX") -> dict[int, tuple[bytes, ...]]:
        """uid -> flags (bytes, e.g. b"\\\\Seen"), read without changing anything."""
        with self.client(user) as client:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            if not uids:
                return {}
            data = client.fetch(uids, ["FLAGS"])
        return {int(uid): tuple(item[b"FLAGS"]) for uid, item in data.items()}

    def kick(self, user: str) -> None:
        """Drop all of that user's IMAP connections (doveadm kick).

        doveadm exits 68 (EX_NOUSER) when the user has no connections: not an error here.
        """
        self.doveadm("kick", user, ok_codes=(0, 68))

    def reset_uidvalidity(self, user: str, folder: str = "INBOX") -> None:
        """Make the folder's UIDVALIDITY change while keeping its messages.

        Kicks the user, deletes dovecot-uidlist and dovecot.index* in the Maildir folder (as
        happens when an index is lost or a mailbox is rebuilt): Dovecot assigns a new
        UIDVALIDITY and new UIDs. Verified; retried in the next second if the value repeats.
        """
        before = self.status(user, folder)["uidvalidity"]
        path = self.maildir(user, folder)
        if not path.is_dir():
            raise DovecotError(f"no maildir folder {path}")
        for _ in range(4):
            self.kick(user)
            for name in os.listdir(path):
                if name == "dovecot-uidlist" or name.startswith("dovecot.index"):
                    with contextlib.suppress(FileNotFoundError):
                        (path / name).unlink()
            after = self.status(user, folder)["uidvalidity"]
            if after != before:
                return
            time.sleep(1.05 - time.time() % 1)  # dovecot uses the clock's seconds
        raise DovecotError(f"UIDVALIDITY of {user}/{folder} stayed {before}")

    def maildir(self, user: str, folder: str = "INBOX") -> Path:
        """Directory of a folder on disk (Maildir++: INBOX is ~/Maildir, a/b is ~/Maildir/.a.b)."""
        assert self.dir is not None, "not set up"
        root = self.dir / "mail" / user / "Maildir"
        if folder.upper() == "INBOX":
            return root
        return root / ("." + folder.replace("/", "."))

    def doveadm(
        self, *args: str, input: bytes | None = None, ok_codes: Sequence[int] = (0,)
    ) -> str:
        """Run `doveadm -c CONF ARGS...`; raises DovecotError with its output on failure."""
        binary = doveadm_binary()
        if binary is None:
            raise DovecotError("doveadm not found")
        result = subprocess.run(
            [binary, "-c", self.config_path, *args],
            input=input,
            capture_output=True,
            timeout=60,
            check=False,
        )
        if result.returncode not in ok_codes:
            raise DovecotError(
                f"doveadm {' '.join(args)} exited {result.returncode}: "
                f"{result.stderr.decode(errors='replace').strip()}\n{self.log_tail()}"
            )
        return result.stdout.decode(errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        parts = []
        for path in (self.log_path, str(self.dir / "dovecot.out") if self.dir else ""):
            if path and os.path.exists(path):
                text = Path(path).read_text(errors="replace").splitlines()[-lines:]
                if text:
                    parts.append(f"--- {path} (last {len(text)} lines)\n" + "\n".join(text))
        return "\n".join(parts) or f"(no log at {self.log_path})"

    # ---------------------------------------------------------------- internals

    def _setup(self) -> None:
        if os.geteuid() != 0:
            raise DovecotError("the Dovecot rig must run as root (mail_uid=nobody)")
        path = Path(tempfile.mkdtemp(prefix="mailbot-dovecot-", dir="/tmp"))
        self.dir = path
        _world_traversable(path)
        for sub in ("run", "state"):
            (path / sub).mkdir(mode=0o755)
        mail = path / "mail"
        mail.mkdir(mode=0o755)
        os.chown(mail, pwd.getpwnam(MAIL_USER).pw_uid, grp.getgrnam(MAIL_GROUP).gr_gid)
        self.cafile = str(path / "cert.pem")
        self.log_path = str(path / "dovecot.log")
        self.config_path = str(path / "dovecot.conf")
        make_cert(path / "cert.pem", path / "key.pem")

    def _write_config(self) -> None:
        assert self.dir is not None
        template = SERVER_CONFIG + self._auth_config() + MAILBOXES_CONFIG
        text = template.format(
            kind=type(self).__name__,
            dir=self.dir,
            instance=f"mailbot-test-{self.dir.name}",
            password=self.password,
            mail_user=MAIL_USER,
            mail_group=MAIL_GROUP,
            port=self.port,
            ssl_port=self.ssl_port,
        )
        Path(self.config_path).write_text(text)
        os.chmod(self.config_path, 0o644)

    def _auth_config(self) -> str:
        """How users log in: any user name with the rig's password."""
        return PASSWORD_AUTH_CONFIG

    def _spawn(self, binary: str) -> int | None:
        """Start the master; None when it is ready, else its exit code."""
        assert self.dir is not None
        pidfile = self.dir / "run" / "master.pid"
        with contextlib.suppress(FileNotFoundError):
            pidfile.unlink()
        # PDEATHSIG fires when the forking *thread* ends: only tie dovecot to the main thread
        tie = _PRCTL is not None and threading.current_thread() is threading.main_thread()
        with open(self.dir / "dovecot.out", "ab") as out:
            self.proc = subprocess.Popen(
                [binary, "-F", "-c", self.config_path],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_pdeathsig if tie else None,
            )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            code = self.proc.poll()
            if code is not None:
                self.proc = None
                return code
            if _read_pid(pidfile) == self.proc.pid and _greets(self.host, self.port):
                return None
            time.sleep(0.02)
        self.stop()
        raise DovecotError(f"dovecot not ready within {self.start_timeout} s\n{self.log_tail()}")


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def _greets(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.settimeout(2)
            return sock.recv(64).startswith(b"* OK")
    except OSError:
        return False


def _ssl_context(cafile: str) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=cafile)


def _world_traversable(path: Path) -> None:
    """chmod 0755 the dir and make sure every parent is o+x (dovecot's processes drop root)."""
    os.chmod(path, 0o755)
    for parent in path.parents:
        if not os.stat(parent).st_mode & 0o001:
            raise DovecotError(
                f"{parent} is not world-traversable (o+x); dovecot cannot use {path}"
            )


def make_cert(cert: Path, key: Path) -> None:
    """A self-signed EC cert for localhost / 127.0.0.1, valid 2 days."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise DovecotError("openssl not found")
    cmd: Sequence[str] = [
        openssl,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout",
        str(key),
        "-out",
        str(cert),
    ]
    result = subprocess.run(cmd, capture_output=True, timeout=60, check=False)
    if result.returncode != 0:
        raise DovecotError(f"openssl failed: {result.stderr.decode(errors='replace')}")
    os.chmod(cert, 0o644)
    os.chmod(key, 0o600)


@atexit.register
def _stop_all() -> None:
    """Never leave a dovecot running, whatever the tests did."""
    for instance in list(_live):
        with contextlib.suppress(Exception):
            instance.cleanup()
