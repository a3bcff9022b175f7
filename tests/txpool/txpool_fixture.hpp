// Shared helpers for the txpool tests: deterministic user keys, real signed and recovered
// transactions (cached: a signature plus a recovery costs ~50 µs), call RLP builders and a
// map-backed AccountNonces.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "protocol/chain/transaction.hpp"
#include "protocol/core/assert.hpp"
#include "protocol/core/rlp.hpp"
#include "protocol/core/secp256k1.hpp"
#include "protocol/txpool/txpool.hpp"

namespace cl::txpool::test {

inline constexpr std::uint64_t kSeed = 0x7001;
inline constexpr std::uint64_t kChainId = 1;
inline constexpr std::size_t kUsers = 24;

// The promo pool contract's address, 0x…c10002 (protocol/state/call.hpp).
inline Address pool_address() {
    Address a;
    a.bytes[17] = 0xc1;
    a.bytes[19] = 0x02;
    return a;
}

inline void append_string(Bytes& out, std::string_view s) {
    rlp::append_bytes(out, BytesView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

// ["request", tier] or ["request", tier, stamp].
inline Bytes request_call(std::uint64_t tier, std::optional<std::uint64_t> stamp = std::nullopt) {
    Bytes out;
    const std::size_t list = rlp::begin_list(out);
    append_string(out, "request");
    rlp::append_uint(out, tier);
    if (stamp) rlp::append_uint(out, *stamp);
    rlp::end_list(out, list);
    return out;
}

// ["redeem", code].
inline Bytes redeem_call(std::uint8_t code_byte) {
    Bytes out;
    const std::size_t list = rlp::begin_list(out);
    append_string(out, "redeem");
    Hash32 code;
    code.bytes[31] = code_byte;
    rlp::append_fixed(out, code);
    rlp::end_list(out, list);
    return out;
}

struct User {
    PrivateKey key;
    Address address;
};

inline const std::vector<User>& users() {
    static const std::vector<User> all = [] {
        std::vector<User> out;
        for (std::size_t i = 0; i < kUsers; ++i) {
            const PrivateKey key = derive_private_key(kSeed, "txpool-user-" + std::to_string(i));
            out.push_back(User{key, address_of(key)});
        }
        return out;
    }();
    return all;
}
inline const Address& addr(std::size_t user) { return users().at(user).address; }

inline RecoveredTransaction sign_and_recover(std::size_t user, std::uint64_t nonce, Bytes call,
                                             std::uint64_t chain_id = kChainId) {
    Transaction tx{chain_id, nonce, pool_address(), std::move(call), {}};
    auto recovered = recover_transaction(sign_transaction(std::move(tx), users().at(user).key));
    CL_ASSERT(recovered.has_value());
    return *recovered;
}

// A request of `user` with `nonce`; `variant` changes the tier, so the same (user, nonce)
// with another variant is a different transaction (a replacement candidate). Cached.
inline const RecoveredTransaction& tx(std::size_t user, std::uint64_t nonce, std::uint64_t variant = 0) {
    static std::map<std::tuple<std::size_t, std::uint64_t, std::uint64_t>, RecoveredTransaction> cache;
    auto key = std::make_tuple(user, nonce, variant);
    auto it = cache.find(key);
    if (it == cache.end())
        it = cache.emplace(key, sign_and_recover(user, nonce, request_call(variant))).first;
    return it->second;
}

class MapNonces final : public AccountNonces {
  public:
    std::uint64_t nonce(const Address& sender) const override {
        auto it = nonces_.find(sender);
        return it == nonces_.end() ? 0 : it->second;
    }
    void set(std::size_t user, std::uint64_t n) { nonces_[addr(user)] = n; }
    void set(const Address& sender, std::uint64_t n) { nonces_[sender] = n; }
    std::uint64_t get(std::size_t user) const { return nonce(addr(user)); }

  private:
    std::map<Address, std::uint64_t> nonces_;
};

}  // namespace cl::txpool::test
