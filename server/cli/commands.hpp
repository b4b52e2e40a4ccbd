// The subcommands of the loa binary; each takes the words after its name and returns an exit code
// (0 ok, 1 invalid input, 2 usage error, 3 internal failure).
#pragma once

#include <string>
#include <vector>

namespace loa::cli {

using words = std::vector<std::string>;

int run_validate(const words& args);  // server/cli/validate.cpp
int run_import(const words& args);    // server/cli/import.cpp
int run_export(const words& args);    // server/cli/export.cpp
int run_serve(const words& args);     // server/cli/serve.cpp
int run_user(const words& args);      // server/cli/user.cpp
int run_plan(const words& args);      // server/cli/plan.cpp
int run_target(const words& args);    // server/cli/target.cpp
int run_dispatch(const words& args);  // server/cli/dispatch.cpp
int run_token(const words& args);     // server/cli/token.cpp

}  // namespace loa::cli
