#include "io/file_output.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
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

// Held for the whole of each write_files call; stop_output_writes takes it for good.
std::mutex g_write_mutex;
int g_writes_done = 0;

std::string unique_suffix() {
    static int counter = 0;
    return std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

}  // namespace

void check_output_folder(const std::string& dir) {
    if (dir.empty()) throw InputError("The output folder name is empty; give --out the folder to create.");
    std::string d = dir;
    while (d.size() > 1 && d.back() == '/') d.pop_back();
    const fs::path target(d);
    std::error_code ec;
    if (fs::is_symlink(target, ec) && !fs::exists(target, ec))
        throw InputError("The output folder '" + dir + "' is a symbolic link to '" + fs::read_symlink(target, ec).string() +
                         "', which does not exist.");
    if (fs::exists(target, ec) && !fs::is_directory(target, ec))
        throw InputError("Cannot write into '" + dir + "': it exists and is not a folder.");
    if (fs::is_directory(target, ec) && !fs::is_empty(target, ec))
        throw InputError("The output folder '" + dir + "' is not empty: kernelscope writes only into a new or empty folder, "
                         "so nothing in it is replaced or mixed; give another --out.");
    // The nearest folder that exists must take new entries (the output, or its parents).
    fs::path at = fs::absolute(target, ec);
    while (!at.empty() && !fs::exists(at, ec) && at != at.parent_path()) at = at.parent_path();
    if (!fs::is_directory(at, ec))
        throw InputError("Cannot create the output folder '" + dir + "': '" + at.string() + "' is not a folder.");
    if (::access(at.c_str(), W_OK | X_OK) != 0)
        throw InputError("Cannot create the output folder '" + dir + "': '" + at.string() + "' is not writable.");
}

std::string move_entries_all_or_none(const std::string& from, const std::string& into) {
    std::error_code ec;
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(from, ec)) entries.push_back(e.path());
    if (ec) return ec.message();
    std::sort(entries.begin(), entries.end());  // the same order, so the same undo, every run
    std::vector<fs::path> moved;
    std::string failure;
    for (const fs::path& e : entries) {
        const fs::path to = fs::path(into) / e.filename();
        if (fs::exists(to, ec)) { failure = "'" + to.string() + "' appeared while writing"; break; }
        fs::rename(e, to, ec);
        if (ec) { failure = ec.message(); break; }
        moved.push_back(to);
    }
    // Every moved entry is this run's (`into` held none of their names): remove them all.
    if (!failure.empty())
        for (const fs::path& m : moved) fs::remove_all(m, ec);
    return failure;
}

namespace {

void write_files_locked(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files) {
    check_output_folder(dir);
    std::string d = dir;
    while (d.size() > 1 && d.back() == '/') d.pop_back();
    const fs::path target(d);
    fs::path parent = target.parent_path();
    if (parent.empty()) parent = ".";
    const std::string base = target.filename().string();
    std::error_code ec;
    const bool existed = fs::is_directory(target, ec);
    fs::create_directories(parent, ec);
    if (ec || !fs::is_directory(parent))
        throw InputError("Cannot create the output folder '" + dir + "': " + (ec ? ec.message() : "its parent is not a folder") + ".");
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
    if (!existed) {
        fs::rename(tmp, target, ec);  // a new folder appears complete, in one step
        if (!ec) return;
        fs::remove_all(tmp, ec);
        throw InputError("Cannot create the output folder '" + dir + "': " + ec.message() + ".");
    }
    // An empty folder the user made: should an entry fail to move in, it is empty again.
    const std::string failure = move_entries_all_or_none(tmp.string(), target.string());
    fs::remove_all(tmp, ec);
    if (!failure.empty()) throw InputError("Cannot write into '" + dir + "': " + failure + "; it was left empty.");
}

}  // namespace

void write_files(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files) {
    // All-or-nothing, and only into a new or empty folder: every file is written into a
    // temporary folder beside `dir` (same file system), and only when all are complete
    // are they moved in. A folder that already holds anything is refused before a byte is
    // written, so no file or folder of the user's is ever replaced, moved, deleted or
    // mixed with this run's (a folder named like an output, summary.json/, included).
    std::lock_guard<std::mutex> lock(g_write_mutex);
    write_files_locked(dir, files);
    ++g_writes_done;
}

int stop_output_writes() {
    g_write_mutex.lock();  // never released: the process ends
    return g_writes_done;
}

}  // namespace ks
