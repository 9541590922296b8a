#pragma once
// The result of any attention model: per layer and head an N x N row-stochastic
// matrix (rows = queries), plus the token layout needed to map rows onto the image.
#include <cstddef>
#include <string>
#include <vector>

namespace ks {

struct TokenLayout {
    std::vector<std::string> prefix_names;  // e.g. {"cls"}, {"cls","dist"}, {"cls","reg0",...}; empty for the built-in model
    int grid_h = 0;                         // patch grid rows
    int grid_w = 0;                         // patch grid columns
    int patch = 0;                          // patch size in input pixels

    int num_prefix() const { return static_cast<int>(prefix_names.size()); }
    int num_patches() const { return grid_h * grid_w; }
    int num_tokens() const { return num_prefix() + num_patches(); }
    // Token index of patch (row, col): prefix tokens come first, then patches row-major.
    int patch_token(int row, int col) const { return num_prefix() + row * grid_w + col; }
};

struct AttentionSet {
    int layers = 0;
    int heads = 0;
    int tokens = 0;             // N
    TokenLayout layout;
    std::vector<float> data;    // [layers][heads][N][N], row-major

    void resize(int l, int h, int n) {
        layers = l; heads = h; tokens = n;
        data.assign(static_cast<size_t>(l) * h * n * n, 0.0f);
    }
    float* matrix(int l, int h) { return data.data() + (static_cast<size_t>(l) * heads + h) * tokens * tokens; }
    const float* matrix(int l, int h) const { return data.data() + (static_cast<size_t>(l) * heads + h) * tokens * tokens; }
    const float* row(int l, int h, int query) const { return matrix(l, h) + static_cast<size_t>(query) * tokens; }
};

}  // namespace ks
