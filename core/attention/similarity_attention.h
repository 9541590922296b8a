#pragma once
// The built-in model (README, "The built-in model"): attention between image patches with no learned weights.
// x_i = normalised patch pixels (+ lambda * 2-D sinusoidal position code),
// q = W_Q x, k = W_K x, a_ij = softmax_j(score(q_i, k_j) / tau).
#include <cstdint>
#include <string>

#include "attention/attention_set.h"
#include "image/image.h"
#include "image/patch_grid.h"

namespace ks {

enum class Score { Dot, Cosine };

// Valid ranges (InputError outside): keep every score / tau finite.
constexpr float kMinTau = 1e-3f, kMaxTau = 1e3f, kMaxLambda = 1e3f;
enum class Projection { Identity, Random };

struct SimilarityParams {
    int patch = 16;
    float tau = 0.1f;       // temperature
    float lambda = 0.0f;    // weight of the position code
    Score score = Score::Cosine;
    Projection projection = Projection::Identity;
    uint32_t seed = 0;      // for Projection::Random
};

const char* score_name(Score s);
bool parse_score(const std::string& s, Score* out);

// Token features: one row per patch, row-major over the grid. Each patch's pixels are
// centred and scaled to unit variance over the whole image so that the score does not
// depend on overall brightness; the position code is appended scaled by lambda.
// Returned as a row-major N x D matrix.
std::vector<float> patch_tokens(const Image& fitted, const PatchGrid& grid, float lambda, int* dim);

// Validates params (throws InputError), fits the image to the grid and computes the
// 1-layer 1-head attention set.
AttentionSet similarity_attention(const Image& img, const SimilarityParams& params);

}  // namespace ks
