#include "sim/scenario/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <optional>

#include "sim/scenario/input.hpp"

namespace cl::sim::scenario {
namespace {

__extension__ using u128 = unsigned __int128;

constexpr std::int64_t kNsPerSecond = 1'000'000'000;
constexpr std::string_view kDurationUnits = "ns, us, ms, s, min (or m), h, d";
constexpr std::string_view kRateUnits = "/s, /min, /h, /d";
constexpr std::string_view kBandwidthUnits =
    "bit/s, kbit/s, Mbit/s, Gbit/s, Tbit/s (or bps, kbps, Mbps, Gbps), B/s, kB/s, MB/s, GB/s";
// At most this many significant digits: 10^24 · 8.64·10^13 (ns per day) < 2^128.
constexpr unsigned kMaxDigits = 24;

using detail::quote;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

u128 pow10(unsigned n) {
    u128 r = 1;
    for (unsigned i = 0; i < n; ++i) r *= 10;
    return r;
}

// An unsigned decimal read from the front of `s`: value = digits / 10^frac.
struct Decimal {
    u128 digits = 0;
    unsigned frac = 0;
};

// Reads `[0-9]+(\.[0-9]+)?` from the front of s (advancing it). nullopt when s does not
// start with a digit, or on a malformed fraction; `too_long` is set when the number has
// more than kMaxDigits significant digits.
std::optional<Decimal> read_decimal(std::string_view& s, bool& too_long) {
    if (s.empty() || !is_digit(s.front())) return std::nullopt;
    Decimal d;
    unsigned significant = 0;
    auto take = [&](char c) {
        if (d.digits != 0 || c != '0') ++significant;
        if (significant > kMaxDigits) {
            too_long = true;
            return;
        }
        d.digits = d.digits * 10 + static_cast<unsigned>(c - '0');
    };
    while (!s.empty() && is_digit(s.front())) {
        take(s.front());
        s.remove_prefix(1);
    }
    if (!s.empty() && s.front() == '.') {
        s.remove_prefix(1);
        if (s.empty() || !is_digit(s.front())) return std::nullopt;
        while (!s.empty() && is_digit(s.front())) {
            take(s.front());
            ++d.frac;
            s.remove_prefix(1);
        }
    }
    return d;
}

void skip_spaces(std::string_view& s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
}

std::string_view read_unit(std::string_view& s) {
    std::size_t n = 0;
    while (n < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[n]);
        // Letters, and the UTF-8 bytes of µ (0xC2 0xB5).
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == 0xC2 || c == 0xB5) {
            ++n;
        } else {
            break;
        }
    }
    const std::string_view unit = s.substr(0, n);
    s.remove_prefix(n);
    return unit;
}

std::optional<std::int64_t> duration_unit_ns(std::string_view unit) {
    if (unit == "ns") return 1;
    if (unit == "us" || unit == "\xC2\xB5s") return 1'000;
    if (unit == "ms") return 1'000'000;
    if (unit == "s") return kNsPerSecond;
    if (unit == "m" || unit == "min") return 60 * kNsPerSecond;
    if (unit == "h") return 3600 * kNsPerSecond;
    if (unit == "d") return 86400 * kNsPerSecond;
    return std::nullopt;
}

bool is_bare_zero(std::string_view text) {
    if (text.empty()) return false;
    bool dot = false;
    for (char c : text) {
        if (c == '.' && !dot) {
            dot = true;
        } else if (c != '0') {
            return false;
        }
    }
    return text.front() == '0';
}

bool looks_numeric(std::string_view text) {
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
    if (text.empty()) return false;
    for (char c : text) {
        if (!is_digit(c) && c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+') return false;
    }
    return is_digit(text.front()) || text.front() == '.';
}

}  // namespace

double Rate::per_second() const { return static_cast<double>(count) / per.to_seconds_f64(); }

Duration Rate::mean_interval() const {
    if (count == 0) return Duration::max();
    return Duration::from_nanos(per.nanos() / static_cast<std::int64_t>(count));
}

std::expected<Duration, std::string> parse_duration(std::string_view text) {
    const std::string_view original = text;
    if (text.empty()) return std::unexpected("expected a duration such as 15s, 500ms or 1h30m");
    bool negative = false;
    if (text.front() == '-' || text.front() == '+') {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    if (is_bare_zero(text)) return Duration::zero();
    if (looks_numeric(text)) {
        return std::unexpected("missing unit in " + quote(original) + ": write e.g. " + std::string(text) +
                               "s (units: " + std::string(kDurationUnits) + ")");
    }
    u128 total = 0;
    bool any = false;
    while (!text.empty()) {
        bool too_long = false;
        const auto d = read_decimal(text, too_long);
        if (!d) {
            return std::unexpected("expected a duration such as 15s, 500ms or 1h30m, got " + quote(original));
        }
        if (too_long) return std::unexpected("too many digits in " + quote(original));
        skip_spaces(text);
        const std::string_view unit = read_unit(text);
        if (unit.empty()) {
            return std::unexpected("missing unit after a number in " + quote(original) +
                                   " (units: " + std::string(kDurationUnits) + ")");
        }
        const auto unit_ns = duration_unit_ns(unit);
        if (!unit_ns) {
            return std::unexpected("unknown duration unit " + quote(unit) + " in " + quote(original) +
                                   " (units: " + std::string(kDurationUnits) + ")");
        }
        const u128 scaled = d->digits * static_cast<u128>(*unit_ns);
        const u128 div = pow10(d->frac);
        if (scaled % div != 0) return std::unexpected(quote(original) + " is finer than 1 ns");
        total += scaled / div;
        if (total > static_cast<u128>(std::numeric_limits<std::int64_t>::max())) {
            return std::unexpected(quote(original) + " is too long (at most about 292 years)");
        }
        any = true;
        skip_spaces(text);
    }
    if (!any) return std::unexpected("expected a duration such as 15s, 500ms or 1h30m");
    const auto ns = static_cast<std::int64_t>(total);
    return Duration::from_nanos(negative ? -ns : ns);
}

std::expected<Rate, std::string> parse_rate(std::string_view text) {
    const std::string_view original = text;
    const std::string expected_msg = "expected a rate such as 0.5/s, 30/min or 100/h, got " + quote(original);
    if (text.empty()) return std::unexpected(expected_msg);
    if (text.front() == '-') return std::unexpected("a rate cannot be negative: " + quote(original));
    if (is_bare_zero(text)) return Rate{};
    bool too_long = false;
    const auto d = read_decimal(text, too_long);
    if (!d) return std::unexpected(expected_msg);
    if (too_long) return std::unexpected("too many digits in " + quote(original));
    skip_spaces(text);
    if (text.empty()) {
        return std::unexpected("missing unit in " + quote(original) +
                               ": rates are written as count/unit, e.g. " + std::string(original) +
                               "/s (units: " + std::string(kRateUnits) + ")");
    }
    if (text.front() != '/') return std::unexpected(expected_msg);
    text.remove_prefix(1);
    skip_spaces(text);
    const std::string_view unit = read_unit(text);
    const auto unit_ns = duration_unit_ns(unit);
    if (unit.empty() || !unit_ns || *unit_ns < kNsPerSecond || !text.empty()) {
        return std::unexpected("unknown rate unit in " + quote(original) +
                               " (units: " + std::string(kRateUnits) + ")");
    }
    if (d->digits == 0) return Rate{};
    // count / (unit · 10^-frac)  =  digits per (unit_ns · 10^frac) ns, then reduced.
    u128 count = d->digits;
    u128 per = static_cast<u128>(*unit_ns) * pow10(d->frac);
    u128 a = count;
    u128 b = per;
    while (b != 0) {
        const u128 t = a % b;
        a = b;
        b = t;
    }
    count /= a;
    per /= a;
    if (count > std::numeric_limits<std::uint64_t>::max() ||
        per > static_cast<u128>(std::numeric_limits<std::int64_t>::max())) {
        return std::unexpected("too many decimal places in " + quote(original));
    }
    return Rate{static_cast<std::uint64_t>(count), Duration::from_nanos(static_cast<std::int64_t>(per))};
}

std::expected<std::uint64_t, std::string> parse_bandwidth(std::string_view text) {
    const std::string_view original = text;
    if (text.empty() || text.front() == '-') {
        return std::unexpected("expected a bandwidth such as 100Mbit/s or 1Gbit/s, got " + quote(original));
    }
    bool too_long = false;
    const auto d = read_decimal(text, too_long);
    if (!d)
        return std::unexpected("expected a bandwidth such as 100Mbit/s or 1Gbit/s, got " + quote(original));
    if (too_long) return std::unexpected("too many digits in " + quote(original));
    skip_spaces(text);
    if (text.empty()) {
        return std::unexpected("missing unit in " + quote(original) + ": write e.g. " +
                               std::string(original) + "Mbit/s (units: " + std::string(kBandwidthUnits) +
                               ")");
    }
    struct Unit {
        std::string_view name;
        std::uint64_t bps;
    };
    static constexpr std::array<Unit, 17> kUnits{{
        {"bit/s", 1},
        {"kbit/s", 1'000},
        {"Mbit/s", 1'000'000},
        {"Gbit/s", 1'000'000'000},
        {"Tbit/s", 1'000'000'000'000},
        {"bps", 1},
        {"kbps", 1'000},
        {"Mbps", 1'000'000},
        {"Gbps", 1'000'000'000},
        {"Tbps", 1'000'000'000'000},
        {"B/s", 8},
        {"kB/s", 8'000},
        {"MB/s", 8'000'000},
        {"GB/s", 8'000'000'000},
        {"TB/s", 8'000'000'000'000},
        {"Kbit/s", 1'000},
        {"Kbps", 1'000},
    }};
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
        if (text == u.name) unit = &u;
    }
    if (unit == nullptr) {
        return std::unexpected("unknown bandwidth unit " + quote(text) + " in " + quote(original) +
                               " (units: " + std::string(kBandwidthUnits) + ")");
    }
    const u128 scaled = d->digits * static_cast<u128>(unit->bps);
    const u128 div = pow10(d->frac);
    if (scaled % div != 0) return std::unexpected(quote(original) + " is not a whole number of bit/s");
    const u128 bps = scaled / div;
    if (bps > std::numeric_limits<std::uint64_t>::max())
        return std::unexpected(quote(original) + " is too large");
    return static_cast<std::uint64_t>(bps);
}

std::expected<double, std::string> parse_number(std::string_view text) {
    if (!looks_numeric(text)) return std::unexpected("expected a number, got " + quote(text));
    std::string_view digits = text;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    double value = 0;
    const auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), value, std::chars_format::general);
    if (ec == std::errc::result_out_of_range) return std::unexpected(quote(text) + " is out of range");
    if (ec != std::errc{} || end != digits.data() + digits.size() || !std::isfinite(value)) {
        return std::unexpected("expected a number, got " + quote(text));
    }
    return value;
}

std::expected<double, std::string> parse_probability(std::string_view text) {
    const std::string_view original = text;
    double value = 0;
    if (!text.empty() && text.back() == '%') {
        text.remove_suffix(1);
        while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
        if (text.find_first_of("eE") != std::string_view::npos) {
            return std::unexpected("expected a probability such as 0.05 or 5%, got " + quote(original));
        }
        // Scale by the exponent, not by a division, so the result is correctly rounded.
        std::string scaled(text);
        scaled += "e-2";
        auto v = parse_number(scaled);
        if (!v) return std::unexpected("expected a probability such as 0.05 or 5%, got " + quote(original));
        value = *v;
    } else {
        auto v = parse_number(text);
        if (!v) return std::unexpected("expected a probability such as 0.05 or 5%, got " + quote(original));
        value = *v;
    }
    if (!(value >= 0.0 && value <= 1.0)) {
        return std::unexpected("probability " + std::string(original) + " is outside [0, 1]");
    }
    return value;
}

std::expected<std::uint64_t, std::string> parse_unsigned(std::string_view text) {
    const std::string_view original = text;
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    if (text.empty() || !is_digit(text.front()) || !is_digit(text.back())) {
        if (!text.empty() && text.front() == '-' && looks_numeric(text)) {
            return std::unexpected(std::string(original) + " is negative; expected an integer >= 0");
        }
        return std::unexpected("expected an integer, got " + quote(original));
    }
    std::uint64_t value = 0;
    char prev = '0';
    for (char c : text) {
        if (c == '_') {
            if (prev == '_') return std::unexpected("expected an integer, got " + quote(original));
        } else if (is_digit(c)) {
            const auto digit = static_cast<std::uint64_t>(c - '0');
            if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
                return std::unexpected(quote(original) + " is too large");
            }
            value = value * 10 + digit;
        } else {
            return std::unexpected("expected an integer, got " + quote(original));
        }
        prev = c;
    }
    return value;
}

std::string format_duration(Duration d) {
    std::int64_t ns = d.nanos();
    if (ns == 0) return "0s";
    std::string out;
    if (ns < 0) {
        out = "-";
        if (ns == std::numeric_limits<std::int64_t>::min()) return "-9223372036854775808ns";
        ns = -ns;
    }
    if (ns % kNsPerSecond == 0) {
        std::int64_t s = ns / kNsPerSecond;
        const std::int64_t h = s / 3600;
        const std::int64_t m = (s % 3600) / 60;
        s %= 60;
        if (h != 0) out += std::to_string(h) + "h";
        if (m != 0) out += std::to_string(m) + "m";
        if (s != 0) out += std::to_string(s) + "s";
        return out;
    }
    struct Unit {
        std::int64_t ns;
        const char* name;
    };
    for (const Unit u : {Unit{1'000'000'000, "s"}, Unit{1'000'000, "ms"}, Unit{1'000, "us"}, Unit{1, "ns"}}) {
        if (ns >= u.ns) {
            // A decimal of this unit, exact (trailing zeros dropped).
            std::string s = std::to_string(ns / u.ns);
            std::int64_t frac = ns % u.ns;
            if (frac != 0) {
                std::string f = std::to_string(frac);
                std::string digits(static_cast<std::size_t>(std::to_string(u.ns).size() - 1) - f.size(), '0');
                digits += f;
                while (!digits.empty() && digits.back() == '0') digits.pop_back();
                s += "." + digits;
            }
            return out + s + u.name;
        }
    }
    return out + std::to_string(ns) + "ns";
}

std::string format_bandwidth(std::uint64_t bps) {
    struct Unit {
        std::uint64_t bps;
        const char* name;
    };
    for (const Unit u : {Unit{1'000'000'000'000, "Tbit/s"}, Unit{1'000'000'000, "Gbit/s"},
                         Unit{1'000'000, "Mbit/s"}, Unit{1'000, "kbit/s"}}) {
        if (bps >= u.bps) {
            std::string s = std::to_string(bps / u.bps);
            std::uint64_t frac = bps % u.bps;
            if (frac != 0) {
                std::string f = std::to_string(frac);
                std::string digits(std::to_string(u.bps).size() - 1 - f.size(), '0');
                digits += f;
                while (!digits.empty() && digits.back() == '0') digits.pop_back();
                s += "." + digits;
            }
            return s + u.name;
        }
    }
    return std::to_string(bps) + "bit/s";
}

std::string format_rate(const Rate& rate) {
    std::array<char, 64> buf{};
    std::snprintf(buf.data(), buf.size(), "%.6g/s", rate.per_second());
    return buf.data();
}

}  // namespace cl::sim::scenario
