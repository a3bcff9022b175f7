// The format-independent part of the topology import (import.hpp), shared by the
// GraphML reader (import_graphml.cpp) and the DOT reader (import_dot.cpp): attribute
// texts with their offsets, turned into checked link parameters by build(). Internal to
// sim/net: included only by sim/net/import*.cpp.
#pragma once

#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/net/import.hpp"

namespace cl::sim::net::detail {

constexpr std::size_t kNoOffset = std::string_view::npos;

// 1-based line and column of a byte offset; the column counts UTF-8 code points (bytes
// that are not continuation bytes), a tab counts as one.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset);

// An InputError at a byte offset of `text`; no position when offset is kNoOffset.
InputError error_at(InputErrorKind kind, const std::string& file, std::string_view text, std::size_t offset,
                    std::string message);

bool is_space(char c);

// A number written in full: optional surrounding whitespace, an optional sign, then
// what std::from_chars accepts (decimal, exponent, inf, nan), nothing else.
std::optional<double> parse_number(std::string_view s);

// ---------------------------------------------------------------------------------------
// The format-independent part: attribute texts (with where they start in the file, when
// known) turned into checked link parameters.

struct RawValue {
    std::string text;
    std::size_t offset = kNoOffset;  // where the value starts in the file
    bool present = false;
};

struct RawNode {
    std::string id;
    std::string label;
    RawValue latitude, longitude;
};

struct RawEdge {
    std::size_t a = 0, b = 0;
    std::size_t offset = kNoOffset;  // the edge element
    RawValue latency_ms, latency, bandwidth_bps, bandwidth_mbit_s, link_speed_raw;
};

struct RawGraph {
    std::vector<RawNode> nodes;
    std::vector<RawEdge> edges;
};

// A bad attribute value: the error, and the attribute's name and value as written (so
// that a reader without positions, DOT, can find where the value is written).
struct BuildError {
    InputError error;
    std::string attribute;
    std::string value;
};

// The checked topology of a raw graph, or the first bad attribute value.
std::expected<Topology, BuildError> build(const RawGraph& g, std::string_view text, const std::string& file,
                                          const ImportOptions& options);

// Options that no file can make valid (a negative default latency).
std::optional<InputError> check_options(const std::string& file, const ImportOptions& options);

}  // namespace cl::sim::net::detail
