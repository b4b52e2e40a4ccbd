// The media feeds over HTTP (docs/feeds.md): an outlet's schedule and a campaign's news and public
// events, each in the formats its readers use, served from an in-memory cache of rendered bytes with
// strong ETags, Last-Modified, 304s and gzip (server/feeds/feed_cache.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include "server/app/context.hpp"
#include "server/http/exchange.hpp"

namespace loa::handlers {

// GET /feeds/outlets/{slug}/{file} with file schedule.atom | schedule.rss | schedule.json |
// schedule.ics: the outlet's schedule. Needs one of the outlet's feed tokens, as ?token= or
// Authorization: Bearer; an unknown outlet, a missing, bad or revoked token and an unknown file all
// get the same 404.
boost::asio::awaitable<http::response> get_outlet_feed(http::request req, app::context& ctx);

// GET /feeds/campaigns/{slug}/{file} with file news.atom | news.rss | news.json | events.ics:
// public, no token. 404 for an unknown campaign or file.
boost::asio::awaitable<http::response> get_campaign_feed(http::request req, app::context& ctx);

// GET /admin/feeds (admin): every outlet's tokens (label, created, last used, revoked) and the
// ready-to-copy subscribe URLs (webcal:// for ICS) of a token just created.
// POST /admin/feeds/tokens (admin; outlet, label): creates a token and shows it once.
// POST /admin/feeds/tokens/{id}/revoke (admin): revokes it; 303 back to /admin/feeds.
boost::asio::awaitable<http::response> get_feed_tokens_page(http::request req, app::context& ctx);
boost::asio::awaitable<http::response> post_feed_token(http::request req, app::context& ctx);
boost::asio::awaitable<http::response> post_revoke_feed_token(http::request req, app::context& ctx);

}  // namespace loa::handlers
