// Quantities with units, as scenario files write them (docs/scenarios.md, "Units").
//
// Every parser takes the text of one YAML scalar and returns the value or a message
// saying what was expected (the caller adds file, line, column and key). They are exact:
//   durations   `15s`, `500ms`, `60us`, `2h`, `1h30m`, `1.5s` → integer nanoseconds,
//               computed in 128-bit integer arithmetic from the decimal digits (no
//               double ever holds a duration, so `0.1s` is exactly 100'000'000 ns); a
//               value finer than 1 ns or beyond the int64 range is an error. Units: ns,
//               us (or µs), ms, s, m or min, h, d. Components may be chained (`1h30m`).
//               A bare `0` is accepted (zero needs no unit); any other bare number is an
//               error naming the accepted units. A leading `-` is parsed (the caller
//               decides whether negative values are allowed, and says so).
//   rates       `0.5/s`, `30/min`, `100/h`, `2/d` → an exact rational count per Duration
//               (Rate), reduced; bare `0` is the zero rate.
//   bandwidths  `100Mbit/s`, `1Gbit/s`, `1.5Gbps`, `10MB/s` → whole bits per second
//               (SI prefixes, powers of ten; B = 8 bit).
//   probabilities `0.05` or `5%`, in [0, 1] → the correctly rounded double
//               (std::from_chars), so the same text gives the same bits everywhere.
//   numbers     plain finite decimals (`2.5`, `1e3`) → double, correctly rounded.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "sim/kernel/time.hpp"

namespace cl::sim::scenario {

// `count` events per `per`, reduced (gcd(count, per.nanos()) == 1 unless count == 0, when
// per is 1 s). Invariant: per > 0.
struct Rate {
    std::uint64_t count = 0;
    Duration per = seconds(1);

    // Edges only (the Poisson draws of a workload, reports).
    double per_second() const;
    // per / count truncated to whole ns; Duration::max() for the zero rate.
    Duration mean_interval() const;
    bool is_zero() const { return count == 0; }
    friend bool operator==(const Rate&, const Rate&) = default;
};

std::expected<Duration, std::string> parse_duration(std::string_view text);
std::expected<Rate, std::string> parse_rate(std::string_view text);
std::expected<std::uint64_t, std::string> parse_bandwidth(std::string_view text);
std::expected<double, std::string> parse_probability(std::string_view text);
std::expected<double, std::string> parse_number(std::string_view text);
// A non-negative integer: digits, optionally grouped with `_` (1_000_000).
std::expected<std::uint64_t, std::string> parse_unsigned(std::string_view text);

// Canonical text for messages and summaries: `6h`, `1h30m`, `1.5s`, `60us`, `-5ms`.
// parse_duration(format_duration(d)) == d for every d.
std::string format_duration(Duration d);
// `100Mbit/s`, `1.5Gbit/s`, `12345bit/s`.
std::string format_bandwidth(std::uint64_t bits_per_second);
// Per second, six significant digits (`0.5/s`, `0.0277778/s`): for messages, not round trips.
std::string format_rate(const Rate& rate);

}  // namespace cl::sim::scenario
