#pragma once
// The images `kernelscope analyze` reads: every image file under a folder, recursively,
// in byte order (the same list on every machine, so shards split it alike), and the
// output folder it refuses to write inside that folder.
#include <cstdint>
#include <string>
#include <vector>

#include "cli_analyze_io.h"   // Skipped

namespace ks {

// What --images holds: image files by extension (what load_image decodes) as paths
// relative to the folder, and the subfolders that could not be read, each with why (their
// images would otherwise vanish from the run unnoticed).
struct FolderListing {
    std::vector<std::string> images;
    std::vector<uint64_t> bytes;  // each image's size, for the run's identity (analysis.json)
    std::vector<Skipped> folders;
};

// The folder `exclude` (the output folder) is not entered. InputError for a folder that
// is not one or cannot be read.
FolderListing list_images(const std::string& dir, const std::string& exclude);

// An output folder inside the image folder would hold pictures (the plots) that a later
// run over that folder analyses as photos: refused (InputError).
void refuse_output_inside(const std::string& out, const std::string& images);

}  // namespace ks
