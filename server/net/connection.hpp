// One client connection as the listener and its session share it: the stream and whether the
// session is between requests (so shutdown may close it at once). Touched only on its io context's
// thread.
#pragma once

#include <utility>

#include <string>

#include <boost/beast/core/tcp_stream.hpp>

namespace loa::net {

struct connection {
    explicit connection(boost::beast::tcp_stream&& s) : stream(std::move(s)) {}

    boost::beast::tcp_stream stream;  // its executor is the connection's io context
    bool idle = false;                // waiting for the next request's first byte
    std::string counted_as;           // the per-address count it holds ("" when not counted)
};

}  // namespace loa::net
