"""One throw-away Cyrus IMAP 3.6 server for tests, run from the unpacked Debian packages.

Cyrus conflicts with dovecot-imapd as a package, so it is not installed: ``.ci/run`` downloads
``cyrus-common``, ``cyrus-imapd``, ``sasl2-bin`` and the libraries they need with ``apt-get
download`` and unpacks them with ``dpkg-deb -x`` into one folder, named by the environment
variable ``MAILBOT_CYRUS_ROOT`` (default ``/opt/mailbot-cyrus``). The master process runs as
root and drops to the system user ``cyrus`` (group ``mail``), which must exist.

Everything else lives in its own folder under /tmp: config, spool, sasldb (users with
``Cyrus.password``), TLS certificate, ports on 127.0.0.1. Users are created by the admin over
IMAP (``CREATE user.NAME``); a user's folders live under ``INBOX.`` (the personal namespace,
hierarchy separator "."). With ``idled=True`` (default) Cyrus's idled pushes new mail to IDLE
clients; without it (Debian's stock cyrus.conf) IDLE answers only when imapd looks by itself.
"""

from __future__ import annotations

import atexit
import contextlib
import grp
import itertools
import os
import pwd
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import weakref
from datetime import datetime
from pathlib import Path

from imapclient import IMAPClient, imap_utf7

from .dovecot import _world_traversable, make_cert
from .ports import free_port
from .process import stop_group

HOST = "127.0.0.1"
ADMIN = "cyrus"
DEFAULT_ROOT = "/opt/mailbot-cyrus"
LIB_DIRS = (
    "usr/lib/x86_64-linux-gnu",
    "lib/x86_64-linux-gnu",
    "usr/lib/aarch64-linux-gnu",
    "lib/aarch64-linux-gnu",
)

IMAPD_CONF = """\
configdirectory: {dir}/conf
proc_path: {dir}/conf/proc
mboxname_lockpath: {dir}/conf/lock
defaultpartition: default
partition-default: {dir}/spool
servername: cyrus.test
admins: {admin}
altnamespace: no
unixhierarchysep: no
allowplaintext: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: {dir}/sasldb2
sasl_mech_list: PLAIN LOGIN
lmtpsocket: {dir}/conf/socket/lmtp
idlesocket: {dir}/conf/socket/idle
notifysocket: {dir}/conf/socket/notify
tls_server_cert: {dir}/cert.pem
tls_server_key: {dir}/key.pem
hashimapspool: true
umask: 077
"""

CYRUS_CONF = """\
# every cmd needs -C: the master's own -C does not reach the services it starts
START {{
  recover cmd="{bin}/ctl_cyrusdb -C {dir}/imapd.conf -r"
}}
SERVICES {{
  imap cmd="{bin}/imapd -C {dir}/imapd.conf" listen="127.0.0.1:{port}" prefork=0 maxchild=50
}}
EVENTS {{
  checkpoint cmd="{bin}/ctl_cyrusdb -C {dir}/imapd.conf -c" period=30
}}
{daemon}"""

IDLED = """DAEMON {{
  idled cmd="{bin}/idled -C {dir}/imapd.conf"
}}
"""

_live: weakref.WeakSet[Cyrus] = weakref.WeakSet()


class CyrusError(RuntimeError):
    """Cyrus could not be found or did not start; the message says why."""


def cyrus_root() -> Path:
    return Path(os.environ.get("MAILBOT_CYRUS_ROOT", DEFAULT_ROOT))


def missing() -> str | None:
    """Why Cyrus cannot run here, or None."""
    root = cyrus_root()
    for rel in ("usr/lib/cyrus/bin/master", "usr/lib/cyrus/bin/imapd", "usr/sbin/saslpasswd2"):
        if not (root / rel).exists():
            return (
                f"{root / rel} not found (unpack cyrus-common, cyrus-imapd and sasl2-bin "
                "there, as .ci/run does; or set MAILBOT_CYRUS_ROOT)"
            )
    if os.geteuid() != 0:
        return "the Cyrus rig must run as root (it drops to the user cyrus)"
    try:
        pwd.getpwnam("cyrus")
        grp.getgrnam("mail")
    except KeyError:
        return "the system user cyrus (group mail) does not exist (useradd, as .ci/run does)"
    return None


class Cyrus:
    """One throw-away Cyrus instance; see the module docstring."""

    def __init__(self, *, idled: bool = True, start_timeout: float = 30.0) -> None:
        self.idled = idled
        self.host = HOST
        self.port = 0
        self.password = "test-" + secrets.token_hex(6)
        self.start_timeout = start_timeout
        self.dir: Path | None = None
        self.cafile = ""
        self.proc: subprocess.Popen[bytes] | None = None
        self._users = itertools.count(1)

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> None:
        why = missing()
        if why:
            raise CyrusError(why)
        if self.dir is None:
            self._setup()
        assert self.dir is not None
        _live.add(self)
        self.port = free_port()
        root = cyrus_root()
        binaries = root / "usr/lib/cyrus/bin"
        (self.dir / "cyrus.conf").write_text(
            CYRUS_CONF.format(
                bin=binaries,
                dir=self.dir,
                port=self.port,
                daemon=IDLED.format(bin=binaries, dir=self.dir) if self.idled else "",
            )
        )
        with open(self.dir / "master.out", "ab") as out:
            self.proc = subprocess.Popen(
                [
                    str(binaries / "master"),
                    "-C",
                    str(self.dir / "imapd.conf"),
                    "-M",
                    str(self.dir / "cyrus.conf"),
                    "-p",
                    str(self.dir / "run/master.pid"),
                ],
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                code, self.proc = self.proc.returncode, None
                raise CyrusError(f"cyrus master exited with {code}\n{self.log_tail()}")
            if _greets(self.host, self.port):
                return
            time.sleep(0.1)
        self.stop()
        raise CyrusError(f"Cyrus not ready within {self.start_timeout} s\n{self.log_tail()}")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        stop_group(proc, term_timeout=15)

    def cleanup(self) -> None:
        self.stop()
        _live.discard(self)
        if self.dir is not None and os.environ.get("MAILBOT_RIG_KEEP", "") in ("", "0"):
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self) -> Cyrus:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()

    # ---------------------------------------------------------------- helpers for tests

    def new_user(self, prefix: str = "nabor") -> str:
        """A fresh user with its own empty mailbox (sasldb entry + ``CREATE user.NAME``)."""
        name = f"{prefix}{next(self._users)}x{secrets.token_hex(3)}"
        self._saslpasswd(name)
        with self.client(ADMIN) as admin:
            admin.create_folder(f"user.{name}")
        return name

    def client(self, user: str, *, timeout: float = 10.0) -> IMAPClient:
        """A logged-in client over STARTTLS (verified against ``cafile``)."""
        client = IMAPClient(self.host, self.port, ssl=False, timeout=timeout)
        client.starttls(ssl.create_default_context(cafile=self.cafile))
        client.normalise_times = False
        client.login(user, self.password)
        return client

    def create_special(self, user: str, folder: str, use: str) -> None:
        """CREATE with a SPECIAL-USE attribute (RFC 6154), e.g. ``use="\\Sent"``."""
        with self.client(user) as client:
            name = b'"' + imap_utf7.encode(folder) + b'"'
            typ, data = client._imap._simple_command("CREATE", name, f"(USE ({use}))")
            if typ != "OK":
                raise CyrusError(f"CREATE {folder} (USE ({use})) failed: {data!r}")

    def append(
        self, user: str, raw: bytes, *, folder: str = "INBOX", internaldate: datetime | None = None
    ) -> None:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")  # Cyrus wants CRLF
        with self.client(user) as client:
            client.append(folder, raw, msg_time=internaldate)

    def folders(self, user: str) -> list[str]:
        with self.client(user) as client:
            return sorted(str(name) for _flags, _sep, name in client.list_folders())

    def count(self, user: str, folder: str = "INBOX") -> int:
        with self.client(user) as client:
            return int(client.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"])

    def log_tail(self, lines: int = 30) -> str:
        if self.dir is None:
            return ""
        path = self.dir / "master.out"
        if not path.exists():
            return "(no master.out)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    # ---------------------------------------------------------------- internals

    def _env(self) -> dict[str, str]:
        root = cyrus_root()
        libs = [str(root / d) for d in LIB_DIRS if (root / d).is_dir()]
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}
        if libs:
            env["LD_LIBRARY_PATH"] = os.pathsep.join(libs)
        return env

    def _saslpasswd(self, user: str) -> None:
        assert self.dir is not None
        done = subprocess.run(
            [
                str(cyrus_root() / "usr/sbin/saslpasswd2"),
                "-p",
                "-f",
                str(self.dir / "sasldb2"),
                "-u",
                "cyrus.test",
                "-c",
                user,
            ],
            input=self.password.encode(),
            env=self._env(),
            capture_output=True,
            timeout=30,
            check=False,
        )
        if done.returncode != 0:
            raise CyrusError(f"saslpasswd2 failed: {done.stderr.decode(errors='replace')}")
        cyrus = pwd.getpwnam("cyrus")
        os.chown(self.dir / "sasldb2", cyrus.pw_uid, cyrus.pw_gid)
        os.chmod(self.dir / "sasldb2", 0o600)

    def _setup(self) -> None:
        path = Path(tempfile.mkdtemp(prefix="mailbot-cyrus-", dir="/tmp"))
        self.dir = path
        _world_traversable(path)
        for sub in (
            "conf/db",
            "conf/log",
            "conf/proc",
            "conf/socket",
            "conf/lock",
            "conf/sieve",
            "conf/user",
            "conf/quota",
            "conf/msg",
            "conf/ptclient",
            "spool",
            "run",
        ):
            (path / sub).mkdir(parents=True)
        make_cert(path / "cert.pem", path / "key.pem")
        self.cafile = str(path / "cert.pem")
        (path / "imapd.conf").write_text(IMAPD_CONF.format(dir=path, admin=ADMIN))
        os.chmod(path / "imapd.conf", 0o644)
        self._saslpasswd(ADMIN)
        cyrus = pwd.getpwnam("cyrus")
        for sub in ("conf", "spool", "run", "key.pem", "cert.pem"):
            for item in (
                [path / sub, *(path / sub).rglob("*")] if (path / sub).is_dir() else [path / sub]
            ):
                os.chown(item, cyrus.pw_uid, cyrus.pw_gid)


def _greets(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.settimeout(3)
            return sock.recv(64).startswith(b"* OK")
    except OSError:
        return False


@atexit.register
def _stop_all() -> None:
    for instance in list(_live):
        with contextlib.suppress(Exception):
            instance.cleanup()
