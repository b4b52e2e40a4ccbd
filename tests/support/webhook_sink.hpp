// A real webhook receiver for tests and benchmarks: an HTTP/1.1 server on 127.0.0.1 (an ephemeral
// port) with its own io_context thread(s), recording every request and answering as a responder
// function says (status, Retry-After, a delay before answering). Keep-alive is supported.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace loa::testing {

struct sink_request {
    std::string method, target;
    std::string webhook_id, webhook_timestamp, webhook_signature, content_type;
    std::string body;
    std::chrono::system_clock::time_point received;
};

struct sink_response {
    int status = 200;
    std::string retry_after;                // sent as Retry-After when not empty
    std::chrono::milliseconds delay{0};     // wait before answering (a slow receiver)
    bool close_without_answer = false;      // drop the connection instead
};

// Called on a sink thread for every request; `nth` counts requests with the same webhook-id (1 for
// the first).
using sink_responder = std::function<sink_response(const sink_request& r, int nth)>;

class webhook_sink {
public:
    explicit webhook_sink(sink_responder responder = {}, unsigned threads = 1);
    ~webhook_sink();
    webhook_sink(const webhook_sink&) = delete;
    webhook_sink& operator=(const webhook_sink&) = delete;

    [[nodiscard]] unsigned short port() const noexcept;
    [[nodiscard]] std::string url(const std::string& path = "/hook") const;

    [[nodiscard]] std::vector<sink_request> requests() const;
    [[nodiscard]] std::size_t count() const;
    // Waits until at least n requests have arrived; false on timeout.
    bool wait_for(std::size_t n, std::chrono::milliseconds timeout) const;

    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

}  // namespace loa::testing
