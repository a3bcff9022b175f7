#include "protocol/state/schema.hpp"

#include <initializer_list>
#include <string_view>

#include "protocol/core/assert.hpp"
#include "protocol/core/keccak.hpp"
#include "protocol/core/rlp.hpp"

namespace cl::state {
namespace {

void append_string(Bytes& out, std::string_view s) {
    rlp::append_bytes(out, BytesView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

// keccak256(rlp([kind, parts...])), parts already RLP-encoded by the caller.
class KeyBuilder {
  public:
    explicit KeyBuilder(std::string_view kind) : list_(rlp::begin_list(out_)) { append_string(out_, kind); }
    KeyBuilder& add(std::uint64_t v) {
        rlp::append_uint(out_, v);
        return *this;
    }
    KeyBuilder& add(BytesView v) {
        rlp::append_bytes(out_, v);
        return *this;
    }
    KeyBuilder& add(std::string_view v) {
        append_string(out_, v);
        return *this;
    }
    Hash32 hash() {
        rlp::end_list(out_, list_);
        return keccak256(out_);
    }

  private:
    Bytes out_;
    std::size_t list_;
};

Bytes encode_uints(std::initializer_list<std::uint64_t> values) {
    Bytes out;
    const std::size_t list = rlp::begin_list(out);
    for (std::uint64_t v : values) rlp::append_uint(out, v);
    rlp::end_list(out, list);
    return out;
}

// Reads a value this program wrote; anything else is a bug (see the header).
class ValueReader {
  public:
    explicit ValueReader(BytesView rlp) : list_(open(rlp)) {}
    std::uint64_t uint() {
        auto v = list_.next_uint64();
        CL_ASSERT(v.has_value());
        return *v;
    }
    template <class Fixed>
    Fixed fixed() {
        auto v = list_.next_fixed<Fixed>();
        CL_ASSERT(v.has_value());
        return *v;
    }
    std::string string() {
        auto v = list_.next_bytes();
        CL_ASSERT(v.has_value());
        return std::string(v->begin(), v->end());
    }
    void finish() const { CL_ASSERT(list_.finish().has_value()); }

  private:
    static rlp::ListReader open(BytesView rlp) {
        auto list = rlp::decode_list(rlp);
        CL_ASSERT(list.has_value());
        return *list;
    }
    rlp::ListReader list_;
};

template <class T>
T checked_enum(std::uint64_t v, T max) {
    CL_ASSERT(v <= static_cast<std::uint64_t>(max));
    return static_cast<T>(v);
}

}  // namespace

namespace key {
Hash32 account(const Address& a) { return KeyBuilder("account").add(a.view()).hash(); }
Hash32 allowance(const Address& owner, const Address& spender) {
    return KeyBuilder("allowance").add(owner.view()).add(spender.view()).hash();
}
Hash32 code(const Hash32& id) { return KeyBuilder("code").add(id.view()).hash(); }
Hash32 tier(std::uint64_t t) { return KeyBuilder("tier").add(t).hash(); }
Hash32 cloud(std::uint64_t index) { return KeyBuilder("cloud").add(index).hash(); }
Hash32 cloud_by_name(std::string_view name) { return KeyBuilder("cloud_by_name").add(name).hash(); }
Hash32 cloud_by_operator(const Address& a) { return KeyBuilder("cloud_by_operator").add(a.view()).hash(); }
Hash32 cloud_by_validator(const Address& a) { return KeyBuilder("cloud_by_validator").add(a.view()).hash(); }
Hash32 quota(std::uint64_t cloud, std::uint64_t tier) {
    return KeyBuilder("quota").add(cloud).add(tier).hash();
}
Hash32 expiry_count(std::uint64_t height) { return KeyBuilder("expiry_count").add(height).hash(); }
Hash32 expiry_slot(std::uint64_t height, std::uint64_t i) {
    return KeyBuilder("expiry_slot").add(height).add(i).hash();
}
Hash32 globals() { return KeyBuilder("globals").hash(); }
Hash32 config() { return KeyBuilder("config").hash(); }
}  // namespace key

Bytes encode(const AccountEntry& e) { return encode_uints({e.nonce, e.balance, e.live_codes, e.requests}); }

Bytes encode(const CodeEntry& e) {
    Bytes out;
    const std::size_t list = rlp::begin_list(out);
    rlp::append_fixed(out, e.owner);
    rlp::append_uint(out, e.tier);
    rlp::append_uint(out, e.issued_at);
    rlp::append_uint(out, e.expires_at);
    rlp::append_uint(out, static_cast<std::uint64_t>(e.status));
    rlp::append_uint(out, e.transfers);
    rlp::append_uint(out, e.renewals);
    rlp::append_fixed(out, e.redeemed_by);
    rlp::end_list(out, list);
    return out;
}

Bytes encode(const TierEntry& e) { return encode_uints({e.live, e.capacity, e.redeemed, e.burned}); }

Bytes encode(const CloudEntry& e) {
    Bytes out;
    const std::size_t list = rlp::begin_list(out);
    append_string(out, e.name);
    rlp::append_fixed(out, e.operator_address);
    rlp::append_fixed(out, e.validator);
    append_string(out, e.region);
    rlp::append_uint(out, static_cast<std::uint64_t>(e.status));
    rlp::end_list(out, list);
    return out;
}

Bytes encode(const QuotaEntry& e) { return encode_uints({e.quota, e.redeemed}); }
Bytes encode(const GlobalsEntry& e) { return encode_uints({e.total_supply, e.cloud_count}); }
Bytes encode_uint(std::uint64_t value) { return encode_uints({value}); }
Bytes encode_hash(const Hash32& value) {
    Bytes out;
    rlp::append_fixed(out, value);
    return out;
}

AccountEntry decode_account(BytesView rlp) {
    ValueReader r(rlp);
    AccountEntry e{r.uint(), r.uint(), r.uint(), r.uint()};
    r.finish();
    return e;
}

CodeEntry decode_code(BytesView rlp) {
    ValueReader r(rlp);
    CodeEntry e;
    e.owner = r.fixed<Address>();
    e.tier = r.uint();
    e.issued_at = r.uint();
    e.expires_at = r.uint();
    e.status = checked_enum(r.uint(), CodeStatus::kExpired);
    e.transfers = r.uint();
    e.renewals = r.uint();
    e.redeemed_by = r.fixed<Address>();
    r.finish();
    return e;
}

TierEntry decode_tier(BytesView rlp) {
    ValueReader r(rlp);
    TierEntry e{r.uint(), r.uint(), r.uint(), r.uint()};
    r.finish();
    return e;
}

CloudEntry decode_cloud(BytesView rlp) {
    ValueReader r(rlp);
    CloudEntry e;
    e.name = r.string();
    e.operator_address = r.fixed<Address>();
    e.validator = r.fixed<Address>();
    e.region = r.string();
    e.status = checked_enum(r.uint(), CloudStatus::kRemoved);
    r.finish();
    return e;
}

QuotaEntry decode_quota(BytesView rlp) {
    ValueReader r(rlp);
    QuotaEntry e{r.uint(), r.uint()};
    r.finish();
    return e;
}

GlobalsEntry decode_globals(BytesView rlp) {
    ValueReader r(rlp);
    GlobalsEntry e{r.uint(), r.uint()};
    r.finish();
    return e;
}

std::uint64_t decode_uint(BytesView rlp) {
    ValueReader r(rlp);
    const std::uint64_t v = r.uint();
    r.finish();
    return v;
}

Hash32 decode_hash(BytesView rlp) {
    auto item = rlp::decode(rlp);
    CL_ASSERT(item.has_value() && !item->is_list && item->payload.size() == 32);
    return Hash32::from_span(item->payload);
}

}  // namespace cl::state
