// (being written)
#include "scheduler/feeds/feed_source.hpp"
