#pragma once
// An image folder as `analyze` and `gallery` read it: every image file by extension
// (what load_image decodes), recursively, in byte order; the subfolders that could not
// be read, each with why; and the refusal of an output folder inside the image folder.
#include <cstdint>
#include <string>
#include <vector>

#include "cli_analyze_io.h"  // Skipped

namespace ks {

// What --images holds: image files by extension (what load_image decodes) as paths
// relative to the folder, and the subfolders that could not be read, each with why (their
// images would otherwise vanish from the run unnoticed).
struct FolderListing {
    std::vector<std::string> images;
    std::vector<uint64_t> bytes;  // each image's size, for the run's identity (analysis.json)
    std::vector<Skipped> folders;
};

bool is_image_name(const std::string& path);
// Recursively, skipping the folder `exclude` (the output folder); InputError when `dir`
// is not a readable folder.
FolderListing list_images(const std::string& dir, const std::string& exclude);
// An output folder inside the image folder would hold pictures (the plots) that a later
// run over that folder analyses as photos: refused.
void refuse_output_inside(const std::string& out, const std::string& images);

}  // namespace ks
