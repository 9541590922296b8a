#include "image_folder.h"

#include <algorithm>
#include <filesystem>

#include "io/input_error.h"

namespace ks {

namespace fs = std::filesystem;

bool is_image_name(const std::string& path) {
    const fs::path p(path);
    static const std::vector<std::string> exts = {".png", ".jpg", ".jpeg", ".bmp", ".tga", ".gif"};
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::find(exts.begin(), exts.end(), ext) != exts.end();
}

namespace {

// Reads one folder's entries into `out`, pushing its subfolders (not symbolic links to
// folders, as before) onto `pending`. `skip` (the output folder) is not entered.
void list_one_folder(const fs::path& root, const fs::path& dir, const fs::path& skip, std::vector<fs::path>& pending,
                     FolderListing& out) {
    std::error_code ec;
    const std::string rel = fs::relative(dir, root, ec).generic_string() + "/";
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        std::error_code e2;
        if (it->is_directory(e2) && !it->is_symlink(e2)) {
            if (fs::weakly_canonical(it->path(), e2) != skip) pending.push_back(it->path());
        } else if (it->is_regular_file(e2) && is_image_name(it->path().string())) {
            out.images.push_back(fs::relative(it->path(), root, e2).generic_string());
            out.bytes.push_back(static_cast<uint64_t>(it->file_size(e2)));
        }
    }
    if (ec) out.folders.push_back({rel, "the folder could not be read (" + ec.message() + "), so its images were not analysed"});
}

}  // namespace

// Recursively, with a list rather than recursion (a deep tree must not overflow the
// stack), in byte order: the same list, in the same order, on every machine.
FolderListing list_images(const std::string& dir, const std::string& exclude) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw InputError("--images: '" + dir + "' is not a folder.");
    fs::directory_iterator probe(dir, ec);
    if (ec) throw InputError("Cannot read the folder '" + dir + "': " + ec.message() + ".");
    const fs::path skip = fs::weakly_canonical(exclude, ec);
    FolderListing out;
    std::vector<fs::path> pending = {fs::path(dir)};
    while (!pending.empty()) {
        const fs::path d = pending.back();
        pending.pop_back();
        list_one_folder(dir, d, skip, pending, out);
    }
    std::vector<size_t> order(out.images.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return out.images[a] < out.images[b]; });
    FolderListing sorted;
    for (size_t i : order) {
        sorted.images.push_back(out.images[i]);
        sorted.bytes.push_back(out.bytes[i]);
    }
    out.images = std::move(sorted.images);
    out.bytes = std::move(sorted.bytes);
    std::sort(out.folders.begin(), out.folders.end(), [](const Skipped& a, const Skipped& b) { return a.image < b.image; });
    return out;
}

void refuse_output_inside(const std::string& out, const std::string& images) {
    std::error_code ec;
    const fs::path o = fs::weakly_canonical(fs::absolute(out, ec), ec), i = fs::weakly_canonical(fs::absolute(images, ec), ec);
    const auto rel = o.lexically_relative(i);
    if (!rel.empty() && *rel.begin() != "..")
        throw InputError("The output folder '" + out + "' lies inside the image folder '" + images +
                         "', whose later runs would analyse its plots as photos; choose a folder outside it.");
}

}  // namespace ks
