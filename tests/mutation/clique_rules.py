#!/usr/bin/env python3
"""Mutation check for the Clique rules: removes each rule of shared/spec/clique.md §4/§6
(and each fork-choice step) from the source, one at a time, rebuilds, and reports whether
some test fails ("killed") or none does ("SURVIVED" — a rule without a test).

Run from the repository root on a clean tree (it edits files and restores them):
    python3 tests/mutation/clique_rules.py
It builds in build/mutation (Debug, warnings not fatal). Exit code 1 if a mutant survives.
Takes about 5 minutes on 2 cores.
"""
import pathlib
import subprocess
import sys

muts = [
 ("protocol/clique/verify.cpp", "if (h.time > now) return", "if (false) return"),
 ("protocol/clique/verify.cpp", "if (checkpoint && !h.coinbase.is_zero()) return", "if (false) return"),
 ("protocol/clique/verify.cpp", "if (h.nonce != kNonceAuth && h.nonce != kNonceDrop) return std::unexpected(Error::kInvalidVote);", ""),
 ("protocol/clique/verify.cpp", "if (checkpoint && h.nonce != kNonceDrop) return", "if (false) return"),
 ("protocol/clique/verify.cpp", "if (h.extra.size() < kExtraVanity) return", "if (false) return"),
 ("protocol/clique/verify.cpp", "if (h.extra.size() < kExtraVanity + kExtraSeal) return", "if (false) return"),
 ("protocol/clique/verify.cpp", "if (!checkpoint && signer_bytes != 0) return", "if (false) return"),
 ("protocol/clique/verify.cpp", "if (checkpoint && signer_bytes % Address::kSize != 0) return", "if (false) return"),
 ("protocol/clique/verify.cpp", "if (!h.mix_digest.is_zero()) return", "if (false) return"),
 ("protocol/clique/verify.cpp", "if (h.uncle_hash != kEmptyUncleHash) return", "if (false) return"),
 ("protocol/clique/verify.cpp", "if (h.number > 0 && h.difficulty != kDiffInTurn && h.difficulty != kDiffNoTurn)", "if (false)"),
 ("protocol/clique/verify.cpp", "if (h.gas_limit > kMaxGasLimit) return", "if (false) return"),
 ("protocol/clique/verify.cpp", "if (parent == nullptr || parent->number != h.number - 1) return", "if (parent == nullptr) return"),
 ("protocol/clique/verify.cpp", "if (parent->time + config.period > h.time) return", "if (false) return"),
 ("protocol/clique/verify.cpp", "if (h.gas_used > h.gas_limit) return", "if (false) return"),
 ("protocol/clique/verify.cpp", "if (diff >= parent->gas_limit / kGasLimitBoundDivisor || h.gas_limit < kMinGasLimit)", "if (h.gas_limit < kMinGasLimit)"),
 ("protocol/clique/verify.cpp", "if (diff >= parent->gas_limit / kGasLimitBoundDivisor || h.gas_limit < kMinGasLimit)", "if (diff >= parent->gas_limit / kGasLimitBoundDivisor)"),
 ("protocol/clique/verify.cpp", "if (config.is_checkpoint(h.number) && checkpoint_signers(h) != parent_snapshot.signers())", "if (false)"),
 ("protocol/clique/verify.cpp", "if (!parent_snapshot.is_signer(*signer)) return", "if (false) return"),
 ("protocol/clique/verify.cpp", "if (parent_snapshot.recently_signed(h.number, *signer)) return", "if (false) return"),
 ("protocol/clique/verify.cpp", "if (h.difficulty != (in_turn ? kDiffInTurn : kDiffNoTurn)) return", "if (false) return"),
 ("protocol/clique/snapshot.cpp", "if (who == signer && seen + limit > number) return true;", "if (who == signer && seen > number - limit) return true;"),
 ("protocol/clique/snapshot.cpp", "        next.votes_.clear();\n        next.tally_.clear();", ""),
 ("protocol/clique/snapshot.cpp", "        next.votes_.clear();\n        next.tally_.clear();", "        next.votes_.clear();\n        next.tally_.clear();\n        next.recents_.clear();"),
 ("protocol/clique/snapshot.cpp", "number >= limit) next.recents_.erase(number - limit);", "number >= limit) {}"),
 ("protocol/clique/snapshot.cpp", "if (!next.is_signer(signer)) return std::unexpected(Error::kUnauthorizedSigner);", ""),
 ("protocol/clique/snapshot.cpp", "if (who == signer) return std::unexpected(Error::kRecentlySigned);", ""),
 ("protocol/clique/snapshot.cpp", "    if (previous != next.votes_.end()) {", "    if (false) {"),
 ("protocol/clique/snapshot.cpp", "if (!valid_vote(address, authorize)) return false;", ""),
 ("protocol/clique/snapshot.cpp", "> next.signers_.size() / 2) {", ">= next.signers_.size() / 2) {"),
 ("protocol/clique/snapshot.cpp", "            if (const std::uint64_t limit = next.signer_limit(); number >= limit)\n                next.recents_.erase(number - limit);", ""),
 ("protocol/clique/snapshot.cpp", "                if (v.signer != target) return false;\n                next.uncast(v.address, v.authorize);\n                return true;", "                return false;"),
 ("protocol/clique/snapshot.cpp", "                if (v.signer != target) return false;\n                next.uncast(v.address, v.authorize);", "                if (v.signer != target) return false;"),
 ("protocol/clique/snapshot.cpp", "        std::erase_if(next.votes_, [&](const Vote& v) { return v.address == target; });", ""),
 ("protocol/clique/snapshot.cpp", "        next.tally_.erase(target);", ""),
 ("protocol/clique/fork_choice.cpp", "return candidate.number < current.number;  // rule 2", "return candidate.number > current.number;  // rule 2"),
 ("protocol/clique/fork_choice.cpp", "return candidate.hash < current.hash;", "return candidate.hash > current.hash;"),
 ("protocol/clique/fork_choice.cpp", "            return false;  // keep the head seen first", "            return candidate.number < current.number;"),
]
def main():
    subprocess.run("cmake -S . -B build/mutation -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCLOUDLEDGER_WERROR=OFF "
                   "-DCLOUDLEDGER_BUILD_BENCH=OFF", shell=True, check=True, capture_output=True)
    survived = 0
    for i, (f, old, new) in enumerate(muts):
        survived += run_mutant(i, f, old, new) == "SURVIVED"
    print(f"{len(muts)} mutants, {survived} survived")
    return 1 if survived else 0


def run_mutant(i, f, old, new):
    p = pathlib.Path(f)
    orig = p.read_text()
    if old not in orig:
        sys.exit(f"mutant {i}: pattern not found in {f} (update this script): {old!r}")
    try:
        p.write_text(orig.replace(old, new, 1))
        b = subprocess.run("cmake --build build/mutation --target clique_tests app_tests cloudledger", shell=True,
                           capture_output=True, text=True)
        if b.returncode:
            res = "BUILD FAIL"
        else:
            t = subprocess.run("build/mutation/tests/clique_tests >/dev/null 2>&1 && "
                               "build/mutation/tests/app_tests >/dev/null 2>&1 && "
                               "build/mutation/app/cloudledger conformance clique-votes "
                               "tests/vectors/clique-votes.json >/dev/null", shell=True)
            res = "killed" if t.returncode else "SURVIVED"
    finally:
        p.write_text(orig)
    print(i, res, f, old.strip().splitlines()[0][:70], flush=True)
    return res


if __name__ == "__main__":
    sys.exit(main())
