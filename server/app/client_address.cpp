#include "server/app/client_address.hpp"

#include <algorithm>

#include <boost/asio/ip/address.hpp>

namespace loa::app {

std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string normalized_address(std::string_view address) {
    address = trim_ows(address);
    // "[2001:db8::1]" and "[2001:db8::1]:443", "192.0.2.1:443" (RFC 7239 style, seen in the wild).
    std::string text(address);
    if (text.size() > 2 && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos) return {};
        text = text.substr(1, close - 1);
    } else if (std::count(text.begin(), text.end(), ':') == 1) {
        text = text.substr(0, text.find(':'));
    }
    boost::system::error_code ec;
    const auto a = boost::asio::ip::make_address(text, ec);
    if (ec) return {};
    if (a.is_v6() && a.to_v6().is_v4_mapped())
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6()).to_string();
    return a.to_string();
}

bool is_trusted_proxy(std::string_view peer, const std::vector<std::string>& trusted) {
    if (trusted.empty()) return false;
    const std::string p = normalized_address(peer);
    return !p.empty() && std::find(trusted.begin(), trusted.end(), p) != trusted.end();
}

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted) {
    std::string client(peer);
    if (!is_trusted_proxy(peer, trusted)) return client;
    std::string_view rest = forwarded_for;
    while (!trim_ows(rest).empty()) {
        const auto comma = rest.rfind(',');
        const std::string_view entry = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
        const std::string hop = normalized_address(entry);
        if (hop.empty()) break;
        client = hop;
        if (std::find(trusted.begin(), trusted.end(), hop) == trusted.end()) break;
    }
    return client;
}

}  // namespace loa::app
