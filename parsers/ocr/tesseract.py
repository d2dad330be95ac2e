"""Tesseract through its C API (libtesseract, the library the ``tesseract`` command runs on).

Why the library and not the command or OCRmyPDF: the mapping needs word boxes (TSV) and each
page's orientation (OSD). The command loads its models on every run and a separate OSD run
costs as much as the recognition of a small page; here the Polish and the OSD models are loaded
once per process, and one page costs OSD + recognition, with a deadline Tesseract itself keeps
(``ETEXT_DESC``). OCRmyPDF makes a PDF (and rasterises again); it does not give word boxes.

Tesseract runs with one OpenMP thread (``OMP_THREAD_LIMIT=1``, set before the library loads
unless the environment sets it): with its default threads it is three times slower on a
shared two-core machine. Loaded, with both models, the process maps about 120 MiB more; a
300 dpi page needs about 150 MiB while it is read (mailbot's default memory cap for a reading
process, 512 MiB, holds it).
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import logging
import os
import threading
from dataclasses import dataclass

log = logging.getLogger("parsers.ocr")

LANGUAGE = "pol"
PSM_AUTO = 3  # fully automatic page segmentation, no OSD
PSM_BLOCK = 6  # one uniform block of text (a value read a second time)
PSM_LINE = 7  # one line of text (a word read a second time)
PSM_OSD_ONLY = 0
LEPTONICA_QUIET = 6  # L_SEVERITY_NONE
_LIBRARY_NAMES = ("libtesseract.so.5", "libtesseract.so", "libtesseract.5.dylib")


@dataclass(frozen=True)
class Word:
    """One word Tesseract read: its text, confidence 0..100 and box in pixels."""

    text: str
    conf: float
    left: int
    top: int
    right: int
    bottom: int
    line: int = 0  # Tesseract's line: words of one line share it

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


class TimeUp(Exception):
    """The deadline passed while Tesseract was reading a page."""


class _Api:
    """Two TessBaseAPI handles (Polish, OSD) of one process; one page at a time."""

    def __init__(self) -> None:
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        # numpy (loaded after this) needs no BLAS threads: each reserves address space, which
        # the reading process's memory cap counts
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        lib = _load()
        if lib is None:
            raise OSError("libtesseract not found")
        self.lib = lib
        _declare(lib)
        self.lept = _load_leptonica()
        self.version = (lib.TessVersion() or b"").decode("ascii", "replace")
        self.lock = threading.Lock()
        self.pol = self._init(LANGUAGE)
        self.osd: int | None = None
        self.pid = os.getpid()

    def _init(self, language: str) -> int:
        handle = self.lib.TessBaseAPICreate()
        if not handle:
            raise OSError("TessBaseAPICreate failed")
        if self.lib.TessBaseAPIInit3(handle, None, language.encode()) != 0:
            self.lib.TessBaseAPIDelete(handle)
            raise OSError(f"tesseract language data {language!r} not found")
        return int(handle)

    def close(self) -> None:
        if self.pid != os.getpid():
            return  # a forked child's copy: the parent ends its own
        for handle in (self.pol, self.osd):
            if handle:
                self.lib.TessBaseAPIEnd(handle)
                self.lib.TessBaseAPIDelete(handle)
        self.pol = 0
        self.osd = None

    def _set_image(
        self, handle: int, pixels: bytes, width: int, height: int, dpi: int, pix: bool = False
    ) -> None:
        """The page's grey pixels; ``pix``: as a Leptonica picture that carries its resolution
        (OSD's line finder reads it from there; recognition takes it from the API)."""
        dpi = max(70, min(int(dpi), 1200))
        if pix and self.lept is not None:
            pgm = b"P5\n%d %d\n255\n" % (width, height) + pixels
            pix = self.lept.pixReadMemPnm(pgm, len(pgm))
            if pix:
                self.lept.pixSetResolution(pix, dpi, dpi)
                self.lib.TessBaseAPISetImage2(handle, pix)  # Tesseract keeps a copy
                self.lept.pixDestroy(ctypes.byref(ctypes.c_void_p(pix)))
                self.lib.TessBaseAPISetSourceResolution(handle, dpi)
                return
        self.lib.TessBaseAPISetImage(handle, pixels, width, height, 1, width)
        self.lib.TessBaseAPISetSourceResolution(handle, dpi)

    def orientation(
        self, pixels: bytes, width: int, height: int, dpi: int, characters: int = 50
    ) -> tuple[int, float] | None:
        """(degrees to turn the page counter-clockwise to make it upright, confidence), or None
        when OSD cannot tell (too few characters). ``characters``: how many it looks at, at
        least (five times as many at most)."""
        with self.lock:
            if self.osd is None:
                self.osd = self._init("osd")
                self.lib.TessBaseAPISetPageSegMode(self.osd, PSM_OSD_ONLY)
            self.lib.TessBaseAPISetVariable(
                self.osd, b"min_characters_to_try", str(int(characters)).encode()
            )
            self._set_image(self.osd, pixels, width, height, dpi, pix=True)
            degrees = ctypes.c_int()
            conf = ctypes.c_float()
            script = ctypes.c_char_p()
            script_conf = ctypes.c_float()
            ok = self.lib.TessBaseAPIDetectOrientationScript(
                self.osd,
                ctypes.byref(degrees),
                ctypes.byref(conf),
                ctypes.byref(script),
                ctypes.byref(script_conf),
            )
            self.lib.TessBaseAPIClear(self.osd)
        if not ok:
            return None
        return int(degrees.value) % 360, float(conf.value)

    def words(
        self,
        pixels: bytes,
        width: int,
        height: int,
        dpi: int,
        seconds: float,
        rect: tuple[int, int, int, int] | None = None,
        line: bool = False,
    ) -> list[Word]:
        """The words of one grey page (8 bits per pixel), within ``seconds``. ``rect``: only
        this part of it (left, top, right, bottom), read as one block of text; the words' boxes
        are still the page's pixels. ``line``: the picture is one line of text."""
        if seconds <= 0:
            raise TimeUp("no time left for the page")
        with self.lock:
            handle = self.pol
            psm = PSM_LINE if line else PSM_AUTO if rect is None else PSM_BLOCK
            self.lib.TessBaseAPISetPageSegMode(handle, psm)
            self._set_image(handle, pixels, width, height, dpi)
            if rect is not None:
                left, top = max(0, rect[0]), max(0, rect[1])
                right, bottom = min(width, rect[2]), min(height, rect[3])
                self.lib.TessBaseAPISetRectangle(handle, left, top, right - left, bottom - top)
            monitor = self.lib.TessMonitorCreate()
            try:
                self.lib.TessMonitorSetDeadlineMSecs(monitor, max(1, int(seconds * 1000)))
                if self.lib.TessBaseAPIRecognize(handle, monitor) != 0:
                    raise TimeUp("tesseract stopped (deadline)")
                raw = self.lib.TessBaseAPIGetTsvText(handle, 0)
                try:
                    tsv = ctypes.string_at(raw).decode("utf-8", "replace") if raw else ""
                finally:
                    if raw:
                        self.lib.TessDeleteText(raw)
            finally:
                self.lib.TessMonitorDelete(monitor)
                self.lib.TessBaseAPIClear(handle)
        return parse_tsv(tsv)


def parse_tsv(tsv: str) -> list[Word]:
    """Level-5 rows (words) of Tesseract's TSV, without blank words."""
    out: list[Word] = []
    lines: dict[tuple[str, str, str], int] = {}
    for row in tsv.splitlines():
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        try:
            left, top, w, h = (int(c) for c in cols[6:10])
            conf = float(cols[10])
        except ValueError:
            continue
        line = lines.setdefault((cols[2], cols[3], cols[4]), len(lines) + 1)
        out.append(Word(text, max(0.0, conf), left, top, left + w, top + h, line))
    return out


def _load() -> ctypes.CDLL | None:
    names = list(_LIBRARY_NAMES)
    found = ctypes.util.find_library("tesseract")
    if found:
        names.insert(0, found)
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def _load_leptonica() -> ctypes.CDLL | None:
    for name in (ctypes.util.find_library("lept"), "liblept.so.5", "libleptonica.so.6"):
        if not name:
            continue
        try:
            lept = ctypes.CDLL(name)
        except OSError:
            continue
        p, i = ctypes.c_void_p, ctypes.c_int
        lept.pixReadMemPnm.restype = p
        lept.pixReadMemPnm.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
        lept.pixSetResolution.restype = i
        lept.pixSetResolution.argtypes = [p, i, i]
        lept.pixDestroy.restype = None
        lept.pixDestroy.argtypes = [ctypes.POINTER(p)]
        # Leptonica's own messages ("Error in boxClipToRectangle") are about Tesseract's
        # internal boxes, harmless, and would only fill the log
        if hasattr(lept, "setMsgSeverity"):
            lept.setMsgSeverity.restype = i
            lept.setMsgSeverity.argtypes = [i]
            lept.setMsgSeverity(LEPTONICA_QUIET)
        return lept
    return None


def _declare(lib: ctypes.CDLL) -> None:
    p, i, c, f = ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_float
    sigs: dict[str, tuple[object, list[object]]] = {
        "TessVersion": (c, []),
        "TessBaseAPICreate": (p, []),
        "TessBaseAPIInit3": (i, [p, c, c]),
        "TessBaseAPIEnd": (None, [p]),
        "TessBaseAPIDelete": (None, [p]),
        "TessBaseAPIClear": (None, [p]),
        "TessBaseAPISetPageSegMode": (None, [p, i]),
        "TessBaseAPISetVariable": (i, [p, c, c]),
        "TessBaseAPISetImage": (None, [p, c, i, i, i, i]),
        "TessBaseAPISetImage2": (None, [p, p]),
        "TessBaseAPISetSourceResolution": (None, [p, i]),
        "TessBaseAPISetRectangle": (None, [p, i, i, i, i]),
        "TessBaseAPIRecognize": (i, [p, p]),
        "TessBaseAPIGetTsvText": (p, [p, i]),
        "TessDeleteText": (None, [p]),
        "TessBaseAPIDetectOrientationScript": (
            i,
            [p, ctypes.POINTER(i), ctypes.POINTER(f), ctypes.POINTER(c), ctypes.POINTER(f)],
        ),
        "TessMonitorCreate": (p, []),
        "TessMonitorDelete": (None, [p]),
        "TessMonitorSetDeadlineMSecs": (None, [p, i]),
    }
    for name, (restype, argtypes) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes


_API: _Api | None = None
_API_ERROR: str | None = None
_API_LOCK = threading.Lock()


def api() -> _Api | None:
    """This process's Tesseract, loaded on first use; None when it cannot be loaded."""
    global _API, _API_ERROR
    with _API_LOCK:
        if _API is not None and _API.pid != os.getpid():
            _API = None  # made before a fork: this process makes its own
            _API_ERROR = None
        if _API is None and _API_ERROR is None:
            try:
                _API = _Api()
            except (OSError, AttributeError) as exc:
                _API_ERROR = str(exc)
                log.info("OCR unavailable: %s", exc)
            else:
                atexit.register(_API.close)
        return _API


def engine() -> str | None:
    """``"tesseract 5.3.0 (pol)"``, or None: no libtesseract or no Polish data."""
    a = api()
    return f"tesseract {a.version} ({LANGUAGE})" if a is not None else None
