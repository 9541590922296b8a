#include "io/file_output.h"

#include <stb_image_write.h>

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

std::string png_bytes(const std::vector<unsigned char>& rgb, int width, int height) {
    std::string out;
    auto sink = [](void* ctx, void* data, int size) {
        static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), static_cast<size_t>(size));
    };
    if (!stbi_write_png_to_func(sink, &out, width, height, 3, rgb.data(), width * 3))
        throw InputError("Encoding a PNG of " + std::to_string(width) + " x " + std::to_string(height) + " failed.");
    return out;
}

std::vector<unsigned char> to_rgb8(const Image& img) {
    std::vector<unsigned char> out(img.rgb.size());
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<unsigned char>(std::lround(std::clamp(img.rgb[i], 0.0f, 1.0f) * 255.0f));
    return out;
}

void write_files(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) throw InputError("Cannot create the output folder '" + dir + "': " + ec.message() + ".");
    for (const auto& [name, bytes] : files) write_file_atomic((fs::path(dir) / name).string(), bytes);
}

}  // namespace ks
