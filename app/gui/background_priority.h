#pragma once
// The app's background threads (the compute worker, the image loader, exports) run a
// few nice levels below the UI thread. On a 2-core desktop the worker's OpenMP team takes
// both cores for a whole step; at equal priority the UI thread and the GL driver's
// threads then get a third of a core each and a frame that needs 10 ms of CPU took
// 36-66 ms (bench/app_latency.sh). With the background lower, the scheduler gives a
// frame its CPU first and the step gets everything the frames leave, so the step costs
// the same CPU either way. Nice is per thread on Linux and inherited by threads created
// afterwards, so libgomp's team threads started by a niced worker are niced too.
#include <string>
#include <vector>

namespace ks::gui {

// How many nice levels below the UI: KS_BACKGROUND_NICE (0..19) when set, else the default.
int background_nice_levels();

// Lowers the calling thread's priority by background_nice_levels(). Called first thing
// in a background thread, before it starts any OpenMP region. Failure (a sandbox that
// forbids it) leaves the priority as it was: only frame times suffer.
// `name` (at most 15 characters) also names the thread, so `top -H` and the script's
// `state` can tell it apart; threads it starts inherit the name.
void lower_this_thread_priority(const char* name);

struct ThreadNice {
    int tid = 0;
    std::string name;
    int nice = 0;
};
// Every thread of this process with its name and nice value (from /proc/self/task), for
// the script's `state`: the test checks the worker's OpenMP team runs below the UI.
std::vector<ThreadNice> thread_nice_values();

}  // namespace ks::gui
