#!/usr/bin/env python3
"""Derives the negative entries of real-networks.json from its positive entries.

Each negative is a real header with one deliberate defect (see "expect_error"). Run it
after editing the positive entries: it rewrites the file in place, keeping positives
as they are and regenerating every negative. Pure Python, no dependencies.
"""
import json
import pathlib

N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
HERE = pathlib.Path(__file__).parent
FILE = HERE / "real-networks.json"


def decode(b):
    """Minimal RLP decoder for well-formed input: returns (item, rest)."""
    p = b[0]
    if p < 0x80:
        return b[:1], b[1:]
    if p < 0xB8:
        n = p - 0x80
        return b[1:1 + n], b[1 + n:]
    if p < 0xC0:
        ll = p - 0xB7
        n = int.from_bytes(b[1:1 + ll], "big")
        return b[1 + ll:1 + ll + n], b[1 + ll + n:]
    if p < 0xF8:
        n, off = p - 0xC0, 1
    else:
        ll = p - 0xF7
        n, off = int.from_bytes(b[1:1 + ll], "big"), 1 + ll
    payload, items = b[off:off + n], []
    while payload:
        item, payload = decode(payload)
        items.append(item)
    return items, b[off + n:]


def encode(x):
    if isinstance(x, list):
        payload = b"".join(encode(i) for i in x)
        return header(len(payload), 0xC0) + payload
    if len(x) == 1 and x[0] < 0x80:
        return x
    return header(len(x), 0x80) + x


def header(n, base):
    if n <= 55:
        return bytes([base + n])
    nb = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([base + 55 + len(nb)]) + nb


def fields(entry):
    items, rest = decode(bytes.fromhex(entry["rlp"][2:]))
    assert not rest
    return items


def with_seal(items, r=None, s=None, v=None):
    extra = bytearray(items[12])
    seal = extra[-65:]
    if r is not None:
        seal[0:32] = r.to_bytes(32, "big")
    if s is not None:
        seal[32:64] = s.to_bytes(32, "big")
    if v is not None:
        seal[64] = v
    extra[-65:] = seal
    out = list(items)
    out[12] = bytes(extra)
    return out


def seal_rs(items):
    seal = items[12][-65:]
    return int.from_bytes(seal[0:32], "big"), int.from_bytes(seal[32:64], "big"), seal[64]


def negative(name, base, items, why, signer=None, raw=None):
    entry = {"name": name, "rlp": "0x" + (raw if raw is not None else encode(items)).hex(), "expect_error": why}
    entry["signer"] = signer or base["signer"]
    return entry


def main():
    doc = json.loads(FILE.read_text())
    positives = [h for h in doc["headers"] if "expect_error" not in h]
    by_name = {h["name"]: h for h in positives}
    g1, r1, r3 = by_name["goerli-1"], by_name["rinkeby-1"], by_name["rinkeby-3"]
    g1m, r30k = by_name["goerli-1000000"], by_name["rinkeby-30000"]
    f = fields(g1)
    r, s, v = seal_rs(f)
    neg = [
        negative("goerli-1 v=27", g1, with_seal(f, v=27), "recovery id 27 (Ethereum's Clique seal uses 0/1)"),
        negative("rinkeby-1 v=28", r1, with_seal(fields(r1), v=28), "recovery id 28"),
        negative("goerli-1 v=2", g1, with_seal(f, v=2), "recovery id 2"),
        negative("goerli-1 r=0", g1, with_seal(f, r=0), "r is zero"),
        negative("goerli-1 r=n", g1, with_seal(f, r=N), "r not below the group order"),
        negative("goerli-1 s=0", g1, with_seal(f, s=0), "s is zero"),
        negative("goerli-1 s=n", g1, with_seal(f, s=N), "s not below the group order"),
        negative("goerli-1 high s", g1, with_seal(f, s=N - s, v=1 - v),
                 "s in the upper half (the malleated twin of a valid seal; EIP-2)"),
        negative("goerli-1000000 other signer", g1m, fields(g1m), "recovers to Infura's key, not this address",
                 signer="0xe0a2bd4258d2768837baa26a28fe71dc079f84c7"),
    ]
    t = fields(r3)
    t[11] = (int.from_bytes(t[11], "big") + 1).to_bytes(len(t[11]), "big")
    neg.append(negative("rinkeby-3 timestamp+1", r3, t, "a signed field changed after sealing"))
    t = fields(r1)
    t[12] = t[12][:-1]
    neg.append(negative("rinkeby-1 extra 96 bytes", r1, t, "extraData too short for vanity + seal (errMissingSignature)"))
    t = fields(r1)
    t[14] = bytes(7) + b"\x01"
    neg.append(negative("rinkeby-1 nonce 1", r1, t, "nonce neither NONCE_AUTH nor NONCE_DROP (errInvalidVote)"))
    t = fields(r1)
    t[13] = b"\x01" + bytes(31)
    neg.append(negative("rinkeby-1 mixDigest", r1, t, "non-zero mixDigest (errInvalidMixDigest)"))
    t = fields(r30k)
    t[12] = t[12][:32] + t[12][52:]  # drop the first listed signer (the sealer is 42eb… = first)
    neg.append(negative("rinkeby-30000 sealer not listed", r30k, t, "epoch header whose list lacks its signer"))
    t = fields(r1)
    t.append(bytes(32))
    neg.append(negative("rinkeby-1 17 fields", r1, t, "post-London field in a Clique header (malformed)"))
    raw = bytes.fromhex(r1["rlp"][2:])
    neg.append(negative("rinkeby-1 truncated", r1, None, "header RLP cut short (malformed)", raw=raw[:-10]))
    neg.append(negative("rinkeby-1 trailing byte", r1, None, "a byte after the header list (malformed)", raw=raw + b"\x00"))

    doc["headers"] = positives + neg
    FILE.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"{len(positives)} positive, {len(neg)} negative entries")


if __name__ == "__main__":
    main()
