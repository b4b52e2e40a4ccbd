// The dispatch log over HTTP: the page /dispatch, one dispatch /dispatch/{id} with the approver's
// "Retry now" and "Requeue" forms, and the JSON API /api/v1/dispatches. Access levels are in the
// route table (viewer reads, approver retries and requeues; CSRF checked by http::dispatch); the
// outbox is read and changed on the db thread (core/storage/dispatch_store.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/context.hpp"
#include "server/http/exchange.hpp"

namespace loa::handlers {

// GET /dispatch?state=&target=&campaign=&limit=&offset= (viewer+): summary, filter form, table,
// paging. A bad parameter: 400 error page.
boost::asio::awaitable<http::response> get_dispatch_page(http::request req, app::context& ctx);
// GET /dispatch/{id} (viewer+): the dispatch and every attempt; 404 page for an unknown id.
boost::asio::awaitable<http::response> get_dispatch_detail_page(http::request req, app::context& ctx);
// POST /dispatch/{id}/retry and /requeue (approver+): 303 to /dispatch/{id}?done=retried|requeued,
// or ?done=refused when the state does not allow it; 404 page for an unknown id.
boost::asio::awaitable<http::response> post_dispatch_retry(http::request req, app::context& ctx);
boost::asio::awaitable<http::response> post_dispatch_requeue(http::request req, app::context& ctx);

// GET /api/v1/dispatches?state=&target=&campaign=&limit=&offset= (viewer+): 200
// handlers::dispatch_list_json (newest due first); 400 problem+json naming each bad parameter.
boost::asio::awaitable<http::response> list_dispatches_api(http::request req, app::context& ctx);
// GET /api/v1/dispatches/{id} (viewer+): 200 dispatch_detail_json; 400 for a malformed id
// (names "id"); 404 for an unknown one.
boost::asio::awaitable<http::response> get_dispatch_api(http::request req, app::context& ctx);
// POST /api/v1/dispatches/{id}/retry and /requeue (approver+; session cookie and X-CSRF-Token): 200
// the dispatch as it now is (dispatch_detail_json); 400 malformed id; 404 unknown id; 409 when the
// state does not allow the action (or its target was removed).
boost::asio::awaitable<http::response> post_dispatch_retry_api(http::request req, app::context& ctx);
boost::asio::awaitable<http::response> post_dispatch_requeue_api(http::request req, app::context& ctx);

}  // namespace loa::handlers
