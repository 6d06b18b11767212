"""The ledger as C2SP tlog-tiles (ledger/tiles.py): one address per tile, and the tiles alone give the signed
checkpoint's root, recomputed here by the RFC's own definition."""

import base64
import hashlib

import pytest
from rest_framework.test import APIClient

from sanxiang.ledger import merkle
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import checkpoint_create, ledger_append, ledger_signer
from sanxiang.ledger.signing import open_note
from sanxiang.ledger.tiles import all_tiles, parse_tile_path, tile_path
from sanxiang.testing.ledger import reference_root


@pytest.mark.parametrize(
    "address, level, index, width",
    [
        ("0/000", 0, 0, 256),
        ("0/999", 0, 999, 256),
        ("2/x001/000", 2, 1000, 256),
        ("1/x001/x234/067", 1, 1234067, 256),  # the spec's own example of an index
        ("0/005.p/7", 0, 5, 7),
        ("0/x001/234.p/255", 0, 1234, 255),
    ],
)
def test_a_tile_path_names_one_tile_and_back(address, level, index, width):
    assert parse_tile_path(address) == (level, index, width)
    assert tile_path(level, index, width) == address


@pytest.mark.parametrize(
    "address",
    ["0/x000/005", "0/5", "0/0005", "0/000.p/256", "0/000.p/0", "0/000.p/007", "64/000", "0/000/", "entries/000"],
)
def test_a_path_that_is_not_the_one_address_of_a_tile_is_refused(address):
    with pytest.raises(ValueError):
        parse_tile_path(address)


def _tile(client, address: str) -> bytes | None:
    response = client.get(f"/ledger/tile/{address}")
    if response.status_code == 404:
        return None
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=31536000, immutable"
    return response.content


def test_the_tiles_alone_give_the_signed_root_and_nothing_past_the_checkpoint(db):
    start = Entry.objects.count()
    for number in range(600 - start):
        ledger_append(actor=None, agency=None, action="test.tile", subject=("test", str(number)))
    checkpoint = checkpoint_create()
    assert checkpoint.size == 600
    ledger_append(actor=None, agency=None, action="test.tile", subject=("test", "unsigned"))  # past the checkpoint
    client = APIClient()
    leaves = _tile(client, "0/000") + _tile(client, "0/001") + _tile(client, "0/002.p/88")
    bodies = [
        bytes(body) for body in Entry.objects.filter(index__lt=600).order_by("index").values_list("body", flat=True)
    ]
    assert [leaves[i : i + 32] for i in range(0, len(leaves), 32)] == [merkle.leaf_hash(body) for body in bodies]
    # the level above: each hash is the root of 256 leaves, as the RFC defines it
    upper = _tile(client, "1/000.p/2")
    assert upper == reference_root(bodies[:256]) + reference_root(bodies[256:512])
    # from tiles alone, the root the signed note states
    _origin, size, root = open_note(checkpoint.note, ledger_signer().verifier).split("\n")[:3]
    assert int(size) == 600
    assert _root_from_leaf_hashes([leaves[i : i + 32] for i in range(0, len(leaves), 32)]) == base64.b64decode(root)
    # not complete, or not yet signed: no tile
    assert _tile(client, "0/002") is None
    assert _tile(client, "0/002.p/89") is None
    assert _tile(client, "1/000") is None
    assert _tile(client, "0/x000/002.p/88") is None


def _root_from_leaf_hashes(hashes: list[bytes]) -> bytes:
    if len(hashes) == 1:
        return hashes[0]
    k = merkle.largest_power_of_two_below(len(hashes))
    return hashlib.sha256(b"\x01" + _root_from_leaf_hashes(hashes[:k]) + _root_from_leaf_hashes(hashes[k:])).digest()


def _tiles_of(tree, size: int) -> dict[str, bytes]:
    """Every tile of a memory tree of `size` entries, by its path, built from the tree's own nodes."""
    from sanxiang.ledger.tiles import HEIGHT, WIDTH, tile_width

    tiles, level = {}, 0
    while (size >> (HEIGHT * level)) > 0:
        for index in range(((size >> (HEIGHT * level)) + WIDTH - 1) // WIDTH):
            width = tile_width(level, index, size)
            hashes = [tree.nodes[(HEIGHT * level, index * WIDTH + n)] for n in range(width)]
            tiles[f"tile/{tile_path(level, index, width)}"] = b"".join(hashes)
        level += 1
    return tiles


@pytest.mark.parametrize("size", [1, 2, 7, 255, 256, 257, 1000, 65536, 65537 + 300])
def test_tiles_alone_give_the_root_and_every_inclusion_proof(size):
    from sanxiang.ledger.tiles import TileNodes
    from sanxiang.testing.ledger import MemoryTree

    tree = MemoryTree([n.to_bytes(4, "big") for n in range(size)])
    nodes = TileNodes(size, _tiles_of(tree, size).__getitem__)
    assert nodes.root() == tree.root(size)
    for index in sorted({0, 1, size // 3, size // 2, size - 2, size - 1} & set(range(size))):
        assert nodes.inclusion(index) == tree.inclusion(index, size)
    # a proof needs a handful of tiles, not the whole tree
    assert len(nodes.read_tiles) <= 2 * (1 + size.bit_length() // 8) + 2


def test_a_tampered_or_short_tile_fails_the_proof():
    from sanxiang.ledger.tiles import TileNodes
    from sanxiang.testing.ledger import MemoryTree

    tree = MemoryTree([n.to_bytes(4, "big") for n in range(300)])
    tiles = _tiles_of(tree, 300)
    tampered = dict(tiles)
    tampered["tile/0/000"] = bytes(32) + tiles["tile/0/000"][32:]
    nodes = TileNodes(300, tampered.__getitem__)
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(5, 300, merkle.leaf_hash((5).to_bytes(4, "big")), nodes.inclusion(5), tree.root(300))
    short = dict(tiles)
    short["tile/0/001.p/44"] = tiles["tile/0/001.p/44"][:-32]
    with pytest.raises(merkle.ProofError, match="not 44 hashes"):
        TileNodes(300, short.__getitem__).inclusion(299)


@pytest.mark.django_db
def test_the_stored_tiles_give_the_proofs_the_database_gives():
    from django.db import transaction

    from sanxiang.ledger.selectors import inclusion_proof
    from sanxiang.ledger.tiles import TileNodes, stored_tile

    with transaction.atomic():
        for n in range(300):
            ledger_append(actor=None, agency="", action="test.event", subject=("test", str(n)))
    checkpoint = checkpoint_create()
    nodes = TileNodes(checkpoint.size, lambda path: stored_tile(path, checkpoint.size))
    assert nodes.root() == bytes(checkpoint.root)
    for index in (0, 17, 255, 256, checkpoint.size - 1):
        assert [digest.hex() for digest in nodes.inclusion(index)] == inclusion_proof(index, checkpoint.size)["proof"]


def test_a_tile_once_served_is_served_again_without_the_database(db, django_assert_num_queries):
    for number in range(300):
        ledger_append(actor=None, agency=None, action="test.tile", subject=("test", str(number)))
    checkpoint_create()
    client = APIClient()
    first = _tile(client, "0/000")
    with django_assert_num_queries(0):
        assert _tile(client, "0/000") == first


def test_the_log_exported_as_static_files_is_what_the_server_serves(db, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    for number in range(700):
        ledger_append(actor=None, agency=None, action="test.tile", subject=("test", str(number)))
    checkpoint = checkpoint_create()
    out = StringIO()
    call_command("ledger", "tiles", str(tmp_path / "static"), stdout=out)
    client = APIClient()
    files = {
        str(path.relative_to(tmp_path / "static" / "tile")): path.read_bytes()
        for path in (tmp_path / "static" / "tile").rglob("*")
        if path.is_file()
    }
    assert files and all(_tile(client, path) == content for path, content in files.items())
    size = checkpoint.size
    assert set(files) == {tile_path(level, index, width) for level, index, width in all_tiles(size)}
    assert (tmp_path / "static" / "checkpoint").read_text(encoding="utf-8") == checkpoint.note
    # again after the log grew: the full tiles are kept, only what is new is written
    for number in range(300):
        ledger_append(actor=None, agency=None, action="test.tile", subject=("test", f"more {number}"))
    checkpoint_create()
    call_command("ledger", "tiles", str(tmp_path / "static"), stdout=out)
    # 700 entries: tiles 0/000 and 0/001 full, 0/002.p/188 and 1/000.p/2 partial; at 1,000 only the full ones stay
    assert out.getvalue().splitlines()[-1].split(": ", 1)[1].startswith("checkpoint 1000, 3 tiles written, 2 already")
    assert not any(path.name.endswith(".part") for path in (tmp_path / "static").rglob("*"))
