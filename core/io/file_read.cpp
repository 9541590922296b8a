#include "io/file_read.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/input_error.h"

namespace ks {

std::string byte_size_text(uint64_t b) {
    char buf[64];
    if (b < 1000) std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(b));
    else if (b < 1000ull * 1000) std::snprintf(buf, sizeof buf, "%.0f KB", b / 1e3);
    else if (b < 1000ull * 1000 * 1000) std::snprintf(buf, sizeof buf, "%.0f MB", b / 1e6);
    else std::snprintf(buf, sizeof buf, "%.1f GB", b / 1e9);
    return buf;
}

RegularFile::RegularFile(const std::string& path, uint64_t max_bytes, const std::string& what)
    : head_("Cannot open the " + what + " '" + path + "': ") {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd_ < 0) throw InputError(head_ + std::strerror(errno) + ".");
    struct stat st {};
    std::string why;
    if (::fstat(fd_, &st) != 0) why = std::string(std::strerror(errno)) + ".";
    else if (S_ISDIR(st.st_mode)) why = "it is a folder, not a file.";
    else if (!S_ISREG(st.st_mode)) why = "it is not a regular file (a device, pipe or socket).";
    else if (static_cast<uint64_t>(st.st_size) > max_bytes)
        why = "the file is " + byte_size_text(st.st_size) + ", more than the " + byte_size_text(max_bytes) + " allowed for a " +
              what + ".";
    if (!why.empty()) {
        ::close(fd_);
        throw InputError(head_ + why);
    }
    size_ = static_cast<uint64_t>(st.st_size);
}

RegularFile::~RegularFile() { ::close(fd_); }

std::string read_regular_file(const std::string& path, uint64_t max_bytes, const std::string& what) {
    const RegularFile file(path, max_bytes, what);
    const int fd = file.fd();
    const uint64_t size = file.size();
    const std::string& head = file.head();
    std::string bytes(static_cast<size_t>(size), '\0');
    size_t got = 0;
    while (got < bytes.size()) {
        const ssize_t n = ::read(fd, &bytes[got], bytes.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw InputError(head + "reading failed (" + std::strerror(errno) + ").");
        if (n == 0) break;  // the file shrank while being read
        got += static_cast<size_t>(n);
    }
    if (got != bytes.size()) throw InputError(head + "the file changed size while it was read.");
    return bytes;
}

}  // namespace ks
