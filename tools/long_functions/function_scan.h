#pragma once
// Finds the functions defined in a C++ source text and how many lines each spans, for
// the long-function check (main.cpp, the `long_functions` test). Comments, string and
// character literals and preprocessor lines are blanked first, so a brace inside them
// never counts; lambdas and local classes count as part of the function around them.
#include <string>
#include <vector>

namespace ks::tools {

struct FunctionSpan {
    std::string name;           // as written before its parameters: "FileBrowser::draw", "operator=="
    int first_line = 0;         // the signature's first line (1-based)
    int last_line = 0;          // the closing brace's line
    bool reason_given = false;  // "Long:" in the comment right above it, or on its body's first line
    int lines() const { return last_line - first_line + 1; }
};

// The text with comments, literals' contents and preprocessor lines replaced by spaces
// (newlines kept, so offsets and line numbers are those of the source).
std::string blank_non_code(const std::string& source);

std::vector<FunctionSpan> find_functions(const std::string& source);

}  // namespace ks::tools
