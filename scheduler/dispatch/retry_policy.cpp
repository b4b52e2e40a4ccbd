// (being written)
#include "scheduler/dispatch/retry_policy.hpp"
