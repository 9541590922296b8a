#pragma once
// `kernelscope gallery`: one query over many images (core/compare/gallery.h), written
// as kernels.npy, mean_kernel.npy, tv_to_mean.csv, skipped.csv and gallery.png.
#include <string>

#include "cli_options.h"

namespace ks {

// Returns the exit code; throws InputError (one sentence) on a bad flag, image or folder.
int run_gallery(const CliOptions& o);
std::string gallery_help();

}  // namespace ks
