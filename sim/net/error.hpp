// Errors of sim/net: bad input and bad configuration are values (STYLE.md §6).
//
// InputError: reading a file (topology, region data) failed. It names the file and,
// where they can be found, the 1-based line and column, so that the CLI prints
// `file:line:column: message` and exits with code 2 (DESIGN.md §8).
//
// ConfigError: a configuration value (network settings, fault schedules, generator
// parameters) breaks a rule. It names the field (a dotted path relative to the struct
// or call that was given the value, e.g. `loss`, `latency.pareto_shape`,
// `partition 'split'.groups[1][0]`), the rule broken (ConfigErrorCode) and a message
// quoting the offending value. Callers that read the values from a file (the scenario
// loader) prefix the field with their own path.
//
// CL_ASSERT remains only for conditions no user input can reach (programming errors:
// a caller skipping validation, an index from the caller's own bookkeeping).
#pragma once

#include <cstddef>
#include <string>

#include "sim/input/text_file.hpp"

namespace cl::sim::net {

enum class [[nodiscard]] InputErrorKind{
    kCannotOpen,    // the file could not be read
    kSyntax,        // not well-formed GraphML / DOT / YAML
    kBadValue,      // a well-formed file with a value that is wrong (type, range, unknown name)
    kMissingField,  // a required key or attribute is absent
};

struct InputError {
    InputErrorKind kind = InputErrorKind::kSyntax;
    std::string file;
    std::size_t line = 0;    // 1-based; 0 when unknown
    std::size_t column = 0;  // 1-based, in characters (UTF-8 code points); 0 when unknown
    std::string message;

    // "file:line:column: message", "file:line: message" or "file: message" (input::location).
    std::string to_string() const {
        std::string s = input::location(file, line, column);
        s += ": ";
        s += message;
        return s;
    }
};

// The rule a rejected configuration value breaks.
enum class [[nodiscard]] ConfigErrorCode{
    kProbabilityOutOfRange,  // a probability (loss, Erdős–Rényi p, Watts–Strogatz beta) is in [0, 1]
    kNegativeDuration,       // latencies and jitter are >= 0
    kParetoShapeTooSmall,    // the Pareto tail index is > 1 and finite (the mean must exist)
    kMessageTypeCount,       // message_types is in [1, 65536] (MessageType is 16-bit)
    kNegativeTime,           // fault times are >= Time::zero()
    kEndBeforeStart,         // a fault interval [start, end) has start <= end
    kUnknownNode,            // a node index is < the topology's node count
    kNoGroups,               // a partition has at least one group
    kEmptyGroup,             // a partition group has at least one node
    kNodeInTwoGroups,        // a node is listed once per partition (one group, once)
    kTooManyGroups,          // a partition has at most 65534 groups
    kSelfLink,               // a link joins two different nodes
    kNotLinked,              // a link failure names two nodes the topology links
    kTooManyNodes,           // a generated topology has at most 2^32 - 1 nodes
    kDegreeOutOfRange,       // a generator degree fits the node count (e.g. d < n)
    kOddStubCount,           // random regular: n·d is even
    kOddLatticeDegree,       // Watts–Strogatz: k is even
    kBadRegionModel,         // a region model is consistent (sizes, non-negative values, shares)
    kNotGenerated,           // make_topology: TopologyKind::kFile is loaded (load_topology), not generated
};

struct ConfigError {
    ConfigErrorCode code = ConfigErrorCode::kProbabilityOutOfRange;
    std::string field;    // which value, e.g. "latency.pareto_shape"
    std::string message;  // what is wrong with it, quoting the value

    // "field: message".
    std::string to_string() const {
        std::string s = field;
        s += ": ";
        s += message;
        return s;
    }
};

}  // namespace cl::sim::net
