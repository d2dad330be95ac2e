"""A scan's files → its pages: upright, deskewed, even grey pictures in reading order.

Images are opened with Pillow (HEIC/HEIF through pillow-heif when it is installed; every
frame of a TIFF is a page; a phone's EXIF orientation is applied). PDF pages are rendered with
poppler's ``pdftoppm``: it draws what the page shows whatever the image's encoding (JBIG2,
CCITT, JPEG 2000, strips) and placement; the resolution is the page pictures' own (no finer
than ``OcrLimits.dpi``, no coarser than 150 dpi): rendering finer adds no information and
makes Tesseract slower. Without poppler the largest embedded image of each page is taken
through pypdf.

Each page is then evened out (the background — a phone photo's shadow — divided out), turned
upright by Tesseract's orientation detection (OSD) and deskewed by the angle at which its text
lines are sharpest.
"""

from __future__ import annotations

import io
import logging
import math
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from parsers.ocr.model import OcrFailed, OcrLimits
from parsers.ocr.sheet import whole_sheet

if TYPE_CHECKING:
    from PIL.Image import Image

    from parsers.ocr.detect import PageInk
    from parsers.ocr.tesseract import _Api

log = logging.getLogger("parsers.ocr")

A4_LONG_INCHES = 11.69
MIN_DPI = 150  # PDF pages are rendered no coarser
MAX_DPI = 400  # a picture finer than this is scaled down to TARGET_DPI
TARGET_DPI = 300
OSD_DPI = 150  # orientation is found on a copy this fine (it needs no more)
#: OSD looks at this many characters first, and at OSD_MORE when it is unsure
OSD_FEW, OSD_MORE = 20, 50
MIN_OSD_CONFIDENCE = 2.0
MAX_SKEW = 6.0  # degrees searched either way


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def check(self) -> None:
        if self.left() <= 0:
            raise OcrFailed("time_limit", "time limit for reading the scan reached")


@dataclass
class Page:
    """One page: a grey picture and its resolution; after ``prepare`` upright and level."""

    image: Image
    dpi: int
    turned: int = 0  # degrees turned counter-clockwise to make it upright
    skew: float = 0.0  # degrees turned counter-clockwise to level its lines


# --- opening ---------------------------------------------------------------------------------


def _pil() -> Any:
    from PIL import Image as pil

    pil.MAX_IMAGE_PIXELS = 120_000_000  # a 600 dpi A3 scan; a bomb above it is refused
    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:  # HEIC then cannot be opened; everything else can
        pass
    return pil


def _image_pages(data: bytes, limits: OcrLimits, count: int) -> list[Page]:
    pil = _pil()
    from PIL import ImageOps, ImageSequence

    out: list[Page] = []
    try:
        picture = pil.open(io.BytesIO(data))
        for frame in ImageSequence.Iterator(picture):
            if count + len(out) >= limits.max_pages:
                raise OcrFailed("too_many_pages", f"more than {limits.max_pages} pages")
            one = frame.copy()
            one = ImageOps.exif_transpose(one) or one
            out.append(_scaled(_grey(one), _dpi(one.size)))
    except OcrFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - a picture Pillow cannot open
        raise OcrFailed("unreadable", f"picture cannot be opened ({type(exc).__name__})") from None
    return out


def _grey(image: Image) -> Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = _pil().new("RGBA", rgba.size, (255, 255, 255, 255))
        white.alpha_composite(rgba)
        image = white
    if image.mode in ("I;16", "I;16B", "I"):
        image = image.point(lambda v: v / 256)
    return image.convert("L")


def _dpi(size: tuple[int, int]) -> int:
    """The picture's resolution from its size, the page taken to fill it (a declared dpi is
    often a camera's 72)."""
    return max(50, round(max(size) / A4_LONG_INCHES))


def _pdf_pages(data: bytes, limits: OcrLimits, count: int, deadline: Deadline) -> list[Page]:
    from pypdf import PdfReader

    from parsers.ocr.detect import page_inks

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise OcrFailed("unreadable", "PDF needs a password")
        n = len(reader.pages)
        if count + n > limits.max_pages:
            raise OcrFailed("too_many_pages", f"more than {limits.max_pages} pages")
        inks = page_inks(reader)
    except OcrFailed:
        raise
    except Exception as exc:  # noqa: BLE001
        raise OcrFailed("unreadable", f"PDF cannot be opened ({type(exc).__name__})") from None
    if n == 0:
        return []
    if shutil.which("pdftoppm"):
        return _render(data, n, render_dpi(inks, limits), deadline)
    return [_largest_image(page) for page in reader.pages]


def render_dpi(inks: Sequence[PageInk | None], limits: OcrLimits) -> int:
    """The resolution a PDF's pages are rendered at: its pictures' own (the finest of them,
    rounded up to 10 dpi), no finer than ``limits.dpi`` and no coarser than 150 dpi; a page
    without a picture: ``limits.dpi``."""
    dpis = [ink.image_dpi if ink is not None and ink.image_dpi else 0.0 for ink in inks]
    dpi = limits.dpi if not dpis or min(dpis) <= 0 else math.ceil(max(dpis) / 10) * 10
    return max(min(MIN_DPI, limits.dpi), min(dpi, limits.dpi))


def _render(data: bytes, n: int, dpi: int, deadline: Deadline) -> list[Page]:
    pil = _pil()
    with tempfile.TemporaryDirectory(prefix="mailbot-ocr-") as tmp:
        src = os.path.join(tmp, "in.pdf")
        with open(src, "wb") as fh:
            fh.write(data)
        try:
            subprocess.run(
                ["pdftoppm", "-r", str(dpi), "-gray", src, os.path.join(tmp, "p")],
                check=True,
                capture_output=True,
                timeout=max(1.0, deadline.left()),
            )
        except subprocess.TimeoutExpired:
            raise OcrFailed("time_limit", "rendering the PDF took too long") from None
        except (subprocess.CalledProcessError, OSError):
            raise OcrFailed("unreadable", "pdftoppm cannot render the PDF") from None
        names = sorted(
            (f for f in os.listdir(tmp) if f.endswith(".pgm")),
            key=lambda f: int(f.rsplit("-", 1)[1].split(".")[0]),
        )
        out = []
        for name in names:
            with pil.open(os.path.join(tmp, name)) as im:
                out.append(Page(im.convert("L"), dpi))
    if len(out) != n:
        raise OcrFailed("unreadable", f"pdftoppm rendered {len(out)} of {n} pages")
    return out


def _largest_image(page: Any) -> Page:
    best = None
    try:
        for img in page.images:
            pic = img.image
            if pic is None:
                continue
            if best is None or pic.width * pic.height > best.width * best.height:
                best = pic
    except Exception:  # noqa: BLE001 - an image pypdf cannot decode
        best = None
    if best is None:
        raise OcrFailed("unreadable", "a PDF page without a picture pypdf can decode")
    return _scaled(_grey(best), _dpi(best.size))


def open_pages(files: Sequence[bytes], limits: OcrLimits, deadline: Deadline) -> list[Page]:
    """Every page of every file, in order, as grey pictures (not yet upright)."""
    from parsers.sniff import sniff

    out: list[Page] = []
    for data in files:
        deadline.check()
        kind = sniff(bytes(data))
        if kind == "pdf":
            out += _pdf_pages(bytes(data), limits, len(out), deadline)
        elif kind == "image":
            out += _image_pages(bytes(data), limits, len(out))
        else:
            raise OcrFailed("unreadable", f"a {kind} file is not a scan")
    if not out:
        raise OcrFailed("unreadable", "no pages")
    return out


def _scaled(image: Image, dpi: int) -> Page:
    if dpi <= MAX_DPI:
        return Page(image, dpi)
    f = TARGET_DPI / dpi
    size = (max(1, round(image.width * f)), max(1, round(image.height * f)))
    return Page(image.resize(size, _pil().Resampling.LANCZOS), TARGET_DPI)


# --- evening out, upright, level --------------------------------------------------------------


def even_out(image: Image) -> Image:
    """The paper made white: the background (the lightest nearby, smoothed) divided out, so a
    shadow or a yellowish photo reads as a clean scan. An even page is only stretched to white."""
    import numpy as np
    from PIL import ImageFilter

    pil = _pil()
    k = max(1, min(image.width, image.height) // 160)
    small = image.reduce(k) if k > 1 else image
    background = small.filter(ImageFilter.MaxFilter(7)).filter(ImageFilter.GaussianBlur(3))
    levels = np.asarray(background)
    lo, hi = np.percentile(levels, [3, 97])
    if hi - lo <= 30:
        white = max(int(np.median(levels)), 64)
        if white >= 250:
            return image
        return image.point([min(255, v * 255 // white) for v in range(256)])
    back = np.asarray(background.resize(image.size, pil.Resampling.BILINEAR))
    grey = np.asarray(image)
    out = np.empty_like(grey)
    for top in range(0, grey.shape[0], 256):  # in strips: a fraction of the memory at once
        g = grey[top : top + 256].astype(np.uint16)
        b = np.maximum(back[top : top + 256], 48).astype(np.uint16)
        out[top : top + 256] = np.minimum(g * 255 // b, 255)
    return pil.fromarray(out, "L")  # type: ignore[no-any-return]


def _otsu(a: Any) -> float:
    import numpy as np

    hist = np.bincount(a.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    levels = np.arange(256, dtype=np.float64)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    w1 = total - w0
    mean0 = m0 / np.maximum(w0, 1)
    mean1 = (m0[-1] - m0) / np.maximum(w1, 1)
    between = w0 * w1 * (mean0 - mean1) ** 2
    return float(np.argmax(between))


def _grow(seed: Any, mask: Any) -> Any:
    """The part of ``mask`` connected to ``seed`` (4-neighbours), by repeated dilation."""
    import numpy as np

    region = seed & mask
    while True:
        grown = region.copy()
        grown[1:] |= region[:-1]
        grown[:-1] |= region[1:]
        grown[:, 1:] |= region[:, :-1]
        grown[:, :-1] |= region[:, 1:]
        grown &= mask
        if np.array_equal(grown, region):
            return region
        region = grown


def page_corners(image: Image) -> tuple[list[tuple[float, float]], Any, int] | None:
    """The corners of a sheet of paper photographed on a darker surface (top left, top right,
    bottom right, bottom left, in pixels of ``image``), with the grey copy about 500 pixels
    long they were refined on and its scale; or None: no such sheet (a scan, or a photo with
    the paper filling it or on a white table). Found on a copy about 160 pixels long (the
    sheet: the light region around the centre)."""
    import numpy as np
    from PIL import ImageFilter

    pil = _pil()

    def bright_at(side: int) -> tuple[Any, int, Any]:
        k = max(1, max(image.size) // side)
        a = np.asarray(image.reduce(k) if k > 1 else image)
        mask = pil.fromarray(((a > _otsu(a)) * 255).astype(np.uint8), "L")
        size = max(3, (side // 55) | 1)  # closes the text's dark strokes
        mask = mask.filter(ImageFilter.MaxFilter(size)).filter(ImageFilter.MinFilter(size))
        return np.asarray(mask) > 0, k, a

    coarse, k, small = bright_at(160)
    if coarse.mean() > 0.93:
        return None  # light to the edges: a scan
    frame = np.concatenate([coarse[0], coarse[-1], coarse[:, 0], coarse[:, -1]])
    if frame.mean() > 0.5:
        return None  # the surroundings are as light as paper
    h, w = coarse.shape
    seed = np.zeros_like(coarse)
    seed[h // 2 - 1 : h // 2 + 2, w // 2 - 1 : w // 2 + 2] = True
    region = _grow(seed, coarse)
    share = float(region.mean())
    if not 0.25 <= share <= 0.93:
        return None
    if float(small[region].mean()) - float(small[~region].mean()) < 35:
        return None
    ys, xs = np.nonzero(region)
    picks = [np.argmin(xs + ys), np.argmax(xs - ys), np.argmax(xs + ys), np.argmin(xs - ys)]
    quad = [(float(xs[i]), float(ys[i])) for i in picks]
    # the region must be that quadrilateral (a sheet), not a blob
    px, py = [q[0] for q in quad], [q[1] for q in quad]
    area = 0.5 * abs(sum(px[i] * py[(i + 1) % 4] - px[(i + 1) % 4] * py[i] for i in range(4)))
    if area <= 0 or region.sum() / area < 0.9:
        return None
    # refined on a finer copy: the extreme light pixel near each coarse corner
    fine, kf, copy = bright_at(500)
    out = []
    signs = [(-1, -1), (1, -1), (1, 1), (-1, 1)]
    for (x, y), (sx, sy) in zip(quad, signs, strict=True):
        cx, cy = (x + 0.5) * k / kf, (y + 0.5) * k / kf
        r = 2.5 * k / kf
        y0, y1 = max(0, int(cy - r)), min(fine.shape[0], int(cy + r) + 1)
        x0, x1 = max(0, int(cx - r)), min(fine.shape[1], int(cx + r) + 1)
        wy, wx = np.nonzero(fine[y0:y1, x0:x1])
        if len(wy):
            best = np.argmax(sx * wx + sy * wy)
            cx, cy = x0 + wx[best] + 0.5, y0 + wy[best] + 0.5
        out.append((cx * kf, cy * kf))
    return out, copy, kf


def _perspective(dst: list[tuple[float, float]], src: list[tuple[float, float]]) -> list[float]:
    """The coefficients of PIL's PERSPECTIVE transform taking output points ``dst`` to input
    points ``src``."""
    import numpy as np

    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    b = np.array([c for p in src for c in p], dtype=np.float64)
    return [float(c) for c in np.linalg.solve(np.array(rows, dtype=np.float64), b)]


def flatten(page: Page) -> Page:
    """A photographed sheet cut out of its surroundings and its perspective undone."""
    found = page_corners(page.image)
    if found is None:
        return page
    corners, copy, scale = found
    if not whole_sheet(copy, scale, corners):
        return page
    tl, tr, br, bl = corners
    width = round(max(math.dist(tl, tr), math.dist(bl, br)))
    height = round(max(math.dist(tl, bl), math.dist(tr, br)))
    if width < 200 or height < 200:
        return page
    coeffs = _perspective([(0, 0), (width, 0), (width, height), (0, height)], corners)
    pil = _pil()
    flat = page.image.transform(
        (width, height), pil.Transform.PERSPECTIVE, coeffs, pil.Resampling.BILINEAR, fillcolor=255
    )
    return _scaled(flat, _dpi(flat.size))


def upright(page: Page, api: _Api) -> Page:
    """Turned by Tesseract's orientation detection, on a copy at about 150 dpi: a quick look
    at a few characters first, a longer one when that is unsure."""
    pil = _pil()
    image = page.image
    probe, dpi = image, page.dpi
    if page.dpi > OSD_DPI * 1.15:
        f = OSD_DPI / page.dpi
        size = (max(1, round(image.width * f)), max(1, round(image.height * f)))
        probe, dpi = image.resize(size, pil.Resampling.BILINEAR, reducing_gap=2.0), OSD_DPI
    pixels = probe.tobytes()
    found = api.orientation(pixels, probe.width, probe.height, dpi, OSD_FEW)
    if found is None or found[1] < MIN_OSD_CONFIDENCE:
        found = api.orientation(pixels, probe.width, probe.height, dpi, OSD_MORE) or found
    if found is None:
        return page
    degrees, conf = found
    if degrees == 0 or conf < MIN_OSD_CONFIDENCE:
        return page
    turn = {
        90: pil.Transpose.ROTATE_90,
        180: pil.Transpose.ROTATE_180,
        270: pil.Transpose.ROTATE_270,
    }.get(degrees)
    if turn is None:
        return page
    return Page(image.transpose(turn), page.dpi, degrees, page.skew)


def skew_angle(image: Image) -> float:
    """The angle (degrees, counter-clockwise) that levels the text lines: the one at which the
    rows of dark pixels are most concentrated."""
    import numpy as np

    k = max(1, image.width // 900)
    small = image.reduce(k) if k > 1 else image
    a = np.asarray(small)
    ys, xs = np.nonzero(a < 128)
    if len(ys) < 200:
        return 0.0
    if len(ys) > 150_000:
        step = len(ys) // 150_000 + 1
        ys, xs = ys[::step], xs[::step]
    yf = ys.astype(np.float32)
    xf = xs.astype(np.float32) - small.width / 2

    def score(deg: float) -> float:
        t = math.tan(math.radians(deg))
        rows = np.round(yf - xf * t).astype(np.int64)
        rows -= rows.min()
        hist = np.bincount(rows)
        return float(np.dot(hist, hist))

    coarse = [d / 4 for d in range(int(-MAX_SKEW * 4), int(MAX_SKEW * 4) + 1)]
    best = max(coarse, key=score)
    fine = [best + d / 20 for d in range(-5, 6)]
    # rows at y - x·tan(d) are level for lines falling to the right by d (y grows downwards):
    # turning the picture counter-clockwise by d levels them
    return max(fine, key=score)


def level(page: Page) -> Page:
    angle = skew_angle(page.image)
    if abs(angle) < 0.15:
        return page
    turned = page.image.rotate(
        angle, resample=_pil().Resampling.BILINEAR, expand=True, fillcolor=255
    )
    return Page(turned, page.dpi, page.turned, angle)


def prepare(files: Sequence[bytes], limits: OcrLimits, api: _Api, deadline: Deadline) -> list[Page]:
    """The pages of a scan, evened out, upright and level."""
    out = []
    for page in open_pages(files, limits, deadline):
        deadline.check()
        page = flatten(page)
        page = Page(even_out(page.image), page.dpi)
        page = upright(page, api)
        out.append(level(page))
    return out


def to_png(page: Page, max_side: int = 2400) -> bytes:
    """The page as PNG, at most ``max_side`` pixels long (Box fractions hold at any size), in
    16 shades of grey: a scan's noise in 256 shades makes a PNG five times as large and three
    times as slow to write, and shows nothing more of the page."""
    from PIL import ImageOps

    image = page.image
    if max(image.size) > max_side:
        f = max_side / max(image.size)
        image = image.resize(
            (max(1, round(image.width * f)), max(1, round(image.height * f))),
            _pil().Resampling.LANCZOS,
        )
    out = io.BytesIO()
    ImageOps.posterize(image, 4).save(out, "PNG", compress_level=6)
    return out.getvalue()
