#include "cli_signals.h"

#include <pthread.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "io/file_output.h"

namespace ks {

StopSignals::StopSignals(bool wind_down) : wind_down_(wind_down) {
    sigemptyset(&set_);
    for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set_, s);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
    thread_ = std::thread([this] { watch(); });
}

StopSignals::~StopSignals() {
    done_.store(true);
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
}

const char* StopSignals::name(int sig) {
    switch (sig) {
        case SIGINT: return "SIGINT";
        case SIGTERM: return "SIGTERM";
        case SIGHUP: return "SIGHUP";
        default: return "a signal";
    }
}

void StopSignals::watch() {
    while (!done_.load()) {
        const timespec wait{0, 100 * 1000 * 1000};
        const int sig = sigtimedwait(&set_, nullptr, &wait);
        if (sig <= 0) continue;
        if (!wind_down_ || stop_.load()) end_now(sig);
        signal_.store(sig);
        stop_.store(true);
        std::cerr << "\nstopping after the current image (" << name(sig)
                  << "); a second Ctrl+C or signal ends the run at once\n" << std::flush;
    }
}

void StopSignals::end_now(int sig) {
    // A folder being written is completed (or removed) before the process ends, so no
    // output is ever left half-written; no new one starts.
    const int written = stop_output_writes();
    const std::string what = written > 0 ? "the output was already written" : "nothing was written";
    // A new line first only after analyze's progress bar on a terminal.
    std::cerr << (::isatty(2) ? "\n" : "") << "kernelscope: stopped by " << name(sig) << "; " << what << ".\n" << std::flush;
    std::_Exit(128 + sig);
}

}  // namespace ks
