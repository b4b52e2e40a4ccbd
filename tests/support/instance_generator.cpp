// (being written)
#include "tests/support/instance_generator.hpp"
