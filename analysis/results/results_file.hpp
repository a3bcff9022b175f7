// The HDF5 results file (DESIGN.md §7): writer, reader and the layout they share.
//
// Layout, readable by h5py/pandas without this program (docs/metrics.md has an example):
//   /                       attrs: schema = "cloudledger-results", schema_version (u32),
//                                  digest = results_file_digest of all runs (hex string)
//   /runs                   one group per run, in the order written (link creation order
//                           is tracked; h5py lists them by name)
//   /runs/<run_id>          attrs: digest = results_digest(run)
//     provenance            group; attrs scenario_name, scenario_text, program_version,
//                           build_type, run_id (UTF-8 strings), overrides (UTF-8 string
//                           array, `key=value` in order), seed (u64), replication (u32)
//     wall_clock            group; attrs wall_seconds, events_per_s, sim_seconds_per_wall_second
//                           (f64), events, peak_rss_bytes (u64) — not in the digest
//     nodes, signers, blocks, propagation, requests, transfers, renewals, redemptions, reorgs,
//     checkpoints, mainchain, network, samples, attacks, attack_figures, summary
//                           1-D compound datasets, one row per element, columns named and
//                           ordered as in fields.hpp; always present, zero-length when empty
//     requests attrs        status_names, reason_names, tier_names, region_names
//     transfers attrs       status_names, reason_names
//     renewals attrs        status_names, reason_names
//     redemptions attrs     status_names, reason_names, cloud_names
//     samples attrs         tier_names (pool_remaining_<i> is tier_names[i])
//     checkpoints attrs     rejection_names
//     mainchain attrs       miner_names
//     nodes attrs           role_names, cloud_names, region_names (cloud and region 65535: none),
//                           fork_choice_names
//
// Column types: little-endian u8/u16/u32/u64/i64 and IEEE f64; hashes, codes and addresses
// are fixed-length ASCII strings "0x" + lower-case hex (66 or 42 bytes); names (summary name
// and unit, network message_type) are fixed-length zero-padded UTF-8 strings; name lists
// and provenance strings are variable-length UTF-8 strings. Datasets are chunked, and
// deflate-compressed (with shuffle) when the HDF5 library has deflate.
//
// Thread-safety: the functions share no state of their own but a fixed table of the
// temporary names being written (lock-free atomics; for remove_unfinished_results_files);
// HDF5 serialises concurrent calls when it is a thread-safe build (Debian's is). They
// change HDF5's error-printing setting of the calling thread for their duration only.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/results/schema.hpp"
#include "analysis/results/sweep_schema.hpp"

namespace cl::analysis {

inline constexpr const char* kResultsSchemaName = "cloudledger-results";
inline constexpr std::uint32_t kResultsSchemaVersion = 4;

// Checks what the file format requires of the runs, without touching the file system:
// run ids valid (non-empty, no '/', not "." or "..", no NUL) and unique; at most kMaxTiers
// tiers; every status/reason/tier/region/cloud/role/fork-choice code in a row names an
// entry of its code book; summary names non-empty and unique; no NUL inside provenance
// strings or code names.
// The error names the run, table, row and field.
std::expected<void, std::string> validate_results(std::span<const RunResults> runs);

// The temporary name write_results uses when `path` already exists (or the file system
// has no O_TMPFILE): path + ".tmp-" + the process id.
std::string temp_path_for(const std::string& path);

// Checks, before any work, that write_results can create `path`: the path is not empty,
// does not name a directory, and its directory exists and lets this process create a
// file (probed by opening an unnamed O_TMPFILE file there and closing it, so nothing is
// ever visible; access(2) where O_TMPFILE is unsupported). The error names the path.
std::expected<void, std::string> check_output_path(const std::string& path);

// Writes `runs` to a new HDF5 file at `path`, replacing any file there, atomically:
// afterwards `path` is either the previous file or the complete new one, even if the
// process is killed at any point (SIGKILL included) or the machine crashes after return.
// How: the file is built in memory (HDF5's core driver), its bytes written to an unnamed
// file (O_TMPFILE) in the target's directory, fsynced, linked into place (linkat; when
// `path` exists, linked as temp_path_for(path) and renamed over it at once), and the
// directory fsynced. Without O_TMPFILE the bytes go to temp_path_for(path) first. A
// temporary name exists only during those last steps and is registered for
// remove_unfinished_results_files. On any failure (invalid runs, HDF5 error, disk full,
// rename failure) nothing is left behind and `path` is as it was; the error says what
// failed. Memory: the finished file is held twice, briefly (HDF5's image and a copy).
std::expected<void, std::string> write_results(const std::string& path, std::span<const RunResults> runs);

// Removes the temporary names of writes in progress (see write_results). Async-signal-safe
// (atomics and unlinkat(2) only): for handlers of SIGINT/SIGTERM, which then end the
// process. A SIGKILL cannot be handled: it can leave a temporary name only in the instant
// between linking it and renaming it over an existing file (the file under it is complete).
void remove_unfinished_results_files() noexcept;

// Reads every run of a file written by write_results, in the order written. Checks the
// schema name and version, that every table and column is present, that hex columns
// parse, and that each run's stored digest equals results_digest of what was read (a
// mismatch means the file was altered). Unknown extra columns, attributes and objects
// are ignored.
std::expected<std::vector<RunResults>, std::string> read_results(const std::string& path);

// ---------------------------------------------------------------------------------------
// Sweep files: the runs as above plus the `/sweep` group (sweep_schema.hpp). The file
// digest covers the runs only; the `/sweep` tables are derived from them (the aggregates
// can be recomputed from the runs' summary tables, analysis/report/aggregate.hpp).

// Checks the invariants of sweep_schema.hpp against `runs`; the error names the point,
// row or run id.
std::expected<void, std::string> validate_sweep(std::span<const RunResults> runs, const SweepTables& sweep);

// As write_results, with the `/sweep` group; validate_results and validate_sweep first.
std::expected<void, std::string> write_sweep_results(const std::string& path,
                                                     std::span<const RunResults> runs,
                                                     const SweepTables& sweep);

// A results file as read: its runs, and its `/sweep` group when it has one.
struct ResultsFile {
    std::vector<RunResults> runs;
    std::optional<SweepTables> sweep;
};

// As read_results, plus the `/sweep` group when present: its sweep_schema_version must be
// kSweepSchemaVersion, its tables and attributes present, and validate_sweep must pass.
std::expected<ResultsFile, std::string> read_results_file(const std::string& path);

}  // namespace cl::analysis
