"""Benchmark (run by hand): OCR pre-fill time per page against bare ``tesseract`` on the same
page, and the pre-fill accuracy table on a larger set of generated scans.

    python tests/bench/bench_ocr.py [--repeat 2] [--seed 7] [--quick]

The set: every kind of scan of tests/parsers/ocr/scangen.py (office scanners at 150/200/300
dpi, rotated, OCRmyPDF text layers, phone photos, one photo per page) of the call's form
(printed from Word and pen-ticked or typed ☒; the fillable PDF printed) and of the example
call's form — about 60 scans, 85 pages (``--quick``: a third).

For each scan, in turn and with the same load on the machine:
- (a) ``parsers.ocr.prefill`` on its files, in this process, after a first (untimed) read
  that loads the models — the OCR process of mailbot reads scan after scan;
- (b) bare ``tesseract PAGE - -l pol`` on every page of it, one run per page as a person
  runs it: the picture as it came (a PDF's pages rendered by pdftoppm at the resolution
  ``prefill`` renders it at — not timed; a HEIC photo converted to PNG — not timed);
  (b1) with one OpenMP thread (``OMP_THREAD_LIMIT=1``, as mailbot runs it) — the reference;
  (b2) with Tesseract's default threads.
Wall and CPU time (this process's, plus its children's: pdftoppm, tesseract) are summed per
page; the goal (issue 17) is (a) ≤ 1.3 × (b1) per page. Each pass is repeated ``--repeat``
times, alternating, and the median of the repeats is taken.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
for _p in (REPO, REPO / "tests" / "parsers", REPO / "tests" / "parsers" / "ocr"):
    sys.path.insert(0, str(_p))

import accuracy  # noqa: E402
import scangen  # noqa: E402

from parsers import ocr  # noqa: E402

FORMS = ("dkres-docx", "dkres-docx", "dkres-docx", "dkres-typed", "dkres-fillable", "ngo-docx")


def plan(quick: bool) -> list[tuple[str, str]]:
    out = []
    for kind in scangen.KINDS:
        forms = FORMS[:2] if quick else FORMS
        if kind == "photo-per-page":
            forms = tuple(f for f in forms if f != "dkres-fillable")
        out += [(kind, f) for f in forms]
        if not quick and kind in ("office-200-jpeg", "phone-photo", "rotated"):
            out += [(kind, "dkres-docx")] * 2
    return out


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _cpu() -> float:
    return time.process_time() + _children_cpu()


def bare_inputs(scan: scangen.Scan, tmp: Path) -> list[Path]:
    """The pages as files ``tesseract`` reads (not timed)."""
    from PIL import Image

    out: list[Path] = []
    for i, data in enumerate(scan.files):
        if data.startswith(b"%PDF"):
            from pypdf import PdfReader

            from parsers.ocr.detect import page_inks
            from parsers.ocr.pages import render_dpi

            reader = PdfReader(io.BytesIO(data))
            dpi = render_dpi(page_inks(reader), ocr.OcrLimits())
            src = tmp / f"f{i}.pdf"
            src.write_bytes(data)
            subprocess.run(
                ["pdftoppm", "-r", str(dpi), "-gray", "-png", src, tmp / f"f{i}"], check=True
            )
            out += sorted(tmp.glob(f"f{i}-*.png"))
            continue
        image = Image.open(io.BytesIO(data))
        if image.format in ("HEIF", "HEIC", "AVIF"):
            path = tmp / f"f{i}.png"
            image.save(path)
        else:
            path = tmp / f"f{i}.{(image.format or 'bin').lower()}"
            path.write_bytes(data)
        out.append(path)
    return out


def time_bare(paths: list[Path], threads: int | None) -> tuple[float, float]:
    env = dict(os.environ)
    env.pop("OMP_THREAD_LIMIT", None)
    if threads:
        env["OMP_THREAD_LIMIT"] = str(threads)
    t0, c0 = time.perf_counter(), _cpu()
    for path in paths:
        subprocess.run(
            ["tesseract", str(path), "-", "-l", "pol"],
            check=True,
            capture_output=True,
            env=env,
        )
    return time.perf_counter() - t0, _cpu() - c0


def time_ours(scan: scangen.Scan) -> tuple[float, float, ocr.Prefill | None]:
    from parsers.ocr import reading

    with reading._CACHE_LOCK:
        reading._CACHE.clear()  # a new scan every time: nothing remembered
    t0, c0 = time.perf_counter(), _cpu()
    result = ocr.prefill(scan.files, scan.spec)
    return time.perf_counter() - t0, _cpu() - c0, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--keep", type=Path, help="keep the generated scans in this folder")
    args = ap.parse_args()
    if ocr.engine() is None or shutil.which("tesseract") is None:
        sys.exit("tesseract-ocr and tesseract-ocr-pol are needed")
    print(f"engine: {ocr.engine()}; load average {os.getloadavg()[0]:.2f}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="bench-ocr-")) if args.keep is None else args.keep
    t0 = time.perf_counter()
    scans = scangen.make_set(plan(args.quick), args.seed, work / "gen")
    pages = sum(s.pages for s in scans)
    print(f"{len(scans)} scans, {pages} pages generated in {time.perf_counter() - t0:.0f} s")

    ocr.prefill(scans[0].files, scans[0].spec)  # loads the models: not timed
    ours: dict[str, list[tuple[float, float]]] = defaultdict(list)
    bare1: dict[str, list[tuple[float, float]]] = defaultdict(list)
    bare_n: dict[str, list[tuple[float, float]]] = defaultdict(list)
    reads: list[accuracy.Read] = []
    for n, scan in enumerate(scans):
        tmp = Path(tempfile.mkdtemp(dir=work))
        inputs = bare_inputs(scan, tmp)
        runs_ours, runs_b1, runs_bn = [], [], []
        result = None
        for _ in range(args.repeat):
            wall, cpu, result = time_ours(scan)
            runs_ours.append((wall, cpu))
            runs_b1.append(time_bare(inputs, 1))
            runs_bn.append(time_bare(inputs, None))
        for store, runs in ((ours, runs_ours), (bare1, runs_b1), (bare_n, runs_bn)):
            store[scan.kind].append(
                (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
            )
        reads.append(
            accuracy.Read(scan, result, [], statistics.median(r[0] for r in runs_ours), 0.0)
        )
        shutil.rmtree(tmp, ignore_errors=True)
        print(
            f"  [{n + 1}/{len(scans)}] {scan.name}: {scan.pages} page(s), "
            f"ours {runs_ours[-1][0]:.2f} s, bare {runs_b1[-1][0]:.2f} s",
            flush=True,
        )

    print(f"\nOCR time per page (median of {args.repeat}; load average {os.getloadavg()[0]:.2f})")
    head = f"{'kind of scan':<18}{'pages':>6}{'ours wall':>11}{'ours CPU':>10}"
    head += (
        f"{'bare 1 thr':>12}{'CPU':>7}{'bare default':>14}{'CPU':>7}{'ratio wall':>12}{'CPU':>7}"
    )
    print(head)
    totals = [0.0] * 6
    page_count = 0
    for kind in [*scangen.KINDS]:
        if kind not in ours:
            continue
        n = sum(s.pages for s in scans if s.kind == kind)
        ow, oc = (sum(x[i] for x in ours[kind]) for i in (0, 1))
        bw, bc = (sum(x[i] for x in bare1[kind]) for i in (0, 1))
        dw, dc = (sum(x[i] for x in bare_n[kind]) for i in (0, 1))
        for i, v in enumerate((ow, oc, bw, bc, dw, dc)):
            totals[i] += v
        page_count += n
        print(
            f"{kind:<18}{n:>6}{ow / n:>10.2f}s{oc / n:>9.2f}s{bw / n:>11.2f}s{bc / n:>6.2f}s"
            f"{dw / n:>13.2f}s{dc / n:>6.2f}s{ow / bw:>11.2f}x{oc / bc:>6.2f}x"
        )
    ow, oc, bw, bc, dw, dc = totals
    n = page_count
    print(
        f"{'all':<18}{n:>6}{ow / n:>10.2f}s{oc / n:>9.2f}s{bw / n:>11.2f}s{bc / n:>6.2f}s"
        f"{dw / n:>13.2f}s{dc / n:>6.2f}s{ow / bw:>11.2f}x{oc / bc:>6.2f}x"
    )
    print(
        f"goal: ours ≤ 1.3 × bare tesseract (one thread) per page: wall {ow / bw:.2f}x, "
        f"CPU {oc / bc:.2f}x — {'met' if ow / bw <= 1.3 else 'NOT met'} "
        f"(against Tesseract's default threads: wall {ow / dw:.2f}x)"
    )
    text, summary = accuracy.table(reads)
    print(f"\nPre-fill accuracy on {len(scans)} scans ({pages} pages), field × kind of scan:")
    print(text)
    print(
        f"fields {100 * summary['fields']:.1f}% (goal ≥ 90%), ticks {100 * summary['ticks']:.1f}% "
        f"(goal ≥ 95%), weakest kind of field "
        f"{100 * min(v for k, v in summary.items() if k.startswith('class:')):.1f}% (goal ≥ 80%)"
    )


if __name__ == "__main__":
    main()
