// (being written)
#include <iostream>

#include "server/cli/commands.hpp"

namespace loa::cli {

int run_token(const words&) {
    std::cerr << "loa token: not yet\n";
    return 2;
}

}  // namespace loa::cli
