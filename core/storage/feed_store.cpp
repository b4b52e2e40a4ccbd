// (being written)
#include "core/storage/feed_store.hpp"
