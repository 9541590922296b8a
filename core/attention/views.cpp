#include "attention/views.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "image/image.h"

namespace ks {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

namespace {

int patch_query(const TokenLayout& lay, int row, int col) {
    if (row < 0 || row >= lay.grid_h || col < 0 || col >= lay.grid_w)
        throw InputError("The query " + std::to_string(row) + "," + std::to_string(col) + " lies outside the " +
                         std::to_string(lay.grid_h) + " x " + std::to_string(lay.grid_w) + " patch grid.");
    return lay.patch_token(row, col);
}

}  // namespace

int query_token(const AttentionSet& a, const ViewSpec& v) {
    const TokenLayout& lay = a.layout;
    if (v.kind == QueryKind::Patch || (v.kind == QueryKind::Rollout && (v.prefix < 0 || lay.num_prefix() == 0)))
        return patch_query(lay, v.row, v.col);
    if (v.prefix < 0 || v.prefix >= lay.num_prefix())
        throw InputError(lay.num_prefix() == 0 ? "This model has no prefix tokens (no CLS token) to query."
                                               : "Prefix token " + std::to_string(v.prefix) + " does not exist; the model has " +
                                                     std::to_string(lay.num_prefix()) + ".");
    return v.prefix;
}

int prefix_index(const TokenLayout& layout, const std::string& name) {
    const auto& names = layout.prefix_names;
    for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return static_cast<int>(i);
    std::string have;
    for (const auto& n : names) have += (have.empty() ? "" : ", ") + n;
    throw InputError("The model has no prefix token '" + name + "'" +
                     (have.empty() ? std::string("; it has none.") : "; it has " + have + "."));
}

std::vector<float> view_row(const AttentionSet& a, const ViewSpec& v) {
    const int n = a.tokens;
    const int q = query_token(a, v);
    if (v.kind == QueryKind::Rollout) {
        const std::vector<float> r = attention_rollout(a, v.layer < 0 ? -1 : v.layer);
        return std::vector<float>(r.begin() + static_cast<size_t>(q) * n, r.begin() + static_cast<size_t>(q + 1) * n);
    }
    if (v.layer < 0 || v.layer >= a.layers)
        throw InputError("Layer " + std::to_string(v.layer) + " does not exist; the model has " + std::to_string(a.layers) + ".");
    std::vector<float> out(n, 0.0f);
    if (v.reduce == HeadReduce::Single) {
        if (v.head < 0 || v.head >= a.heads)
            throw InputError("Head " + std::to_string(v.head) + " does not exist; the layer has " + std::to_string(a.heads) + ".");
        const float* r = a.row(v.layer, v.head, q);
        std::copy(r, r + n, out.begin());
    } else if (v.reduce == HeadReduce::Mean) {
        for (int h = 0; h < a.heads; ++h) {
            const float* r = a.row(v.layer, h, q);
            for (int j = 0; j < n; ++j) out[j] += r[j] / a.heads;
        }
    } else {
        for (int h = 0; h < a.heads; ++h) {
            const float* r = a.row(v.layer, h, q);
            for (int j = 0; j < n; ++j) out[j] = std::max(out[j], r[j]);
        }
    }
    return out;
}

std::vector<float> patch_heatmap(const std::vector<float>& row, const TokenLayout& layout) {
    const size_t p = static_cast<size_t>(layout.num_prefix());
    return std::vector<float>(row.begin() + p, row.begin() + p + layout.num_patches());
}

std::vector<float> attention_rollout(const AttentionSet& a, int upto) {
    const int n = a.tokens;
    const int last = upto < 0 ? a.layers - 1 : std::min(upto, a.layers - 1);
    RowMatrix r = RowMatrix::Identity(n, n);
    for (int l = 0; l <= last; ++l) {
        RowMatrix abar = RowMatrix::Zero(n, n);
        for (int h = 0; h < a.heads; ++h) abar += Eigen::Map<const RowMatrix>(a.matrix(l, h), n, n);
        abar = 0.5f * abar / static_cast<float>(a.heads) + 0.5f * RowMatrix::Identity(n, n);
        for (int i = 0; i < n; ++i) abar.row(i) /= abar.row(i).sum();
        r = abar * r;  // the later layer multiplies from the left
    }
    return std::vector<float>(r.data(), r.data() + static_cast<size_t>(n) * n);
}

std::vector<float> mean_attention_distance(const AttentionSet& a) {
    const TokenLayout& lay = a.layout;
    const int np = lay.num_patches();
    std::vector<float> dist(static_cast<size_t>(np) * np);
    for (int i = 0; i < np; ++i)
        for (int j = 0; j < np; ++j) {
            const float dy = static_cast<float>(i / lay.grid_w - j / lay.grid_w) * lay.patch;
            const float dx = static_cast<float>(i % lay.grid_w - j % lay.grid_w) * lay.patch;
            dist[static_cast<size_t>(i) * np + j] = std::sqrt(dx * dx + dy * dy);
        }
    return mean_attention_distance(a, dist);
}

std::vector<float> mean_attention_distance(const AttentionSet& a, const std::vector<float>& dist) {
    const TokenLayout& lay = a.layout;
    const int np = lay.num_patches(), pre = lay.num_prefix();
    std::vector<float> out(static_cast<size_t>(a.layers) * a.heads, 0.0f);
    for (int l = 0; l < a.layers; ++l)
        for (int h = 0; h < a.heads; ++h) {
            double total = 0;
            for (int i = 0; i < np; ++i) {
                const float* row = a.row(l, h, pre + i) + pre;
                const float* di = dist.data() + static_cast<size_t>(i) * np;
                // Four partial sums each, so the additions do not wait on each other.
                double w4[4] = {0, 0, 0, 0}, d4[4] = {0, 0, 0, 0};
                int j = 0;
                for (; j + 4 <= np; j += 4)
                    for (int k = 0; k < 4; ++k) {
                        w4[k] += row[j + k];
                        d4[k] += row[j + k] * di[j + k];
                    }
                for (; j < np; ++j) {
                    w4[0] += row[j];
                    d4[0] += row[j] * di[j];
                }
                const double wsum = (w4[0] + w4[1]) + (w4[2] + w4[3]), d = (d4[0] + d4[1]) + (d4[2] + d4[3]);
                if (wsum > 0) total += d / wsum;
            }
            out[static_cast<size_t>(l) * a.heads + h] = np > 0 ? static_cast<float>(total / np) : 0.0f;
        }
    return out;
}

}  // namespace ks
