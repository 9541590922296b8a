#pragma once
// Reading JSON a user or a file hands us: its size is bounded, and so is its nesting,
// before the parser sees it. A 200 KB file of 100,000 nested arrays is otherwise a stack
// overflow (nlohmann's values are freed recursively), not an error message.
#include <cstddef>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace ks {

constexpr int kMaxJsonDepth = 64;   // configuration files nest 3 or 4 levels

// The deepest nesting of arrays and objects in `text` (strings and their escapes skipped),
// counted only up to `stop` + 1, so a hostile text costs one pass and no memory.
int json_nesting_depth(const std::string& text, int stop = kMaxJsonDepth);

// Parses `text` as JSON. Throws InputError "<what> is not valid JSON." or "<what> nests
// deeper than 64 levels." naming `what` (e.g. "The model configuration x/config.json").
nlohmann::json parse_json_bounded(const std::string& text, const std::string& what);

}  // namespace ks
