#include "background_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <pthread.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ks::gui {

namespace {
constexpr int kDefaultBackgroundNice = 5;
}

int background_nice_levels() {
    const char* v = std::getenv("KS_BACKGROUND_NICE");
    if (!v || !*v) return kDefaultBackgroundNice;
    char* end = nullptr;
    const long n = std::strtol(v, &end, 10);
    return (*end == '\0' && n >= 0 && n <= 19) ? static_cast<int>(n) : kDefaultBackgroundNice;
}

void lower_this_thread_priority(const char* name) {
    ::pthread_setname_np(::pthread_self(), name);
    const int levels = background_nice_levels();
    if (levels == 0) return;
    // PRIO_PROCESS with a thread id sets that one thread's nice value on Linux.
    const id_t tid = static_cast<id_t>(::syscall(SYS_gettid));
    errno = 0;
    const int now = ::getpriority(PRIO_PROCESS, tid);
    if (errno != 0) return;
    ::setpriority(PRIO_PROCESS, tid, now + levels > 19 ? 19 : now + levels);
}

std::vector<ThreadNice> thread_nice_values() {
    std::vector<ThreadNice> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/task", ec)) {
        std::ifstream f(e.path() / "stat");
        std::string line;
        if (!std::getline(f, line)) continue;
        // "tid (name) state ppid ...": the name may hold spaces and parentheses, so the
        // fields are counted from the last ')'. nice is field 19, the 17th after it.
        const size_t open = line.find('('), close = line.rfind(')');
        if (open == std::string::npos || close == std::string::npos || close < open) continue;
        std::istringstream rest(line.substr(close + 2));
        std::string field;
        for (int i = 0; i < 17 && rest >> field; ++i) {}
        ThreadNice t;
        t.tid = std::atoi(line.c_str());
        t.name = line.substr(open + 1, close - open - 1);
        t.nice = std::atoi(field.c_str());
        out.push_back(t);
    }
    return out;
}

}  // namespace ks::gui
