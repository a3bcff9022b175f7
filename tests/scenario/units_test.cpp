// sim/scenario units: exact durations, rates, bandwidths and probabilities.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "sim/scenario/units.hpp"

namespace cl::sim::scenario {
namespace {

std::int64_t ns(std::string_view text) {
    const auto d = parse_duration(text);
    EXPECT_TRUE(d.has_value()) << text << ": " << (d ? "" : d.error());
    return d ? d->nanos() : -1;
}

std::string duration_error(std::string_view text) {
    const auto d = parse_duration(text);
    EXPECT_FALSE(d.has_value()) << text << " parsed as " << (d ? d->nanos() : 0);
    return d ? "" : d.error();
}

TEST(ParseDuration, EveryUnitExactly) {
    EXPECT_EQ(ns("7ns"), 7);
    EXPECT_EQ(ns("60us"), 60'000);
    EXPECT_EQ(ns("60\xC2\xB5s"), 60'000);
    EXPECT_EQ(ns("500ms"), 500'000'000);
    EXPECT_EQ(ns("15s"), 15'000'000'000);
    EXPECT_EQ(ns("2m"), 120'000'000'000);
    EXPECT_EQ(ns("2min"), 120'000'000'000);
    EXPECT_EQ(ns("2h"), 7'200'000'000'000);
    EXPECT_EQ(ns("1d"), 86'400'000'000'000);
}

TEST(ParseDuration, DecimalsAreExactNotRoundedThroughDouble) {
    EXPECT_EQ(ns("1.5s"), 1'500'000'000);
    EXPECT_EQ(ns("0.1s"), 100'000'000);  // 0.1 has no exact double
    EXPECT_EQ(ns("0.3s"), 300'000'000);
    EXPECT_EQ(ns("1.000000001s"), 1'000'000'001);
    EXPECT_EQ(ns("0.000001ms"), 1);
    EXPECT_EQ(ns("2.5h"), 9'000'000'000'000);
    EXPECT_EQ(ns("0.25us"), 250);
    EXPECT_NE(duration_error("1.0000000001s").find("finer than 1 ns"), std::string::npos);
    EXPECT_NE(duration_error("0.5ns").find("finer than 1 ns"), std::string::npos);
}

TEST(ParseDuration, CompoundAndSpaces) {
    EXPECT_EQ(ns("1h30m"), 5'400'000'000'000);
    EXPECT_EQ(ns("1h30m15s"), 5'415'000'000'000);
    EXPECT_EQ(ns("1h 30m"), 5'400'000'000'000);
    EXPECT_EQ(ns("15 s"), 15'000'000'000);
    EXPECT_EQ(ns("1s500ms"), 1'500'000'000);
}

TEST(ParseDuration, SignsZeroAndLimits) {
    EXPECT_EQ(ns("-5s"), -5'000'000'000);
    EXPECT_EQ(ns("0"), 0);
    EXPECT_EQ(ns("0.0"), 0);
    EXPECT_EQ(ns("0s"), 0);
    EXPECT_EQ(ns("9223372036854775807ns"), std::numeric_limits<std::int64_t>::max());
    EXPECT_NE(duration_error("9223372036854775808ns").find("too long"), std::string::npos);
    EXPECT_NE(duration_error("106752d").find("too long"), std::string::npos);
    EXPECT_NE(duration_error("1000000000000000000000000000h").find("too many digits"), std::string::npos);
}

TEST(ParseDuration, BareNumbersNeedAUnitAndSayWhichUnits) {
    for (const char* text : {"15", "1.5", "-3", "1e3"}) {
        const std::string e = duration_error(text);
        EXPECT_NE(e.find("missing unit"), std::string::npos) << text << ": " << e;
        EXPECT_NE(e.find("ns, us, ms, s, min (or m), h, d"), std::string::npos) << e;
    }
    EXPECT_NE(duration_error("6hours").find("unknown duration unit 'hours'"), std::string::npos);
    EXPECT_NE(duration_error("15sec").find("unknown duration unit"), std::string::npos);
    EXPECT_NE(duration_error("1h30").find("missing unit"), std::string::npos);
    EXPECT_FALSE(duration_error("abc").empty());
    EXPECT_FALSE(duration_error("").empty());
    EXPECT_FALSE(duration_error("1..5s").empty());
    EXPECT_FALSE(duration_error("s").empty());
    EXPECT_FALSE(duration_error(".5s").empty());
}

TEST(FormatDuration, RoundTripsExactly) {
    for (std::int64_t v :
         {0LL, 1LL, 999LL, 1'000LL, 60'000LL, 1'500'000'000LL, 15'000'000'000LL, 5'400'000'000'000LL,
          21'600'000'000'000LL, 100'000'001LL, -5'000'000'000LL, 86'400'000'000'001LL,
          static_cast<long long>(std::numeric_limits<std::int64_t>::max())}) {
        const std::string text = format_duration(Duration::from_nanos(v));
        EXPECT_EQ(ns(text), v) << text;
    }
    EXPECT_EQ(format_duration(hours(6)), "6h");
    EXPECT_EQ(format_duration(minutes(90)), "1h30m");
    EXPECT_EQ(format_duration(micros(60)), "60us");
    EXPECT_EQ(format_duration(millis(1500)), "1.5s");
}

TEST(ParseRate, ExactRationals) {
    EXPECT_EQ(parse_rate("0.5/s").value(), (Rate{1, seconds(2)}));
    EXPECT_EQ(parse_rate("30/min").value(), (Rate{1, seconds(2)}));
    EXPECT_EQ(parse_rate("100/h").value(), (Rate{1, seconds(36)}));
    EXPECT_EQ(parse_rate("2/d").value(), (Rate{1, hours(12)}));
    EXPECT_EQ(parse_rate("1.5/min").value(), (Rate{1, seconds(40)}));
    EXPECT_EQ(parse_rate("7/s").value(), (Rate{7, seconds(1)}));
    EXPECT_EQ(parse_rate("2 / s").value(), (Rate{1, millis(500)}));  // reduced
    EXPECT_TRUE(parse_rate("0").value().is_zero());
    EXPECT_TRUE(parse_rate("0/s").value().is_zero());
    EXPECT_DOUBLE_EQ(parse_rate("30/min")->per_second(), 0.5);
    EXPECT_EQ(parse_rate("30/min")->mean_interval(), seconds(2));
    EXPECT_EQ(parse_rate("0")->mean_interval(), Duration::max());
}

TEST(ParseRate, Errors) {
    EXPECT_NE(parse_rate("2").error().find("missing unit"), std::string::npos);
    EXPECT_NE(parse_rate("2").error().find("/s, /min, /h, /d"), std::string::npos);
    EXPECT_NE(parse_rate("3/week").error().find("unknown rate unit"), std::string::npos);
    EXPECT_NE(parse_rate("3/ms").error().find("unknown rate unit"), std::string::npos);
    EXPECT_NE(parse_rate("-1/s").error().find("negative"), std::string::npos);
    EXPECT_FALSE(parse_rate("fast").has_value());
    EXPECT_FALSE(parse_rate("1/s/s").has_value());
}

TEST(ParseBandwidth, SiUnitsExactly) {
    EXPECT_EQ(parse_bandwidth("100Mbit/s").value(), 100'000'000u);
    EXPECT_EQ(parse_bandwidth("1Gbit/s").value(), 1'000'000'000u);
    EXPECT_EQ(parse_bandwidth("1.5Gbps").value(), 1'500'000'000u);
    EXPECT_EQ(parse_bandwidth("10MB/s").value(), 80'000'000u);
    EXPECT_EQ(parse_bandwidth("56kbit/s").value(), 56'000u);
    EXPECT_EQ(parse_bandwidth("9600bit/s").value(), 9'600u);
    EXPECT_EQ(parse_bandwidth("100 Mbit/s").value(), 100'000'000u);
    EXPECT_NE(parse_bandwidth("0.5bit/s").error().find("whole number"), std::string::npos);
    EXPECT_NE(parse_bandwidth("100").error().find("missing unit"), std::string::npos);
    EXPECT_NE(parse_bandwidth("100Mb/s").error().find("unknown bandwidth unit 'Mb/s'"), std::string::npos);
    EXPECT_FALSE(parse_bandwidth("-1Mbit/s").has_value());
    EXPECT_EQ(format_bandwidth(100'000'000), "100Mbit/s");
    EXPECT_EQ(format_bandwidth(1'500'000'000), "1.5Gbit/s");
    EXPECT_EQ(format_bandwidth(12), "12bit/s");
}

TEST(ParseProbability, DecimalsAndPercentCorrectlyRounded) {
    EXPECT_EQ(parse_probability("0.05").value(), 0.05);
    EXPECT_EQ(parse_probability("5%").value(), 0.05);  // bit-identical, not 5 / 100.0 rounded twice
    EXPECT_EQ(parse_probability("100%").value(), 1.0);
    EXPECT_EQ(parse_probability("0").value(), 0.0);
    EXPECT_EQ(parse_probability("1").value(), 1.0);
    EXPECT_EQ(parse_probability("1e-3").value(), 0.001);
    EXPECT_NE(parse_probability("1.5").error().find("outside [0, 1]"), std::string::npos);
    EXPECT_NE(parse_probability("120%").error().find("outside [0, 1]"), std::string::npos);
    EXPECT_FALSE(parse_probability("-0.1").has_value());
    EXPECT_FALSE(parse_probability("nan").has_value());
    EXPECT_FALSE(parse_probability("inf").has_value());
    EXPECT_FALSE(parse_probability("0x1p-2").has_value());
    EXPECT_FALSE(parse_probability("half").has_value());
}

TEST(ParseUnsigned, GroupingSignsAndOverflow) {
    EXPECT_EQ(parse_unsigned("0").value(), 0u);
    EXPECT_EQ(parse_unsigned("1_000_000").value(), 1'000'000u);
    EXPECT_EQ(parse_unsigned("18446744073709551615").value(), std::numeric_limits<std::uint64_t>::max());
    EXPECT_NE(parse_unsigned("18446744073709551616").error().find("too large"), std::string::npos);
    EXPECT_NE(parse_unsigned("-3").error().find("negative"), std::string::npos);
    EXPECT_FALSE(parse_unsigned("1__0").has_value());
    EXPECT_FALSE(parse_unsigned("_1").has_value());
    EXPECT_FALSE(parse_unsigned("1.0").has_value());
    EXPECT_FALSE(parse_unsigned("ten").has_value());
    EXPECT_FALSE(parse_unsigned("").has_value());
}

}  // namespace
}  // namespace cl::sim::scenario
