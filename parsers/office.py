"""Old and other office formats (DOC, RTF): converted to DOCX by LibreOffice headless.

LibreOffice reads the applicant's file, so it runs under the same bounds as any process
reading one: a clock (the whole process group is killed when it runs out) and a memory cap.
The cap is ``RLIMIT_DATA`` (setrlimit(2): since Linux 4.7 the process's data segment and all its
private writable mappings — the heap a hostile document would grow), not ``RLIMIT_AS``: LibreOffice
maps some 400 MB of address space (its libraries) before it reads a byte, so an address-space
cap of the size one reading process gets would stop every conversion. The cap is
``limits.max_memory`` (``IsolatedLimits``: ``limits.max_parse_memory``), else
:data:`DEFAULT_MAX_MEMORY`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from parsers.model import ParseLimits
from parsers.zipsafe import Refused

SOFFICE_NAMES = ("soffice", "libreoffice")
#: the converter's memory cap when the limits name none (mailbot's default max_parse_memory)
DEFAULT_MAX_MEMORY = 512 * 1024 * 1024
MIB = 1024 * 1024

# Starts a command under a data cap (argv[1], bytes): the address-space cap the reading
# process may have is lifted (to its hard limit) for the converter, the data cap put instead.
# A separate interpreter, not preexec_fn: the callers may run threads.
_UNDER_CAP = """\
import os, resource, sys
cap = int(sys.argv[1])
_soft, hard = resource.getrlimit(resource.RLIMIT_AS)
resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
_soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
if hard != resource.RLIM_INFINITY:
    cap = min(cap, hard)
resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
os.execv(sys.argv[2], sys.argv[2:])
"""


def find_soffice() -> str | None:
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def memory_cap(limits: ParseLimits) -> int:
    """The memory cap for a converter reading a file under ``limits``."""
    return int(getattr(limits, "max_memory", DEFAULT_MAX_MEMORY))


def run_soffice(soffice: str, src: Path, to: str, *, timeout: float, max_memory: int) -> int:
    """``soffice --headless --convert-to TO`` of ``src`` into ``src``'s folder, in a private
    profile there, under the memory cap and the clock; LibreOffice's exit code.

    Raises ``subprocess.TimeoutExpired`` (every process of the conversion killed) or
    ``OSError`` (it could not be started)."""
    work = src.parent
    cmd = [
        sys.executable,
        "-I",
        "-S",
        "-c",
        _UNDER_CAP,
        str(max_memory),
        soffice,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        to,
        "--outdir",
        str(work),
        str(src),
    ]
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TMPDIR")}
    env["HOME"] = str(work)
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,  # its own process group: killed whole when the clock runs out
    )
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        # the group's leader is not reaped yet, so its id still names this group
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise


def convert_to_docx(data: bytes, kind: str, limits: ParseLimits, deadline: Any) -> bytes:
    """``soffice --headless --convert-to docx`` in a private profile, with a timeout and the
    memory cap; a conversion LibreOffice did not survive is ``limit_exceeded``."""
    soffice = find_soffice()
    if soffice is None:
        raise Refused(
            "converter_missing",
            f"{kind.upper()} needs LibreOffice (soffice) to be read; it is not installed",
        )
    remaining = max(1.0, deadline.end - time.monotonic())
    cap = memory_cap(limits)
    with tempfile.TemporaryDirectory(prefix="mailbot-convert-") as tmp:
        src = Path(tmp) / f"form.{kind}"
        src.write_bytes(data)
        try:
            code = run_soffice(soffice, src, "docx", timeout=remaining, max_memory=cap)
        except subprocess.TimeoutExpired:
            raise Refused("limit_exceeded", "conversion by LibreOffice timed out") from None
        except OSError as exc:
            raise Refused(
                "converter_missing", f"LibreOffice could not be started ({type(exc).__name__})"
            ) from None
        result = src.with_suffix(".docx")
        if not result.exists():
            if code != 0:  # it died (a failed allocation aborts it): the cap, or a crash
                raise Refused(
                    "limit_exceeded",
                    f"LibreOffice stopped (exit code {code}) converting the {kind} file; "
                    f"memory limit {cap // MIB} MiB",
                )
            raise Refused("conversion_failed", f"LibreOffice could not convert the {kind} file")
        converted = result.read_bytes()
        if len(converted) > limits.max_bytes:
            raise Refused("too_large", "converted document too large")
        return converted
