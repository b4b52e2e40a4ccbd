// (being written)
#include "core/storage/dispatch_store.hpp"
