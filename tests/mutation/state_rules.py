#!/usr/bin/env python3
"""Mutation check for the ledger state rules (shared/spec/promo-pool.md §1–4, §6 and the
decisions of docs/ledger.md): removes or weakens one rule of protocol/state (and of the
transaction decoder) at a time, rebuilds state_tests and reports whether some test fails
("killed") or none does ("SURVIVED" — a rule without a test).

It never edits the repository it lives in: it syncs a COPY of the source tree (build/ and
.git/ excluded) to a work directory, mutates the copy and builds it there, so others may
keep building from the repository meanwhile. Run from anywhere:

    python3 tests/mutation/state_rules.py                # every mutant
    python3 tests/mutation/state_rules.py --list         # list the mutants and exit
    python3 tests/mutation/state_rules.py --check        # only check every pattern still matches
    python3 tests/mutation/state_rules.py -k redeem -k expiry   # mutants whose name contains a word
    python3 tests/mutation/state_rules.py --workdir DIR  # default /tmp/mutation-state

The copy is configured with `cmake --preset dev -B build/mut -DCLOUDLEDGER_WERROR=OFF
-DCLOUDLEDGER_BUILD_BENCH=OFF` (Debug, assertions on) and only the `state_tests` target is
built (-j2; ccache makes the restore builds cheap). The unmutated copy must build and pass
first. Each mutant's tests run with --gtest_fail_fast; the first failing test is reported.
Exit code 1 if a mutant survives, does not build, or a pattern no longer matches (update
the pattern in MUTANTS when the source changes). Takes about 3 minutes on 2 cores with a
warm ccache, about 6 with a cold one, plus ~2 minutes for the copy's first build.

Equivalent mutants (EQUIVALENT below; not counted, `--equivalent` runs them and they are
expected to survive, since no test can tell them apart from the real code):
- execute.cpp: commit a failing call's writes instead of reverting them (`revert_tx()` →
  `commit_tx()`). Every run() checks all of its rules before its first write (see
  contracts.hpp), so a failing call has no writes to drop; the revert is defence in
  depth. Its mechanism is covered by the store mutant `store.revert_keeps_tx_writes`.
- execute.cpp: not restoring issued_in_block_ after a failure, and not clearing the
  events of a failed receipt: likewise, a failing request returns before counting an
  issue or pushing an event.
- promo_pool.cpp renew: scheduling the expiry even when the height did not change
  (dropping `expires_at != old_expiry`): the second index entry is skipped at expiry
  because the first already set the code's status to expired.
If a contract ever writes before one of its checks, the first two stop being equivalent:
move them into MUTANTS and add a test.
"""
import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
TEST_TIMEOUT_S = 300

PP = "protocol/state/promo_pool.cpp"
GOV = "protocol/state/governance.cpp"
TOK = "protocol/state/reward_token.cpp"
EXE = "protocol/state/execute.cpp"
STORE = "protocol/state/store.cpp"
SCHEMA = "protocol/state/schema.cpp"
TTL = "protocol/state/ttl_policy.cpp"
CALL = "protocol/state/call.cpp"
CONFIG = "protocol/state/config.cpp"
TX = "protocol/chain/transaction.cpp"

# (name, [(file, old, new), ...]): every `old` must occur exactly once in its file; the
# edits of one mutant are applied in order.
MUTANTS = [
    # ---- promo pool: request (§3) ----
    ("request.no_pool_exhausted",
     [(PP, "    if (tier.used() >= tier.capacity) return Reason::kPoolExhausted;\n", "")]),
    ("request.per_user_live_off_by_one",
     [(PP, "account.live_codes >= *limit;", "account.live_codes > *limit;")]),
    ("request.per_user_lifetime_off_by_one",
     [(PP, "user.requests >= *pool.per_user_lifetime", "user.requests > *pool.per_user_lifetime")]),
    ("request.block_cap_off_by_one",
     [(PP, "env.issued_in_block >= *pool.per_block_issue_cap", "env.issued_in_block > *pool.per_block_issue_cap")]),
    ("request.issue_not_counted_in_block",
     [(PP, "    env.issued_in_block += 1;\n", "")]),
    ("request.requests_not_counted",
     [(PP, "    user.requests += 1;\n", "")]),
    ("request.no_expiry_index",
     [(PP, "    env.store.schedule_expiry(code.expires_at, env.tx.hash);\n", "")]),
    ("request.adaptive_utilisation_ignores_redeemed",
     [(PP, "TierUse{tier.used(), tier.capacity}", "TierUse{tier.live, tier.capacity}")]),
    # ---- promo pool: redeem ----
    ("redeem.no_already_redeemed",
     [(PP, "    if (code->status == CodeStatus::kRedeemed) return Reason::kAlreadyRedeemed;\n", "")]),
    ("redeem.no_expired",
     [(PP, "    if (code->status == CodeStatus::kExpired) return Reason::kExpired;\n", "")]),
    ("redeem.cloud_quota_off_by_one",
     [(PP, "if (quota.redeemed >= quota.quota)", "if (quota.redeemed > quota.quota)")]),
    ("redeem.live_not_decremented",
     [(PP, "    tier.live -= 1;\n    tier.redeemed += 1;\n", "    tier.redeemed += 1;\n")]),
    ("redeem.cloud_redeemed_not_counted",
     [(PP, "    quota.redeemed += 1;\n", "")]),
    ("redeem.owner_live_not_decremented",
     [(PP, "    owner.live_codes -= 1;\n", "")]),
    ("redeem.no_reward",
     [(PP, "    mint(env, code->owner, env.rules.config.pool.reward_per_redeem);\n", "")]),
    ("redeem.reward_to_redeemer",
     [(PP, "mint(env, code->owner,", "mint(env, env.tx.sender,")]),
    ("redeem.removed_cloud_still_acts",
     [(GOV, "->status != CloudStatus::kActive) return std::nullopt;", "->status == CloudStatus::kPending) return std::nullopt;")]),
    ("redeem.pending_cloud_acts",
     [(GOV, "->status != CloudStatus::kActive) return std::nullopt;", "->status == CloudStatus::kRemoved) return std::nullopt;")]),
    # ---- promo pool: transfer ----
    ("transfer.no_not_owner",
     [(PP, "    if (code && code->owner != env.tx.sender) return Reason::kNotOwner;\n"
           "    if (Reason r = check_usable(code); r != Reason::kNone) return r;\n    if (code->transfers",
       "    if (Reason r = check_usable(code); r != Reason::kNone) return r;\n    if (code->transfers")]),
    ("transfer.beyond_max_transfers",
     [(PP, "if (code->transfers >= env.rules.config.pool.max_transfers)", "if (code->transfers > env.rules.config.pool.max_transfers)")]),
    ("transfer.no_recipient_limit",
     [(PP, "    if (at_live_limit(env.rules, recipient)) return Reason::kUserLimit;\n", "")]),
    ("transfer.owner_not_changed",
     [(PP, "    code->owner = call.to;\n", "")]),
    ("transfer.to_self_as_ordinary_transfer",
     [(PP, "    if (call.to == code->owner) {", "    if (false) {")]),
    ("transfer.to_self_not_counted",
     [(PP, "        code->transfers += 1;\n        env.store.set_code(call.code, *code);\n",
       "        env.store.set_code(call.code, *code);\n")]),
    # ---- promo pool: renew ----
    ("renew.no_not_owner",
     [(PP, "    if (code && code->owner != env.tx.sender) return Reason::kNotOwner;\n"
           "    if (Reason r = check_usable(code); r != Reason::kNone) return r;\n    const auto max_renewals",
       "    if (Reason r = check_usable(code); r != Reason::kNone) return r;\n    const auto max_renewals")]),
    ("renew.renewal_limit_off_by_one",
     [(PP, "if (code->renewals >= *max_renewals)", "if (code->renewals > *max_renewals)")]),
    ("renew.without_extending",
     [(PP, "    code->expires_at = env.block_number + env.rules.ttl->renewal_blocks();\n", "")]),
    ("renew.not_rescheduled",
     [(PP, "    if (code->expires_at != old_expiry) env.store.schedule_expiry(code->expires_at, call.code);\n", "")]),
    # ---- expiry (end of block) ----
    ("expiry.at_expires_at_plus_one",
     [(EXE, "        const std::uint64_t height = context_.number;\n",
       "        const std::uint64_t height = context_.number - 1;\n")]),
    ("expiry.redeemed_codes_expire_too",
     [(EXE, "if (code.status != CodeStatus::kIssued || code.expires_at != height)", "if (code.expires_at != height)")]),
    ("expiry.renewed_codes_expire_at_old_height",
     [(EXE, "if (code.status != CodeStatus::kIssued || code.expires_at != height)", "if (code.status != CodeStatus::kIssued)")]),
    ("expiry.live_not_returned",
     [(EXE, "            tier.live -= 1;\n", "")]),
    ("expiry.owner_live_not_decremented",
     [(EXE, "            owner.live_codes -= 1;\n", "")]),
    ("expiry.reclaim_false_not_burning",
     [(EXE, "            if (!rules_.config.pool.reclaim) tier.burned += 1;\n", "")]),
    ("expiry.always_burning",
     [(EXE, "if (!rules_.config.pool.reclaim)", "if (true)")]),
    ("expiry.index_not_cleared",
     [(EXE, "        store_.clear_expiry(height);\n", "")]),
    ("expiry.index_count_not_incremented",
     [(STORE, "encode_uint(n + 1)", "encode_uint(1)")]),
    # ---- transactions and blocks (§1) ----
    ("block.no_chain_id_check",
     [(EXE, "        if (tx.tx.chain_id != rules_.config.chain_id) return std::unexpected(InvalidReason::kWrongChainId);\n", "")]),
    ("block.no_nonce_check",
     [(EXE, "        if (tx.tx.nonce != sender.nonce) return std::unexpected(InvalidReason::kWrongNonce);\n", "")]),
    ("block.nonce_not_consumed_on_failure",
     [(EXE, "        sender.nonce += 1;\n        store_.set_account(tx.sender, sender);\n", ""),
      (EXE, "        store_.begin_tx();\n",
       "        store_.begin_tx();\n        sender.nonce += 1;\n        store_.set_account(tx.sender, sender);\n")]),
    ("block.max_txs_off_by_one",
     [(EXE, "if (cap && txs.size() > *cap)", "if (cap && txs.size() > *cap + 1)")]),
    ("tx_decode.call_not_validated",
     [(TX, "    if (auto valid = rlp::validate(tx.call); !valid) return fail(TransactionField::kCall, valid.error());\n", "")]),
    ("tx_decode.extra_items_accepted",
     [(TX, "    if (auto done = list->finish(); !done) return fail(TransactionField::kList, done.error());\n", "")]),
    ("call.extra_args_accepted",
     [(CALL, "    if (!args.finish()) return std::unexpected(CallError::kMalformedArguments);\n", "")]),
    ("call.unknown_contract_accepted",
     [(CALL, "if (to != kPoolAddress && to != kGovernanceAddress && to != kTokenAddress) {", "if (false) {")]),
    # ---- governance (§2) ----
    ("governance.attestation_any_signer",
     [(GOV, "if (!notary || *notary != config.notary)", "if (!notary)")]),
    ("governance.attestation_without_chain_id",
     [(CALL, "    rlp::append_uint(out, chain_id);\n", "")]),
    ("governance.operator_may_be_a_validator",
     [(GOV, "env.store.cloud_by_validator(env.tx.sender) || ", "")]),
    ("governance.validator_may_be_an_operator",
     [(GOV, " || env.store.cloud_by_operator(call.validator)", "")]),
    ("governance.pending_ignores_signers",
     [(EXE, "if (cloud.status == CloudStatus::kPending && signer)", "if (cloud.status == CloudStatus::kPending)")]),
    ("governance.removal_not_final",
     [(EXE, "if (cloud.status == CloudStatus::kPending && signer)", "if (cloud.status != CloudStatus::kActive && signer)")]),
    ("governance.never_removed",
     [(EXE, "} else if (cloud.status == CloudStatus::kActive && !signer) {", "} else if (false) {")]),
    ("set_quota.no_quota_below_used",
     [(GOV, "    if (call.amount < quota.redeemed) return Reason::kQuotaBelowUsed;\n", "")]),
    ("set_quota.no_capacity_in_use",
     [(GOV, "    if (capacity < tier.used()) return Reason::kCapacityInUse;\n", "")]),
    ("set_quota.capacity_not_updated",
     [(GOV, "    tier.capacity = capacity;\n", "")]),
    # ---- reward token (§4) ----
    ("token.no_balance_check",
     [(TOK, "    if (source.balance < amount) return Reason::kInsufficientBalance;\n", "")]),
    ("token.no_allowance_check",
     [(TOK, "    if (allowed < call.amount) return Reason::kInsufficientAllowance;\n", "")]),
    ("token.allowance_checked_after_balance",
     [(TOK, "    if (allowed < call.amount) return Reason::kInsufficientAllowance;\n"
            "    if (Reason r = move_tokens(env, call.from, call.to, call.amount); r != Reason::kNone) return r;\n",
       "    if (Reason r = move_tokens(env, call.from, call.to, call.amount); r != Reason::kNone) return r;\n"
       "    if (allowed < call.amount) return Reason::kInsufficientAllowance;\n")]),
    ("token.transfer_from_keeps_allowance",
     [(TOK, "allowed - call.amount)", "allowed)")]),
    ("token.unlimited_allowance_decreased",
     [(TOK, "if (allowed != kUnlimitedAllowance)", "if (true)")]),
    ("token.mint_not_in_total_supply",
     [(TOK, "    globals.total_supply += amount;\n", "")]),
    # ---- TTL policies (§3) ----
    ("ttl.adaptive_rounds_down",
     [(TTL, "(u128{base_ttl} * power + (one >> 1)) >> 64", "(u128{base_ttl} * power) >> 64")]),
    ("ttl.adaptive_no_min_ttl",
     [(TTL, "return std::max(min_ttl, rounded);", "return rounded;")]),
    ("ttl.adaptive_exponent_minus_one",
     [(TTL, "for (std::uint64_t i = 0; i < k; ++i)", "for (std::uint64_t i = 1; i < k; ++i)")]),
    ("ttl.per_tier_uses_first_tier",
     [(TTL, "return blocks_[tier];", "return blocks_[0];")]),
    # ---- state store and root (§6) ----
    ("store.default_entries_not_deleted",
     [(STORE, "return e == Entry{} ? Bytes{} : encode(e);", "return encode(e);")]),
    ("store.zero_allowance_not_deleted",
     [(STORE, "amount == 0 ? Bytes{} : encode_uint(amount)", "encode_uint(amount)")]),
    ("store.deleted_in_block_reads_parent",
     [(STORE, "    if (auto it = block_.find(key); it != block_.end()) {",
       "    if (auto it = block_.find(key); it != block_.end() && !it->second.empty()) {")]),
    ("store.revert_keeps_tx_writes",
     [(STORE, "void StateStore::revert_tx() {\n    CL_ASSERT(in_tx_);\n    tx_.clear();",
       "void StateStore::revert_tx() {\n    CL_ASSERT(in_tx_);\n    for (auto& [k, v] : tx_) block_[k] = std::move(v);\n    tx_.clear();")]),
    ("schema.operator_and_validator_index_collide",
     [(SCHEMA, 'KeyBuilder("cloud_by_operator")', 'KeyBuilder("cloud_by_validator")')]),
    ("config.reclaim_not_committed_by_root",
     [(CONFIG, "    rlp::append_uint(out, p.reclaim ? 1 : 0);\n", "")]),
    ("config.duplicate_operator_accepted",
     [(CONFIG, "        if (!addresses.insert(cloud.operator_address).second) {", "        if (false) {")]),
    ("config.zero_per_tier_ttl_accepted",
     [(CONFIG, '                if (blocks == 0) return error("pool.ttl.per_tier", "every ttl must be at least 1");\n', "")]),
    ("config.zero_min_ttl_accepted",
     [(CONFIG, '            if (ttl.min_ttl == 0) return error("pool.ttl.min_ttl", "must be at least 1");\n', "")]),
]

EQUIVALENT = [
    ("equivalent.failed_call_writes_committed",
     [(EXE, "            store_.revert_tx();\n", "            store_.commit_tx();\n")]),
    ("equivalent.issued_in_block_not_restored",
     [(EXE, "            issued_in_block_ = issued_before;\n", "")]),
    ("equivalent.failed_receipt_events_kept",
     [(EXE, "            receipt.events.clear();\n", "")]),
    ("equivalent.renew_scheduled_at_same_height",
     [(PP, "if (code->expires_at != old_expiry) env.store.schedule_expiry", "env.store.schedule_expiry")]),
]

IGNORED_TOP = {"build", ".git"}


def sync_copy(src: pathlib.Path, dst: pathlib.Path) -> int:
    """Makes dst a copy of src (build/ and .git/ excluded, dst/build kept). Only files
    whose content differs are rewritten, with a fresh mtime, so ninja rebuilds exactly
    what changed (a mutated object is never taken for the original's). Returns how many
    files were written or removed."""
    changed = 0
    dst.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for root, dirs, files in os.walk(src):
        rel = pathlib.Path(root).relative_to(src)
        if rel == pathlib.Path("."):
            dirs[:] = [d for d in dirs if d not in IGNORED_TOP]
        for d in dirs:
            wanted.add(rel / d)
            (dst / rel / d).mkdir(exist_ok=True)
        for f in files:
            wanted.add(rel / f)
            s, d = pathlib.Path(root) / f, dst / rel / f
            data = s.read_bytes()
            if not d.is_file() or d.read_bytes() != data:
                d.write_bytes(data)
                shutil.copymode(s, d)
                changed += 1
    for root, dirs, files in os.walk(dst, topdown=False):
        rel = pathlib.Path(root).relative_to(dst)
        if rel.parts and rel.parts[0] in IGNORED_TOP:
            continue
        for name in files + dirs:
            p = rel / name
            if p.parts[0] in IGNORED_TOP or p in wanted:
                continue
            full = dst / p
            shutil.rmtree(full) if full.is_dir() else full.unlink()
            changed += 1
    return changed


def sh(cmd, cwd, timeout=None):
    return subprocess.run(cmd, cwd=cwd, shell=True, capture_output=True, text=True, timeout=timeout)


def build(work):
    return sh("cmake --build build/mut --target state_tests -j2", work)


def run_tests(work):
    """("killed", why) or ("SURVIVED", "")."""
    binary = str(work / "build/mut/tests/state_tests")
    try:
        t = subprocess.run([binary, "--gtest_fail_fast", "--gtest_brief=1"], cwd=work, capture_output=True,
                           text=True, timeout=TEST_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return "killed", "timeout"
    if t.returncode == 0:
        return "SURVIVED", ""
    failed = re.findall(r"^\[  FAILED  \] ([^\s,]+)", t.stdout, re.M)
    if failed:
        return "killed", failed[0]
    # A crash (an assertion aborts): run again without --gtest_brief to name the test.
    why = f"signal {-t.returncode}" if t.returncode < 0 else f"exit {t.returncode}"
    try:
        again = subprocess.run([binary, "--gtest_fail_fast"], cwd=work, capture_output=True, text=True,
                               timeout=TEST_TIMEOUT_S)
        running = re.findall(r"^\[ RUN      \] (\S+)", again.stdout, re.M)
        if running:
            why += f" in {running[-1]}"
    except subprocess.TimeoutExpired:
        pass
    return "killed", why


def check_patterns(work, mutants):
    ok = True
    for name, edits in mutants:
        texts = {}
        for f, old, new in edits:
            text = texts.setdefault(f, (work / f).read_text())
            n = text.count(old)
            if n != 1:
                print(f"{name}: pattern found {n} times in {f} (update this script): {old!r}")
                ok = False
            else:
                texts[f] = text.replace(old, new, 1)
    return ok


def run_mutant(work, name, edits):
    originals = {}
    try:
        for f, old, new in edits:
            p = work / f
            originals.setdefault(f, p.read_text())
            p.write_text(p.read_text().replace(old, new, 1))
        b = build(work)
        if b.returncode:
            errors = [l for l in b.stdout.splitlines() if "error" in l]
            return "BUILD FAIL", (errors or [""])[0][:120]
        return run_tests(work)
    finally:
        for f, text in originals.items():
            (work / f).write_text(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workdir", default="/tmp/mutation-state", type=pathlib.Path)
    ap.add_argument("-k", action="append", default=[], help="run mutants whose name contains this (repeatable)")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--check", action="store_true", help="check the patterns against the repository and exit")
    ap.add_argument("--equivalent", action="store_true",
                    help="run the known equivalent mutants instead (expected to survive)")
    args = ap.parse_args()

    pool = EQUIVALENT if args.equivalent else MUTANTS
    mutants = [m for m in pool if not args.k or any(k in m[0] for k in args.k)]
    if args.list:
        for i, (name, edits) in enumerate(mutants):
            print(f"{i:3} {name:48} {', '.join(sorted({f for f, _, _ in edits}))}")
        return 0
    if args.check:
        ok = check_patterns(REPO, mutants)
        print(f"{len(mutants)} mutants, patterns {'ok' if ok else 'STALE'}")
        return 0 if ok else 1

    start = time.monotonic()
    work = args.workdir.resolve()
    if work == REPO or REPO in work.parents:
        sys.exit("--workdir must be outside the repository")
    n = sync_copy(REPO, work)
    print(f"synced {REPO} -> {work} ({n} files changed)", flush=True)
    if not check_patterns(work, mutants):
        return 1
    c = sh("cmake --preset dev -B build/mut -DCLOUDLEDGER_WERROR=OFF -DCLOUDLEDGER_BUILD_BENCH=OFF", work)
    if c.returncode:
        sys.exit("configure failed:\n" + c.stdout + c.stderr)
    b = build(work)
    if b.returncode:
        sys.exit("the unmutated copy does not build:\n" + b.stdout[-3000:])
    res, why = run_tests(work)
    if res != "SURVIVED":
        sys.exit(f"the unmutated copy fails its tests ({why}): fix that first")
    print(f"baseline built and passing ({time.monotonic() - start:.0f} s)", flush=True)

    bad = []
    for i, (name, edits) in enumerate(mutants):
        t0 = time.monotonic()
        res, why = run_mutant(work, name, edits)
        if res != "killed":
            bad.append((name, res))
        print(f"{i:3} {res:10} {name:48} {why}  ({time.monotonic() - t0:.0f} s)", flush=True)
    build(work)  # leave the copy's build matching the unmutated sources
    minutes = (time.monotonic() - start) / 60
    print(f"{len(mutants)} mutants, {len(mutants) - len(bad)} killed, {len(bad)} not killed "
          f"({minutes:.1f} min)")
    for name, res in bad:
        print(f"  {res}: {name}")
    if args.equivalent:
        return 1 if any(res != "SURVIVED" for _, res in bad) else 0
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
