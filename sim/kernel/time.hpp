// Simulated time: a strong integer count of nanoseconds (DESIGN.md §6, STYLE.md §5).
//
// `Duration` is a signed span of simulated time; `Time` is a point on the simulated
// timeline, measured from the start of the simulation (Time::zero()). Both are one
// std::int64_t (range ±292 years), trivially copyable, and never hold a `double`:
// conversion to floating-point seconds exists only for the edges (reports, header
// timestamps) and is named as such. Arithmetic is plain int64 arithmetic; overflowing it
// is a bug (the simulator asserts it never schedules past Time::max()). Where a sum of
// values that come from configuration may pass the end of the timeline (a message
// queued behind a huge backlog, a heavy-tailed latency), use saturating_add: Time::max()
// then stands for "never within any run".
//
// Protocol code (protocol/clique SealPlan::delay) speaks std::chrono::nanoseconds;
// Duration::from_chrono / to_chrono convert at zero cost (same representation). Any
// chrono duration that converts to nanoseconds without loss (seconds, milliseconds, …)
// is accepted by from_chrono through the usual implicit chrono conversion.
//
// Thread-safety: value types, no shared state.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <limits>

namespace cl::sim {

class Duration {
  public:
    constexpr Duration() = default;

    static constexpr Duration from_nanos(std::int64_t ns) { return Duration(ns); }
    static constexpr Duration from_chrono(std::chrono::nanoseconds d) { return Duration(d.count()); }
    static constexpr Duration zero() { return Duration(0); }
    static constexpr Duration max() { return Duration(std::numeric_limits<std::int64_t>::max()); }

    constexpr std::int64_t nanos() const { return ns_; }
    constexpr std::chrono::nanoseconds to_chrono() const { return std::chrono::nanoseconds(ns_); }
    // Edges only (reports, plots): never feed the result back into the timeline.
    constexpr double to_seconds_f64() const { return static_cast<double>(ns_) * 1e-9; }

    friend constexpr auto operator<=>(Duration, Duration) = default;

    constexpr Duration operator-() const { return Duration(-ns_); }
    friend constexpr Duration operator+(Duration a, Duration b) { return Duration(a.ns_ + b.ns_); }
    friend constexpr Duration operator-(Duration a, Duration b) { return Duration(a.ns_ - b.ns_); }
    friend constexpr Duration operator*(Duration a, std::int64_t k) { return Duration(a.ns_ * k); }
    friend constexpr Duration operator*(std::int64_t k, Duration a) { return Duration(a.ns_ * k); }
    // Truncates toward zero, like integer division. REQUIRES: k != 0.
    friend constexpr Duration operator/(Duration a, std::int64_t k) { return Duration(a.ns_ / k); }
    // How many whole `b` fit in `a` (truncating). REQUIRES: b != zero().
    friend constexpr std::int64_t operator/(Duration a, Duration b) { return a.ns_ / b.ns_; }
    friend constexpr Duration operator%(Duration a, Duration b) { return Duration(a.ns_ % b.ns_); }
    constexpr Duration& operator+=(Duration b) {
        ns_ += b.ns_;
        return *this;
    }
    constexpr Duration& operator-=(Duration b) {
        ns_ -= b.ns_;
        return *this;
    }

  private:
    constexpr explicit Duration(std::int64_t ns) : ns_(ns) {}
    std::int64_t ns_ = 0;
};

constexpr Duration nanos(std::int64_t n) { return Duration::from_nanos(n); }
constexpr Duration micros(std::int64_t n) { return Duration::from_nanos(n * 1'000); }
constexpr Duration millis(std::int64_t n) { return Duration::from_nanos(n * 1'000'000); }
constexpr Duration seconds(std::int64_t n) { return Duration::from_nanos(n * 1'000'000'000); }
constexpr Duration minutes(std::int64_t n) { return seconds(n * 60); }
constexpr Duration hours(std::int64_t n) { return seconds(n * 3600); }

class Time {
  public:
    constexpr Time() = default;  // the start of the simulation

    static constexpr Time zero() { return Time(0); }
    // The end of the timeline; also "never" for an unbounded run.
    static constexpr Time max() { return Time(std::numeric_limits<std::int64_t>::max()); }
    static constexpr Time from_nanos(std::int64_t ns) { return Time(ns); }
    static constexpr Time at(Duration since_start) { return Time(since_start.nanos()); }

    constexpr std::int64_t nanos() const { return ns_; }
    constexpr Duration since_start() const { return Duration::from_nanos(ns_); }
    // Edges only (reports, plots).
    constexpr double to_seconds_f64() const { return static_cast<double>(ns_) * 1e-9; }

    friend constexpr auto operator<=>(Time, Time) = default;

    friend constexpr Time operator+(Time t, Duration d) { return Time(t.ns_ + d.nanos()); }
    friend constexpr Time operator+(Duration d, Time t) { return Time(t.ns_ + d.nanos()); }
    friend constexpr Time operator-(Time t, Duration d) { return Time(t.ns_ - d.nanos()); }
    friend constexpr Duration operator-(Time a, Time b) { return Duration::from_nanos(a.ns_ - b.ns_); }
    constexpr Time& operator+=(Duration d) {
        ns_ += d.nanos();
        return *this;
    }
    constexpr Time& operator-=(Duration d) {
        ns_ -= d.nanos();
        return *this;
    }

  private:
    constexpr explicit Time(std::int64_t ns) : ns_(ns) {}
    std::int64_t ns_ = 0;
};

// t + d, or Time::max() when the sum is past the end of the timeline. REQUIRES: d >= 0.
constexpr Time saturating_add(Time t, Duration d) {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(t.nanos(), d.nanos(), &sum)) return Time::max();
    return Time::from_nanos(sum);
}
// a + b, or Duration::max() when the sum overflows. REQUIRES: a, b >= 0.
constexpr Duration saturating_add(Duration a, Duration b) {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(a.nanos(), b.nanos(), &sum)) return Duration::max();
    return Duration::from_nanos(sum);
}

// Literals: `using namespace cl::sim::literals; auto d = 500_ms;`
namespace literals {
constexpr Duration operator""_ns(unsigned long long n) { return nanos(static_cast<std::int64_t>(n)); }
constexpr Duration operator""_us(unsigned long long n) { return micros(static_cast<std::int64_t>(n)); }
constexpr Duration operator""_ms(unsigned long long n) { return millis(static_cast<std::int64_t>(n)); }
constexpr Duration operator""_s(unsigned long long n) { return seconds(static_cast<std::int64_t>(n)); }
}  // namespace literals

}  // namespace cl::sim
