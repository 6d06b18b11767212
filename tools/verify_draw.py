#!/usr/bin/env python3
"""Recompute a 双随机 draw from public data alone (Python 3.11+, standard library only).

    python3 verify_draw.py plan.json --checkpoint checkpoint.txt [--verifier-key <name+keyid+key>]
    python3 verify_draw.py plan.json --size 1234 --root <hex or base64 root hash> [--lapsed N1,N2] [--json]

plan.json is the committed plan as the portal serves it (抽查计划 → 下载计划 JSON), byte for byte: its SHA-256 is
the digest the plan's public ledger entry committed to. The checkpoint is the seed: the first signed checkpoint
whose size is greater than that entry's index (the portal shows its signed note; pass the note's text with
--checkpoint, or its size and root). With --verifier-key (the log's published key, /ledger/key on the portal) the note's
Ed25519 signature is checked too; that one check needs the `cryptography` package, as the standard library has no
Ed25519 — without the option the script runs on the standard library alone. The commitment's inclusion is checked
with the log's inclusion proof. --lapsed names the
certificates of the plan's pool that were no longer valid on the day of the draw, as the draw published them.

The algorithm (sanxiang-draw/1), as published:

  prefix   = root (32 bytes) ‖ SHA-256(plan.json) (32 bytes)
  quota    = ceil(n × basis points / 10000) per tier, tiers in the order key, general, positive, where n is the
             number of credit codes in population[tier]
  score    = SHA-256(prefix ‖ USCC); a tier draws its lowest scores (big-endian; ties by USCC); ranks 1, 2, …
  officers = certificate numbers of the pool, sorted, without the lapsed and those recused for the USCC;
             m of them; no pair if m < 2
  i        = SHA-256(prefix ‖ USCC ‖ 0x01) mod m
  j        = SHA-256(prefix ‖ USCC ‖ 0x02) mod (m − 1), plus one if j ≥ i
  pair     = officers[i], officers[j]

This file shares no code with the platform: it is written from the text above, so that agreeing with the platform's
published draw means the algorithm, not one program, produced it.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import sys

TIERS = ["key", "general", "positive"]


def read_root(text: str) -> bytes:
    text = text.strip()
    try:
        root = bytes.fromhex(text)
    except ValueError:
        root = b""
    if len(root) != 32:
        try:
            root = base64.b64decode(text, validate=True)
        except binascii.Error:
            root = b""
    if len(root) != 32:
        raise SystemExit("the root hash must be 32 bytes, in hex or base64")
    return root


def read_checkpoint(path: str) -> tuple[int, bytes]:
    """Size and root from a C2SP checkpoint note: origin line, decimal size, base64 root, then the signatures."""
    with open(path, encoding="utf-8") as note:
        lines = note.read().split("\n")
    if len(lines) < 3 or not lines[1].isdigit():
        raise SystemExit(f"{path} is not a checkpoint note")
    return int(lines[1]), read_root(lines[2])


def check_signature(path: str, verifier_key: str) -> None:
    """Refuse a checkpoint note that the verifier key did not sign (C2SP signed note, Ed25519): the key reads
    name+keyid+base64(0x01 ‖ public key), the key ID is SHA-256(name ‖ LF ‖ 0x01 ‖ public key)[:4], and a signature
    line "— name base64(key ID ‖ signature)" signs the note's text up to its blank line."""
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        raise SystemExit("checking the signature needs the cryptography package (pip install cryptography)") from None
    name, _, rest = verifier_key.strip().partition("+")
    hex_id, _, encoded = rest.partition("+")
    try:
        key = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise SystemExit("the verifier key is not name+keyid+base64") from None
    if len(key) != 33 or key[0] != 1:
        raise SystemExit("the verifier key is not an Ed25519 key")
    wanted = hashlib.sha256(name.encode() + b"\n" + key).digest()[:4]
    if wanted.hex() != hex_id:
        raise SystemExit("the verifier key's key ID does not match its name and key")
    with open(path, encoding="utf-8") as note:
        text, _, signatures = note.read().rpartition("\n\n")
    for line in signatures.splitlines():
        signer, _, blob = line.removeprefix("\u2014 ").partition(" ")
        try:
            raw = base64.b64decode(blob, validate=True)
        except binascii.Error:
            continue
        if signer == name and raw[:4] == wanted:
            try:
                Ed25519PublicKey.from_public_bytes(key[1:]).verify(raw[4:], (text + "\n").encode())
            except InvalidSignature:
                raise SystemExit("the checkpoint's signature does not verify: do not trust this seed") from None
            return
    raise SystemExit(f"the checkpoint carries no signature by {name}")


def basis_points(percent: str) -> int:
    whole, _, fraction = percent.partition(".")
    if not whole.isdigit() or not (fraction == "" or fraction.isdigit()) or len(fraction) > 2:
        raise SystemExit(f"bad percent {percent!r}")
    points = int(whole) * 100 + int((fraction + "00")[:2])
    if points > 10000:
        raise SystemExit(f"bad percent {percent!r}")
    return points


def as_number(data: bytes) -> int:
    return int(hashlib.sha256(data).hexdigest(), 16)


def recompute(plan_bytes: bytes, root: bytes, lapsed: set[str]) -> dict:
    plan = json.loads(plan_bytes.decode("utf-8"))
    digest = hashlib.sha256(plan_bytes).digest()
    prefix = root + digest
    officers = sorted(number for number in plan["officers"] if number not in lapsed)
    targets = []
    for tier in TIERS:
        members = sorted(plan["population"][tier])
        wanted = (len(members) * basis_points(plan["percents"][tier]) + 9999) // 10000
        ranked = sorted((hashlib.sha256(prefix + uscc.encode()).digest(), uscc) for uscc in members)
        for score, uscc in ranked[:wanted]:
            recused = set(plan["recusals"].get(uscc, []))
            eligible = [number for number in officers if number not in recused]
            pair = []
            if len(eligible) >= 2:
                seed = prefix + uscc.encode()
                i = as_number(seed + bytes([1])) % len(eligible)
                j = as_number(seed + bytes([2])) % (len(eligible) - 1)
                pair = [eligible[i], eligible[j + 1 if j >= i else j]]
            targets.append(
                {
                    "rank": len(targets) + 1,
                    "tier": tier,
                    "uscc": uscc,
                    "score": score.hex(),
                    "officers": pair,
                }
            )
    return {"plan_digest": digest.hex(), "seed": root.hex(), "targets": targets}


def main() -> None:
    parser = argparse.ArgumentParser(description="Recompute a 双随机 draw from the committed plan and its checkpoint.")
    parser.add_argument("plan", help="the committed plan JSON, as downloaded")
    parser.add_argument("--checkpoint", help="the seed checkpoint's signed note (text file)")
    parser.add_argument("--size", type=int, help="the seed checkpoint's size (instead of --checkpoint)")
    parser.add_argument("--root", help="the seed checkpoint's root hash, hex or base64 (instead of --checkpoint)")
    parser.add_argument("--verifier-key", help="the log's verifier key: check the checkpoint note's signature")
    parser.add_argument("--lapsed", default="", help="certificate numbers lapsed by the draw, comma-separated")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    if args.verifier_key and not args.checkpoint:
        parser.error("--verifier-key checks the note given with --checkpoint")
    if args.checkpoint:
        if args.verifier_key:
            check_signature(args.checkpoint, args.verifier_key)
        size, root = read_checkpoint(args.checkpoint)
    elif args.size is not None and args.root:
        size, root = args.size, read_root(args.root)
    else:
        parser.error("give --checkpoint, or --size and --root")
    with open(args.plan, "rb") as source:
        result = recompute(source.read(), root, {number for number in args.lapsed.split(",") if number})
    result["checkpoint_size"] = size
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return
    print(f"plan digest {result['plan_digest']}")
    print(f"seed        checkpoint {size}, root {result['seed']}")
    for target in result["targets"]:
        pair = " ".join(target["officers"]) or "(fewer than two eligible officers)"
        print(f"{target['rank']:>6} {target['tier']:<8} {target['uscc']} {pair}")


if __name__ == "__main__":
    main()
