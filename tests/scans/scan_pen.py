"""Marks made by hand with a pen on a page image: a tick over a printed empty box (an X of two
strokes, a check mark, a filled square), a circle around a group's number, a signature.

A stroke is a chain of slightly bent curves with tremor and uneven pressure (thinner at its
ends), drawn anti-aliased (four times larger, then reduced) in ballpoint ink whose density
varies from pixel to pixel. Nothing here is a font glyph.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

Point = tuple[float, float]
Rect = tuple[float, float, float, float]  # left, top, right, bottom in page pixels

INKS = {"blue": (28, 48, 150), "black": (32, 32, 38), "navy": (20, 30, 90)}
TICK_STYLES = ("x", "check", "fill", "circle")
SUPERSAMPLE = 4


@dataclass
class Pen:
    """Collects strokes in page pixels; ``draw`` puts them on an RGB page image."""

    rnd: random.Random
    dpi: float
    ink: str = "blue"
    strokes: list[tuple[list[Point], list[float]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.width = self.mm(self.rnd.uniform(0.35, 0.6))

    def mm(self, value: float) -> float:
        return value / 25.4 * self.dpi

    # --- strokes --------------------------------------------------------------------------

    def stroke(self, waypoints: list[Point], bend: float = 0.1, width: float = 1.0) -> None:
        """One stroke through ``waypoints``: each leg a curve bent up to ``bend`` of its
        length, with tremor and pressure."""
        rnd = self.rnd
        points: list[Point] = []
        for (ax, ay), (bx, by) in itertools.pairwise(waypoints):
            length = math.hypot(bx - ax, by - ay) or 1.0
            nx, ny = -(by - ay) / length, (bx - ax) / length
            k = rnd.uniform(-bend, bend) * length
            cx, cy = (ax + bx) / 2 + nx * k, (ay + by) / 2 + ny * k
            steps = max(6, int(length / max(self.mm(0.25), 1.0)))
            start = 1 if points else 0
            for i in range(start, steps + 1):
                t = i / steps
                x = (1 - t) ** 2 * ax + 2 * (1 - t) * t * cx + t**2 * bx
                y = (1 - t) ** 2 * ay + 2 * (1 - t) * t * cy + t**2 * by
                points.append((x, y))
        tremor = self.width * 0.12
        ox = oy = 0.0
        shaky: list[Point] = []
        for x, y in points:
            ox = ox * 0.85 + rnd.gauss(0, tremor)
            oy = oy * 0.85 + rnd.gauss(0, tremor)
            shaky.append((x + ox, y + oy))
        n = len(shaky)
        base = self.width * width * rnd.uniform(0.9, 1.1)
        widths = [
            base * (0.55 + 0.45 * max(math.sin(math.pi * i / max(n - 1, 1)), 0.0) ** 0.5)
            for i in range(n)
        ]
        self.strokes.append((shaky, widths))

    # --- marks ----------------------------------------------------------------------------

    def _place(self, box: Rect, shape: list[Point], scale: float) -> list[Point]:
        """``shape`` (in units of the box's side, around its centre) rotated a little, moved a
        little off-centre and put on the box."""
        rnd = self.rnd
        left, top, right, bottom = box
        side = max(right - left, bottom - top)
        cx = (left + right) / 2 + rnd.uniform(-0.15, 0.15) * side
        cy = (top + bottom) / 2 + rnd.uniform(-0.15, 0.15) * side
        angle = math.radians(rnd.uniform(-12, 12))
        cos, sin = math.cos(angle), math.sin(angle)
        return [
            (cx + scale * side * (x * cos - y * sin), cy + scale * side * (x * sin + y * cos))
            for x, y in shape
        ]

    def x_mark(self, box: Rect) -> None:
        k = self.rnd.uniform(0.6, 1.1)
        j = self.rnd.uniform
        a = self._place(box, [(-k, -k), (k * j(0.9, 1.15), k * j(0.9, 1.15))], 1.0)
        b = self._place(box, [(k * j(0.85, 1.1), -k * j(0.9, 1.1)), (-k, k * j(0.9, 1.1))], 1.0)
        # both strokes share the same placement roughly: redo the second relative to the first
        shift = ((a[0][0] + a[1][0]) / 2, (a[0][1] + a[1][1]) / 2)
        mid_b = ((b[0][0] + b[1][0]) / 2, (b[0][1] + b[1][1]) / 2)
        b = [(x - mid_b[0] + shift[0], y - mid_b[1] + shift[1]) for x, y in b]
        self.stroke(a, bend=0.12)
        self.stroke(b, bend=0.12)

    def check_mark(self, box: Rect) -> None:
        j = self.rnd.uniform
        shape = [
            (-0.5 + j(-0.1, 0.1), j(-0.15, 0.1)),
            (-0.1 + j(-0.1, 0.1), 0.5 + j(-0.1, 0.1)),
            (0.8 + j(-0.15, 0.2), -0.9 + j(-0.2, 0.15)),
        ]
        self.stroke(self._place(box, shape, j(1.2, 2.0)), bend=0.1)

    def filled_square(self, box: Rect) -> None:
        """The box blacked out with a zigzag scribble, a little over its edges."""
        rnd = self.rnd
        left, top, right, bottom = box
        over = (right - left) * 0.08
        step = self.width * 0.9
        rows = max(3, math.ceil((bottom - top + 2 * over) / step))
        points: list[Point] = []
        for i in range(rows + 1):
            y = top - over + i * (bottom - top + 2 * over) / rows
            x = (left - over) if i % 2 == 0 else (right + over)
            points.append((x + rnd.uniform(-over, over), y + rnd.uniform(-over, over) * 0.5))
        self.stroke(points, bend=0.05, width=1.4)

    def circle(self, word: Rect) -> None:
        """An oval around a printed word (a group's number), not quite closed."""
        rnd = self.rnd
        left, top, right, bottom = word
        height = bottom - top
        cx, cy = (left + right) / 2, (top + bottom) / 2
        rx = (right - left) / 2 + height * rnd.uniform(0.45, 0.8)
        ry = height * rnd.uniform(0.7, 0.95)
        start = rnd.uniform(0, 2 * math.pi)
        sweep = 2 * math.pi + rnd.uniform(0.2, 0.6)
        tilt = math.radians(rnd.uniform(-15, 15))
        wobble, phase = rnd.uniform(0.03, 0.08), rnd.uniform(0, 6)
        points: list[Point] = []
        for i in range(41):
            t = start + sweep * i / 40
            grow = 1 + 0.12 * i / 40
            x = rx * grow * (1 + wobble * math.sin(2 * t + phase)) * math.cos(t)
            y = ry * grow * (1 + wobble * math.sin(3 * t + phase)) * math.sin(t)
            points.append(
                (
                    cx + x * math.cos(tilt) - y * math.sin(tilt),
                    cy + x * math.sin(tilt) + y * math.cos(tilt),
                )
            )
        self.stroke(points, bend=0.02)

    def tick(self, style: str, box: Rect, number: Rect | None) -> None:
        if style == "circle" and number is not None:
            self.circle(number)
        elif style == "fill":
            self.filled_square(box)
        elif style == "check":
            self.check_mark(box)
        else:
            self.x_mark(box)

    def signature(self, x: float, baseline: float) -> None:
        """A hand signature starting at ``x``: two flowing strokes and an underline."""
        rnd = self.rnd
        size = self.mm(rnd.uniform(4.0, 6.0))
        cursor = x
        for part in range(2):
            points: list[Point] = [(cursor, baseline - size * rnd.uniform(0.8, 1.2))]
            for _ in range(rnd.randint(5, 8)):
                cursor += size * rnd.uniform(0.35, 0.7)
                points.append((cursor, baseline - size * rnd.uniform(0.0, 0.9)))
                cursor += size * rnd.uniform(0.15, 0.3)
                points.append((cursor, baseline + size * rnd.uniform(-0.05, 0.15)))
            self.stroke(points, bend=0.3, width=0.9)
            cursor += size * rnd.uniform(0.6, 1.0)
            if part == 1:
                self.stroke(
                    [(x - size * 0.3, baseline + size * 0.4), (cursor, baseline + size * 0.2)],
                    bend=0.08,
                    width=0.8,
                )

    # --- drawing --------------------------------------------------------------------------

    def draw(self, page: Image.Image) -> Image.Image:
        """``page`` (RGB) with every stroke inked on it."""
        pixels = np.asarray(page.convert("RGB"), dtype=np.float32).copy()
        height, width = pixels.shape[:2]
        ink = np.array(INKS[self.ink], dtype=np.float32)
        opacity = self.rnd.uniform(0.82, 0.95)
        noise = np.random.default_rng(self.rnd.getrandbits(32))
        for points, widths in self.strokes:
            pad = max(widths) + 2
            left = max(int(min(p[0] for p in points) - pad), 0)
            top = max(int(min(p[1] for p in points) - pad), 0)
            right = min(int(max(p[0] for p in points) + pad) + 1, width)
            bottom = min(int(max(p[1] for p in points) + pad) + 1, height)
            if right <= left or bottom <= top:
                continue
            s = SUPERSAMPLE
            mask = Image.new("L", ((right - left) * s, (bottom - top) * s), 0)
            pen = ImageDraw.Draw(mask)
            scaled = [((x - left) * s, (y - top) * s) for x, y in points]
            for (a, b), w in zip(itertools.pairwise(scaled), widths, strict=False):
                pen.line([a, b], fill=255, width=max(1, round(w * s)))
            for (x, y), w in zip(scaled, widths, strict=True):
                r = w * s / 2
                pen.ellipse([x - r, y - r, x + r, y + r], fill=255)
            alpha = np.asarray(
                mask.resize((right - left, bottom - top), Image.Resampling.BOX), dtype=np.float32
            )
            alpha = alpha / 255.0 * opacity * noise.uniform(0.8, 1.0, alpha.shape)
            region = pixels[top:bottom, left:right]
            # ink darkens what is under it (a second stroke over the first is darker still)
            region[:] = region * (1 - alpha[..., None]) + np.minimum(region, ink) * alpha[..., None]
        return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")
