#include "io/file_output.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace ks {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError("Cannot read '" + path + "': " + std::strerror(errno) + ".");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file_atomic(const std::string& path, const std::string& bytes) {
    // The temporary name is unique per process so two writers never share it.
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw InputError("Cannot write '" + path + "': " + std::strerror(errno) + ".");
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            std::remove(tmp.c_str());
            throw InputError("Cannot write '" + path + "': the disk may be full.");
        }
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        std::remove(tmp.c_str());
        throw InputError("Cannot write '" + path + "': " + ec.message() + ".");
    }
}

std::vector<unsigned char> to_rgb8(const Image& img) {
    std::vector<unsigned char> out(img.rgb.size());
    const long long n = static_cast<long long>(out.size());
#pragma omp parallel for simd schedule(static) if (n > (1 << 20))
    for (long long i = 0; i < n; ++i) out[i] = unit_to_byte(img.rgb[i]);
    return out;
}

namespace {

// Writes bytes to a new file; the message names `shown` (the final path), not the temporary one.
void write_plain(const fs::path& path, const std::string& bytes, const std::string& shown) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError("Cannot write '" + shown + "': " + std::strerror(errno) + ".");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    out.close();
    if (!out) throw InputError("Cannot write '" + shown + "': the disk may be full.");
}

std::string unique_suffix() {
    static int counter = 0;
    return std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

}  // namespace

void write_files(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files) {
    // All-or-nothing: every file is written into a temporary folder beside `dir` (same
    // file system), and only when all are complete are they moved in. Should a move fail,
    // the ones already moved are put back, so `dir` holds either all the old files or all
    // the new ones, never a mix.
    std::string d = dir;
    while (d.size() > 1 && d.back() == '/') d.pop_back();
    const fs::path target(d.empty() ? "." : d);
    fs::path parent = target.parent_path();
    if (parent.empty()) parent = ".";
    const std::string base = target.filename().string();
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec || !fs::is_directory(parent)) throw InputError("Cannot create the output folder '" + dir + "': " + ec.message() + ".");
    if (fs::exists(target, ec) && !fs::is_directory(target, ec))
        throw InputError("Cannot write into '" + dir + "': it exists and is not a folder.");
    const fs::path tmp = parent / ("." + base + ".tmp-" + unique_suffix());
    if (!fs::create_directory(tmp, ec) || ec)
        throw InputError("Cannot create the output folder '" + dir + "': " + (ec ? ec.message() : "a temporary folder is in the way") + ".");
    try {
        // A name may hold a subfolder ("b/attention.npy": the app's export of input B).
        for (const auto& f : files)
            if ((tmp / f.first).parent_path() != tmp) fs::create_directories((tmp / f.first).parent_path());
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
    // The files are written on the threads: a 12 MP export is about 250 MB, and copying
    // it into the page cache takes a core for most of a second.
    std::vector<std::string> errors(files.size());
    const long long n = static_cast<long long>(files.size());
#pragma omp parallel for schedule(dynamic) if (n > 1)
    for (long long i = 0; i < n; ++i) {
        try {
            write_plain(tmp / files[i].first, files[i].second, (target / files[i].first).string());
        } catch (const std::exception& e) {
            errors[i] = e.what();
        }
    }
    for (const std::string& e : errors)
        if (!e.empty()) {
            fs::remove_all(tmp, ec);
            throw InputError(e);
        }
    if (!fs::exists(target, ec)) {
        fs::rename(tmp, target, ec);  // a new folder appears complete, in one step
        if (!ec) return;
        fs::remove_all(tmp, ec);
        throw InputError("Cannot create the output folder '" + dir + "': " + ec.message() + ".");
    }
    // An existing folder: old files of the same names are set aside, new ones moved in.
    const fs::path backup = parent / ("." + base + ".old-" + unique_suffix());
    if (!fs::create_directory(backup, ec) || ec) {
        fs::remove_all(tmp, ec);
        throw InputError("Cannot write into '" + dir + "': no temporary folder could be made beside it.");
    }
    std::vector<std::pair<std::string, bool>> done;  // name, had an old file
    std::string failure;
    for (const auto& f : files) {
        const std::string& name = f.first;
        const bool had_old = fs::exists(target / name, ec);
        if (had_old) {
            fs::rename(target / name, backup / name, ec);
            if (ec) { failure = ec.message(); break; }
        }
        fs::rename(tmp / name, target / name, ec);
        if (ec) {
            failure = ec.message();
            if (had_old) fs::rename(backup / name, target / name, ec);
            break;
        }
        done.emplace_back(name, had_old);
    }
    if (!failure.empty()) {
        for (auto it = done.rbegin(); it != done.rend(); ++it) {
            fs::remove(target / it->first, ec);
            if (it->second) fs::rename(backup / it->first, target / it->first, ec);
        }
    }
    fs::remove_all(tmp, ec);
    fs::remove_all(backup, ec);
    if (!failure.empty()) throw InputError("Cannot write into '" + dir + "': " + failure + "; its old files were kept.");
}

}  // namespace ks
