"""The ledger as static tiles (C2SP tlog-tiles, https://c2sp.org/tlog-tiles): its hashes in files any web server or
CDN can hold, beside the signed checkpoint.

A tile of level L and index N holds W consecutive hashes of the tree's level 8·L, starting at node N·256: a full
tile 256 of them, a partial one (path suffix `.p/W`) fewer. Level 0 holds the entries' leaf hashes. A node's hash
never changes once the node is complete, so every tile, partial ones included (their width is in the path), is
served as immutable. Only nodes inside the latest signed checkpoint's tree are served. The entry bundles of the
spec (`tile/entries/…`) are not: most entries are not public (audit.selectors), and their leaf hashes are what a
verifier of a public entry needs beside it.
"""

from __future__ import annotations

import re

from sanxiang.ledger import selectors

HEIGHT = 8
WIDTH = 1 << HEIGHT  # hashes in a full tile
MAX_LEVEL = 63
PATH = re.compile(r"(\d{1,2})/((?:x\d{3}/)*\d{3})(?:\.p/(\d{1,3}))?")


def tile_path(level: int, index: int, width: int = WIDTH) -> str:
    """`<L>/<N>[.p/<W>]`, N in groups of three digits, each but the last marked with an x (1234067 → x001/x234/067)."""
    groups = []
    while True:
        groups.append(f"{index % 1000:03d}")
        index //= 1000
        if index == 0:
            break
    encoded = "/".join([*(f"x{group}" for group in reversed(groups[1:])), groups[0]])
    return f"{level}/{encoded}" + (f".p/{width}" if width < WIDTH else "")


def parse_tile_path(path: str) -> tuple[int, int, int]:
    """(level, index, width) of a tile path; ValueError for one the spec does not allow (a leading zero group, a
    width of 0 or of 256 and more, a level past 63), so that every tile has one address."""
    match = PATH.fullmatch(path)
    if match is None:
        raise ValueError(f"not a tile path: {path!r}")
    level, width = int(match[1]), int(match[3]) if match[3] else WIDTH
    index = int(match[2].replace("x", "").replace("/", ""))
    if level > MAX_LEVEL or not 0 < width <= WIDTH or tile_path(level, index, width) != path:
        raise ValueError(f"not a canonical tile path: {path!r}")
    return level, index, width


def tile_bytes(level: int, index: int, width: int, size: int) -> bytes | None:
    """The tile's hashes, concatenated, if all its nodes are complete in the tree of `size` entries; else None."""
    first = index * WIDTH
    if (first + width) << (HEIGHT * level) > size:
        return None
    keys = [(HEIGHT * level, node) for node in range(first, first + width)]
    found = selectors.nodes(keys)
    return b"".join(found[key] for key in keys)
