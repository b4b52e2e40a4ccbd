// loa validate (placeholder until its implementation lands).
#include <iostream>

#include "server/cli/args.hpp"
#include "server/cli/commands.hpp"

namespace loa::cli {

int run_validate(const words&) {
    std::cerr << "loa validate: not implemented yet\n";
    return exit_internal;
}

}  // namespace loa::cli
