"""Photos for the demo's progress updates, drawn by code: simple scenes of sky, ground and the
thing being built — a bench, a playground, a planted bed, a freshly painted room, a shop front.
The same seed draws the same picture; they go through the same upload path as a phone's photo
(``update_post`` checks and re-encodes them)."""

from __future__ import annotations

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

SIZE = (800, 600)
HORIZON = 380
SKIES = ((142, 197, 232), (176, 214, 240), (120, 170, 215), (205, 222, 235))
GROUND = ((116, 168, 82), (135, 180, 95), (160, 160, 150))


def _backdrop(
    rng: random.Random, *, indoors: bool = False
) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", SIZE, (232, 226, 214) if indoors else rng.choice(SKIES))
    draw = ImageDraw.Draw(image)
    if indoors:
        draw.rectangle((0, HORIZON + 60, SIZE[0], SIZE[1]), fill=(168, 128, 92))
        return image, draw
    for _ in range(rng.randint(1, 3)):  # clouds
        x, y = rng.randint(0, SIZE[0] - 200), rng.randint(30, 150)
        for dx in (0, 45, 90):
            draw.ellipse((x + dx, y - dx % 30, x + dx + 90, y + 50 - dx % 30), fill=(250, 250, 250))
    draw.rectangle((0, HORIZON, SIZE[0], SIZE[1]), fill=rng.choice(GROUND))
    for _ in range(rng.randint(2, 4)):  # trees on the horizon
        x = rng.randint(0, SIZE[0])
        draw.rectangle((x - 8, HORIZON - 70, x + 8, HORIZON + 10), fill=(110, 80, 50))
        draw.ellipse((x - 55, HORIZON - 170, x + 55, HORIZON - 50), fill=(60, 120, 60))
    return image, draw


def _bench(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    x, y = rng.randint(150, 350), HORIZON + 90
    wood = (150, 100, 60)
    for leg in (x + 20, x + 280):
        draw.rectangle((leg, y, leg + 14, y + 80), fill=(60, 60, 60))
    draw.rectangle((x, y - 10, x + 320, y + 10), fill=wood)
    for back in (y - 70, y - 45):
        draw.rectangle((x, back, x + 320, back + 14), fill=wood)


def _playground(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    x = rng.randint(120, 300)
    base = HORIZON + 150
    draw.rectangle((x - 40, base - 10, x + 420, base + 30), fill=(230, 205, 150))  # sand
    draw.line((x, base, x + 80, base - 200, x + 160, base), fill=(200, 60, 50), width=12)  # swing
    draw.line((x + 40, base - 200, x + 120, base - 200), fill=(200, 60, 50), width=12)
    draw.line((x + 80, base - 200, x + 80, base - 60), fill=(80, 80, 80), width=3)
    draw.rectangle((x + 65, base - 60, x + 95, base - 50), fill=(40, 90, 160))
    draw.polygon(  # slide
        [(x + 230, base - 150), (x + 260, base - 150), (x + 400, base), (x + 370, base)],
        fill=(240, 190, 40),
    )
    draw.line((x + 230, base - 150, x + 230, base), fill=(80, 80, 80), width=8)


def _bed(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    x, y = rng.randint(100, 250), HORIZON + 80
    draw.rectangle((x, y, x + 440, y + 90), fill=(140, 95, 55))
    draw.rectangle((x + 10, y - 8, x + 430, y + 8), fill=(90, 60, 40))  # soil
    colours = ((220, 60, 90), (250, 200, 40), (150, 90, 200), (250, 250, 250))
    for plant in range(12):
        px = x + 25 + plant * 35
        top = y - rng.randint(40, 90)
        draw.line((px, y, px, top), fill=(50, 120, 50), width=4)
        draw.ellipse((px - 12, top - 12, px + 12, top + 12), fill=rng.choice(colours))


def _room(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    colour = rng.choice(((245, 205, 120), (170, 210, 190), (200, 190, 230)))
    draw.rectangle((0, 0, 460, HORIZON + 60), fill=colour)  # the freshly painted part
    draw.rectangle((560, 120, 720, 300), fill=(190, 225, 245), outline=(255, 255, 255), width=10)
    draw.rectangle((300, 300, 420, HORIZON + 110), fill=(110, 110, 110))  # ladder
    for rung in range(300, HORIZON + 110, 30):
        draw.line((300, rung, 420, rung), fill=(230, 230, 230), width=5)
    draw.rectangle((470, HORIZON + 80, 540, HORIZON + 150), fill=(80, 80, 200))  # paint bucket


def _shop(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    x = rng.randint(120, 220)
    draw.rectangle((x, 120, x + 520, HORIZON + 20), fill=(215, 180, 140))
    draw.rectangle((x + 40, 200, x + 300, HORIZON - 20), fill=(170, 210, 235))  # shop window
    draw.rectangle((x + 350, 220, x + 460, HORIZON + 20), fill=(90, 60, 40))  # door
    for stripe in range(8):  # awning
        fill = (200, 60, 60) if stripe % 2 else (250, 250, 250)
        draw.rectangle((x + 30 + stripe * 35, 160, x + 65 + stripe * 35, 195), fill=fill)


SCENES = {
    "bench": (_bench, False),
    "playground": (_playground, False),
    "bed": (_bed, False),
    "room": (_room, True),
    "shop": (_shop, False),
}


def photo(scene: str, seed: int) -> SimpleUploadedFile:
    """A JPEG of ``scene`` (a key of SCENES), the same for the same seed."""
    rng = random.Random(f"{scene}-{seed}")  # noqa: S311 - demo pictures, reproducible
    drawing, indoors = SCENES[scene]
    image, draw = _backdrop(rng, indoors=indoors)
    drawing(draw, rng)
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=85)
    return SimpleUploadedFile(f"{scene}-{seed}.jpg", output.getvalue(), content_type="image/jpeg")
