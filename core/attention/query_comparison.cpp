#include "attention/query_comparison.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "io/input_error.h"

namespace ks {

PatchHeat patch_heat(const std::vector<float>& row, const TokenLayout& L, int query_token, const HeatOptions& o) {
    const int np = L.num_prefix(), n = L.num_patches();
    if (static_cast<int>(row.size()) != np + n)
        throw InputError("An attention row of " + std::to_string(row.size()) + " values does not fit the token layout (" +
                         std::to_string(np + n) + " tokens).");
    PatchHeat h;
    for (int i = 0; i < np; ++i) h.prefix_mass += row[i];
    h.values.assign(row.begin() + np, row.end());
    if (o.patches_only) {
        double s = 0.0;
        for (float v : h.values) s += v;
        if (s > 0.0)
            for (float& v : h.values) v = static_cast<float>(v / s);
    }
    h.query_patch = query_token >= np && query_token < np + n ? query_token - np : -1;
    return h;
}

namespace {

// The q-quantile of the finite values of a map, its excluded patch left out (nearest
// rank, so the top is always one of the values). 0 for an empty map.
float map_quantile(const PatchHeat& h, bool exclude_query, float q) {
    std::vector<float> v;
    v.reserve(h.values.size());
    for (size_t i = 0; i < h.values.size(); ++i) {
        if (exclude_query && static_cast<int>(i) == h.query_patch) continue;
        if (std::isfinite(h.values[i])) v.push_back(h.values[i]);
    }
    if (v.empty()) return 0.0f;
    // 0.99f is 0.9900000095: without the slack, 0.99 of 200 would be rank 199, not 198.
    const double pos = std::ceil(static_cast<double>(std::clamp(q, 0.0f, 1.0f)) * static_cast<double>(v.size()) - 1e-4) - 1.0;
    const size_t k = static_cast<size_t>(std::clamp(pos, 0.0, static_cast<double>(v.size() - 1)));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

}  // namespace

HeatScale shared_heat_scale(const std::vector<const PatchHeat*>& heats, const HeatOptions& o) {
    HeatScale s;
    s.log = o.log_scale;
    float hi = 0.0f;
    for (const PatchHeat* h : heats) hi = std::max(hi, map_quantile(*h, o.exclude_query, o.top_quantile));
    if (!(hi > 0.0f)) hi = 1.0f;  // an all-zero map: any positive range draws it at the bottom colour
    s.hi = hi;
    s.lo = s.log ? hi * 1e-3f : 0.0f;
    for (const PatchHeat* h : heats)
        for (float v : h->values) s.clipped |= v > hi;
    return s;
}

std::vector<float> heat_for_display(const std::vector<float>& values, const HeatScale& s) {
    if (!s.log) return values;
    std::vector<float> out(values.size());
    for (size_t i = 0; i < values.size(); ++i) out[i] = std::log10(std::max(values[i], s.lo));
    return out;
}

double lit_share(const std::vector<float>& values, const HeatScale& s) {
    if (values.empty()) return 0.0;
    float lo = 0, hi = 0;
    shader_range(s, &lo, &hi);
    const float at = lo + 0.1f * (hi - lo);
    size_t lit = 0;
    for (float v : values) {
        const float d = s.log ? std::log10(std::max(v, s.lo)) : v;
        if (d >= at) ++lit;
    }
    return static_cast<double>(lit) / static_cast<double>(values.size());
}

void shader_range(const HeatScale& s, float* lo, float* hi) {
    *lo = s.log ? std::log10(s.lo) : s.lo;
    *hi = s.log ? std::log10(s.hi) : s.hi;
}

float difference_scale(const std::vector<float>& diff, int query_patch, const HeatOptions& o) {
    PatchHeat magnitude;
    magnitude.values.resize(diff.size());
    for (size_t i = 0; i < diff.size(); ++i) magnitude.values[i] = std::fabs(diff[i]);
    magnitude.query_patch = query_patch;
    return map_quantile(magnitude, o.exclude_query, o.top_quantile);
}

std::vector<float> heat_difference(const std::vector<float>& a, const std::vector<float>& b, float* max_abs) {
    if (a.size() != b.size()) throw InputError("The two heatmaps to compare have different sizes.");
    std::vector<float> d(a.size());
    float m = 0.0f;
    for (size_t i = 0; i < a.size(); ++i) {
        d[i] = b[i] - a[i];
        m = std::max(m, std::fabs(d[i]));
    }
    if (max_abs) *max_abs = m;
    return d;
}

std::vector<float> local_window(const std::vector<float>& map, int gh, int gw, int row, int col, int radius,
                                float outside) {
    const int k = 2 * radius + 1;
    std::vector<float> w(static_cast<size_t>(k) * k, outside);
    for (int dr = -radius; dr <= radius; ++dr)
        for (int dc = -radius; dc <= radius; ++dc) {
            const int r = row + dr, c = col + dc;
            if (r < 0 || c < 0 || r >= gh || c >= gw) continue;
            w[static_cast<size_t>(dr + radius) * k + (dc + radius)] = map[static_cast<size_t>(r) * gw + c];
        }
    return w;
}

std::string prefix_mass_text(const std::vector<float>& row, const TokenLayout& L) {
    std::string s;
    char buf[64];
    for (int i = 0; i < L.num_prefix() && i < static_cast<int>(row.size()); ++i) {
        std::snprintf(buf, sizeof buf, "%s%s %.2f", s.empty() ? "" : ", ", L.prefix_names[i].c_str(), row[i]);
        s += buf;
    }
    return s;
}

}  // namespace ks
