// Who a connection is for: the peer itself, or, when the peer is a trusted proxy (a TLS terminator
// in front of loa), the client its X-Forwarded-For names. Login throttling counts by this address;
// the per-address connection limit exempts trusted proxies (their connections carry many clients).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace loa::app {

// `s` without the spaces and tabs around it (HTTP's optional whitespace, around list items and
// cookie pairs).
[[nodiscard]] std::string_view trim_ows(std::string_view s);

// `address` in the one text form trusted_proxies are kept in (boost::asio's, an IPv4-mapped IPv6
// address as IPv4), or "" when it is not an IP address.
[[nodiscard]] std::string normalized_address(std::string_view address);

// Whether `peer` is one of `trusted` (normalized addresses).
[[nodiscard]] bool is_trusted_proxy(std::string_view peer, const std::vector<std::string>& trusted);

// The client a request is for. `peer` is the socket's peer; `forwarded_for` the X-Forwarded-For
// header's values joined by ", " in the order received ("" when absent). When the peer is trusted,
// the list is read from its right end (the hop the peer added last) past further trusted proxies to
// the first address that is not one: that is the client. An entry that is not an IP address stops
// the walk (the proxy before it cannot be believed): the last trusted hop read is the answer. A peer
// that is not trusted is the client, whatever the header says.
[[nodiscard]] std::string client_address(std::string_view peer, std::string_view forwarded_for,
                                         const std::vector<std::string>& trusted);

}  // namespace loa::app
