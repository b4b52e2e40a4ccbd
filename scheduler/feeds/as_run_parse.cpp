// (being written)
#include "scheduler/feeds/as_run_parse.hpp"
