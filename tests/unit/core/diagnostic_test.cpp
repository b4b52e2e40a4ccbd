#include "core/diagnostic.hpp"

#include <gtest/gtest.h>

TEST(diagnostic, formats_file_line_column) {
    loa::core::diagnostic d{"campaigns/x.yaml", 12, 7, "unknown department 'educaton'"};
    EXPECT_EQ(d.to_string(), "campaigns/x.yaml:12:7: unknown department 'educaton'");
}

TEST(diagnostic, formats_whole_file_problem_without_position) {
    loa::core::diagnostic d{"a.yaml", 0, 0, "cannot read file"};
    EXPECT_EQ(d.to_string(), "a.yaml: cannot read file");
}
