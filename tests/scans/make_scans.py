"""Scans of the call's filled application form, generated the way applicants make them.

Each scan starts as the applicant's printout with her pen marks (``scan_printout``: the call's
Word form with her typed values and empty boxes, through LibreOffice and pdftoppm; ticks drawn
by hand over the printed boxes, ``scan_pen``). Then what her scanner, phone or scanning app
does to the page (``scan_degrade``) and the file it writes (here).

Kinds (``KINDS``; five applicants each, every one different):
  scanner-300dpi-pdf       image-only PDF, 300 dpi grey, skew 0.5-2°, speckle (Flate or JPEG)
  scanner-150dpi-jpeg-pdf  image-only PDF, 150 dpi grey or colour, strong JPEG compression
  ocr-layer-pdf            "searchable PDF": ``ocrmypdf -l pol`` over an image-only PDF as a
                           phone app (Adobe Scan, Microsoft Lens) or a scanner makes it
  phone-photo-jpeg         phone photos, one JPEG per page (trapezoid, shadow, ~1600 px wide)
  rotated                  a page sideways or upside down (PDF, JPEG, PNG; EXIF orientation)
  image-exports            PNG, TIFF (G4 black-and-white multi-page, LZW grey) and HEIC

Deterministic for a seed (``MAILBOT_SCAN_SEED``, default 17). Run as a script to look at them:
``python tests/scans/make_scans.py OUTDIR [--seed N]`` writes the scans and ``manifest.json``.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
import sys
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path

if __name__ == "__main__":  # run as a script: the repository and this folder on the path
    sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).parent)]

import scan_degrade as effects
from PIL import Image
from scan_applicants import applicants
from scan_pen import TICK_STYLES
from scan_printout import ScanSpec, convert_to_pdf, handwritten, printout_docx

from mailbot.ops.samples import pdf_from_objects

SEED = 17
PER_KIND = 5
KINDS: dict[str, tuple[str, ...]] = {
    "scanner-300dpi-pdf": ("flate", "jpeg", "flate", "jpeg", "flate"),
    "scanner-150dpi-jpeg-pdf": ("grey", "colour", "grey", "colour", "grey"),
    "ocr-layer-pdf": ("phone-app", "scanner", "phone-app", "scanner", "phone-app"),
    "phone-photo-jpeg": ("jpeg",) * PER_KIND,
    "rotated": ("pdf-p1-180", "pdf-both-90", "jpeg-p2-270", "png-p1-90", "jpeg-exif-6"),
    "image-exports": ("png-grey-200", "png-colour-300", "tiff-g4-300", "tiff-lzw-200", "heic"),
}
KIND_LABELS = {  # short names for tables
    "scanner-300dpi-pdf": "300dpi",
    "scanner-150dpi-jpeg-pdf": "150dpi-jpeg",
    "ocr-layer-pdf": "ocr-layer",
    "phone-photo-jpeg": "photo",
    "rotated": "rotated",
    "image-exports": "png/tiff/heic",
}
LOOKS = ("as-printed", "a4", "serif-a4")  # the form printed as it is, on A4, in a serif font
TOOLS = ("soffice", "pdftoppm", "pdftotext")


@dataclass(frozen=True)
class Scan:
    spec: ScanSpec
    files: tuple[Path, ...]  # in page order


def heic_supported() -> bool:
    try:
        import pillow_heif  # noqa: F401
    except ImportError:
        return False
    return True


def scan_specs(seed: int = SEED) -> list[ScanSpec]:
    """Every scan of the set: five different applicants per kind, tick styles and looks
    rotating so each kind has every style."""
    people = applicants(seed, len(KINDS) * PER_KIND)
    rnd = random.Random(seed * 7919)
    specs = []
    for k, (kind, variants) in enumerate(KINDS.items()):
        for i, variant in enumerate(variants):
            style = (*TICK_STYLES, "mixed")[(i + k) % (len(TICK_STYLES) + 1)]
            if style == "mixed":
                groups_style = rnd.choice(TICK_STYLES)
                statements = rnd.choice([s for s in ("x", "check", "fill") if s != groups_style])
            else:
                groups_style = style
                statements = style if style != "circle" else rnd.choice(("x", "check"))
            if variant == "heic" and not heic_supported():
                continue
            specs.append(
                ScanSpec(
                    kind=kind,
                    variant=variant,
                    number=i + 1,
                    applicant=people[k * PER_KIND + i],
                    group_ticks=groups_style,
                    statement_ticks=statements,
                    look=LOOKS[(i + 2 * k) % len(LOOKS)],
                    seed=rnd.getrandbits(32),
                )
            )
    return specs


def missing_tools(specs: list[ScanSpec]) -> list[str]:
    needed = list(TOOLS)
    if any(s.kind == "ocr-layer-pdf" for s in specs):
        needed.append("ocrmypdf")
    return [tool for tool in needed if shutil.which(tool) is None]


# --- files as scanners and phones write them -----------------------------------------------


def image_pdf(pages: list[Image.Image], dpi: int, jpeg_quality: int | None) -> bytes:
    """A PDF of page images only (Flate or JPEG), each page the image's size at ``dpi``."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for page in pages:
        number = len(objects) + 1
        kids.append(b"%d 0 R" % number)
        grey = page.mode == "L"
        if jpeg_quality is None:
            stream, codec = zlib.compress(page.tobytes(), 6), b"/FlateDecode"
        else:
            buffer = io.BytesIO()
            page.save(buffer, "JPEG", quality=jpeg_quality, dpi=(dpi, dpi))
            stream, codec = buffer.getvalue(), b"/DCTDecode"
        width_pt, height_pt = page.width * 72 / dpi, page.height * 72 / dpi
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] "
            b"/Resources << /XObject << /Im1 %d 0 R >> >> /Contents %d 0 R >>"
            % (width_pt, height_pt, number + 1, number + 2)
        )
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
            b"/BitsPerComponent 8 /Filter %s /Length %d >>\nstream\n"
            % (
                page.width,
                page.height,
                b"/DeviceGray" if grey else b"/DeviceRGB",
                codec,
                len(stream),
            )
            + stream
            + b"\nendstream"
        )
        content = b"q %.2f 0 0 %.2f 0 0 cm /Im1 Do Q" % (width_pt, height_pt)
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(pages))
    return pdf_from_objects(objects)


def _jpeg(image: Image.Image, quality: int, dpi: int | None = None, orientation: int = 1) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation != 1:
        exif[0x0112] = orientation
    exif[0x010F], exif[0x0110] = "Phone", "Camera"  # Make, Model as a phone writes them
    extra = {"dpi": (dpi, dpi)} if dpi else {}
    image.save(out, "JPEG", quality=quality, exif=exif.tobytes(), **extra)
    return out.getvalue()


def _png(image: Image.Image, dpi: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


def _skew(rnd: random.Random, low: float = 0.5, high: float = 2.0) -> float:
    return rnd.uniform(low, high) * rnd.choice((-1, 1))


def _ocr_layer(image_only: Path, out: Path) -> None:
    """A searchable PDF: ocrmypdf's invisible Polish text layer over the page images."""
    subprocess.run(
        [
            "ocrmypdf",
            "-q",
            "-l",
            "pol",
            "--output-type",
            "pdf",
            "--jobs",
            "1",
            str(image_only),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )


def scan_files(spec: ScanSpec, pdf: Path, work: Path, out: Path) -> tuple[Path, ...]:
    """The files of one scan, written into ``out``."""
    rnd = random.Random(spec.seed ^ 0x5CA4)
    kind, variant, name = spec.kind, spec.variant, spec.name
    written: list[tuple[str, bytes]] = []
    if kind == "scanner-300dpi-pdf":
        skew = _skew(rnd)
        pages = [effects.scanned(p, rnd, 300, skew) for p in handwritten(spec, pdf, 300, work)]
        quality = rnd.randint(75, 90) if variant == "jpeg" else None
        written.append((f"{name}.pdf", image_pdf(pages, 300, quality)))
    elif kind == "scanner-150dpi-jpeg-pdf":
        colour, skew = variant == "colour", _skew(rnd)
        raw = handwritten(spec, pdf, 150, work)
        pages = [effects.scanned(p, rnd, 150, skew, colour=colour) for p in raw]
        written.append((f"{name}.pdf", image_pdf(pages, 150, rnd.randint(30, 55))))
    elif kind == "ocr-layer-pdf":
        if variant == "phone-app":
            pages = [effects.app_scanned(p, rnd) for p in handwritten(spec, pdf, 200, work)]
            image_only = image_pdf(pages, 200, rnd.randint(60, 80))
        else:
            skew = _skew(rnd, 0.2, 1.0)
            raw = handwritten(spec, pdf, 300, work)
            image_only = image_pdf([effects.scanned(p, rnd, 300, skew) for p in raw], 300, None)
        source = work / f"{name}-image-only.pdf"
        source.write_bytes(image_only)
        _ocr_layer(source, out / f"{name}.pdf")
        return (out / f"{name}.pdf",)
    elif kind == "phone-photo-jpeg":
        for n, page in enumerate(handwritten(spec, pdf, 200, work), 1):
            photo = effects.photographed(page, rnd, rnd.randint(1500, 1700))
            written.append((f"{name}-strona{n}.jpg", _jpeg(photo, rnd.randint(80, 92))))
    elif kind == "rotated":
        written = _rotated(spec, pdf, work, rnd)
    else:
        written = _exports(spec, pdf, work, rnd)
    paths = []
    for filename, data in written:
        (out / filename).write_bytes(data)
        paths.append(out / filename)
    return tuple(paths)


def _rotated(spec: ScanSpec, pdf: Path, work: Path, rnd: random.Random) -> list[tuple[str, bytes]]:
    name, variant, turn = spec.name, spec.variant, Image.Transpose
    if variant == "pdf-p1-180":
        skew = _skew(rnd, 0.3, 1.2)
        pages = [effects.scanned(p, rnd, 300, skew) for p in handwritten(spec, pdf, 300, work)]
        pages[0] = pages[0].transpose(turn.ROTATE_180)
        return [(f"{name}.pdf", image_pdf(pages, 300, None))]
    if variant == "pdf-both-90":
        skew = _skew(rnd, 0.3, 1.2)
        pages = [effects.scanned(p, rnd, 200, skew) for p in handwritten(spec, pdf, 200, work)]
        pages = [p.transpose(turn.ROTATE_90) for p in pages]
        return [(f"{name}.pdf", image_pdf(pages, 200, rnd.randint(70, 85)))]
    if variant == "png-p1-90":
        skew = _skew(rnd, 0.3, 1.2)
        pages = [effects.scanned(p, rnd, 200, skew) for p in handwritten(spec, pdf, 200, work)]
        pages[0] = pages[0].transpose(turn.ROTATE_270)
        return [(f"{name}-{n}.png", _png(p, 200)) for n, p in enumerate(pages, 1)]
    photos = [
        effects.photographed(p, rnd, rnd.randint(1500, 1700))
        for p in handwritten(spec, pdf, 200, work)
    ]
    if variant == "jpeg-p2-270":
        photos[1] = photos[1].transpose(turn.ROTATE_270)
        return [(f"{name}-{n}.jpg", _jpeg(p, rnd.randint(80, 92))) for n, p in enumerate(photos, 1)]
    # jpeg-exif-6: the pixels lie sideways and the EXIF orientation says to turn them upright
    return [
        (f"IMG_{2024051400 + n}.jpg", _jpeg(p.transpose(turn.ROTATE_90), 88, orientation=6))
        for n, p in enumerate(photos, 1)
    ]


def _exports(spec: ScanSpec, pdf: Path, work: Path, rnd: random.Random) -> list[tuple[str, bytes]]:
    name, variant = spec.name, spec.variant
    if variant == "heic":
        import pillow_heif

        pillow_heif.register_heif_opener()
        out = []
        for n, page in enumerate(handwritten(spec, pdf, 200, work), 1):
            photo = effects.photographed(page, rnd, rnd.randint(1500, 1700))
            buffer = io.BytesIO()
            photo.save(buffer, format="HEIF", quality=rnd.randint(70, 85))
            out.append((f"{name}-{n}.heic", buffer.getvalue()))
        return out
    dpi = {"png-grey-200": 200, "png-colour-300": 300, "tiff-g4-300": 300, "tiff-lzw-200": 200}[
        variant
    ]
    skew = _skew(rnd)
    colour = variant == "png-colour-300"
    raw = handwritten(spec, pdf, dpi, work)
    pages = [effects.scanned(p, rnd, dpi, skew, colour=colour) for p in raw]
    if variant.startswith("png"):
        return [(f"{name}-{n}.png", _png(p, dpi)) for n, p in enumerate(pages, 1)]
    if variant == "tiff-g4-300":  # black-and-white scanning mode, both pages in one file
        level = rnd.randint(140, 175)
        bw = [p.point(lambda v, t=level: 255 if v > t else 0).convert("1") for p in pages]
        buffer = io.BytesIO()
        bw[0].save(
            buffer,
            "TIFF",
            compression="group4",
            dpi=(dpi, dpi),
            save_all=True,
            append_images=bw[1:],
        )
        return [(f"{name}.tif", buffer.getvalue())]
    out = []
    for n, page in enumerate(pages, 1):
        buffer = io.BytesIO()
        page.save(buffer, "TIFF", compression="tiff_lzw", dpi=(dpi, dpi))
        out.append((f"{name}-{n}.tiff", buffer.getvalue()))
    return out


def make_scans(out: Path, specs: list[ScanSpec]) -> list[Scan]:
    """Every scan of ``specs`` written under ``out`` (scans in ``out/scans``)."""
    work, scans_dir = out / "work", out / "scans"
    for folder in (work / "docx", scans_dir):
        folder.mkdir(parents=True, exist_ok=True)
    sources = []
    for spec in specs:
        path = work / "docx" / f"{spec.name}.docx"
        path.write_bytes(printout_docx(spec))
        sources.append(path)
    convert_to_pdf(sources, work / "pdf", work / "profile")
    return [
        Scan(spec, scan_files(spec, work / "pdf" / f"{spec.name}.pdf", work, scans_dir))
        for spec in specs
    ]


def manifest(scans: list[Scan]) -> list[dict[str, object]]:
    return [
        {
            "name": s.spec.name,
            "kind": s.spec.kind,
            "variant": s.spec.variant,
            "files": [f.name for f in s.files],
            "group_ticks": s.spec.group_ticks,
            "statement_ticks": s.spec.statement_ticks,
            "look": s.spec.look,
            "expected": s.spec.applicant.expected_fields(),
            "applicant": asdict(s.spec.applicant),
        }
        for s in scans
    ]


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--kind", action="append", choices=sorted(KINDS), help="only these kinds")
    args = parser.parse_args(argv)
    specs = [s for s in scan_specs(args.seed) if not args.kind or s.kind in args.kind]
    missing = missing_tools(specs)
    if missing:
        print(f"missing: {', '.join(missing)}", file=sys.stderr)
        return 1
    scans = make_scans(args.out, specs)
    (args.out / "manifest.json").write_text(
        json.dumps(manifest(scans), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    for scan in scans:
        print(scan.spec.name, *(f.name for f in scan.files))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
