// The message pages: list, editor (new and edit, with a "Preview" that re-renders the form with the
// channel previews), the message with its previews and history, submit, the approvers' queue,
// approve/reject with a comment, and the audit log. Access levels are in the route table; the
// department scope of editors is checked here (app::permissions::may_edit_department).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/context.hpp"
#include "server/http/exchange.hpp"

namespace loa::handlers {

// GET /campaigns/{slug}/messages?department=&state=&channel=&audience= (viewer+).
boost::asio::awaitable<http::response> get_messages_page(http::request req, app::context& ctx);
// GET /campaigns/{slug}/messages/new (editor+).
boost::asio::awaitable<http::response> get_new_message_page(http::request req, app::context& ctx);
// POST /campaigns/{slug}/messages (editor+): action=preview → 200 the form with previews;
// invalid → 422 the form with every value kept and each error by its field; a department the user
// may not edit → 403; saved → 303 to the message.
boost::asio::awaitable<http::response> post_new_message(http::request req, app::context& ctx);
// POST /campaigns/{slug}/messages/preview (editor+): the previews of the posted form as an HTML
// fragment (for /static/messages.js; the form's Preview button works without it).
boost::asio::awaitable<http::response> post_message_preview(http::request req, app::context& ctx);
// GET /campaigns/{slug}/messages/{id} (viewer+): the message, previews per channel, history.
boost::asio::awaitable<http::response> get_message_page(http::request req, app::context& ctx);
// GET /campaigns/{slug}/messages/{id}/edit (editor+ of the department).
boost::asio::awaitable<http::response> get_edit_message_page(http::request req, app::context& ctx);
// POST /campaigns/{slug}/messages/{id}/edit (editor+ of the department): as POST new; a form based on
// an older version → 409 with the typed values kept.
boost::asio::awaitable<http::response> post_edit_message(http::request req, app::context& ctx);
// POST /campaigns/{slug}/messages/{id}/submit (editor+ of the department).
boost::asio::awaitable<http::response> post_submit_message(http::request req, app::context& ctx);
// POST /campaigns/{slug}/messages/{id}/approve and …/reject (approver+), fields version, comment
// (required to reject), next=approvals to return to the queue.
boost::asio::awaitable<http::response> post_approve_message(http::request req, app::context& ctx);
boost::asio::awaitable<http::response> post_reject_message(http::request req, app::context& ctx);
// GET /campaigns/{slug}/approvals (approver+): submitted messages, oldest first.
boost::asio::awaitable<http::response> get_approvals_page(http::request req, app::context& ctx);
// GET /audit and GET /campaigns/{slug}/audit (approver+): the audit log, filterable by entity,
// action, user and dates; 50 rows a page.
boost::asio::awaitable<http::response> get_audit_page(http::request req, app::context& ctx);
boost::asio::awaitable<http::response> get_campaign_audit_page(http::request req, app::context& ctx);

}  // namespace loa::handlers
