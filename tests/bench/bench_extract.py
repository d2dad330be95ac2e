"""Benchmark (run by hand): median extraction time per sample form vs. the floor.

    /work/venv/bin/python tests/bench/bench_extract.py [--runs 30] [--no-soffice]

The floor is the least any reader must do, as the issue defines it:
- DOCX/ODT: unzip (open the zip) and one XML parse of the main part (word/document.xml or
  content.xml; its name is looked up before timing, so the floor has no other XML parse);
- PDF: one PdfReader open and every page's text (``extract_text``).
Goal: DOCX extraction within 4x the floor.

Each run models a new file with the configuration already loaded: what ``parsers`` works out
from the FormSpec alone (the matcher's label tables, and the form's own label texts classified
in advance) is kept, as in the mailbot process; what comes from the file is paid every run:
``Matcher.forget()`` drops the texts classified and normalised before each run (not timed).
Extraction and floor runs alternate, so load on the machine hits both alike; each number is
the median of ``--runs``.
Besides the samples: an ODT built by the tests' formbuilder (tiny: most of its time is the
fixed cost per file) and, when soffice is installed, the first DOCX sample saved as ODT by
LibreOffice (what applicants' ODT files look like).
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tests" / "parsers"))

from lxml import etree  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from testdata import SAMPLES  # noqa: E402

import parsers  # noqa: E402
from parsers.docx import main_part  # noqa: E402
from parsers.text import matcher_for  # noqa: E402


def zip_floor(data: bytes) -> Callable[[], object]:
    """Open the zip, read the main part, parse it once (the part's name found beforehand)."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    name = "content.xml" if "content.xml" in zf.namelist() else main_part(zf, parsers.ParseLimits())

    def run() -> object:
        return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))

    return run


def pdf_floor(data: bytes) -> Callable[[], object]:
    def run() -> object:
        reader = PdfReader(io.BytesIO(data))
        return [page.extract_text() for page in reader.pages]

    return run


def new_file_extract(data: bytes) -> Callable[[], object]:
    def run() -> object:
        return parsers.extract(data)

    return run


def medians(
    fn_a: Callable[[], object], fn_b: Callable[[], object], runs: int
) -> tuple[float, float]:
    """Median times of fn_a (an extraction) and fn_b (its floor); before each extraction the
    texts classified and normalised from the file in earlier runs are dropped."""
    matcher = matcher_for(parsers.DEFAULT_FORM)
    fn_a()
    fn_b()  # warm up (imports, the spec's tables)
    ta, tb = [], []
    for _ in range(runs):
        matcher.forget()
        t = time.perf_counter()
        fn_a()
        ta.append(time.perf_counter() - t)
        t = time.perf_counter()
        fn_b()
        tb.append(time.perf_counter() - t)
    return statistics.median(ta), statistics.median(tb)


def libreoffice_odt(docx: Path) -> bytes | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or not docx.exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--headless",
                    "--convert-to",
                    "odt",
                    "--outdir",
                    tmp,
                    str(docx),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        out = Path(tmp) / (docx.stem + ".odt")
        return out.read_bytes() if out.exists() else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument(
        "--no-soffice",
        action="store_true",
        help="skip the LibreOffice-saved ODT (converting takes a few seconds)",
    )
    args = ap.parse_args()
    if args.runs < 30:
        ap.error("--runs: at least 30")
    files: list[tuple[str, bytes]] = [
        (p.name, p.read_bytes())
        for p in sorted(SAMPLES.glob("*"))
        if p.suffix in (".docx", ".pdf", ".odt")
    ]
    try:
        import formbuilder

        files.append(("built-form.odt", formbuilder.build_odt()))
        files.append(("built-printed.pdf", formbuilder.printed_pdf()))
    except ImportError:
        pass
    if not args.no_soffice:
        odt = libreoffice_odt(SAMPLES / "s01-docx-ticked.docx")
        if odt is not None:
            files.append(("s01-by-libreoffice.odt", odt))
    print(
        f"median of {args.runs} runs each; floor: zip open + one parse of the main part "
        "(DOCX/ODT), PdfReader + every page's text (PDF)"
    )
    print(
        "kept between runs (derived from the FormSpec only): the matcher's tables and the "
        "form's own label texts classified in advance; dropped before every run: texts "
        "classified and normalised from the file"
    )
    by_kind: dict[str, list[float]] = {}
    print(f"{'file':32} {'kind':5} {'extract ms':>10} {'floor ms':>9} {'ratio':>6}  result")
    for name, data in files:
        kind = parsers.sniff(data)
        floor = pdf_floor(data) if kind == "pdf" else zip_floor(data)
        t_ext, t_floor = medians(new_file_extract(data), floor, args.runs)
        ratio = t_ext / t_floor if t_floor else float("nan")
        res = parsers.extract(data)
        by_kind.setdefault(kind, []).append(ratio)
        print(
            f"{name:32} {kind:5} {t_ext * 1000:10.3f} {t_floor * 1000:9.3f} {ratio:6.2f}  "
            f"{'readable' if res.readable else res.reason}"
        )
    print()
    for kind, ratios in sorted(by_kind.items()):
        print(
            f"{kind:5} median ratio to floor: {statistics.median(ratios):.2f} "
            f"({len(ratios)} files; goal for docx <= 4.0)"
        )


if __name__ == "__main__":
    main()
