// (being written)
#include "scheduler/planner/inventory.hpp"
