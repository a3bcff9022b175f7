// `cloudledger conformance …`: run conformance files through the real Clique engine.
// Each prints one line per case and a closing "N passed, M failed" line to `out`, and
// returns the exit code: 0 all passed, 1 some failed, 2 the file is malformed (message
// on `err`, nothing on `out`). Formats: docs/conformance.md.
#pragma once

#include <iosfwd>
#include <string>

namespace cl::app {

// shared/vectors/clique-votes.json format (shared/spec/clique.md §10).
int run_clique_votes(const std::string& path, std::ostream& out, std::ostream& err);

// {"epoch": optional, "headers": [{"name", "rlp", "hash", "signer", "expect_error"}]}.
int run_clique_headers(const std::string& path, std::ostream& out, std::ostream& err);

}  // namespace cl::app
