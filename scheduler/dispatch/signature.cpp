// (being written)
#include "scheduler/dispatch/signature.hpp"
