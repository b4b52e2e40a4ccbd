// The subcommands' argument parser: options with values, flags, positionals, help, usage errors.
#include "server/cli/args.hpp"

#include <gtest/gtest.h>

namespace {
namespace args_test_cpp {

using loa::cli::arg_spec;
using loa::cli::parse_args;

const arg_spec serve_spec{{"--db", "--listen", "--config", "--threads"}, {"--dry-run"}};

TEST(args, option_with_separate_value) {
    std::string error;
    auto p = parse_args({"--db", "var/loa.db", "--listen", "127.0.0.1:0"}, serve_spec, error);
    ASSERT_TRUE(p) << error;
    EXPECT_EQ(p->get("--db"), "var/loa.db");
    EXPECT_EQ(p->get("--listen"), "127.0.0.1:0");
    EXPECT_FALSE(p->get("--config"));
    EXPECT_FALSE(p->help);
}

TEST(args, option_with_equals_value_keeps_later_equals_signs) {
    std::string error;
    auto p = parse_args({"--db=/tmp/a=b.db"}, serve_spec, error);
    ASSERT_TRUE(p) << error;
    EXPECT_EQ(p->get("--db"), "/tmp/a=b.db");
}

TEST(args, vietnamese_values_pass_through_unchanged) {
    std::string error;
    auto p = parse_args({"--config", "cấu-hình/máy chủ.yaml", "chiến dịch.yaml"}, serve_spec, error);
    ASSERT_TRUE(p) << error;
    EXPECT_EQ(p->get("--config"), "cấu-hình/máy chủ.yaml");
    ASSERT_EQ(p->positional.size(), 1u);
    EXPECT_EQ(p->positional[0], "chiến dịch.yaml");
}

TEST(args, flags_and_positionals) {
    std::string error;
    auto p = parse_args({"a.yaml", "--dry-run", "b.yaml"}, serve_spec, error);
    ASSERT_TRUE(p) << error;
    EXPECT_TRUE(p->has("--dry-run"));
    EXPECT_EQ(p->positional, (std::vector<std::string>{"a.yaml", "b.yaml"}));
}

TEST(args, double_dash_ends_options) {
    std::string error;
    auto p = parse_args({"--", "--db", "-h"}, serve_spec, error);
    ASSERT_TRUE(p) << error;
    EXPECT_FALSE(p->get("--db"));
    EXPECT_FALSE(p->help);
    EXPECT_EQ(p->positional, (std::vector<std::string>{"--db", "-h"}));
}

TEST(args, help_short_and_long) {
    std::string error;
    EXPECT_TRUE(parse_args({"-h"}, serve_spec, error)->help);
    EXPECT_TRUE(parse_args({"--db", "x", "--help"}, serve_spec, error)->help);
}

TEST(args, a_lone_dash_is_positional) {
    std::string error;
    auto p = parse_args({"-"}, serve_spec, error);
    ASSERT_TRUE(p) << error;
    EXPECT_EQ(p->positional, (std::vector<std::string>{"-"}));
}

TEST(args, unknown_option_is_an_error) {
    std::string error;
    EXPECT_FALSE(parse_args({"--port", "80"}, serve_spec, error));
    EXPECT_EQ(error, "unknown option --port");
}

TEST(args, missing_value_is_an_error) {
    std::string error;
    EXPECT_FALSE(parse_args({"--db"}, serve_spec, error));
    EXPECT_EQ(error, "option --db needs a value");
}

TEST(args, flag_with_value_is_an_error) {
    std::string error;
    EXPECT_FALSE(parse_args({"--dry-run=yes"}, serve_spec, error));
    EXPECT_EQ(error, "option --dry-run takes no value");
}

TEST(args, last_repeated_option_wins) {
    std::string error;
    auto p = parse_args({"--threads", "2", "--threads=4"}, serve_spec, error);
    ASSERT_TRUE(p) << error;
    EXPECT_EQ(p->get("--threads"), "4");
}

}  // namespace args_test_cpp
}  // namespace
