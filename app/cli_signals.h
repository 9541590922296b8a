#pragma once
// SIGINT, SIGTERM and SIGHUP for the command-line runs: Ctrl+C, a Slurm time limit or
// `timeout`, systemd and a closed terminal all stop a run the same way. The three are
// blocked in every thread and taken by one watcher thread (sigtimedwait), so no thread
// is ever interrupted mid-computation: with an ordinary handler, a signal landing while
// the image decoder thread and the GEMM threads ran corrupted the heap in about one
// run in five. Construct it before any other thread starts: threads started afterwards
// (OpenMP's, the decoder's) inherit the blocked mask.
#include <atomic>
#include <csignal>
#include <thread>

namespace ks {

class StopSignals {
public:
    // wind_down: the first signal only sets stop_requested() (analyze stops after the
    // current image and writes what is done). A second signal, or any signal without
    // wind_down, ends the process at once with exit code 128 + its number, but never
    // while write_files runs: a folder being written is finished or removed first.
    explicit StopSignals(bool wind_down);
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    const std::atomic<bool>& stop_requested() const { return stop_; }
    int signal_number() const { return signal_.load(); }  // the first one received, or 0
    static const char* name(int sig);                     // "SIGTERM"

private:
    void watch();
    [[noreturn]] static void end_now(int sig);

    sigset_t set_{}, old_{};
    bool wind_down_;
    std::atomic<bool> stop_{false}, done_{false};
    std::atomic<int> signal_{0};
    std::thread thread_;
};

}  // namespace ks
