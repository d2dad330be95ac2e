"""The applicant's printout: the call's Word form filled with her typed values, every box left
empty (☐), the signature cell blank; converted to PDF with LibreOffice and rasterised with
pdftoppm; then her pen on the page image: each chosen group and accepted statement ticked by
hand over the printed box, and a signature.

The boxes are found in the printout's layout (``pdftotext -bbox``: the ☐ glyphs and the number
after each group's box), refined to the printed square's pixels. Only this generator knows
where they are; a reader of the scan has to find them itself.
"""

from __future__ import annotations

import html
import io
import random
import re
import subprocess
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import docx
import numpy as np
from docx.shared import Mm
from PIL import Image
from scan_pen import Pen

from mailbot.ops.samples import Applicant, filled_docx

GROUPS = 5  # boxes of part II, then the two statements of part IV


@dataclass(frozen=True)
class ScanSpec:
    kind: str
    variant: str
    number: int
    applicant: Applicant
    group_ticks: str  # one of scan_pen.TICK_STYLES
    statement_ticks: str
    look: str
    seed: int

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.number}-{self.variant}"


def printout_docx(spec: ScanSpec) -> bytes:
    """The Word form with the applicant's typed values, every box empty, no signature."""
    blank_boxes = replace(spec.applicant, groups=(), accepts_rules=False, consents_gdpr=False)
    document = docx.Document(io.BytesIO(filled_docx(blank_boxes)))
    signature = document.tables[2].rows[1].cells[1]
    for paragraph in signature.paragraphs:
        paragraph.text = ""
    if spec.look != "as-printed":
        for section in document.sections:
            section.page_width, section.page_height = Mm(210), Mm(297)
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    if spec.look == "serif-a4":
        data = _retyped(data, "DejaVu Serif")
    return data


def _retyped(data: bytes, font: str) -> bytes:
    """The document with every font named in its styles and runs (theme fonts included)
    replaced by ``font``."""
    name = font.encode()

    def retype(match: re.Match[bytes]) -> bytes:
        rest = re.sub(rb'\s*w:(ascii|hAnsi|asciiTheme|hAnsiTheme)="[^"]*"', b"", match.group(1))
        return b'<w:rFonts w:ascii="%s" w:hAnsi="%s"%s' % (name, name, rest)

    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename in ("word/styles.xml", "word/document.xml"):
                body = re.sub(rb"<w:rFonts\b([^>]*)", retype, body)
            zout.writestr(item, body)
    return out.getvalue()


def convert_to_pdf(docx_files: list[Path], out: Path, profile: Path) -> None:
    """All printouts to PDF with one LibreOffice run (a private profile: other runs may be
    using the default one)."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, docx_files),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )


@dataclass(frozen=True)
class Word:
    page: int
    left: float  # points
    top: float
    right: float
    bottom: float
    text: str


def layout(pdf: Path) -> tuple[list[tuple[float, float]], list[Word]]:
    """The printout's page sizes and words (with their boxes in points), from poppler."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")
    pages: list[tuple[float, float]] = []
    words: list[Word] = []
    token = re.compile(
        r'<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" '
        r'xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    )
    for match in token.finditer(xhtml):
        if match.group(1):
            pages.append((float(match.group(1)), float(match.group(2))))
        else:
            left, top, right, bottom = (float(match.group(i)) for i in range(3, 7))
            text = html.unescape(match.group(7))
            words.append(Word(len(pages) - 1, left, top, right, bottom, text))
    return pages, words


def rasterise(pdf: Path, dpi: int, folder: Path) -> list[Image.Image]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(folder / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    images = []
    for path in sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        with Image.open(path) as image:
            images.append(image.convert("RGB"))
        path.unlink()
    return images


def _square(page: Image.Image, word: Word, dpi: int) -> tuple[float, float, float, float]:
    """The printed square inside the ☐ glyph's box, in pixels (its dark outline)."""
    k = dpi / 72
    left, top, right, bottom = (
        round(v * k) for v in (word.left, word.top, word.right, word.bottom)
    )
    crop = np.asarray(page.convert("L").crop((left, top, right, bottom)))
    ys, xs = np.nonzero(crop < 128)
    if not len(xs):
        side = (bottom - top) * 0.6
        cx, cy = (left + right) / 2, (top + bottom) / 2
        return (cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)
    return (left + xs.min(), top + ys.min(), left + xs.max() + 1.0, top + ys.max() + 1.0)


def handwritten(spec: ScanSpec, pdf: Path, dpi: int, work: Path) -> list[Image.Image]:
    """The printout's pages at ``dpi`` with the applicant's pen marks: ticks and signature."""
    _, words = layout(pdf)
    pages = rasterise(pdf, dpi, work / f"{spec.name}-{dpi}")
    rnd = random.Random(spec.seed)
    ink = rnd.choice(("blue", "blue", "black", "navy"))
    pens = [Pen(rnd, dpi, ink) for _ in pages]
    boxes = [i for i, w in enumerate(words) if w.text == "☐"]
    if len(boxes) != GROUPS + 2:
        raise RuntimeError(f"{spec.name}: {len(boxes)} empty boxes on the printout, expected 7")
    applicant = spec.applicant
    ticked = [n in applicant.groups for n in range(1, GROUPS + 1)]
    ticked += [applicant.accepts_rules, applicant.consents_gdpr]
    k = dpi / 72
    for n, (index, tick) in enumerate(zip(boxes, ticked, strict=True)):
        if not tick:
            continue
        box, number = words[index], words[index + 1]
        square = _square(pages[box.page], box, dpi)
        is_group = n < GROUPS
        style = spec.group_ticks if is_group else spec.statement_ticks
        number_px = (number.left * k, number.top * k, number.right * k, number.bottom * k)
        pens[box.page].tick(style, square, number_px if is_group else None)
    label = [
        i
        for i, w in enumerate(words[:-1])
        if w.text == "Podpis" and words[i + 1].text.startswith("kandydat")
    ]
    if label:
        first = words[label[-1]]
        line = [w for w in words if w.page == first.page and abs(w.top - first.top) < 2]
        x = max(w.right for w in line) + rnd.uniform(50, 90)
        pens[first.page].signature(x * k, first.bottom * k)
    return [pen.draw(page) for pen, page in zip(pens, pages, strict=True)]
