#!/usr/bin/python3
"""Writes examples/logo.png: a synthetic letterhead logo for the example
(a blue shield with three white waves beside two bars; no real
municipality's), 360 x 120 pixels, opaque RGB, with the standard library
only (zlib, struct).

    /usr/bin/python3 tools/make_example_logo.py examples/logo.png
"""
import math
import struct
import sys
import zlib

W, H = 360, 120
BLUE, WHITE, GREY = (28, 74, 135), (255, 255, 255), (120, 128, 140)


def in_shield(x, y):
    if not (10 <= x < 100 and 8 <= y < 112):
        return False
    # a rounded bottom below y = 80
    return y <= 80 or (x - 55) ** 2 / 45 ** 2 + (y - 80) ** 2 / 32 ** 2 <= 1


def pixel(x, y):
    if in_shield(x, y):
        for k in range(3):
            wave = 36 + 20 * k + 5 * math.sin((x - 10) / 90 * 2 * math.pi)
            if abs(y - wave) < 3.5:
                return WHITE
        return BLUE
    if 120 <= x < 340 and 34 <= y < 54:
        return BLUE
    if 120 <= x < 290 and 66 <= y < 80:
        return GREY
    return WHITE


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png():
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(W)) for y in range(H))
    header = struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)  # 8-bit RGB, no alpha
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))


if __name__ == "__main__":
    with open(sys.argv[1] if len(sys.argv) > 1 else "examples/logo.png", "wb") as f:
        f.write(png())
