#include "io/csv.h"

#include <cstdio>

#include "io/input_error.h"

namespace ks {

std::string csv_digits(double v, int digits) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    return buf;
}

std::string csv_matrix(const std::vector<float>& v, int rows, int cols) {
    if (rows < 0 || cols < 0 || v.size() != static_cast<size_t>(rows) * static_cast<size_t>(cols))
        throw InputError("A table of " + std::to_string(v.size()) + " values is not " + std::to_string(rows) + " x " +
                         std::to_string(cols) + ".");
    std::string s;
    s.reserve(v.size() * 12);
    char buf[32];
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            std::snprintf(buf, sizeof buf, "%s%.9g", c ? "," : "", v[static_cast<size_t>(r) * cols + c]);
            s += buf;
        }
        s += '\n';
    }
    return s;
}

std::string csv_field(const std::string& s) {
    std::string v = s;
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r' || v[0] == '\''))
        v = "'" + v;
    if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string csv_text_value(const std::string& cell) { return !cell.empty() && cell[0] == '\'' ? cell.substr(1) : cell; }

std::vector<CsvRecord> csv_records(const std::string& text, const std::string& what) {
    std::vector<CsvRecord> out;
    CsvRecord r;
    r.fields.emplace_back();
    bool quoted = false, any = false;
    size_t start = 0;
    auto finish = [&](size_t end) {
        r.raw = text.substr(start, end - start);
        if (any || !r.fields.front().empty() || r.fields.size() > 1) out.push_back(std::move(r));
        r = CsvRecord{};
        r.fields.emplace_back();
        any = false;
    };
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') { r.fields.back() += '"'; ++i; }
            else if (c == '"') quoted = false;
            else r.fields.back() += c;
        } else if (c == '"') {
            quoted = any = true;
        } else if (c == ',') {
            r.fields.emplace_back();
            any = true;
        } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
            finish(i);
            if (c == '\r') ++i;
            start = i + 1;
        } else {
            r.fields.back() += c;
        }
    }
    if (quoted) throw InputError(what + " ends inside a quoted field.");
    finish(text.size());
    return out;
}

}  // namespace ks
