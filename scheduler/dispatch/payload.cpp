// (being written)
#include "scheduler/dispatch/payload.hpp"
