"""Scans of filled application forms, made the way applicants make them.

A form is filled with an applicant's answers (the call's DOCX through mailbot.ops.samples,
the fillable PDF, the example call's DOCX), printed to PDF (LibreOffice / as it is),
rasterised with pdftoppm, "ticked with a pen" (X, ✓, a filled square, a circle around the
number, drawn over the empty printed boxes) and then degraded as a scanner or a phone does it:
resolution, skew, rotation, noise, JPEG compression, an OCR text layer added by OCRmyPDF,
perspective, shadow, lower resolution, HEIC.

Nothing here reads a scan: the boxes to tick are found in the printed PDF's own text layout
(the ☐ characters) or its check-box widgets, before the page is an image.

``make_set(kinds, count, seed, workdir)`` returns ``Scan`` values: the files (in page order),
the form spec and the expected fields.
"""

from __future__ import annotations

import io
import math
import os
import random
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from pypdf import PdfReader
from scanforms import (
    Printed,
    applicant,
    label_pages,
    ngo_applicant,
    printed_dkres,
    printed_fillable,
    printed_ngo,
)

from parsers import FormSpec


def rasterise(pdf: bytes, dpi: int, colour: bool = False) -> list[Image.Image]:
    with tempfile.TemporaryDirectory(prefix="scangen-") as tmp:
        src = os.path.join(tmp, "in.pdf")
        Path(src).write_bytes(pdf)
        args = ["pdftoppm", "-r", str(dpi)] + ([] if colour else ["-gray"])
        subprocess.run([*args, src, os.path.join(tmp, "p")], check=True, capture_output=True)
        names = sorted(n for n in os.listdir(tmp) if n.startswith("p-"))
        return [Image.open(os.path.join(tmp, n)).convert("RGB") for n in names]


INKS = [(25, 35, 120), (20, 20, 25), (35, 60, 160), (60, 20, 90)]


def pen_marks(
    pages: list[Image.Image], printed: Printed, dpi: int, rng: random.Random, styles: Sequence[str]
) -> None:
    """Tick the boxes with a pen: X, ✓, filled or a circle round the number."""
    for (page, x0, y0, x1, y1), numbered in zip(printed.boxes, printed.numbered, strict=True):
        img = pages[page]
        draw = ImageDraw.Draw(img)
        k = dpi / 72.0
        h = img.height
        left, right = x0 * k, x1 * k
        top, bottom = h - y1 * k, h - y0 * k
        s = right - left
        ink = rng.choice(INKS)
        width = max(2, round(dpi / 90 * rng.uniform(0.8, 1.4)))
        style = rng.choice([st for st in styles if st != "circle" or numbered] or ["x"])

        def j(v: float, s: float = s) -> float:
            return v + rng.uniform(-0.12, 0.12) * s

        if style == "x":
            over = rng.uniform(-0.05, 0.3) * s
            draw.line(
                [(j(left - over), j(top - over)), (j(right + over), j(bottom + over))], ink, width
            )
            draw.line(
                [(j(left - over), j(bottom + over)), (j(right + over), j(top - over))], ink, width
            )
        elif style == "check":
            pts = [
                (left + 0.1 * s, top + 0.5 * s),
                (left + 0.4 * s, top + 0.95 * s),
                (left + rng.uniform(1.0, 1.5) * s, top - rng.uniform(0.3, 0.8) * s),
            ]
            draw.line([(j(x), j(y)) for x, y in pts], ink, width, joint="curve")
        elif style == "fill":
            m = 0.08 * s
            y = top + m
            while y < bottom - m:
                draw.line(
                    [(j(left + m), y), (j(right - m), y + rng.uniform(-0.1, 0.1) * s)],
                    ink,
                    width + 1,
                )
                y += width * 0.8
        else:  # a circle round the number after the box
            cx = right + rng.uniform(0.7, 1.1) * s
            cy = (top + bottom) / 2 + rng.uniform(-0.1, 0.1) * s
            rx, ry = rng.uniform(0.75, 1.0) * s, rng.uniform(0.7, 0.95) * s
            draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], outline=ink, width=width)


def grey(img: Image.Image) -> Image.Image:
    return img.convert("L")


def skew(img: Image.Image, degrees: float) -> Image.Image:
    return img.rotate(
        degrees,
        resample=Image.Resampling.BICUBIC,
        expand=True,
        fillcolor=(255, 255, 255) if img.mode == "RGB" else 255,
    )


def noise(img: Image.Image, rng: random.Random, sigma: float, specks: float) -> Image.Image:
    a = np.asarray(img).astype(np.float32)
    g = np.random.default_rng(rng.randrange(2**32))
    a += g.normal(0, sigma, a.shape)
    mask = g.random(a.shape[:2]) < specks
    a[mask] = 0
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), img.mode)


def _perspective_coeffs(
    src: list[tuple[float, float]], dst: list[tuple[float, float]]
) -> list[float]:
    """PIL's PERSPECTIVE coefficients mapping output points ``dst`` to input points ``src``."""
    m = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        m.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        m.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    b = np.array([c for p in src for c in p], dtype=np.float64)
    return list(np.linalg.solve(np.array(m, dtype=np.float64), b))


def photo(img: Image.Image, rng: random.Random, long_side: int) -> Image.Image:
    """A phone photo of the page on a desk: perspective, a shadow, yellowish light, smaller."""
    from PIL import ImageChops

    w, h = img.size
    pad = int(0.08 * max(w, h))
    W, H = w + 2 * pad, h + 2 * pad
    desk_colour = (rng.randrange(70, 120), rng.randrange(60, 100), rng.randrange(50, 80))
    desk = Image.new("RGB", (W, H), desk_colour)
    desk.paste(img, (pad, pad))
    d = 0.05 * min(w, h)
    corners = [(pad, pad), (pad + w, pad), (pad + w, pad + h), (pad, pad + h)]
    moved = [(x + rng.uniform(-d, d), y + rng.uniform(-d, d)) for x, y in corners]
    coeffs = _perspective_coeffs(corners, moved)
    warped = desk.transform(
        (W, H),
        Image.Transform.PERSPECTIVE,
        coeffs,
        Image.Resampling.BILINEAR,
        fillcolor=desk_colour,
    )
    # a shadow falling across the page: a linear ramp, made small and stretched
    angle = rng.uniform(0, 2 * math.pi)
    low = rng.uniform(0.5, 0.7)
    yy, xx = np.mgrid[0:32, 0:32].astype(np.float32)
    ramp = xx * math.cos(angle) + yy * math.sin(angle)
    ramp = (ramp - ramp.min()) / (ramp.max() - ramp.min())
    shade = Image.fromarray((255 * (low + (1 - low) * ramp)).astype(np.uint8), "L")
    shade = shade.resize((W, H), Image.Resampling.BILINEAR).convert("RGB")
    tint = Image.new("RGB", (W, H), (255, rng.randrange(237, 250), rng.randrange(205, 230)))
    out = ImageChops.multiply(ImageChops.multiply(warped, shade), tint)
    out = out.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.2)))
    f = long_side / max(W, H)
    return out.resize((round(W * f), round(H * f)), Image.Resampling.LANCZOS)


def encode(img: Image.Image, fmt: str, dpi: int, quality: int = 85) -> bytes:
    out = io.BytesIO()
    if fmt == "jpeg":
        img.save(out, "JPEG", quality=quality, dpi=(dpi, dpi))
    elif fmt == "png":
        img.save(out, "PNG", dpi=(dpi, dpi))
    elif fmt == "webp":
        img.save(out, "WEBP", quality=quality)
    elif fmt == "heic":
        import pillow_heif

        pillow_heif.register_heif_opener()
        img.save(out, "HEIF", quality=quality)
    else:
        raise ValueError(fmt)
    return out.getvalue()


def image_pdf(imgs: Sequence[Image.Image], dpi: int, quality: int = 75) -> bytes:
    """An image-only PDF (a scanner's): one JPEG per page."""
    out = io.BytesIO()
    first, *rest = [i.convert("L") for i in imgs]
    first.save(
        out, "PDF", resolution=float(dpi), save_all=True, append_images=rest, quality=quality
    )
    return out.getvalue()


def tiff(imgs: Sequence[Image.Image], dpi: int) -> bytes:
    out = io.BytesIO()
    first, *rest = [i.convert("L") for i in imgs]
    first.save(
        out, "TIFF", save_all=True, append_images=rest, compression="tiff_deflate", dpi=(dpi, dpi)
    )
    return out.getvalue()


def ocr_layer(pdf: bytes, workdir: Path) -> bytes:
    """The PDF with an invisible OCR text layer, as a phone app makes it (OCRmyPDF -l pol)."""
    if shutil.which("ocrmypdf") is None:
        raise RuntimeError("ocrmypdf is needed for scans with an OCR layer")
    with tempfile.TemporaryDirectory(prefix="scangen-ocr-", dir=workdir) as tmp:
        src, dst = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        src.write_bytes(pdf)
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        subprocess.run(
            [
                "ocrmypdf",
                "-q",
                "-l",
                "pol",
                "--optimize",
                "0",
                "--jobs",
                "1",
                "--output-type",
                "pdf",
                str(src),
                str(dst),
            ],
            check=True,
            capture_output=True,
            timeout=600,
            env=env,
        )
        return dst.read_bytes()


# --- kinds of scan ----------------------------------------------------------------------------


def only_pages(
    expected: dict[str, Any], spec: FormSpec, pages: dict[str, int], n: int
) -> dict[str, Any]:
    """What a scan of the first ``n`` pages shows: fields printed on later pages are empty."""
    empty = spec.empty_fields()
    return {k: (v if pages.get(k, 0) < n else empty[k]) for k, v in expected.items()}


@dataclass
class Scan:
    name: str
    kind: str
    files: list[bytes]
    spec: FormSpec
    expected: dict[str, Any]
    form: str
    pages: int = 1
    notes: dict[str, Any] = field(default_factory=dict)


PEN = ("x", "check", "fill", "circle")


def _pages(
    printed: Printed,
    dpi: int,
    rng: random.Random,
    colour: bool = False,
    pen: Sequence[str] = PEN,
    first_only: bool = False,
) -> list[Image.Image]:
    pages = rasterise(printed.pdf, dpi, colour=True)
    pen_marks(pages, printed, dpi, rng, pen)
    if first_only:
        pages = pages[:1]
    return pages if colour else [grey(p) for p in pages]


def kind_office_300(p: Printed, rng: random.Random, workdir: Path) -> list[bytes]:
    """An office scanner at 300 dpi: an image-only PDF, slight skew, light noise."""
    pages = [noise(skew(im, rng.uniform(-1.0, 1.0)), rng, 6, 0.0005) for im in _pages(p, 300, rng)]
    return [image_pdf(pages, 300, quality=80)]


def kind_office_200_jpeg(p: Printed, rng: random.Random, workdir: Path) -> list[bytes]:
    """200 dpi, skewed up to 3°, noise, a compressed JPEG of page 1."""
    im = _pages(p, 200, rng, first_only=True)[0]
    im = noise(skew(im, rng.choice([-1, 1]) * rng.uniform(1.5, 3.0)), rng, 10, 0.001)
    return [encode(im, "jpeg", 200, quality=rng.randrange(45, 70))]


def kind_office_150(p: Printed, rng: random.Random, workdir: Path) -> list[bytes]:
    """150 dpi, skew, noise, JPEG: the cheapest scanner setting."""
    im = _pages(p, 150, rng, first_only=True)[0]
    im = noise(skew(im, rng.uniform(-3.0, 3.0)), rng, 8, 0.0008)
    return [encode(im, "jpeg", 150, quality=rng.randrange(60, 85))]


def kind_rotated(p: Printed, rng: random.Random, workdir: Path) -> list[bytes]:
    """Fed sideways or upside down: 90/180/270°, a little skew, PNG or TIFF."""
    turn = rng.choice(
        [Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_180, Image.Transpose.ROTATE_270]
    )
    pages = [
        noise(skew(im, rng.uniform(-2, 2)), rng, 6, 0.0005).transpose(turn)
        for im in _pages(p, 200, rng)
    ]
    if rng.random() < 0.5:
        return [tiff(pages, 200)]
    return [encode(pages[0], "png", 200)]


def kind_ocr_layer(p: Printed, rng: random.Random, workdir: Path) -> list[bytes]:
    """A phone app's or a scanner's "searchable PDF": the picture and an OCR text layer."""
    im = _pages(p, 200, rng, first_only=True)[0]
    im = noise(skew(im, rng.uniform(-1.5, 1.5)), rng, 6, 0.0005)
    return [ocr_layer(image_pdf([im], 200, quality=80), workdir)]


def kind_photo(p: Printed, rng: random.Random, workdir: Path) -> list[bytes]:
    """A phone photo of page 1: perspective, shadow, 2000-2600 px, JPEG (or HEIC)."""
    im = _pages(p, 200, rng, colour=True, first_only=True)[0]
    ph = photo(im, rng, rng.randrange(2000, 2600))
    if rng.random() < 0.25:
        return [encode(ph, "heic", 72, quality=70)]
    return [encode(ph, "jpeg", 72, quality=rng.randrange(70, 90))]


def kind_photo_pages(p: Printed, rng: random.Random, workdir: Path) -> list[bytes]:
    """Each page photographed: one JPEG per page, in one e-mail."""
    pages = _pages(p, 300, rng, colour=True)
    return [
        encode(photo(im, rng, rng.randrange(2000, 2400)), "jpeg", 72, quality=80) for im in pages
    ]


KINDS: dict[str, Callable[[Printed, random.Random, Path], list[bytes]]] = {
    "office-300-pdf": kind_office_300,
    "office-200-jpeg": kind_office_200_jpeg,
    "office-150-jpeg": kind_office_150,
    "rotated": kind_rotated,
    "ocr-layer-pdf": kind_ocr_layer,
    "phone-photo": kind_photo,
    "photo-per-page": kind_photo_pages,
}


def _count_pages(files: list[bytes]) -> int:
    n = 0
    for data in files:
        if data.startswith(b"%PDF"):
            n += len(PdfReader(io.BytesIO(data)).pages)
        else:
            with Image.open(io.BytesIO(data)) as im:
                n += getattr(im, "n_frames", 1)
    return n


def make_set(plan: Sequence[tuple[str, str]], seed: int, workdir: Path) -> list[Scan]:
    """``plan``: (kind, form) pairs; form is "dkres-docx", "dkres-typed" (☒ typed, no pen),
    "dkres-fillable" or "ngo-docx". Deterministic for a seed."""
    rng = random.Random(seed)
    workdir.mkdir(parents=True, exist_ok=True)
    dkres = [(i, k) for i, (k, f) in enumerate(plan) if f in ("dkres-docx", "dkres-typed")]
    fill = [(i, k) for i, (k, f) in enumerate(plan) if f == "dkres-fillable"]
    ngo = [(i, k) for i, (k, f) in enumerate(plan) if f == "ngo-docx"]
    printed: dict[int, Printed] = {}
    apps = [applicant(rng) for _ in dkres]
    typed = [plan[i][1] == "dkres-typed" for i, _ in dkres]
    for (i, _), pr in zip(dkres, printed_dkres(apps, typed, workdir) if dkres else [], strict=True):
        printed[i] = pr
    fill_apps = [applicant(rng, two_line_address=False) for _ in fill]
    for (i, _), pr in zip(fill, printed_fillable(fill_apps), strict=True):
        printed[i] = pr
    values = [ngo_applicant(rng) for _ in ngo]
    for (i, _), pr in zip(ngo, printed_ngo(values, workdir) if ngo else [], strict=True):
        printed[i] = pr
    out = []
    for i, (kind, form) in enumerate(plan):
        pr = printed[i]
        krng = random.Random(rng.randrange(2**32))
        files = KINDS[kind](pr, krng, workdir)
        n = _count_pages(files)
        expected = only_pages(pr.expected, pr.spec, label_pages(pr.pdf, pr.spec), n)
        out.append(Scan(f"{i:03d}-{kind}-{form}", kind, files, pr.spec, expected, form, n))
    return out
