// The reward token (shared/spec/promo-pool.md §4): ERC-20 semantics on uint64 amounts.
#include <limits>

#include "protocol/core/assert.hpp"
#include "protocol/state/contracts.hpp"

namespace cl::state {
namespace {

// An allowance of the maximum value is unlimited and is not decreased by transfer_from
// (as in OpenZeppelin's ERC-20).
constexpr std::uint64_t kUnlimitedAllowance = std::numeric_limits<std::uint64_t>::max();

Reason move_tokens(CallEnv& env, const Address& from, const Address& to, std::uint64_t amount) {
    AccountEntry source = env.store.account(from);
    if (source.balance < amount) return Reason::kInsufficientBalance;
    source.balance -= amount;
    env.store.set_account(from, source);
    AccountEntry target = env.store.account(to);
    CL_ASSERT(target.balance <= kUnlimitedAllowance - amount);  // bounded by total_supply
    target.balance += amount;
    env.store.set_account(to, target);
    env.events.push_back(Event{EventKind::kTokenTransfer, Hash32{}, from, to, 0, amount});
    return Reason::kNone;
}

}  // namespace

void mint(CallEnv& env, const Address& to, std::uint64_t amount) {
    if (amount == 0) return;
    GlobalsEntry globals = env.store.globals();
    CL_ASSERT(globals.total_supply <= std::numeric_limits<std::uint64_t>::max() - amount);
    globals.total_supply += amount;
    env.store.set_globals(globals);
    AccountEntry account = env.store.account(to);
    account.balance += amount;
    env.store.set_account(to, account);
    env.events.push_back(Event{EventKind::kTokenTransfer, Hash32{}, Address{}, to, 0, amount});
}

Reason run(CallEnv& env, const TokenTransferCall& call) {
    return move_tokens(env, env.tx.sender, call.to, call.amount);
}

Reason run(CallEnv& env, const ApproveCall& call) {
    env.store.set_allowance(env.tx.sender, call.spender, call.amount);
    env.events.push_back(Event{EventKind::kApproval, Hash32{}, env.tx.sender, call.spender, 0, call.amount});
    return Reason::kNone;
}

Reason run(CallEnv& env, const TransferFromCall& call) {
    const std::uint64_t allowed = env.store.allowance(call.from, env.tx.sender);
    if (allowed < call.amount) return Reason::kInsufficientAllowance;
    if (Reason r = move_tokens(env, call.from, call.to, call.amount); r != Reason::kNone) return r;
    if (allowed != kUnlimitedAllowance)
        env.store.set_allowance(call.from, env.tx.sender, allowed - call.amount);
    return Reason::kNone;
}

}  // namespace cl::state
