"""Benchmark (run by hand): median extraction time per sample form vs. the floor.

    /work/venv/bin/python tests/bench/bench_extract.py [--runs 30]

The floor is the least any reader must do: for DOCX/ODT, open the zip, read the main part and
parse it once with lxml; for PDF, open it with PdfReader and extract every page's text.
Goal: extraction within 3x the floor. The label matcher's cache is cleared before every run, so
each run pays for classifying every line as a new file with new values would.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "parsers"))

from lxml import etree  # noqa: E402
from pypdf import PdfReader  # noqa: E402

import parsers  # noqa: E402
from parsers.docx import main_part  # noqa: E402
from parsers.text import matcher_for  # noqa: E402

SAMPLES = REPO.parent / "shared" / "forms" / "samples"


def floor_zip_xml(data: bytes) -> None:
    zf = zipfile.ZipFile(io.BytesIO(data))
    if "content.xml" in zf.namelist():
        etree.fromstring(zf.read("content.xml"))
    else:
        etree.fromstring(zf.read(main_part(zf, parsers.ParseLimits())))


def floor_pdf(data: bytes) -> None:
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        page.extract_text()


def cold_extract(data: bytes) -> parsers.Extraction:
    matcher_for(parsers.DEFAULT_FORM)._cache.clear()
    return parsers.extract(data)


def median_time(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm up (imports, caches of the first call)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    files: list[tuple[str, bytes]] = [(p.name, p.read_bytes()) for p in sorted(SAMPLES.glob("*"))
                                      if p.suffix in (".docx", ".pdf", ".odt")]
    try:
        import formbuilder

        files.append(("built-form.odt", formbuilder.build_odt()))
        files.append(("built-printed.pdf", formbuilder.printed_pdf()))
    except ImportError:
        pass
    by_kind: dict[str, list[float]] = {}
    print(f"{'file':32} {'kind':5} {'extract ms':>10} {'floor ms':>9} {'ratio':>6}  result")
    for name, data in files:
        kind = parsers.sniff(data)
        floor = floor_pdf if kind == "pdf" else floor_zip_xml
        t_ext = median_time(lambda d=data: cold_extract(d), args.runs)
        t_floor = median_time(lambda d=data, f=floor: f(d), args.runs)
        ratio = t_ext / t_floor if t_floor else float("nan")
        res = parsers.extract(data)
        by_kind.setdefault(kind, []).append(ratio)
        print(f"{name:32} {kind:5} {t_ext * 1000:10.2f} {t_floor * 1000:9.2f} {ratio:6.2f}  "
              f"{'readable' if res.readable else res.reason}")
    print()
    for kind, ratios in sorted(by_kind.items()):
        print(f"{kind:5} median ratio to floor: {statistics.median(ratios):.2f} "
              f"(goal <= 3.0, {len(ratios)} files)")


if __name__ == "__main__":
    main()
