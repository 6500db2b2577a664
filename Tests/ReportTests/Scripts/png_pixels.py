#!/usr/bin/env python3
"""Prints a PNG's size, then the mean grey level (0 black .. 255 white) of a 7x7 square around
each point given as X,Y: what the report's picture test reads from rsvg-convert's output.
Standard library only (zlib, struct); 8-bit greyscale, grey+alpha, RGB or RGBA, not interlaced.
Alpha is composed over white."""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("not a PNG")
    pos, idat = 8, b""
    width = height = depth = colour = interlace = None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    if depth != 8 or interlace != 0 or colour not in (0, 2, 4, 6):
        raise SystemExit(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous, at = [], bytearray(stride), 0
    for _ in range(height):
        kind = raw[at]
        line = bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        previous = line
    return width, height, channels, rows


def grey(rows, channels, x, y):
    px = rows[y][x * channels:(x + 1) * channels]
    if channels in (1, 2):
        value, alpha = px[0], (px[1] if channels == 2 else 255)
    else:
        value, alpha = 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2], (px[3] if channels == 4 else 255)
    return (value * alpha + 255 * (255 - alpha)) / 255


def main():
    width, height, channels, rows = read_png(sys.argv[1])
    print(width, height)
    for point in sys.argv[2:]:
        cx, cy = (int(float(v)) for v in point.split(","))
        values = [grey(rows, channels, x, y)
                  for y in range(max(0, cy - 3), min(height, cy + 4))
                  for x in range(max(0, cx - 3), min(width, cx + 4))]
        print(f"{sum(values) / len(values):.1f}")


main()
