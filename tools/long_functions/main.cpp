// long_functions ROOT [--max N] [--pending FILE]... DIR...
// Lists the functions in ROOT/DIR/**/*.{h,cpp} longer than N lines (default 80) that do
// not say why at their top (a comment with "Long:", function_scan.h). Exit status 1 when
// any is listed, 0 otherwise; functions in a --pending file (a path under ROOT) are
// listed apart and do not fail the check.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "function_scan.h"

namespace fs = std::filesystem;

namespace {

struct Options {
    fs::path root;
    int max_lines = 80;
    std::set<std::string> pending;
    std::vector<std::string> dirs;
};

Options parse(int argc, char** argv) {
    Options o;
    if (argc < 3) throw std::runtime_error("usage: long_functions ROOT [--max N] [--pending FILE]... DIR...");
    o.root = argv[1];
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if ((a == "--max" || a == "--pending") && i + 1 >= argc) throw std::runtime_error(a + " needs a value");
        if (a == "--max") o.max_lines = std::stoi(argv[++i]);
        else if (a == "--pending") o.pending.insert(argv[++i]);
        else o.dirs.push_back(a);
    }
    return o;
}

std::vector<std::string> sources_under(const fs::path& root, const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
        const std::string ext = e.path().extension().string();
        if (e.is_regular_file() && (ext == ".cpp" || ext == ".h")) out.push_back(fs::relative(e.path(), root).generic_string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Options o = parse(argc, argv);
        int failing = 0, pending = 0;
        for (const std::string& dir : o.dirs) {
            for (const std::string& file : sources_under(o.root, dir)) {
                for (const auto& f : ks::tools::find_functions(read(o.root / file))) {
                    if (f.lines() <= o.max_lines || f.reason_given) continue;
                    const bool later = o.pending.count(file) > 0;
                    (later ? pending : failing)++;
                    std::cout << (later ? "pending: " : "") << file << ":" << f.first_line << ": " << f.name << " is "
                              << f.lines() << " lines (over " << o.max_lines << ", no \"Long:\" reason at its top)\n";
                }
            }
        }
        for (const std::string& p : o.pending)
            if (!fs::exists(o.root / p)) std::cout << "note: the pending file " << p << " no longer exists\n";
        std::cout << failing << " function(s) over " << o.max_lines << " lines; " << pending
                  << " more in files allowed until they are reworked\n";
        return failing > 0 ? 1 : 0;
    } catch (const std::exception& e) {
        std::cerr << "long_functions: " << e.what() << "\n";
        return 2;
    }
}
