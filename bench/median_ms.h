#pragma once
// The benchmarks' timer: the median wall time of `reps` calls of f, in milliseconds.
#include <algorithm>
#include <chrono>
#include <vector>

template <class F>
double median_ms(F&& f, int reps) {
    using Clock = std::chrono::steady_clock;
    std::vector<double> t;
    for (int i = 0; i < reps; ++i) {
        const auto t0 = Clock::now();
        f();
        t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}
