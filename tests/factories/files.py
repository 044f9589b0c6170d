"""Real small files for upload tests."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def png_bytes(
    *, width: int = 16, height: int = 16, rgb: tuple[int, int, int] = (200, 80, 40)
) -> bytes:
    """A valid, decodable PNG of one colour (8-bit RGB, no interlace), by default of the
    smallest size a product photo may have (catalog.images.MIN_IMAGE_SIDE)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width  # filter type 0, then the pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def photo_bytes(
    fmt: str = "JPEG",
    *,
    width: int = 1200,
    height: int = 900,
    rgb: tuple[int, int, int] = (40, 120, 200),
    mode: str = "RGB",
) -> bytes:
    """A real photo-sized image in ``fmt`` (JPEG, PNG, WEBP, GIF …), written by Pillow, with a
    gradient so that it is not one flat colour."""
    image = Image.new(mode, (width, height), rgb if mode == "RGB" else (*rgb, 128))
    for x in range(0, width, max(1, width // 64)):
        image.paste(
            (x * 255 // width, rgb[1], rgb[2]), (x, 0, x + max(1, width // 64), height // 2)
        )
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()
