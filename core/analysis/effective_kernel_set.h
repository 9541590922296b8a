#pragma once
// The effective_kernel kind of data specificity (analysis/data_specificity.h): a ResNet's
// effective kernel g (cnn/resnet_backward.h: the gradient of sum_c y_s[c, row, col] with
// respect to the normalised input) per stage at a fixed grid of query positions, as a
// distribution over the input's H x W pixels: |g| summed over the three channels and
// divided by its total, as effective_kernel_change normalises it. A query whose g is 0
// (every channel's ReLU is off there) gives a row of zeros.
//
// Cost: one backward pass per (stage, query), i.e. 4 x cells^2 per image (36 at the
// default 3 x 3), after the one forward pass that keeps the gates.
#include <array>
#include <atomic>
#include <vector>

#include "analysis/data_specificity.h"
#include "cnn/resnet_model.h"
#include "vit/vit_forward.h"  // Cancelled, ProgressFn

namespace ks {

inline constexpr int kResnetStages = 4;
inline constexpr int kResnetQueryCells = 3;  // 3 x 3 queries per stage

// The query cells on a stage grid of grid_h x grid_w: the centres of a cells x cells
// partition, row_k = floor((2k + 1) * grid_h / (2 cells)) (columns alike), row-major.
// Always cells^2 of them, so every stage and image has the same shape; on a grid with
// fewer than `cells` rows (or columns) a row (column) repeats.
std::vector<std::array<int, 2>> stage_query_cells(int grid_h, int grid_w, int cells);

// Where the model-free kinds are measured for a ResNet: the input pixel (x, y) at the
// centre of each query cell of layer4's grid_h x grid_w grid (conv/filter_choice's
// patch_centre_pixel, as the overlays place a query), in the order of stage_query_cells.
std::vector<std::array<int, 2>> resnet_query_pixels(int grid_h, int grid_w, int width, int height,
                                                    int cells = kResnetQueryCells);

// One image's effective kernels, [stages][1][queries][height * width] row-major.
struct EffectiveKernelSet {
    int stages = kResnetStages, queries = 0, height = 0, width = 0;
    std::vector<float> data;
    KernelView view() const;  // kind "effective_kernel", every query measured
};

// `run` must come from run_resnet with last_stage 4 (gates kept). `progress` gets 0..1
// after each backward pass; `cancel` is polled between them (throws Cancelled).
EffectiveKernelSet effective_kernel_set(const ResnetModel& m, const ResnetRun& run, int cells = kResnetQueryCells,
                                        const ProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace ks
