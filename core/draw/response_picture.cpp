#include "draw/response_picture.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "draw/colormap.h"
#include "io/file_output.h"

namespace ks {

namespace {

// The k-th smallest |v| (0-based), exactly. With the sign bit cleared, a float's bit
// pattern orders as its value, so a histogram over the top 16 bits finds the bucket
// holding the k-th and only that bucket is selected from: two threaded passes instead
// of a copy and an nth_element over everything (30 ms for a display-sized response).
float kth_smallest_abs(const std::vector<float>& v, size_t k) {
    constexpr int kBuckets = 1 << 16;
    auto bucket_of = [](float f) {
        uint32_t b;
        std::memcpy(&b, &f, sizeof b);
        return static_cast<int>((b & 0x7fffffffu) >> 15);
    };
    const long long n = static_cast<long long>(v.size());
    std::vector<size_t> hist(kBuckets, 0);
#pragma omp parallel if (n > (1 << 18))
    {
        std::vector<size_t> local(kBuckets, 0);
#pragma omp for schedule(static) nowait
        for (long long i = 0; i < n; ++i) ++local[bucket_of(v[i])];
#pragma omp critical
        for (int j = 0; j < kBuckets; ++j) hist[j] += local[j];
    }
    size_t below = 0;
    int bucket = 0;
    while (below + hist[bucket] <= k) below += hist[bucket++];
    std::vector<float> in;
    in.reserve(hist[bucket]);
    for (const float f : v)
        if (bucket_of(f) == bucket) in.push_back(std::fabs(f));
    const auto at = in.begin() + static_cast<std::ptrdiff_t>(k - below);
    std::nth_element(in.begin(), at, in.end());
    return *at;
}

}  // namespace

// The 99th percentile of |v|: a few strong edges would otherwise wash the rest out.
float robust_scale(const std::vector<float>& v) {
    if (v.empty()) return 1.0f;
    const float p99 = kth_smallest_abs(v, (v.size() - 1) * 99 / 100);
    if (p99 > 0) return p99;
    const float m = kth_smallest_abs(v, v.size() - 1);
    return m > 0 ? m : 1.0f;
}

bool response_is_signed(const Plane& response) {
    return std::any_of(response.v.begin(), response.v.end(), [](float v) { return v < 0.0f; });
}

float response_scale(const Plane& response) { return robust_scale(response.v); }

Image response_picture(const Plane& response) {
    return response_picture(response, response_scale(response), response_is_signed(response));
}

namespace {

// A signed response (edges, Laplacian) is diverging about 0; a non-negative one
// (box, Gaussian, bilateral: a smoothed image) reads best as gray. `put(i, rgb)`
// stores pixel i.
template <typename Put>
void colour_response(const Plane& response, float scale, bool signed_map, Put put) {
    const float m = scale > 0 ? scale : 1.0f;
    const long long n = static_cast<long long>(response.v.size());
#pragma omp parallel for schedule(static) if (n > (1 << 18))
    for (long long i = 0; i < n; ++i)
        put(i, signed_map ? colormap_rgb(Colormap::Diverging, 0.5f + 0.5f * response.v[i] / m)
                          : colormap_rgb(Colormap::Gray, response.v[i] / m));
}

}  // namespace

Image response_picture(const Plane& response, float scale, bool signed_map) {
    Image out;
    out.width = response.width;
    out.height = response.height;
    out.rgb.resize(response.v.size() * 3);
    colour_response(response, scale, signed_map, [&](long long i, const std::array<float, 3>& c) {
        for (int ch = 0; ch < 3; ++ch) out.rgb[3 * i + ch] = c[ch];
    });
    return out;
}

std::vector<unsigned char> response_picture_rgb8(const Plane& response, float scale, bool signed_map) {
    std::vector<unsigned char> out(response.v.size() * 3);
    colour_response(response, scale, signed_map, [&](long long i, const std::array<float, 3>& c) {
        for (int ch = 0; ch < 3; ++ch) out[3 * i + ch] = unit_to_byte(c[ch]);
    });
    return out;
}


}  // namespace ks
