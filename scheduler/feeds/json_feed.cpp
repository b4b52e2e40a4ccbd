// (being written)
#include "scheduler/feeds/feed.hpp"
