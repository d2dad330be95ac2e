"""OCR pre-fill with real Tesseract on generated scans (tests/parsers/ocr/scangen.py): office
scanners at 150/200/300 dpi, skewed, rotated, noisy, JPEG-compressed, PDFs with an OCRmyPDF
text layer, phone photos (perspective, shadow, lower resolution, HEIC), one photo per page;
the call's form (printed from Word, ticked with a pen or typed ☒; the fillable PDF printed)
and the example call's form. About 30 pages: the benchmark (tests/bench/bench_ocr.py) reads a
larger set.

- No scan ever gives a value in ``fields`` or ``readable: true``.
- The pre-fill is right for at least 90 % of the fields, 95 % of the ticks (box by box), and
  no kind of field (text, e-mail, phone, date, free text, choice, statement) below 80 %; the
  table (field × kind of scan) is printed.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

import parsers
from parsers import ocr

pytestmark = [
    pytest.mark.skipif(ocr.engine() is None, reason="tesseract-ocr-pol not installed"),
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed"),
    pytest.mark.skipif(
        shutil.which("soffice") is None and shutil.which("libreoffice") is None,
        reason="LibreOffice prints the forms to scan",
    ),
    pytest.mark.skipif(shutil.which("ocrmypdf") is None, reason="ocrmypdf not installed"),
]

REPO = Path(__file__).resolve().parents[3]

#: (kind of scan, form): about 30 pages
PLAN = [
    ("office-300-pdf", "dkres-docx"),
    ("office-300-pdf", "dkres-docx"),
    ("office-300-pdf", "dkres-typed"),
    ("office-300-pdf", "ngo-docx"),
    ("office-200-jpeg", "dkres-docx"),
    ("office-200-jpeg", "dkres-docx"),
    ("office-200-jpeg", "dkres-fillable"),
    ("office-150-jpeg", "dkres-docx"),
    ("office-150-jpeg", "dkres-docx"),
    ("office-150-jpeg", "ngo-docx"),
    ("rotated", "dkres-docx"),
    ("rotated", "dkres-docx"),
    ("rotated", "dkres-fillable"),
    ("ocr-layer-pdf", "dkres-docx"),
    ("ocr-layer-pdf", "dkres-docx"),
    ("ocr-layer-pdf", "ngo-docx"),
    ("phone-photo", "dkres-docx"),
    ("phone-photo", "dkres-docx"),
    ("phone-photo", "dkres-typed"),
    ("phone-photo", "dkres-fillable"),
    ("phone-photo", "ngo-docx"),
    ("photo-per-page", "dkres-docx"),
    ("photo-per-page", "dkres-docx"),
]
SEED = 20240506


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> list:
    import scangen

    return scangen.make_set(PLAN, SEED, tmp_path_factory.mktemp("scans"))


@pytest.fixture(scope="module")
def reads(scans: list) -> list:
    import accuracy

    return accuracy.read_all(scans)


def test_the_set_is_small_enough(scans: list) -> None:
    assert 25 <= sum(s.pages for s in scans) <= 40


def test_no_scan_is_ever_read_as_a_form(scans: list) -> None:
    """Every file of every scan — pictures, image-only PDFs, PDFs with an OCR layer that reads
    as the form — is readable: false, reason scan, with every field empty."""
    for s in scans:
        for data in s.files:
            got = parsers.extract(data, s.spec)
            assert (got.readable, got.reason) == (False, "scan"), (s.name, got.detail)
            assert dict(got.fields) == s.spec.empty_fields(), s.name
            assert ocr.is_scan(data), s.name


def test_accuracy(reads: list) -> None:
    import accuracy

    text, summary = accuracy.table(reads)
    print("\nOCR pre-fill accuracy (field × kind of scan):\n" + text)
    classes = {k: v for k, v in summary.items() if k.startswith("class:")}
    assert summary["fields"] >= 0.90, text
    assert summary["ticks"] >= 0.95, text
    assert min(classes.values()) >= 0.80, classes
    assert {"class:email", "class:phone", "class:choice", "class:statement"} <= set(classes)


def test_prefill_shape(reads: list) -> None:
    for r in reads:
        p = r.prefill
        assert p is not None, r.scan.name
        assert re.fullmatch(r"tesseract \d+\.\d+(\.\d+)? \(pol\)", p.engine)
        assert list(p.fields) == list(r.scan.spec.keys)
        assert set(p.confidence) == set(r.scan.spec.keys)
        assert p.pages == r.scan.pages
        for key, value in p.fields.items():
            f = r.scan.spec.field(key)
            assert f is not None
            conf = p.confidence[key]
            assert 0.0 <= conf <= 1.0
            if f.type == "groups":
                assert value == sorted(value) and all(isinstance(n, int) for n in value)
            elif f.type == "checkbox":
                assert isinstance(value, bool)
            else:
                assert value is None or (isinstance(value, str) and value.strip())
                if value is None:
                    assert conf == 0.0
            for box in p.boxes.get(key, ()):
                assert 0 <= box.page < p.pages
                assert 0 <= box.left <= 1 and 0 <= box.top <= 1
                assert 0 < box.width <= 1 and 0 < box.height <= 1
        json.dumps(p.to_json())


def test_confidence_tells_right_from_wrong(reads: list) -> None:
    """Values read wrong carry a lower confidence, on average, than values read right."""
    right, wrong = [], []
    for r in reads:
        for key in r.scan.spec.keys:
            (right if r.field_right(key) else wrong).append(r.prefill.confidence[key])
    assert right
    if wrong:
        assert sum(wrong) / len(wrong) < sum(right) / len(right)


def test_page_images_are_upright_pages(scans: list) -> None:
    """The pictures the workspace shows: one PNG per page, upright (portrait, as the form is),
    whatever way the page was scanned or photographed."""
    for s in scans:
        if s.kind not in ("rotated", "photo-per-page"):
            continue
        pngs = ocr.page_images(s.files, ocr.OcrLimits())
        assert len(pngs) == s.pages, s.name
        for png in pngs:
            image = Image.open(io.BytesIO(png))
            assert image.format == "PNG"
            assert image.height > image.width, s.name


def test_pages_in_several_files_are_one_prefill(reads: list) -> None:
    several = [r for r in reads if len(r.scan.files) > 1]
    assert several
    for r in several:
        assert r.prefill.pages == len(r.scan.files)
        assert r.field_right("full_name") and r.field_right("groups"), r.scan.name


def test_a_limit_gives_no_prefill_and_never_raises(scans: list) -> None:
    two_pages = next(s for s in scans if s.pages == 2)
    assert ocr.prefill(two_pages.files, two_pages.spec, ocr.OcrLimits(max_pages=1)) is None
    assert ocr.prefill(two_pages.files, two_pages.spec, ocr.OcrLimits(max_seconds=0.05)) is None
    assert ocr.prefill([b"not a picture"], two_pages.spec) is None
    assert ocr.prefill([], two_pages.spec) is None


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
    )


def test_extract_json_adds_the_prefill(scans: list, tmp_path: Path) -> None:
    """`mailbot extract FILE --json` on a scan: readable false, fields empty, and the pre-fill
    in the contract's shape; without Tesseract's Polish data no pre-fill."""
    s = next(s for s in scans if s.kind == "office-200-jpeg" and s.form == "dkres-docx")
    path = tmp_path / "scan.jpg"
    path.write_bytes(s.files[0])
    code = (
        "import sys; from mailbot.cli import main; "
        f"sys.argv = ['mailbot', '--config', '{tmp_path}/absent.toml', 'extract', '{path}', "
        "'--json']; main()"
    )
    done = _run(code)
    assert done.returncode == 3, done.stderr
    data = json.loads(done.stdout)
    assert list(data)[:4] == ["readable", "reason", "fields", "prefill"]
    assert (data["readable"], data["reason"]) == (False, "scan")
    assert data["fields"] == parsers.empty_fields()
    assert {"fields", "confidence", "engine"} <= set(data["prefill"])
    assert data["prefill"]["engine"] == ocr.engine()
    assert data["prefill"]["fields"]["full_name"] == s.expected["full_name"]
    empty = tmp_path / "tessdata"
    empty.mkdir()
    done = _run(code, TESSDATA_PREFIX=str(empty))
    assert done.returncode == 3, done.stderr
    data = json.loads(done.stdout)
    assert "prefill" not in data and data["reason"] == "scan"


def test_without_polish_data_there_is_no_engine(tmp_path: Path) -> None:
    empty = tmp_path / "tessdata"
    empty.mkdir()
    code = (
        "from parsers import ocr, DEFAULT_FORM; "
        "print(ocr.engine(), ocr.prefill([open('/dev/null','rb').read()], DEFAULT_FORM))"
    )
    done = _run(code, TESSDATA_PREFIX=str(empty))
    assert done.stdout.strip() == "None None", done.stderr


def test_a_heic_photo_reads_as_its_jpeg(scans: list, reads: list) -> None:
    """An iPhone's HEIC photo of the page: opened through pillow-heif, read as the same photo
    in JPEG."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    r = next(r for r in reads if r.scan.kind == "phone-photo" and r.scan.form == "dkres-docx")
    out = io.BytesIO()
    Image.open(io.BytesIO(r.scan.files[0])).save(out, "HEIF", quality=80)
    assert ocr.is_scan(out.getvalue())
    heic = ocr.prefill([out.getvalue()], r.scan.spec)
    assert heic is not None
    for key in ("full_name", "groups", "accepts_rules"):
        assert heic.fields[key] == r.prefill.fields[key], key
