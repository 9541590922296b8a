#pragma once
// The result of any attention model: per layer and head an N x N row-stochastic
// matrix (rows = queries), plus the token layout needed to map rows onto the image.
#include <cstddef>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace ks {

// std::allocator, except that resize() leaves new values uninitialised (default-
// initialised): attention maps are written in full by whatever makes them, and zero-
// filling ViT-B's 22 MB first took 2.6 ms of a 120 ms forward pass.
template <class T>
struct DefaultInitAllocator : std::allocator<T> {
    template <class U>
    struct rebind {
        using other = DefaultInitAllocator<U>;
    };
    DefaultInitAllocator() = default;
    template <class U>
    DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}
    template <class U>
    void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};
using AttentionData = std::vector<float, DefaultInitAllocator<float>>;

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
    AttentionData data;         // [layers][heads][N][N], row-major

    void resize(int l, int h, int n) {  // all zeros
        layers = l; heads = h; tokens = n;
        data.assign(static_cast<size_t>(l) * h * n * n, 0.0f);
    }
    // For a producer that writes every value: the sizes, no zero-fill.
    void resize_for_overwrite(int l, int h, int n) {
        layers = l; heads = h; tokens = n;
        data.clear();
        data.resize(static_cast<size_t>(l) * h * n * n);
    }
    float* matrix(int l, int h) { return data.data() + (static_cast<size_t>(l) * heads + h) * tokens * tokens; }
    const float* matrix(int l, int h) const { return data.data() + (static_cast<size_t>(l) * heads + h) * tokens * tokens; }
    const float* row(int l, int h, int query) const { return matrix(l, h) + static_cast<size_t>(query) * tokens; }
};

}  // namespace ks
