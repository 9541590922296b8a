#include "io/json_bounded.h"

#include <nlohmann/json.hpp>

#include "io/input_error.h"

namespace ks {

int json_nesting_depth(const std::string& text, int stop) {
    int depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
            if (deepest > stop) return deepest;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

nlohmann::json parse_json_bounded(const std::string& text, const std::string& what) {
    if (json_nesting_depth(text) > kMaxJsonDepth)
        throw InputError(what + " nests arrays or objects deeper than " + std::to_string(kMaxJsonDepth) + " levels.");
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) throw InputError(what + " is not valid JSON.");
    return j;
}

}  // namespace ks
