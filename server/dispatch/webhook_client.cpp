// (being written)
#include "server/dispatch/webhook_client.hpp"
