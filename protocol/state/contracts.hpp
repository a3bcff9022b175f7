// The system contracts (shared/spec/promo-pool.md §2–4). Internal to protocol/state:
// execute.cpp dispatches each decoded call to one of the run() overloads below.
//
// Each run() checks the rules in the order the spec lists them and returns the Reason of
// the first one broken (kNone on success). Writes go to the transaction's buffer of the
// StateStore, which the executor drops when the call fails, so a failing call may leave
// partial writes behind without harm.
#pragma once

#include <cstdint>
#include <vector>

#include "protocol/chain/transaction.hpp"
#include "protocol/state/call.hpp"
#include "protocol/state/ledger.hpp"
#include "protocol/state/receipt.hpp"
#include "protocol/state/store.hpp"

namespace cl::state {

struct CallEnv {
    StateStore& store;
    const ChainRules& rules;
    std::uint64_t block_number;
    std::uint64_t& issued_in_block;  // codes issued so far in this block (per_block_issue_cap)
    const RecoveredTransaction& tx;
    std::vector<Event>& events;
};

// Promo pool (§3).
Reason run(CallEnv& env, const RequestCall& call);
Reason run(CallEnv& env, const RedeemCall& call);
Reason run(CallEnv& env, const TransferCodeCall& call);
Reason run(CallEnv& env, const RenewCall& call);
// Governance (§2).
Reason run(CallEnv& env, const RegisterCloudCall& call);
Reason run(CallEnv& env, const SetQuotaCall& call);
// Reward token (§4).
Reason run(CallEnv& env, const TokenTransferCall& call);
Reason run(CallEnv& env, const ApproveCall& call);
Reason run(CallEnv& env, const TransferFromCall& call);

// Mints `amount` reward tokens to `to` (Transfer from the zero address). Pool only.
void mint(CallEnv& env, const Address& to, std::uint64_t amount);

// The active cloud whose operator is `a`, if any.
std::optional<std::uint64_t> active_cloud_of(const StateStore& store, const Address& a);

}  // namespace cl::state
