// (being written)
#include "server/handlers/as_run.hpp"

#include "server/http/problem.hpp"

namespace loa::handlers {

boost::asio::awaitable<http::response> post_as_run(http::request, app::context&) {
    co_return http::problem(501, "Not Implemented", "Not yet.");
}

boost::asio::awaitable<http::response> get_compliance_page(http::request, app::context&) {
    co_return http::problem(501, "Not Implemented", "Not yet.");
}

boost::asio::awaitable<http::response> get_compliance_csv(http::request, app::context&) {
    co_return http::problem(501, "Not Implemented", "Not yet.");
}

}  // namespace loa::handlers
