"""The 双随机 draw, version 1: a pure function of the committed plan (its canonical JSON bytes) and the seed (the
root hash of the first signed checkpoint after the commitment). No database, no clock, no other input — so anyone
holding the two can compute the same targets and pairs. docs/domain.md §13 states it in words; tools/verify_draw.py
is a separate implementation written from those words, for outsiders, and the tests hold the two to each other.

1. digest = SHA-256(plan bytes); prefix = seed (32 bytes) ‖ digest (32 bytes).
2. Strata in the order key, general, positive. For each, n = its enterprises in `population[tier]` (USCCs,
   sorted), p = its percent with
   two decimals in basis points (25.00 → 2500); it draws ceil(n × p / 10000) enterprises (any fraction rounds up;
   integer arithmetic, no floating point).
3. An enterprise's score is SHA-256(prefix ‖ USCC as 18 ASCII bytes); a stratum draws its lowest scores (as
   unsigned big-endian numbers; equal scores by USCC). Ranks run 1, 2, … through the strata in order.
4. For each target, the eligible officers are `officers` (certificate numbers, sorted) without those in
   `recusals[USCC]` and without those whose certificate was no longer valid on the day of the draw (`lapsed`,
   published with the draw); m of them. With fewer than two, the target has no pair (reported, never one
   inspector).
   Otherwise i = SHA-256(prefix ‖ USCC ‖ 0x01) mod m and j = SHA-256(prefix ‖ USCC ‖ 0x02) mod (m − 1), plus one
   if j ≥ i; the pair is (eligible[i], eligible[j]) — two different officers, each pair equally likely.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from dataclasses import dataclass
from decimal import Decimal

ALGORITHM = "sanxiang-draw/1"
STRATA = ("key", "general", "positive")


@dataclass(frozen=True)
class Drawn:
    rank: int
    uscc: str
    tier: str
    score: str  # hex
    officers: tuple[str, str] | None  # certificate numbers, or None when fewer than two were eligible


def quota(size: int, percent: str) -> int:
    """How many of `size` enterprises a stratum draws at `percent` (text with at most two decimals), rounded up."""
    basis_points = Decimal(percent) * 100
    if basis_points != basis_points.to_integral_value() or not 0 <= basis_points <= 10000:
        raise ValueError(f"percent {percent!r} is not between 0 and 100 with at most two decimals")
    return -(-size * int(basis_points) // 10000)


def _number(data: bytes) -> int:
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


def pair(prefix: bytes, uscc: str, officers: list[str], barred: list[int]) -> tuple[str, str] | None:
    """The two officers drawn for one enterprise among `officers` (sorted certificate numbers) without those at the
    positions `barred` (sorted): the eligible list of the algorithm, walked without being built (a draw has
    thousands of targets and a pool of a thousand officers)."""
    count = len(officers) - len(barred)
    if count < 2:
        return None
    base = prefix + uscc.encode("ascii")
    first = _number(base + b"\x01") % count
    second = _number(base + b"\x02") % (count - 1)
    if second >= first:
        second += 1
    return officers[_position(first, barred)], officers[_position(second, barred)]


def _position(index: int, barred: list[int]) -> int:
    """Where the `index`-th eligible officer stands in the whole pool."""
    for position in barred:
        if position > index:
            break
        index += 1
    return index


def draw(plan: bytes, seed: bytes, lapsed: frozenset[str] = frozenset(), *, content: dict | None = None) -> list[Drawn]:
    """The targets and pairs the committed `plan` (canonical JSON bytes) draws with `seed` (32 bytes), leaving out
    the officers whose certificates have `lapsed` since the plan was approved. `content` is the plan's JSON already
    parsed, for a caller that has read it."""
    if len(seed) != 32:
        raise ValueError("the seed is a 32-byte SHA-256 root hash")
    content = json.loads(plan) if content is None else content
    prefix = seed + hashlib.sha256(plan).digest()
    officers = [number for number in content["officers"] if number not in lapsed]
    where = {number: position for position, number in enumerate(officers)}
    recusals = content["recusals"]
    drawn, rank = [], 0
    for tier in STRATA:
        scored = [
            (hashlib.sha256(prefix + uscc.encode("ascii")).digest(), uscc) for uscc in content["population"][tier]
        ]
        for score, uscc in heapq.nsmallest(quota(len(scored), content["percents"][tier]), scored):
            rank += 1
            barred = sorted({where[number] for number in recusals.get(uscc, ()) if number in where})
            drawn.append(Drawn(rank, uscc, tier, score.hex(), pair(prefix, uscc, officers, barred)))
    return drawn
