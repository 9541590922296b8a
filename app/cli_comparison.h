#pragma once
// `kernelscope render`'s comparison.json: the app's comparison (core/compare) for the
// same flags: image A, input B (--b, --image-b, --noise, --brightness, --contrast,
// --shift, --occlude), the model (--weights, --beside, --stage), the filter and the query.
#include <string>
#include <utility>

#include "cli_options.h"

namespace ks {

// Runs the comparison engine once; ("comparison.json", its text). InputError on a bad input.
std::pair<std::string, std::string> comparison_file(const CliOptions& o, const std::string& image_path);

}  // namespace ks
