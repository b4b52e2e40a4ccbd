// RFC 9457 problem+json bodies, serialised with Boost.JSON.
#include "server/http/problem.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace loa::http {

std::string status_title(unsigned status) {
    switch (status) {
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 406: return "Not Acceptable";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 410: return "Gone";
        case 411: return "Length Required";
        case 413: return "Content Too Large";
        case 415: return "Unsupported Media Type";
        case 422: return "Unprocessable Content";
        case 429: return "Too Many Requests";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 503: return "Service Unavailable";
        default: return "Unknown";
    }
}

response problem(unsigned status, std::string title, std::string detail, std::vector<invalid_param> params) {
    boost::json::object body;
    body["type"] = "about:blank";
    body["title"] = std::move(title);
    body["status"] = status;
    if (!detail.empty()) body["detail"] = std::move(detail);
    if (!params.empty()) {
        boost::json::array list;
        for (auto& p : params) {
            list.push_back(boost::json::object{{"name", std::move(p.name)}, {"reason", std::move(p.reason)}});
        }
        body["invalid-params"] = std::move(list);
    }
    response res;
    res.status = status;
    res.content_type = "application/problem+json";
    res.body = boost::json::serialize(body);
    return res;
}

}  // namespace loa::http
