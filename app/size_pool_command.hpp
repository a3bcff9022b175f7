// `cloudledger size-pool [SCENARIO.yaml] [--target P] [--ttl TTL]... ...`
// (shared/spec/experiments.md §4; docs/sizing.md): the quota per tier each cloud must give
// so that at least the target share of users is served, with confidence — found by
// simulation (runs through the sweep machinery: every core, resumable) with an analytic
// cross-check beside it.
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace cl::app {

// Exit codes: 0 done (whether or not the target was reached: the report says), 1 a run
// or the write failed (the journal keeps the finished runs), 2 bad usage or input
// (nothing run, nothing written).
int run_size_pool(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace cl::app
