"""What a scanner or a phone camera does to a printed page image.

``scanned``: the office scanner (grey or colour, paper and toner levels, optics blur, a small
skew, sensor noise, speckle and dust, sometimes the lid's shadow along one edge).
``photographed``: the phone photo (the sheet lying on a desk, seen slightly off-axis so it is a
trapezoid, light falling off across the page, a shadow, warm paper, camera noise, resized to a
phone's picture width). ``app_scanned``: what a scanning app makes of such a photo (page cut
out, nearly flattened, whitened).
"""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageFilter


def _rng(rnd: random.Random) -> np.random.Generator:
    return np.random.default_rng(rnd.getrandbits(32))


def _smooth_field(rnd: random.Random, width: int, height: int, strength: float) -> np.ndarray:
    """A slowly varying field around 1.0 (uneven light), ``strength`` its largest deviation."""
    small = _rng(rnd).uniform(-1, 1, (4, 3)).astype(np.float32)
    field = Image.fromarray(((small + 1) * 127.5).astype(np.uint8), "L").resize(
        (width, height), Image.Resampling.BICUBIC
    )
    return 1.0 + (np.asarray(field, dtype=np.float32) / 127.5 - 1.0) * strength


def scanned(
    page: Image.Image, rnd: random.Random, dpi: int, skew: float, *, colour: bool = False
) -> Image.Image:
    """``page`` (RGB, rendered at ``dpi``) as an office scanner delivers it, turned by
    ``skew`` degrees."""
    scale = dpi / 300
    image = page if colour else page.convert("L")
    image = image.filter(ImageFilter.GaussianBlur(rnd.uniform(0.35, 0.7) * scale * 2))
    pixels = np.asarray(image, dtype=np.float32)
    paper, toner = rnd.uniform(232, 248), rnd.uniform(18, 50)
    pixels = toner + (paper - toner) * pixels / 255.0
    light = _smooth_field(rnd, pixels.shape[1], pixels.shape[0], 0.02)
    pixels = pixels * (light[..., None] if colour else light)
    fill: int | tuple[int, ...] = round(paper) if not colour else (round(paper),) * 3
    image = Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB" if colour else "L")
    image = image.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=fill)
    pixels = np.asarray(image, dtype=np.float32).copy()
    noise = _rng(rnd)
    pixels += noise.normal(0, rnd.uniform(1.5, 4), pixels.shape)
    height, width = pixels.shape[:2]
    # speckle: dark dots of 1-3 px (at 300 dpi) and a few bigger bits of dust
    count = int(width * height * rnd.uniform(2e-5, 6e-5))
    for _ in range(count):
        size = max(1, round(rnd.choice((1, 1, 2, 3)) * scale))
        y, x = rnd.randrange(height - size), rnd.randrange(width - size)
        pixels[y : y + size, x : x + size] = rnd.uniform(20, 110)
    for _ in range(rnd.randint(2, 6)):
        size = max(2, round(rnd.uniform(3, 8) * scale))
        y, x = rnd.randrange(height - size), rnd.randrange(width - size)
        pixels[y : y + size, x : x + size // 2 + 1] = rnd.uniform(40, 120)
    if rnd.random() < 0.5:  # the scanner lid's shadow along one edge
        band = max(2, round(rnd.uniform(6, 18) * scale))
        edge = rnd.choice(("left", "right", "top"))
        shade = np.linspace(0.55, 1.0, band, dtype=np.float32)
        if edge == "left":
            pixels[:, :band] *= shade[None, :, None] if colour else shade[None, :]
        elif edge == "right":
            pixels[:, -band:] *= shade[None, ::-1, None] if colour else shade[None, ::-1]
        else:
            pixels[:band] *= shade[:, None, None] if colour else shade[:, None]
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB" if colour else "L")


def _perspective_coefficients(
    out_corners: list[tuple[float, float]], in_corners: list[tuple[float, float]]
) -> list[float]:
    """PIL's PERSPECTIVE data mapping each output corner onto its input corner."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(out_corners, in_corners, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    solution = np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs, dtype=np.float64))
    return [float(c) for c in solution]


def _warp(
    page: Image.Image, rnd: random.Random, margin: float, tilt: float, background: Image.Image
) -> Image.Image:
    """``page`` laid on ``background`` as a trapezoid: each corner moved up to ``tilt`` of the
    page's size, the page ``margin`` away from the picture's edge."""
    width, height = page.size
    canvas = background.size
    left, top = canvas[0] * margin, canvas[1] * margin
    right, bottom = canvas[0] - left, canvas[1] - top
    quad = []
    for x, y in ((left, top), (right, top), (right, bottom), (left, bottom)):
        quad.append(
            (
                x + rnd.uniform(-tilt, tilt) * width,
                y + rnd.uniform(-tilt, tilt) * height,
            )
        )
    # a trapezoid: the far edge (top or bottom) a little narrower, as when the phone leans
    lean = rnd.uniform(0.01, tilt + 0.01) * width * rnd.choice((-1, 1))
    quad[0] = (quad[0][0] + lean, quad[0][1])
    quad[1] = (quad[1][0] - lean, quad[1][1])
    source = [(0.0, 0.0), (float(width), 0.0), (float(width), float(height)), (0.0, float(height))]
    data = _perspective_coefficients(quad, source)
    warped = page.transform(
        canvas, Image.Transform.PERSPECTIVE, data, resample=Image.Resampling.BICUBIC
    )
    mask = Image.new("L", page.size, 255).transform(
        canvas, Image.Transform.PERSPECTIVE, data, resample=Image.Resampling.BILINEAR
    )
    out = background.copy()
    out.paste(warped, (0, 0), mask)
    return out


def _desk(rnd: random.Random, size: tuple[int, int]) -> Image.Image:
    colour = rnd.choice(((142, 104, 68), (96, 94, 98), (170, 160, 140), (60, 58, 62)))
    base = np.ones((size[1], size[0], 3), dtype=np.float32) * np.array(colour, dtype=np.float32)
    base *= _smooth_field(rnd, size[0], size[1], 0.12)[..., None]
    base += _rng(rnd).normal(0, 6, base.shape)
    return Image.fromarray(base.clip(0, 255).astype(np.uint8), "RGB")


def _lighting(rnd: random.Random, pixels: np.ndarray, falloff: float, shadow: float) -> None:
    """Light falling off across the picture and a soft shadow (a hand, the phone) on one side."""
    height, width = pixels.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rnd.uniform(0, 2 * np.pi)
    ramp = (xs / width - 0.5) * np.cos(angle) + (ys / height - 0.5) * np.sin(angle)
    light = 1.0 - falloff * (ramp + 0.5)
    if shadow > 0:
        cx, cy = rnd.choice(((0.0, 0.5), (1.0, 0.5), (0.5, 1.0), (0.0, 1.0), (1.0, 1.0)))
        r = np.hypot(xs / width - cx, ys / height - cy)
        light *= 1.0 - shadow * np.clip(1.0 - r / rnd.uniform(0.35, 0.6), 0, 1) ** 1.5
    pixels *= light[..., None]


def photographed(page: Image.Image, rnd: random.Random, width: int) -> Image.Image:
    """``page`` (RGB) photographed with a phone: the picture ``width`` pixels wide."""
    paper = np.array([1.0, rnd.uniform(0.95, 1.0), rnd.uniform(0.85, 0.97)], dtype=np.float32)
    pixels = np.asarray(page, dtype=np.float32) * paper
    tinted = Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")
    margin = rnd.uniform(0.03, 0.07)
    canvas = (round(page.width * (1 + 2.4 * margin)), round(page.height * (1 + 2.4 * margin)))
    photo = _warp(tinted, rnd, margin, rnd.uniform(0.015, 0.04), _desk(rnd, canvas))
    pixels = np.asarray(photo, dtype=np.float32).copy()
    _lighting(rnd, pixels, rnd.uniform(0.15, 0.35), rnd.uniform(0.25, 0.45))
    photo = Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")
    photo = photo.filter(ImageFilter.GaussianBlur(rnd.uniform(0.6, 1.2)))
    height = round(photo.height * width / photo.width)
    photo = photo.resize((width, height), Image.Resampling.LANCZOS)
    pixels = np.asarray(photo, dtype=np.float32) + _rng(rnd).normal(
        0, rnd.uniform(2, 4), (height, width, 3)
    )
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")


def app_scanned(page: Image.Image, rnd: random.Random) -> Image.Image:
    """``page`` (RGB) as a phone scanning app saves it: cut out of the photo and flattened
    (a little trapezoid left), light evened out, background whitened, contrast raised."""
    width, height = page.size
    white = Image.new("RGB", page.size, (255, 255, 255))
    flattened = _warp(page, rnd, 0.0, rnd.uniform(0.003, 0.01), white)
    pixels = np.asarray(flattened, dtype=np.float32).copy()
    _lighting(rnd, pixels, rnd.uniform(0.04, 0.1), 0.0)
    pixels = np.asarray(
        Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB").filter(
            ImageFilter.GaussianBlur(rnd.uniform(0.5, 0.9))
        ),
        dtype=np.float32,
    )
    # the "document" filter: levels stretched so paper is white and print is black
    low, high = rnd.uniform(40, 70), rnd.uniform(200, 225)
    pixels = (pixels - low) / (high - low) * 255.0
    pixels += _rng(rnd).normal(0, 2.0, pixels.shape)
    assert pixels.shape[:2] == (height, width)
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")
