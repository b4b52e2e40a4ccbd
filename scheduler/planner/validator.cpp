// (being written)
#include "scheduler/planner/validator.hpp"
