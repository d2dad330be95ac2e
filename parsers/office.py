"""Old and other office formats (DOC, RTF): converted to DOCX by LibreOffice headless."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from parsers.model import ParseLimits
from parsers.zipsafe import Refused

SOFFICE_NAMES = ("soffice", "libreoffice")


def find_soffice() -> str | None:
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_docx(data: bytes, kind: str, limits: ParseLimits, deadline: Any) -> bytes:
    """``soffice --headless --convert-to docx`` in a private profile, with a timeout."""
    soffice = find_soffice()
    if soffice is None:
        raise Refused(
            "converter_missing",
            f"{kind.upper()} needs LibreOffice (soffice) to be read; it is not installed",
        )
    remaining = max(1.0, deadline.end - __import__("time").monotonic())
    with tempfile.TemporaryDirectory(prefix="mailbot-convert-") as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / f"form.{kind}"
        src.write_bytes(data)
        out = tmpdir / "out"
        out.mkdir()
        profile = (tmpdir / "profile").as_uri()
        cmd = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx",
            "--outdir",
            str(out),
            str(src),
        ]
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TMPDIR")}
        env["HOME"] = str(tmpdir)
        try:
            subprocess.run(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=remaining,
                check=False,
                env=env,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired:
            raise Refused("limit_exceeded", "conversion by LibreOffice timed out") from None
        except OSError as exc:
            raise Refused(
                "converter_missing", f"LibreOffice could not be started ({type(exc).__name__})"
            ) from None
        result = out / "form.docx"
        if not result.exists():
            raise Refused("conversion_failed", f"LibreOffice could not convert the {kind} file")
        converted = result.read_bytes()
        if len(converted) > limits.max_bytes:
            raise Refused("too_large", "converted document too large")
        return converted
