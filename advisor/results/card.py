"""The share card of a result: a 1200x630 PNG of the top stack, for og:image and twitter:image.

Drawn with Pillow's bundled font, so it looks the same on every machine; made once per result
(results/pages.py keeps it, and sends it as immutable).
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
INK, MUTED, PAPER, ACCENT = "#ffffff", "#c9d3ea", "#1d2330", "#2c5cc5"
CHIP, CHIP_INK, TRACK = "#2b3447", "#ffffff", "#3a4560"


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, lines: int) -> list[str]:
    """`text` in at most `lines` lines of `width` pixels, the last one cut with an ellipsis."""
    out, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not line:
            line = trial
        else:
            out.append(line)
            line = word
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        while out[-1] and draw.textlength(out[-1] + "…", font=font) > width:
            out[-1] = out[-1][:-1]
        out[-1] = out[-1].rstrip() + "…"
    return out


def render_card(page: dict) -> bytes:
    """The PNG of a presented result's top stack: title, parts as chips, and score."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 12), fill=ACCENT)
    draw.text((MARGIN, 56), "STACK ADVISOR", font=_font(26), fill=MUTED)
    top = page["stacks"][0] if page["stacks"] else None
    draw.text((MARGIN, 100), f"#1 stack for a {page['kind']}", font=_font(32), fill=MUTED)
    title_font = _font(64)
    y = 150
    for line in _wrap(draw, page["title"], title_font, WIDTH - 2 * MARGIN, 2):
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += 78
    if top is not None:
        _chips(draw, [p["name"] for p in top["parts"]], y + 24)
        _score(draw, top["score"])
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _chips(draw: ImageDraw.ImageDraw, names: list[str], top: int) -> None:
    """Parts as rounded chips, in rows, as many as fit above the score."""
    font, x, y, height, gap = _font(28), MARGIN, top, 48, 14
    shown = 0
    for name in names:
        width = int(draw.textlength(name, font=font)) + 36
        if x + width > WIDTH - MARGIN:
            x, y = MARGIN, y + height + gap
        if y + height > HEIGHT - 150:
            break
        draw.rounded_rectangle((x, y, x + width, y + height), radius=24, fill=CHIP)
        draw.text((x + 18, y + 9), name, font=font, fill=CHIP_INK)
        x += width + gap
        shown += 1
    if shown < len(names):
        more = f"+{len(names) - shown} more"
        draw.text(
            (x, y + 9) if x + draw.textlength(more, font=font) < WIDTH - MARGIN else (MARGIN, y + 9),
            more,
            font=font,
            fill=MUTED,
        )


def _score(draw: ImageDraw.ImageDraw, score: float) -> None:
    """The score as a number and a bar along the bottom."""
    y = HEIGHT - 110
    draw.text((MARGIN, y), f"{score:.1f}", font=_font(56), fill=INK)
    draw.text((MARGIN + 150, y + 22), "of 100", font=_font(28), fill=MUTED)
    left, right = MARGIN + 280, WIDTH - MARGIN
    draw.rounded_rectangle((left, y + 22, right, y + 46), radius=12, fill=TRACK)
    filled = left + (right - left) * max(0.0, min(100.0, score)) / 100
    if filled > left + 24:
        draw.rounded_rectangle((left, y + 22, filled, y + 46), radius=12, fill=ACCENT)
