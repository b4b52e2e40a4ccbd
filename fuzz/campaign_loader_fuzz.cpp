// libFuzzer target: load_campaign_text must turn any bytes into a campaign or diagnostics — no crash, no
// hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/config/campaign_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto result = loa::core::load_campaign_text(text, "fuzz.yaml");
    // Beyond "no crash", the documented contract: a value exactly when there are no errors, and
    // every diagnostic has a message and a position that is either absent (0) or 1-based.
    if (result.value.has_value() == !result.errors.empty()) __builtin_trap();
    for (const auto& d : result.errors) {
        if (d.message.empty() || d.line < 0 || d.column < 0 || (d.line > 0 && d.column < 1)) __builtin_trap();
    }
    return 0;
}
