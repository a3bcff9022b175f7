// libFuzzer target for the decoders of untrusted bytes: rlp::validate, rlp::decode and
// decode_header, with the oracles of tests/chain/decode_fuzz_test.cpp (which runs the
// same checks on a fixed, seeded corpus in every CTest run):
//   - validate() and decode() agree (same error when decode fails);
//   - validate() succeeds ⇒ re-encoding the decoded tree reproduces the input;
//   - decode_header() succeeds ⇒ validate() succeeds and encode(header) == input.
//
// Build (clang ≥ 19: older clang lacks the C++20 concepts level libstdc++ 12 needs for std::expected):
//   CXX=clang++-19 cmake --preset asan -B build/fuzz -DCLOUDLEDGER_FUZZ=ON
//   cmake --build build/fuzz --target header_fuzz
//   build/fuzz/tests/header_fuzz -max_total_time=60 [corpus-dir]
#include <cstddef>
#include <cstdint>

#include "protocol/chain/header.hpp"
#include "protocol/core/assert.hpp"
#include "protocol/core/rlp.hpp"

namespace {

void reencode(const cl::rlp::Item& item, cl::Bytes& out) {
    if (!item.is_list) {
        cl::rlp::append_bytes(out, item.payload);
        return;
    }
    const std::size_t begin = cl::rlp::begin_list(out);
    cl::BytesView rest = item.payload;
    while (!rest.empty()) {
        auto child = cl::rlp::read_item(rest);
        CL_ASSERT(child.has_value());  // validate() accepted the whole tree
        reencode(*child, out);
    }
    cl::rlp::end_list(out, begin);
}

bool same(cl::BytesView a, const cl::Bytes& b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const cl::BytesView in(data, size);
    const auto valid = cl::rlp::validate(in);
    const auto item = cl::rlp::decode(in);
    CL_ASSERT(!valid || item);
    CL_ASSERT(item || valid.error() == item.error());
    if (valid) {
        cl::Bytes again;
        reencode(*item, again);
        CL_ASSERT(same(in, again));  // strict decoder ⇒ canonical
    }
    if (const auto header = cl::decode_header(in)) {
        CL_ASSERT(valid.has_value());
        CL_ASSERT(same(in, cl::encode(*header)));
    }
    return 0;
}
