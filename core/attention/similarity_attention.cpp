#include "attention/similarity_attention.h"

#include <algorithm>

#include <Eigen/Dense>
#include <cmath>
#include <random>

#include "attention/position_code.h"
#include "attention/softmax.h"
#include "kernels/gemm.h"

namespace ks {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

const char* score_name(Score s) { return s == Score::Dot ? "dot" : "cosine"; }

bool parse_score(const std::string& s, Score* out) {
    if (s == "dot") { *out = Score::Dot; return true; }
    if (s == "cosine") { *out = Score::Cosine; return true; }
    return false;
}

std::vector<float> patch_tokens(const Image& fitted, const PatchGrid& grid, float lambda, int* dim) {
    const int p = grid.patch, n = grid.grid_h * grid.grid_w;
    const int dpix = p * p * 3;
    const int dpos = lambda != 0.0f ? 4 * kPositionFrequencies : 0;
    const int d = dpix + dpos;
    // Standardise each channel over the whole image, then scale a patch's pixel vector
    // by 1/sqrt(dpix) so its norm is ~1 whatever the patch size.
    double mean[3] = {0, 0, 0}, var[3] = {0, 0, 0};
    const size_t npx = static_cast<size_t>(fitted.width) * fitted.height;
    for (size_t i = 0; i < npx; ++i)
        for (int c = 0; c < 3; ++c) mean[c] += fitted.rgb[3 * i + c];
    for (double& m : mean) m /= npx;
    for (size_t i = 0; i < npx; ++i)
        for (int c = 0; c < 3; ++c) var[c] += (fitted.rgb[3 * i + c] - mean[c]) * (fitted.rgb[3 * i + c] - mean[c]);
    float inv_std[3];
    for (int c = 0; c < 3; ++c) inv_std[c] = static_cast<float>(1.0 / std::sqrt(var[c] / npx + 1e-6));
    const float pix_scale = 1.0f / std::sqrt(static_cast<float>(dpix));

    std::vector<float> x(static_cast<size_t>(n) * d, 0.0f);
    const std::vector<float> pe = dpos ? position_code_2d(grid.grid_h, grid.grid_w) : std::vector<float>{};
    for (int gr = 0; gr < grid.grid_h; ++gr) {
        for (int gc = 0; gc < grid.grid_w; ++gc) {
            const int t = gr * grid.grid_w + gc;
            float* row = x.data() + static_cast<size_t>(t) * d;
            int k = 0;
            for (int y = 0; y < p; ++y)
                for (int xx = 0; xx < p; ++xx)
                    for (int c = 0; c < 3; ++c)
                        row[k++] = (fitted.at(gc * p + xx, gr * p + y, c) - static_cast<float>(mean[c])) * inv_std[c] * pix_scale;
            for (int j = 0; j < dpos; ++j) row[dpix + j] = lambda * pe[static_cast<size_t>(t) * dpos + j];
        }
    }
    *dim = d;
    return x;
}

namespace {

RowMatrix random_projection(int d, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f / std::sqrt(static_cast<float>(d)));
    RowMatrix w(d, d);
    for (int i = 0; i < d; ++i)
        for (int j = 0; j < d; ++j) w(i, j) = normal(rng);
    return w;
}

void validate(const SimilarityParams& p) {
    // Bounded so that score / tau stays finite for every image: a standardised patch
    // vector has norm at most ~1000, the position code norm lambda, tau divides.
    if (!(p.tau >= kMinTau && p.tau <= kMaxTau))
        throw InputError("The temperature tau must be a number from 0.001 to 1000.");
    if (!(p.lambda >= 0.0f && p.lambda <= kMaxLambda))
        throw InputError("The position weight lambda must be a number from 0 to 1000.");
}

// S = alpha X X^T (n x n, X is n x d row-major) is symmetric: the block rows are
// multiplied from their diagonal block rightwards and the rest mirrored, half the
// multiply-adds of the full product (a 12 MP photo: 3072 tokens of 800 values).
void symmetric_scores(const float* x, int n, int d, float alpha, float* s) {
    constexpr int kBlock = 256;
    for (int i0 = 0; i0 < n; i0 += kBlock) {
        const int m = std::min(kBlock, n - i0);
        kernels::sgemm(true, m, n - i0, d, alpha, x + static_cast<size_t>(i0) * d, d, x + static_cast<size_t>(i0) * d, d,
                       0.0f, s + static_cast<size_t>(i0) * n + i0, n);
    }
    // Below the diagonal: s[i][j] = s[j][i], in tiles so both sides stay in cache.
    constexpr int kTile = 64;
    const int tiles = (n + kTile - 1) / kTile;
#pragma omp parallel for schedule(dynamic) if (n > 2 * kTile)
    for (int ti = 0; ti < tiles; ++ti)
        for (int tj = 0; tj <= ti; ++tj)
            for (int i = ti * kTile; i < std::min(n, (ti + 1) * kTile); ++i)
                for (int j = tj * kTile; j < std::min(i, (tj + 1) * kTile); ++j)
                    s[static_cast<size_t>(i) * n + j] = s[static_cast<size_t>(j) * n + i];
}

}  // namespace

AttentionSet similarity_attention(const Image& img, const SimilarityParams& params) {
    validate(params);
    const PatchGrid grid = fit_patch_grid(img.width, img.height, params.patch);
    const Image fitted = resize_to_grid(img, grid);
    int d = 0;
    std::vector<float> tokens = patch_tokens(fitted, grid, params.lambda, &d);
    const int n = grid.grid_h * grid.grid_w;
    Eigen::Map<RowMatrix> x(tokens.data(), n, d);

    // Without projections Q = K = X (cosine: both row-normalised), so S is symmetric.
    const bool symmetric = params.projection != Projection::Random;
    RowMatrix q, k;
    if (symmetric) {
        q = x;
    } else {
        q = x * random_projection(d, params.seed).transpose();
        k = x * random_projection(d, params.seed + 1).transpose();
    }
    if (params.score == Score::Cosine) {
        for (int i = 0; i < n; ++i) {
            const float qn = q.row(i).norm();
            if (qn > 0) q.row(i) /= qn;   // a constant patch has no direction; its scores stay 0
            if (symmetric) continue;
            const float kn = k.row(i).norm();
            if (kn > 0) k.row(i) /= kn;
        }
    }

    AttentionSet a;
    a.resize_for_overwrite(1, 1, n);  // every score is written below
    a.layout.grid_h = grid.grid_h;
    a.layout.grid_w = grid.grid_w;
    a.layout.patch = grid.patch;
    // S = Q K^T / tau by oneDNN's sgemm (the 1 / tau folded into alpha), then the rows'
    // softmax in row blocks over the threads: a 12 MP photo's grid has 3072 tokens.
    float* s = a.matrix(0, 0);
    if (symmetric)
        symmetric_scores(q.data(), n, static_cast<int>(q.cols()), 1.0f / params.tau, s);
    else
        kernels::sgemm(true, n, n, static_cast<int>(q.cols()), 1.0f / params.tau, q.data(), static_cast<int>(q.cols()),
                       k.data(), static_cast<int>(k.cols()), 0.0f, s, n);
    constexpr int rows_per_block = 64;
#pragma omp parallel for schedule(static) if (n > 2 * rows_per_block)
    for (int r0 = 0; r0 < n; r0 += rows_per_block)
        softmax_rows(s + static_cast<size_t>(r0) * n, std::min(rows_per_block, n - r0), n);
    return a;
}

}  // namespace ks
