"""Real small files for upload tests (no imaging library needed)."""

from __future__ import annotations

import struct
import zlib


def png_bytes(
    *, width: int = 2, height: int = 2, rgb: tuple[int, int, int] = (200, 80, 40)
) -> bytes:
    """A valid, decodable PNG of one colour (8-bit RGB, no interlace)."""

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
