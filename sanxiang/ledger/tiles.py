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

from django.core.cache import cache

from sanxiang.ledger import merkle, selectors

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


def served_tile(level: int, index: int, width: int) -> bytes | None:
    """The tile as /ledger/tile serves it: within the latest signed checkpoint. A tile once served never changes, so
    it is kept in the cache (every server's, on Redis) for good: the next request reads no database."""
    key = f"ledger:tile:{tile_path(level, index, width)}"
    found = cache.get(key)
    if found is None:
        checkpoint = selectors.latest_checkpoint()
        found = tile_bytes(level, index, width, checkpoint.size if checkpoint else 0)
        if found is not None:
            cache.set(key, found, timeout=None)
    return found


def tile_width(level: int, index: int, size: int) -> int:
    """How many hashes tile (level, index) holds in the tree of `size` entries (0: the tile does not exist yet)."""
    return max(0, min(WIDTH, (size >> (HEIGHT * level)) - index * WIDTH))


class TileNodes:
    """The hashes of complete nodes (level, index) of the tree of `size` entries, read from its tiles alone through
    `read(path)` (a path like "tile/0/x001/234.p/5"): a node of level ℓ is the root of 2^(ℓ mod 8) consecutive
    hashes of the tile at level ⌊ℓ/8⌋. Usable wherever merkle takes a mapping of nodes; `read_tiles` keeps the tiles read, by path.
    """

    def __init__(self, size: int, read):
        self.size, self.read, self.tiles, self.read_tiles = size, read, {}, {}

    def __getitem__(self, key: tuple[int, int]) -> bytes:
        level, index = key
        tile_level, shift = divmod(level, HEIGHT)
        first, count = index << shift, 1 << shift
        tile_index, start = divmod(first, WIDTH)
        hashes = self._tile(tile_level, tile_index)
        if start + count > len(hashes):
            raise merkle.ProofError(f"node ({level}, {index}) is not complete in a tree of {self.size} entries")
        layer = hashes[start : start + count]
        while len(layer) > 1:
            layer = [merkle.node_hash(layer[i], layer[i + 1]) for i in range(0, len(layer), 2)]
        return layer[0]

    def _tile(self, level: int, index: int) -> list[bytes]:
        if (level, index) not in self.tiles:
            width = tile_width(level, index, self.size)
            if width == 0:
                raise merkle.ProofError(f"tile {level}/{index} is beyond a tree of {self.size} entries")
            path = f"tile/{tile_path(level, index, width)}"
            data = self.read(path)
            if len(data) != width * merkle.HASH_SIZE:
                raise merkle.ProofError(f"{path} holds {len(data)} bytes, not {width} hashes")
            self.read_tiles[path] = data
            size = merkle.HASH_SIZE
            self.tiles[(level, index)] = [data[i : i + size] for i in range(0, len(data), size)]
        return self.tiles[(level, index)]

    def root(self) -> bytes:
        return merkle.empty_root() if self.size == 0 else merkle.range_hash(0, self.size, self)

    def inclusion(self, index: int) -> list[bytes]:
        """PATH(index, D[size]) of RFC 9162, from the tiles."""
        return [merkle.range_hash(low, high, self) for low, high in merkle.inclusion_ranges(index, self.size)]


def stored_tile(path: str, size: int) -> bytes:
    """A tile of the stored log as /ledger/tile serves it (path "tile/…"), for TileNodes over the database."""
    level, index, width = parse_tile_path(path.removeprefix("tile/"))
    found = tile_bytes(level, index, width, size)
    if found is None:
        raise merkle.ProofError(f"{path} is not complete in a tree of {size} entries")
    return found


def all_tiles(size: int):
    """(level, index, width) of every tile of the tree of `size` entries, level by level."""
    level = 0
    while size >> (HEIGHT * level):
        hashes = size >> (HEIGHT * level)
        for index in range((hashes + WIDTH - 1) // WIDTH):
            yield level, index, tile_width(level, index, size)
        level += 1


def export(folder, *, note: str, size: int, progress=None) -> tuple[int, int]:
    """Write the log as static files a web server or CDN can serve as it is: `checkpoint` (the note given) and every
    tile of the tree of `size` entries under `tile/`. Tiles already there are left alone (they never change), so
    exporting again after each checkpoint writes only the new ones. Returns (tiles written, tiles kept)."""
    from pathlib import Path

    folder = Path(folder)
    written = kept = 0
    for done, (level, index, width) in enumerate(all_tiles(size), start=1):
        target = folder / "tile" / tile_path(level, index, width)
        if target.exists():
            kept += 1
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".part")
            temporary.write_bytes(tile_bytes(level, index, width, size))
            temporary.replace(target)  # a reader never sees half a tile
            written += 1
        if progress:
            progress(done)
    checkpoint = folder / "checkpoint"
    temporary = checkpoint.with_name("checkpoint.part")
    temporary.write_text(note, encoding="utf-8")
    temporary.replace(checkpoint)  # last: every tile it needs is in place before it names them
    return written, kept
