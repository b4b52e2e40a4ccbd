// loa import (placeholder until its implementation lands).
#include <iostream>

#include "server/cli/args.hpp"
#include "server/cli/commands.hpp"

namespace loa::cli {

int run_import(const words&) {
    std::cerr << "loa import: not implemented yet\n";
    return exit_internal;
}

}  // namespace loa::cli
