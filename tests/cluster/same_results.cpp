// Compares one result file of a sharded run with the same file of a one-process run
// (tests/cluster/recipe_test.sh):
//   ks_same_results [--rel R] A B
// .csv: the same rows and fields; a field may differ only when both are numbers within
// R relative (default 1e-12): sums added in another order differ in the last bits.
// .npy (float32 '<f4' or float64 '<f8', C order): the same dtype and shape; float64
// values within R relative, float32 values at most 1 unit in the last place apart (a mean
// of double sums rounded to float32 can fall on either side once in a while).
// Exit 0 when the same, 1 with one sentence naming the first difference, 2 on bad usage
// or an unreadable file.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Failure {
    int code;
    std::string message;
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Failure{2, "cannot read " + path + "."};
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool parse_number(const std::string& field, double& value) {
    if (field.empty()) return false;
    char* end = nullptr;
    value = std::strtod(field.c_str(), &end);
    return *end == '\0';
}

bool near(double x, double y, double rel) {
    if (x == y || (std::isnan(x) && std::isnan(y))) return true;
    return std::fabs(x - y) <= rel * std::max(std::fabs(x), std::fabs(y));
}

std::vector<std::string> split_fields(const std::string& line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (char c : line) {
        if (c == '"') quoted = !quoted;
        if (c == ',' && !quoted) fields.emplace_back();
        else fields.back() += c;
    }
    return fields;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

void compare_csv(const std::string& a, const std::string& b, double rel) {
    const auto la = lines_of(slurp(a)), lb = lines_of(slurp(b));
    if (la.size() != lb.size())
        throw Failure{1, a + " has " + std::to_string(la.size()) + " lines, " + b + " " + std::to_string(lb.size()) + "."};
    for (size_t i = 0; i < la.size(); ++i) {
        const auto fa = split_fields(la[i]), fb = split_fields(lb[i]);
        const std::string where = " on line " + std::to_string(i + 1) + " of " + a + " and " + b;
        if (fa.size() != fb.size()) throw Failure{1, "different field counts" + where + "."};
        for (size_t j = 0; j < fa.size(); ++j) {
            double x = 0, y = 0;
            if (fa[j] == fb[j] || (parse_number(fa[j], x) && parse_number(fb[j], y) && near(x, y, rel))) continue;
            throw Failure{1, "field " + std::to_string(j + 1) + " differs" + where + ": " + fa[j] + " vs " + fb[j] + "."};
        }
    }
}

struct Npy {
    std::string descr;
    std::string shape;
    std::string data;
};

std::string dict_value(const std::string& header, const std::string& key, char close) {
    const size_t k = header.find("'" + key + "'");
    const size_t colon = k == std::string::npos ? k : header.find(':', k);
    const size_t end = colon == std::string::npos ? colon : header.find(close, colon);
    if (end == std::string::npos) return {};
    std::string v = header.substr(colon + 1, close == ')' ? end - colon : end - colon - 1);  // the shape keeps its ')'
    v.erase(std::remove(v.begin(), v.end(), ' '), v.end());
    return v;
}

Npy read_npy(const std::string& path) {
    const std::string bytes = slurp(path);
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) throw Failure{2, path + " is not a .npy file."};
    const bool v1 = bytes[6] == 1;
    const size_t len_bytes = v1 ? 2 : 4, start = 8 + len_bytes;
    size_t header_len = 0;
    for (size_t i = 0; i < len_bytes; ++i) header_len |= size_t(uint8_t(bytes[8 + i])) << (8 * i);
    if (start + header_len > bytes.size()) throw Failure{2, path + " has a truncated header."};
    const std::string header = bytes.substr(start, header_len);
    Npy npy{dict_value(header, "descr", ','), dict_value(header, "shape", ')'), bytes.substr(start + header_len)};
    if (dict_value(header, "fortran_order", ',') != "False") throw Failure{2, path + " is not in C order."};
    if (npy.descr != "'<f4'" && npy.descr != "'<f8'") throw Failure{2, path + " holds " + npy.descr + ", not float32 or float64."};
    return npy;
}

// Floats as integers that are ordered as the floats are, so a difference counts ulps.
int64_t ordered(float f) {
    int32_t i;
    std::memcpy(&i, &f, sizeof i);
    return i < 0 ? int64_t(INT32_MIN) - i : i;
}

void compare_npy(const std::string& a, const std::string& b, double rel) {
    const Npy na = read_npy(a), nb = read_npy(b);
    if (na.descr != nb.descr || na.shape != nb.shape)
        throw Failure{1, a + " is " + na.descr + " " + na.shape + ", " + b + " " + nb.descr + " " + nb.shape + "."};
    if (na.data.size() != nb.data.size()) throw Failure{1, a + " and " + b + " hold different byte counts."};
    const bool f4 = na.descr == "'<f4'";
    const size_t step = f4 ? 4 : 8;
    for (size_t i = 0; i + step <= na.data.size(); i += step) {
        bool same;
        if (f4) {
            float x, y;
            std::memcpy(&x, na.data.data() + i, 4);
            std::memcpy(&y, nb.data.data() + i, 4);
            same = std::llabs(ordered(x) - ordered(y)) <= 1 || (std::isnan(x) && std::isnan(y));
        } else {
            double x, y;
            std::memcpy(&x, na.data.data() + i, 8);
            std::memcpy(&y, nb.data.data() + i, 8);
            same = near(x, y, rel);
        }
        if (!same) throw Failure{1, "element " + std::to_string(i / step) + " differs between " + a + " and " + b + "."};
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    double rel = 1e-12;
    if (args.size() == 4 && args[0] == "--rel") {
        rel = std::atof(args[1].c_str());
        args.erase(args.begin(), args.begin() + 2);
    }
    if (args.size() != 2 || !(rel >= 0)) {
        std::cerr << "usage: ks_same_results [--rel R] A B   (two .csv or two .npy files)\n";
        return 2;
    }
    try {
        if (ends_with(args[0], ".csv")) compare_csv(args[0], args[1], rel);
        else if (ends_with(args[0], ".npy")) compare_npy(args[0], args[1], rel);
        else throw Failure{2, args[0] + " is neither a .csv nor a .npy file."};
    } catch (const Failure& f) {
        std::cerr << "ks_same_results: " << f.message << "\n";
        return f.code;
    }
    return 0;
}
