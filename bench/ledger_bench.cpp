// Benches of ledger execution (protocol/state, issue "Ledger state, transactions, …").
//
//   BM_Ledger_RequestBlock/N   execute a block of 500 promo requests (signatures
//                              recovered beforehand, as a node does on admission) on a
//                              state holding N live codes, and compute the new root.
//                              Counters: txs_per_s, and new_bytes_per_block — heap bytes
//                              the resulting state adds on top of its parent (glibc
//                              mallinfo2), i.e. the cost of keeping one more block's state
//                              (or one more fork) alive.
//   BM_Ledger_MixedBlock/N     the same with 250 requests and 250 redeems of existing codes.
//
// The base state of N live codes (N/3 users holding 3 codes each, the expiry index, tier
// totals) is written through the same StateStore the executor uses, once per N, outside
// the timing; its heap size per code is reported as base_bytes_per_code. Before timing,
// each bench checks that its block is valid and every receipt succeeded, and aborts with
// a message otherwise.
//
//   build/release/bench/cloudledger-bench-ledger --benchmark_filter=RequestBlock/1000000
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "protocol/chain/transaction.hpp"
#include "protocol/core/keccak.hpp"
#include "protocol/core/secp256k1.hpp"
#include "protocol/state/call.hpp"
#include "protocol/state/execute.hpp"
#include "protocol/state/store.hpp"

namespace cl::state {
namespace {

constexpr std::size_t kBlockTxs = 500;
constexpr std::uint64_t kChainId = state::kSimulatedChainId;
constexpr std::uint64_t kBaseHeight = 1'000;

std::size_t heap_in_use() { return mallinfo2().uordblks; }

Address account_address(std::uint64_t i) {
    std::array<std::uint8_t, 8> raw{};
    for (std::size_t b = 0; b < 8; ++b) raw[b] = static_cast<std::uint8_t>(i >> (8 * b));
    return Address::from_span(BytesView(keccak256(raw).bytes).subspan(12));
}

GenesisConfig bench_config(std::uint64_t live_codes) {
    GenesisConfig c;
    c.chain_id = kChainId;
    c.tiers = {Tier{"small", 2, 4, 50, 24}};
    for (int i = 0; i < 10; ++i) {
        const std::string name = "cloud-" + std::to_string(i);
        c.clouds.push_back(GenesisCloud{name,
                                        address_of(derive_private_key(1, name + "/operator")),
                                        address_of(derive_private_key(1, name + "/validator")),
                                        "eu",
                                        {live_codes / 5 + 10'000}});
    }
    c.pool.per_user_live = 3;
    return c;
}

struct Base {
    std::unique_ptr<LedgerState> state;
    std::vector<Hash32> codes;  // some live codes, for redeem blocks
    std::vector<Address> signers;
    double bytes_per_code = 0;
};

// N live codes written directly (the executor's own store, no signatures needed).
const Base& base(std::uint64_t live_codes) {
    static std::map<std::uint64_t, Base> cache;
    auto [it, fresh] = cache.try_emplace(live_codes);
    Base& b = it->second;
    if (!fresh) return b;
    const GenesisConfig config = bench_config(live_codes);
    for (const GenesisCloud& c : config.clouds) b.signers.push_back(c.validator);
    const std::size_t before = heap_in_use();
    LedgerState genesis = LedgerState::genesis(config).value();
    StateStore store(genesis.trie());
    TierEntry tier = store.tier(0);
    for (std::uint64_t i = 0; i < live_codes; ++i) {
        const Address owner = account_address(i / 3);
        Hash32 id = keccak256(BytesView(owner.bytes));
        id.bytes[0] = static_cast<std::uint8_t>(i % 3);
        const std::uint64_t expires = kBaseHeight + 1 + i % 5'760;
        store.set_code(id,
                       CodeEntry{owner, 0, kBaseHeight - 10, expires, CodeStatus::kIssued, 0, 0, Address{}});
        store.schedule_expiry(expires, id);
        if (i % 3 == 2) store.set_account(owner, AccountEntry{0, 0, 3, 3});
        if (b.codes.size() < 10'000 && i % 7 == 0) b.codes.push_back(id);
    }
    tier.live = live_codes;
    store.set_tier(0, tier);
    b.state = std::make_unique<LedgerState>(
        LedgerState::from_trie(genesis, std::move(store).commit(), kBaseHeight));
    b.state->root();
    b.bytes_per_code = static_cast<double>(heap_in_use() - before) / static_cast<double>(live_codes);
    return b;
}

std::vector<RecoveredTransaction> request_block(std::size_t first_user, std::size_t count) {
    std::vector<RecoveredTransaction> txs;
    for (std::size_t i = 0; i < count; ++i) {
        Transaction t;
        t.chain_id = kChainId;
        t.to = kPoolAddress;
        t.call = encode_call(RequestCall{0, {}});
        const PrivateKey key = derive_private_key(2, "user-" + std::to_string(first_user + i));
        txs.push_back(recover_transaction(sign_transaction(t, key)).value());
    }
    return txs;
}

std::vector<RecoveredTransaction> redeem_txs(const Base& b, const GenesisConfig& config, std::size_t count) {
    std::vector<RecoveredTransaction> txs;
    std::map<std::size_t, std::uint64_t> nonces;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t cloud = i % config.clouds.size();
        Transaction t;
        t.chain_id = kChainId;
        t.nonce = nonces[cloud]++;
        t.to = kPoolAddress;
        t.call = encode_call(RedeemCall{b.codes[i]});
        const PrivateKey key = derive_private_key(1, config.clouds[cloud].name + "/operator");
        txs.push_back(recover_transaction(sign_transaction(t, key)).value());
    }
    return txs;
}

// Why a bench block did not do what it measures (an invalid block or a failed receipt),
// or an empty string. A bench of a block whose calls fail would time the failure path.
std::string block_fault(const std::expected<BlockResult, InvalidBlock>& result) {
    if (!result) {
        return "invalid block: tx " + std::to_string(result.error().tx_index) + " " +
               name(result.error().reason);
    }
    for (std::size_t i = 0; i < result->receipts.size(); ++i) {
        if (result->receipts[i].status != Status::kSuccess)
            return "tx " + std::to_string(i) + " failed: " + name(result->receipts[i].reason);
    }
    return "";
}

void run_block(benchmark::State& state, const Base& b, const std::vector<RecoveredTransaction>& txs) {
    const BlockContext context{b.state->number() + 1, b.signers};
    std::size_t added = 0;
    {  // memory, measured once outside the timing (mallinfo2 walks the heap's free lists)
        const std::size_t before = heap_in_use();
        auto result = execute_block(*b.state, context, txs);
        if (const std::string fault = block_fault(result); !fault.empty()) {
            std::fprintf(stderr, "ledger bench, block of %zu txs: %s\n", txs.size(), fault.c_str());
            std::abort();  // a bench set-up bug: its figures would measure the wrong path
        }
        benchmark::DoNotOptimize(result->state.root());
        added = heap_in_use() - before;
    }
    for (auto _ : state) {
        auto result = execute_block(*b.state, context, txs);
        benchmark::DoNotOptimize(result->state.root());
    }
    state.counters["txs_per_s"] =
        benchmark::Counter(static_cast<double>(txs.size()), benchmark::Counter::kIsIterationInvariantRate);
    state.counters["new_bytes_per_block"] = static_cast<double>(added);
    state.counters["base_bytes_per_code"] = b.bytes_per_code;
}

void BM_Ledger_RequestBlock(benchmark::State& state) {
    const Base& b = base(static_cast<std::uint64_t>(state.range(0)));
    static const auto txs = request_block(0, kBlockTxs);
    run_block(state, b, txs);
}
BENCHMARK(BM_Ledger_RequestBlock)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_Ledger_MixedBlock(benchmark::State& state) {
    const auto live = static_cast<std::uint64_t>(state.range(0));
    const Base& b = base(live);
    auto txs = request_block(0, kBlockTxs / 2);
    auto redeems = redeem_txs(b, bench_config(live), kBlockTxs / 2);
    txs.insert(txs.end(), redeems.begin(), redeems.end());
    run_block(state, b, txs);
}
BENCHMARK(BM_Ledger_MixedBlock)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cl::state
