#pragma once
// oneDNN's primitives for one ResNet at one input size, built once and reused:
// every convolution forward (BatchNorm folded into it, its ReLU and the residual sum
// fused as post-ops) and its gradient with respect to its input, and the max-pool
// both ways. Activations stay in the layout oneDNN picks (nChw16c on AVX-512)
// from the stem to a stage's output; only the input, the stage outputs and the
// effective kernel are plain [C][H][W]. oneDNN generates its kernels for the CPU it
// runs on, so a build for any x86-64 still uses AVX2 / AVX-512.
//
// Chosen by measurement (ResNet-50, 224 px, 2 threads, forward + one backward from
// layer4's centre, median of 5 alternated rounds): im2col + oneDNN sgemm 134-156 ms;
// these primitives with direct convolutions 101-112 ms; with Winograd forward
// kernels for the stride-1 3x3 convs and, for every stride-1 conv, the backward run
// as a forward conv with flipped weights (below) 92 ms.
#include <array>
#include <memory>
#include <mutex>
#include <vector>

#include <dnnl.hpp>

#include "cnn/resnet_weights.h"

namespace ks {

struct ConvStep {
    dnnl::convolution_forward fwd;
    dnnl::primitive bwd;           // backward-data, or a forward conv with transposed weights
    bool bwd_is_forward = false;
    dnnl::memory::desc src, dst;            // the forward's layouts
    dnnl::memory::desc diff_src, diff_dst;  // the backward's: the same, except at the stem
    dnnl::memory w_fwd, w_bwd, bias;
    dnnl::memory::desc fwd_scratch, bwd_scratch;  // what each needs of the pass's scratch buffer
};

struct BlockPlan {
    ConvStep conv1, conv2, conv3, down;  // conv3 in a Bottleneck only, down with a projection shortcut
    bool bottleneck = false, has_down = false;
    const ConvStep& last() const { return bottleneck ? conv3 : conv2; }
};

struct ResnetPlan {
    int h = 0, w = 0;
    dnnl::engine eng;
    ConvStep stem;  // its src is the plain normalised input
    dnnl::pooling_forward pool;
    dnnl::pooling_backward pool_bwd;
    dnnl::memory::desc pool_dst, pool_ws, pool_scratch, pool_bwd_scratch;
    std::array<std::vector<BlockPlan>, 4> layers;
    size_t scratch_bytes = 0;  // the largest scratchpad of any primitive here

    std::vector<const ConvStep*> steps() const;
};

// One pass's scratch buffer, shared by its primitives (they run one after another).
class Scratch {
public:
    // Not zero-filled: the primitives write before they read.
    explicit Scratch(const ResnetPlan& p) : eng_(p.eng), buf_(new float[p.scratch_bytes / sizeof(float) + 1]) {}
    dnnl::memory operator()(const dnnl::memory::desc& d) const { return dnnl::memory(d, eng_, buf_.get()); }

private:
    dnnl::engine eng_;
    std::unique_ptr<float[]> buf_;
};

// What a forward pass keeps for the backward: every ReLU's output (its gate is
// output > 0) and the max-pool's choices, in the plan's layouts.
struct BlockTape {
    dnnl::memory t1, t2, out;  // after conv1's ReLU, conv2's (Bottleneck), the residual ReLU
};
struct ResnetTape {
    std::shared_ptr<const ResnetPlan> plan;
    dnnl::memory stem, pool_ws;
    std::array<std::vector<BlockTape>, 4> blocks;
};

// The few most recent plans of one set of weights (A and B usually share one size).
struct ResnetPlanCache {
    std::mutex mutex;
    std::vector<std::shared_ptr<const ResnetPlan>> recent;
};

// The plan for an h x w input, from w's cache when it has one (weights loaded by
// load_resnet_weights do), else built.
std::shared_ptr<const ResnetPlan> resnet_plan(const ResnetWeights& w, int h, int w_px);

// A [1, C, H, W] tensor in any layout as a plain Feature.
Feature plain_feature(const dnnl::memory& m, dnnl::stream& s);

// `m` in layout `want`: m itself when it already is, else a reordered copy (padding 0).
dnnl::memory conform(const dnnl::memory& m, const dnnl::memory::desc& want, dnnl::stream& s);

}  // namespace ks
