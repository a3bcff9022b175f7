// The shared command-line pieces of the cloudledger program: option values and the
// progress line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/command_line.hpp"
#include "app/progress.hpp"

namespace cl::app {
namespace {

using ::testing::HasSubstr;

TEST(CommandLine, TakesValueAfterTheNameOrAfterEquals) {
    const std::vector<std::string> args = {"-o", "a.h5", "--output=b.h5", "--set", "k=v=w", "--seed"};
    std::size_t i = 0;
    EXPECT_EQ(take_value(args, i, {"-o", "--output"}).value().value(), "a.h5");
    EXPECT_EQ(i, 1u);
    i = 2;
    EXPECT_EQ(take_value(args, i, {"-o", "--output"}).value().value(), "b.h5");
    EXPECT_EQ(i, 2u);
    i = 3;
    EXPECT_EQ(take_value(args, i, {"--set"}).value().value(), "k=v=w");
    EXPECT_EQ(i, 4u);
    i = 5;
    EXPECT_EQ(take_value(args, i, {"--seed"}).value().error(), "--seed needs a value");
    i = 1;
    EXPECT_FALSE(take_value(args, i, {"-o", "--output"}).has_value());  // a value, not an option
}

TEST(CommandLine, ShortOptionsTakeNoEquals) {
    const std::vector<std::string> args = {"-o=x.h5", "--outputs=x"};
    std::size_t i = 0;
    EXPECT_FALSE(take_value(args, i, {"-o"}).has_value());
    i = 1;
    EXPECT_FALSE(take_value(args, i, {"--output"}).has_value());
}

TEST(CommandLine, HelpWords) {
    EXPECT_TRUE(is_help("-h"));
    EXPECT_TRUE(is_help("--help"));
    EXPECT_FALSE(is_help("help"));
    EXPECT_FALSE(is_help("--helper"));
}

TEST(Progress, NamesTheReplicationOutOfHowMany) {
    const std::string line = format_progress({.scenario = "passport",
                                              .replication = 1,
                                              .replications = 3,
                                              .simulated_s = 10800,
                                              .total_s = 21600,
                                              .wall_s = 4,
                                              .events = 4'800'000});
    EXPECT_EQ(line.front(), '\r');
    EXPECT_THAT(line, HasSubstr("passport rep 1 (2 of 3):  50.0% simulated (10800 s of 21600 s)"));
    EXPECT_THAT(line, HasSubstr("4.0 s wall, 1.20 M events/s, ETA 4 s"));
    EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(Progress, StartOfARunHasNoRateNorEta) {
    const std::string line =
        format_progress({.scenario = "s", .replication = 0, .replications = 1, .total_s = 60});
    EXPECT_THAT(
        line,
        HasSubstr("s rep 0 (1 of 1):   0.0% simulated (0 s of 60 s), 0.0 s wall, 0.00 M events/s, ETA 0 s"));
}

}  // namespace
}  // namespace cl::app
