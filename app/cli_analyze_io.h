#pragma once
// What `kernelscope analyze` and `analyze --merge` both write and read: skipped.csv, the
// set of output files, and the identity a run records in analysis.json so that a merge
// can tell shards of one run from anything else (cli_analyze_merge.cpp).
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "analysis/folder_analysis.h"

namespace ks {

struct Skipped {
    std::string image, reason;  // image: a path relative to --images ("sub/" for a folder)
};

std::string skipped_csv(const std::vector<Skipped>& s);
// InputError for a file not as skipped_csv writes it.
std::vector<Skipped> read_skipped_csv(const std::string& text);

// Everything a run or a merge writes, in memory first (the folder is then written all
// or nothing by write_files).
std::vector<std::pair<std::string, std::string>> analysis_output_files(const AnalysisTotals& t, const std::vector<Skipped>& skipped,
                                                                       const nlohmann::json& info);

// {"count": n, "sha256": ...} of a list of image names with their sizes in bytes, one
// "name<TAB>bytes" line each, in order.
nlohmann::json image_list_identity(const std::vector<std::string>& names, const std::vector<uint64_t>& bytes);

// An analyze output folder read as a merge reads it (bounded files, checked rows), for
// the app's Analyses window. InputError naming the folder otherwise.
AnalysisTotals read_analysis_folder(const std::string& dir);

// analyze --merge DIRS --out OUT; returns the exit code.
int run_merge(const std::vector<std::string>& dirs, const std::string& out);

}  // namespace ks
