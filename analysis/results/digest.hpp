// The results digest (DESIGN.md §6): one fingerprint of what a run produced, so that
// "same scenario + seed ⇒ same results" is checked by comparing two hex strings.
//
// results_digest = keccak256 (Ethereum Keccak-256, Crypto++ Keccak_256) of the canonical
// serialization below, as "0x" + 64 lower-case hex digits.
//
// Canonical serialization, version 2 (docs/metrics.md "Digest" restates it):
//   u64      little-endian 8 bytes; likewise u32 (4), u16 (2), u8 (1), i64 (two's complement, 8)
//   f64      the IEEE-754 binary64 bit pattern as a little-endian u64; every NaN is written
//            as 0x7ff8000000000000 (other values, -0.0 included, keep their bits)
//   str      u64 byte length, then the UTF-8 bytes (FixedString: its text without padding)
//   bytesN   the N raw bytes (hashes, codes, addresses)
//   list     u64 count, then each element
//
//   digest input =
//     str "cloudledger/results/v4"
//     str scenario_name, str scenario_text, list of str overrides, u64 seed, u32 replication
//     for each code book in fields.hpp for_each_code_list order:
//         str table name, str attribute name, list of str
//     for each table in fields.hpp for_each_table order (nodes, blocks … summary):
//         str table name, u64 row count, then each row's fields in for_each_field order;
//         SampleRow::pool_remaining contributes its first codes.tiers.size() entries (u64)
//
// Excluded on purpose: wall_clock (machine-dependent), and program_version, build_type
// and run_id — the digest identifies the results, so a Debug and a Release build, two
// program versions that agree, or the same run filed under another id in a sweep give
// the same digest. Any change to any row, name or the scenario/overrides/seed changes it.
//
// results_file_digest fingerprints a set of runs independently of their order:
//     keccak256( str "cloudledger/results-file/v1", u64 run count,
//                for runs sorted by run_id (byte order): str run_id, bytes32 run digest )
//
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string>

#include "analysis/results/schema.hpp"

namespace cl::analysis {

inline constexpr const char* kDigestDomain = "cloudledger/results/v4";
inline constexpr const char* kFileDigestDomain = "cloudledger/results-file/v1";

// REQUIRES: run.codes.tiers.size() <= kMaxTiers.
// Complexity: linear in the number of rows.
std::string results_digest(const RunResults& run);

// REQUIRES: as results_digest, for each run.
std::string results_file_digest(std::span<const RunResults> runs);

}  // namespace cl::analysis
