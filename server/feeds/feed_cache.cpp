// (being written)
#include "server/feeds/feed_cache.hpp"
