// (being written)
#include "scheduler/planner/planner.hpp"
