// (being written)
#include "server/dispatch/runner.hpp"
