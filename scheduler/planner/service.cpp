// (being written)
#include "scheduler/planner/service.hpp"
