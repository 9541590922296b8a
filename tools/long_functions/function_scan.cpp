#include "function_scan.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace ks::tools {

namespace {

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Replaces [from, to) by spaces, newlines kept.
void blank(std::string& s, size_t from, size_t to) {
    for (size_t i = from; i < std::min(to, s.size()); ++i)
        if (s[i] != '\n') s[i] = ' ';
}

// Returns the end of the literal opened by the quote at `i` (one past its closing quote).
size_t literal_end(const std::string& s, size_t i) {
    const char q = s[i];
    size_t j = i + 1;
    while (j < s.size() && s[j] != q && s[j] != '\n') j += s[j] == '\\' ? 2 : 1;
    return std::min(j + 1, s.size());
}

// R"delim( ... )delim": returns one past its end, or npos when `i` does not start one.
size_t raw_string_end(const std::string& s, size_t i) {
    if (s.compare(i, 2, "R\"") != 0 || (i > 0 && ident_char(s[i - 1]) && s[i - 1] != '8' && s[i - 1] != 'L' &&
                                         s[i - 1] != 'u' && s[i - 1] != 'U'))
        return std::string::npos;
    const size_t open = s.find('(', i + 2);
    if (open == std::string::npos || open - i > 18) return std::string::npos;
    const std::string close = ")" + s.substr(i + 2, open - i - 2) + "\"";
    const size_t end = s.find(close, open);
    return end == std::string::npos ? s.size() : end + close.size();
}

// A preprocessor line (and its continuations) starting at `i`: returns its end.
size_t directive_end(const std::string& s, size_t i) {
    size_t j = i;
    for (;;) {
        const size_t nl = s.find('\n', j);
        if (nl == std::string::npos) return s.size();
        if (nl > 0 && s[nl - 1] == '\\') { j = nl + 1; continue; }
        return nl;
    }
}

bool at_line_start(const std::string& s, size_t i) {
    while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t')) --i;
    return i == 0 || s[i - 1] == '\n';
}

std::string trim(const std::string& s) {
    const size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// What an opening brace starts. Namespace: namespaces, classes, extern "C" (functions
// may follow inside). Function: a body. Init: a member's braced initializer in a
// constructor's list (the body's signature goes on). Other: data, enums, lambdas
// assigned at namespace scope, anything inside a function.
enum class Brace { Namespace, Function, Init, Other };

Brace classify(std::string header) {
    header = std::regex_replace(header, std::regex(R"(^\s*(public|private|protected)\s*:)"), "");
    const std::string h = trim(header);
    static const std::regex scope(R"(^(template\s*<.*>\s*)?(namespace|class|struct|union|extern)\b)");
    static const std::regex enum_or_typedef(R"(^(enum|typedef)\b)");
    if (std::regex_search(h, enum_or_typedef)) return Brace::Other;
    if (std::regex_search(h, scope)) return h.find('(') == std::string::npos ? Brace::Namespace : Brace::Other;
    const size_t paren = h.find('(');
    if (paren == std::string::npos) return Brace::Other;
    const std::string before = h.substr(0, paren);
    if (before.find('=') != std::string::npos && before.find("operator") == std::string::npos) return Brace::Other;
    // "Foo(int a) : a_{a}" — the brace after a member name in a constructor's list.
    static const std::regex init_list(R"(\)\s*(noexcept\s*)?:[^:])");
    if (std::regex_search(h, init_list) && (ident_char(h.back()) || h.back() == '>')) return Brace::Init;
    return Brace::Function;
}

// Where the signature starts in the text before its brace: past blanks and an access label.
size_t signature_offset(const std::string& header) {
    static const std::regex label(R"(^\s*(public|private|protected)\s*:)");
    std::smatch m;
    const size_t from = std::regex_search(header, m, label) ? static_cast<size_t>(m.length(0)) : 0;
    const size_t at = header.find_first_not_of(" \t\r\n", from);
    return at == std::string::npos ? header.size() : at;
}

std::string function_name(const std::string& header) {
    std::string before = trim(header.substr(0, header.find('(')));
    const size_t op = before.find("operator");
    if (op != std::string::npos) {
        size_t b = op;
        while (b > 0 && (ident_char(before[b - 1]) || before[b - 1] == ':' || before[b - 1] == '~')) --b;
        return before.substr(b);
    }
    size_t b = before.size();
    while (b > 0 && (ident_char(before[b - 1]) || before[b - 1] == ':' || before[b - 1] == '~')) --b;
    return before.substr(b);
}

int line_of(const std::string& s, size_t pos) { return 1 + static_cast<int>(std::count(s.begin(), s.begin() + pos, '\n')); }

std::vector<std::string> split_lines(const std::string& s) {
    std::vector<std::string> out;
    size_t at = 0;
    for (;;) {
        const size_t nl = s.find('\n', at);
        out.push_back(s.substr(at, nl == std::string::npos ? std::string::npos : nl - at));
        if (nl == std::string::npos) return out;
        at = nl + 1;
    }
}

bool is_comment_line(const std::string& line) {
    const std::string t = trim(line);
    return t.rfind("//", 0) == 0 || t.rfind("/*", 0) == 0 || t.rfind("*", 0) == 0;
}

// "Long:" in the comment lines right above `first_line`, or on the body's first line.
bool reason_given(const std::vector<std::string>& lines, int first_line, int body_line) {
    for (int l = first_line - 1; l >= 1 && is_comment_line(lines[l - 1]); --l)
        if (lines[l - 1].find("Long:") != std::string::npos) return true;
    for (int l = body_line; l <= static_cast<int>(lines.size()); ++l) {
        const std::string t = trim(lines[l - 1]);
        if (l == body_line) {
            const size_t brace = t.rfind('{');
            if (brace != std::string::npos && t.find("Long:", brace) != std::string::npos) return true;
            continue;
        }
        if (t.empty()) continue;
        return is_comment_line(t) && t.find("Long:") != std::string::npos;
    }
    return false;
}

}  // namespace

std::string blank_non_code(const std::string& source) {
    std::string s = source;
    size_t i = 0;
    while (i < s.size()) {
        size_t end = std::string::npos;
        if (s.compare(i, 2, "//") == 0) end = std::min(s.find('\n', i), s.size());
        else if (s.compare(i, 2, "/*") == 0) {
            const size_t close = s.find("*/", i + 2);
            end = close == std::string::npos ? s.size() : close + 2;
        } else if ((end = raw_string_end(s, i)) != std::string::npos) {
        } else if (s[i] == '"' || (s[i] == '\'' && (i == 0 || !ident_char(s[i - 1])))) {
            end = literal_end(s, i);
            blank(s, i + 1, end - 1);   // the quotes stay: `extern "C"` still reads as extern
            i = end;
            continue;
        } else if (s[i] == '#' && at_line_start(s, i)) {
            end = directive_end(s, i);
        }
        if (end == std::string::npos) { ++i; continue; }
        blank(s, i, end);
        i = end;
    }
    return s;
}

std::vector<FunctionSpan> find_functions(const std::string& source) {
    const std::string code = blank_non_code(source);
    const std::vector<std::string> lines = split_lines(source);
    std::vector<FunctionSpan> out;
    struct Open { Brace kind; size_t header_at; size_t brace_at; };
    std::vector<Open> stack;
    size_t header_from = 0;   // where the text before the next brace starts
    for (size_t i = 0; i < code.size(); ++i) {
        const char c = code[i];
        const bool in_body =
            std::any_of(stack.begin(), stack.end(), [](const Open& o) { return o.kind != Brace::Namespace; });
        if (c == ';') {
            header_from = i + 1;
        } else if (c == '{') {
            const std::string header = code.substr(header_from, i - header_from);
            const Brace kind = in_body ? Brace::Other : classify(header);
            stack.push_back({kind, header_from + signature_offset(header), i});
            if (kind != Brace::Init) header_from = i + 1;
        } else if (c == '}' && !stack.empty()) {
            const Open o = stack.back();
            stack.pop_back();
            if (o.kind == Brace::Init) continue;   // the constructor's signature goes on
            header_from = i + 1;
            if (o.kind != Brace::Function) continue;
            FunctionSpan f;
            f.name = function_name(code.substr(o.header_at, o.brace_at - o.header_at));
            f.first_line = line_of(code, o.header_at);
            f.last_line = line_of(code, i);
            f.reason_given = reason_given(lines, f.first_line, line_of(code, o.brace_at));
            out.push_back(f);
        }
    }
    return out;
}

}  // namespace ks::tools
