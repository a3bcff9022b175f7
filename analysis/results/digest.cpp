#include "analysis/results/digest.hpp"

#include <cryptopp/keccak.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/results/fields.hpp"

namespace cl::analysis {
namespace {

using Digest = std::array<std::uint8_t, 32>;

// Feeds Keccak-256 through a buffer: rows are many small fields.
class Hasher {
  public:
    void bytes(const std::uint8_t* data, std::size_t n) {
        if (used_ + n > buffer_.size()) flush();
        if (n > buffer_.size()) {
            keccak_.Update(data, n);
            return;
        }
        std::copy_n(data, n, buffer_.begin() + static_cast<std::ptrdiff_t>(used_));
        used_ += n;
    }
    template <class U>
    requires std::unsigned_integral<U>
    void le(U value) {
        std::array<std::uint8_t, sizeof(U)> out{};
        for (std::size_t i = 0; i < sizeof(U); ++i) out[i] = static_cast<std::uint8_t>(value >> (8 * i));
        bytes(out.data(), out.size());
    }
    void str(std::string_view s) {
        le(std::uint64_t{s.size()});
        bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
    }
    Digest finish() {
        flush();
        Digest out{};
        keccak_.Final(out.data());
        return out;
    }

  private:
    void flush() {
        keccak_.Update(buffer_.data(), used_);
        used_ = 0;
    }
    CryptoPP::Keccak_256 keccak_;
    std::array<std::uint8_t, 4096> buffer_{};
    std::size_t used_ = 0;
};

std::uint64_t canonical_bits(double v) {
    return std::isnan(v) ? std::uint64_t{0x7ff8000000000000} : std::bit_cast<std::uint64_t>(v);
}

// Serializes one field per the canonical rules in digest.hpp.
struct FieldSerializer {
    Hasher& h;
    std::size_t tiers;

    void operator()(const char*, std::uint8_t v) const { h.le(v); }
    void operator()(const char*, std::uint16_t v) const { h.le(v); }
    void operator()(const char*, std::uint32_t v) const { h.le(v); }
    void operator()(const char*, std::uint64_t v) const { h.le(v); }
    void operator()(const char*, std::int64_t v) const { h.le(static_cast<std::uint64_t>(v)); }
    void operator()(const char*, double v) const { h.le(canonical_bits(v)); }
    template <std::size_t N>
    void operator()(const char*, const std::array<std::uint8_t, N>& v) const {
        h.bytes(v.data(), N);
    }
    template <std::size_t N>
    void operator()(const char*, const FixedString<N>& v) const {
        h.str(v.view());
    }
    void operator()(const char*, const std::array<std::uint64_t, kMaxTiers>& v) const {
        for (std::size_t i = 0; i < tiers; ++i) h.le(v[i]);
    }
};

Digest digest_bytes(const RunResults& run) {
    const std::size_t tiers = run.codes.tiers.size();
    if (tiers > kMaxTiers) [[unlikely]] {
        std::fprintf(stderr, "results_digest: %zu tiers, at most %zu supported\n", tiers, kMaxTiers);
        std::abort();
    }
    Hasher h;
    h.str(kDigestDomain);
    const Provenance& p = run.provenance;
    h.str(p.scenario_name);
    h.str(p.scenario_text);
    h.le(std::uint64_t{p.overrides.size()});
    for (const std::string& o : p.overrides) h.str(o);
    h.le(p.seed);
    h.le(p.replication);
    for_each_code_list(run.codes, [&](const char* table, const char* attribute, const auto& names) {
        h.str(table);
        h.str(attribute);
        h.le(std::uint64_t{names.size()});
        for (const std::string& name : names) h.str(name);
    });
    const FieldSerializer field{h, tiers};
    for_each_table(run, [&](const char* table, const auto& rows) {
        h.str(table);
        h.le(std::uint64_t{rows.size()});
        for (const auto& row : rows) for_each_field(row, field);
    });
    return h.finish();
}

std::string to_hex(const Digest& d) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out = "0x";
    out.reserve(2 + 2 * d.size());
    for (std::uint8_t b : d) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0xf]);
    }
    return out;
}

}  // namespace

std::string results_digest(const RunResults& run) { return to_hex(digest_bytes(run)); }

std::string results_file_digest(std::span<const RunResults> runs) {
    std::vector<std::pair<std::string_view, Digest>> entries;
    entries.reserve(runs.size());
    for (const RunResults& run : runs) entries.emplace_back(run.provenance.run_id, digest_bytes(run));
    std::sort(entries.begin(), entries.end());
    Hasher h;
    h.str(kFileDigestDomain);
    h.le(std::uint64_t{entries.size()});
    for (const auto& [id, digest] : entries) {
        h.str(id);
        h.bytes(digest.data(), digest.size());
    }
    return to_hex(h.finish());
}

}  // namespace cl::analysis
