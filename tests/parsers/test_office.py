"""Forms saved by LibreOffice as DOC, RTF, ODT and printed to PDF read exactly.

Needs `soffice` (LibreOffice, installed by .ci/run); skipped where it is missing, in which case
`mailbot extract` reports DOC/RTF as `converter_missing` (tested in tests/parsers).
"""

import shutil
import subprocess
from dataclasses import replace

import pytest

import parsers
from mailbot.ops import samples

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)

APPLICANTS = {
    "tick": (samples.Applicant(), "☒"),
    "x": (
        replace(
            samples.Applicant(),
            full_name="Grzegorz Żółć-Źdźbło",
            address="ul. Świętego Mikołaja 5/7\n58-100 Świdnica",
            groups=(1, 3, 5),
            experience="Pierwszy akapit.\nDrugi akapit — z „cudzysłowem”.",
        ),
        "X",
    ),
}


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office")
    for name, (applicant, tick) in APPLICANTS.items():
        (folder / f"{name}.docx").write_bytes(samples.filled_docx(applicant, tick=tick))
    profile = folder / "profile"
    for fmt in ("doc", "rtf", "odt", "pdf"):
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation=file://{profile}",
                "--convert-to",
                fmt,
                "--outdir",
                str(folder / fmt),
                *[str(folder / f"{n}.docx") for n in APPLICANTS],
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return folder


@pytest.mark.parametrize("fmt", ["doc", "rtf", "odt", "pdf"])
@pytest.mark.parametrize("name", sorted(APPLICANTS))
def test_libreoffice_saved_forms_read_exactly(converted, fmt, name):
    data = (converted / fmt / f"{name}.{fmt}").read_bytes()
    result = parsers.extract(data)
    assert result.readable, (result.reason, result.detail)
    assert result.kind == fmt
    expected = APPLICANTS[name][0].expected_fields()
    got = dict(result.fields)
    if fmt == "pdf":  # a printed form may break a long line; compare with whitespace folded
        got = {k: " ".join(v.split()) if isinstance(v, str) else v for k, v in got.items()}
        expected = {
            k: " ".join(v.split()) if isinstance(v, str) else v for k, v in expected.items()
        }
    assert got == expected
