#!/usr/bin/env python3
"""Prints the MDT_VERSION records of a kldxref linker.hints file as 'module version file' lines.

An independent reading of the format (FreeBSD's usr.sbin/kldxref writes it) for tests to compare with.
"""
import struct
import sys

data = open(sys.argv[1], "rb").read()
assert struct.unpack_from("<i", data, 0)[0] == 1, "not a version 1 hints file"
pos = 4
while pos < len(data):
    length, kind = struct.unpack_from("<ii", data, pos)
    p = pos + 8
    if kind == 3:  # MDT_VERSION
        n = data[p]
        name = data[p + 1:p + 1 + n].decode()
        p += 1 + n
        p = 4 + ((p - 4 + 3) & ~3)
        version = struct.unpack_from("<i", data, p)[0]
        p += 4
        n = data[p]
        print(name, version, data[p + 1:p + 1 + n].decode())
    pos += 4 + length
