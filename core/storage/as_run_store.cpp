// (being written)
#include "core/storage/as_run_store.hpp"
