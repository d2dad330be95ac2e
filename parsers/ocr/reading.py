"""``page_images`` and ``prefill``: a scan's files read with Tesseract and mapped to the form.

The pages of one scan (its files in order) are prepared once — opened, evened out, turned
upright, deskewed — and remembered for the next call with the same files, so a caller asking
for the pictures and then the pre-fill does the work once.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from typing import Any

from parsers.ocr.accents import dot_or_acute, restore
from parsers.ocr.fields import passes, value_of
from parsers.ocr.layout import Anchor, Finder, assign
from parsers.ocr.model import Box, OcrFailed, OcrLimits, Prefill
from parsers.ocr.pages import Deadline, Page, prepare, to_png
from parsers.ocr.tesseract import TimeUp, api
from parsers.ocr.ticks import Tick, box_column, in_column, read_tick
from parsers.ocr.words import OWord, word_key
from parsers.spec import FieldSpec, FormSpec

log = logging.getLogger("parsers.ocr")

_CACHE_LOCK = threading.Lock()
_CACHE: dict[str, Any] = {}  # "key" -> the files' digest, "pages" -> list[Page], "words"


def _digest(files: Sequence[bytes], limits: OcrLimits) -> str:
    h = hashlib.sha256(repr((limits.dpi, limits.max_pages)).encode())
    for data in files:
        h.update(hashlib.sha256(bytes(data)).digest())
    return h.hexdigest()


def _pages(files: Sequence[bytes], limits: OcrLimits, deadline: Deadline) -> list[Page]:
    a = api()
    if a is None:
        raise OcrFailed("no_engine", "tesseract or its Polish data not found")
    key = _digest(files, limits)
    with _CACHE_LOCK:
        if _CACHE.get("key") == key:
            return list(_CACHE["pages"])
    pages = prepare(files, limits, a, deadline)
    with _CACHE_LOCK:
        _CACHE.clear()
        _CACHE.update(key=key, pages=pages, words=None)
    return pages


def _words(pages: list[Page], key: str, deadline: Deadline) -> list[list[OWord]]:
    with _CACHE_LOCK:
        if _CACHE.get("key") == key and _CACHE.get("words") is not None:
            return list(_CACHE["words"])
    a = api()
    assert a is not None
    out: list[list[OWord]] = []
    for i, page in enumerate(pages):
        image = page.image
        try:
            found = a.words(image.tobytes(), image.width, image.height, page.dpi, deadline.left())
        except TimeUp:
            raise OcrFailed("time_limit", "time limit for reading the scan reached") from None
        out.append(
            [
                OWord(w.text, w.conf, w.left, w.top, w.right, w.bottom, i, w.line, word_key(w.text))
                for w in found
            ]
        )
    with _CACHE_LOCK:
        if _CACHE.get("key") == key:
            _CACHE["words"] = out
    return out


def page_images(files: Sequence[bytes], limits: OcrLimits | None = None) -> list[bytes]:
    """The upright, deskewed pages as PNG, in reading order (Box coordinates refer to them).
    Raises OcrFailed when the files cannot be read as pages (or no engine is installed)."""
    limits = limits or OcrLimits()
    deadline = Deadline(limits.max_seconds)
    return [to_png(p) for p in _pages(files, limits, deadline)]


def prefill(
    files: Sequence[bytes], spec: FormSpec, limits: OcrLimits | None = None
) -> Prefill | None:
    """The form's fields as OCR reads them from a scan's pages (files in reading order).
    Never raises: None when there is no engine, on a limit, or when nothing can be read."""
    limits = limits or OcrLimits()
    try:
        return read(files, spec, limits)
    except OcrFailed as exc:
        log.info("no OCR pre-fill: %s (%s)", exc.reason, exc)
        return None
    except MemoryError:
        log.warning("no OCR pre-fill: out of memory")
        return None
    except Exception as exc:
        log.warning("no OCR pre-fill: %s", type(exc).__name__, exc_info=True)
        return None


def read(files: Sequence[bytes], spec: FormSpec, limits: OcrLimits) -> Prefill:
    """As ``prefill``, raising OcrFailed (with a reason) instead of returning None."""
    a = api()
    if a is None:
        raise OcrFailed("no_engine", "tesseract or its Polish data not found")
    engine_name = f"tesseract {a.version} (pol)"
    deadline = Deadline(limits.max_seconds)
    pages = _pages(files, limits, deadline)
    key = _digest(files, limits)
    words = _words(pages, key, deadline)
    deadline.check()
    return map_fields(pages, words, spec, engine_name, deadline)


def map_fields(
    pages: list[Page],
    words: list[list[OWord]],
    spec: FormSpec,
    engine_name: str,
    deadline: Deadline | None = None,
) -> Prefill:
    import numpy as np

    finder = Finder(spec)
    anchors = finder.find(words)
    everything = [w for ws in words for w in ws]
    assign(anchors, everything)
    sizes = [p.image.size for p in pages]
    arrays: dict[int, Any] = {}

    def array(i: int) -> Any:
        if i not in arrays:
            arrays[i] = np.asarray(pages[i].image)
        return arrays[i]

    fields: dict[str, Any] = spec.empty_fields()
    confidence: dict[str, float] = {k: 0.0 for k in spec.keys}
    boxes: dict[str, tuple[Box, ...]] = {}
    labels: dict[str, Anchor] = {}
    for a in anchors:
        if a.target.kind == "label" and a.target.key not in labels:
            labels[a.target.key] = a
    marks = _read_ticks(anchors, array, words)
    for f in spec.fields:
        if f.type == "text":
            anchor = labels.get(f.key)
            if anchor is None:
                continue
            if f.kind in ACCENTED:
                anchor.values = restore(
                    anchor.values, array, lambda i: words[i], _line_reader(pages, deadline)
                )
                anchor.values = dot_or_acute(anchor.values, array)
            value, conf = value_of(f, anchor.values, array)
            if f.kind in SECOND_LOOK and anchor.values and not passes(f, value):
                value, conf = _second_look(f, anchor.values, pages, (value, conf), array, deadline)
            fields[f.key] = value
            confidence[f.key] = conf
            where = anchor.values or anchor.words
            boxes[f.key] = _boxes(where, sizes)
        elif f.type == "checkbox":
            mine = [a for a in anchors if a.target.kind == "checkbox" and a.target.key == f.key]
            if not mine:
                continue
            a = mine[0]
            tick = marks[id(a)]
            fields[f.key] = tick.ticked
            confidence[f.key] = tick.confidence
            boxes[f.key] = _tick_boxes([(a, tick)], sizes)
        else:
            numbers = {o.number for o in f.options}
            per: dict[int, tuple[Anchor, Tick]] = {}
            for a in anchors:
                if a.target.kind == "option" and a.target.key == f.key:
                    n = a.target.number
                    if n is not None and n not in per:
                        per[n] = (a, marks[id(a)])
            if not per:
                continue
            fields[f.key] = sorted(n for n, (_, t) in per.items() if t.ticked)
            found_share = len(per) / max(1, len(numbers))
            confidence[f.key] = min(t.confidence for _, t in per.values()) * found_share
            boxes[f.key] = _tick_boxes(list(per.values()), sizes)
    return Prefill(fields, confidence, boxes, engine_name, len(pages))


def _read_ticks(anchors: list[Anchor], array: Any, words: list[list[OWord]]) -> dict[int, Tick]:
    """Every box's tick (by the anchor's id), read twice: the second time knowing where the
    other boxes are, so that a mark larger than its box counts only for the box it is
    nearest to, and a box not found where its text said (its text read from a later word, a
    mark hiding its outline) is looked for in the column of the page's other boxes."""
    boxed = [a for a in anchors if a.target.kind in ("checkbox", "option")]
    first = {id(a): read_tick(array(a.page), a, words[a.page]) for a in boxed}
    columns = {
        p: box_column([first[id(a)] for a in boxed if a.page == p]) for p in {a.page for a in boxed}
    }
    for a in boxed:
        column = columns[a.page]
        t = first[id(a)]
        # only a text that starts just right of the column (its box there): a box found in
        # another column (statements beside the options) keeps its own reading
        if column is None or not column[0] - column[1] < a.text_left < column[0] + 4 * column[1]:
            continue
        if not in_column(t, column):
            first[id(a)] = read_tick(array(a.page), a, words[a.page], column=column)
    out = {}
    for a in boxed:
        rivals = [
            ((t.box[0] + t.box[2]) / 2, (t.box[1] + t.box[3]) / 2)
            for b in boxed
            if b is not a and b.page == a.page and (t := first[id(b)]).found_box
        ]
        out[id(a)] = (
            read_tick(array(a.page), a, words[a.page], rivals, first[id(a)])
            if rivals
            else first[id(a)]
        )
    return out


#: kinds of field whose words are looked at again for an accent Tesseract left out
ACCENTED = frozenset({"text", "free_text", "date"})


def _line_reader(pages: list[Page], deadline: Deadline | None) -> Any:
    """``read(pixels, page)``: the text Tesseract reads in a small grey picture of one line of
    page ``page`` (None when no time is left)."""

    def read(pixels: Any, page: int) -> str | None:
        a = api()
        seconds = min(2.0, deadline.left()) if deadline is not None else 2.0
        if a is None or seconds <= 0.05:
            return None
        h, w = pixels.shape
        try:
            found = a.words(pixels.tobytes(), w, h, pages[page].dpi, seconds, line=True)
        except TimeUp:
            return None
        return " ".join(x.text for x in found)

    return read


#: kinds of field whose value, when it fails its check, is read a second time on its own
#: (Tesseract reads a line alone better than in a page: "@" it took for "a" comes as "Q")
SECOND_LOOK = frozenset({"email", "phone", "date"})


def _second_look(
    f: FieldSpec,
    words: Sequence[OWord],
    pages: list[Page],
    first: tuple[str | None, float],
    array: Any,
    deadline: Deadline | None = None,
) -> tuple[str | None, float]:
    """The value read again from its own lines (one block), kept when it passes its kind's
    check and the first reading did not; never beyond the scan's deadline."""
    a = api()
    page = words[0].page
    mine = [w for w in words if w.page == page]
    h = max(w.height for w in mine)
    left, top, right, bottom = _union(mine)
    image = pages[page].image
    pixels = image.tobytes()
    for share in (0.2, 0.5):  # Tesseract reads a tight and a looser crop differently
        m = round(share * h)
        seconds = min(5.0, deadline.left()) if deadline is not None else 5.0
        if seconds <= 0.05:
            return first
        try:
            found = a.words(  # type: ignore[union-attr]
                pixels,
                image.width,
                image.height,
                pages[page].dpi,
                seconds,
                (left - m, top - m, right + m, bottom + m),
            )
        except TimeUp:
            return first
        again = [
            OWord(w.text, w.conf, w.left, w.top, w.right, w.bottom, page, w.line, word_key(w.text))
            for w in found
        ]
        value, conf = value_of(f, again, array)
        if passes(f, value):
            return value, 0.9 * conf
    return first


def _union(words: Sequence[OWord]) -> tuple[int, int, int, int]:
    return (
        min(w.left for w in words),
        min(w.top for w in words),
        max(w.right for w in words),
        max(w.bottom for w in words),
    )


def _box(page: int, rect: tuple[int, int, int, int], size: tuple[int, int]) -> Box:
    w, h = size
    left, top, right, bottom = rect
    left, top = max(0, left), max(0, top)
    right, bottom = min(w, right), min(h, bottom)
    return Box(page, left / w, top / h, max(0, right - left) / w, max(0, bottom - top) / h)


def _boxes(words: Sequence[OWord], sizes: list[tuple[int, int]]) -> tuple[Box, ...]:
    by_page: dict[int, list[OWord]] = {}
    for w in words:
        by_page.setdefault(w.page, []).append(w)
    return tuple(_box(p, _union(ws), sizes[p]) for p, ws in sorted(by_page.items()))


def _tick_boxes(found: list[tuple[Anchor, Tick]], sizes: list[tuple[int, int]]) -> tuple[Box, ...]:
    """Per page: the boxes and the first line of their texts, together."""
    by_page: dict[int, list[tuple[int, int, int, int]]] = {}
    for a, t in found:
        line = _union(a.first_line)
        rect = (min(line[0], t.box[0]), min(line[1], t.box[1]), line[2], max(line[3], t.box[3]))
        by_page.setdefault(a.page, []).append(rect)
    out = []
    for p, rects in sorted(by_page.items()):
        r = (
            min(x[0] for x in rects),
            min(x[1] for x in rects),
            max(x[2] for x in rects),
            max(x[3] for x in rects),
        )
        out.append(_box(p, r, sizes[p]))
    return tuple(out)
