// (being written)
#include "core/storage/plan_store.hpp"
