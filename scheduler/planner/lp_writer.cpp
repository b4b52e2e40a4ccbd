// (being written)
#include "scheduler/planner/lp_writer.hpp"
