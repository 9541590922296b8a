#include "analysis/effective_kernel_set.h"

#include <cmath>
#include <string>

#include "conv/filter_choice.h"
#include "io/input_error.h"

namespace ks {

std::vector<std::array<int, 2>> stage_query_cells(int grid_h, int grid_w, int cells) {
    if (grid_h < 1 || grid_w < 1 || cells < 1) throw InputError("The query grid needs a stage grid and at least one cell.");
    std::vector<std::array<int, 2>> q;
    q.reserve(static_cast<size_t>(cells) * cells);
    for (int r = 0; r < cells; ++r)
        for (int c = 0; c < cells; ++c)
            q.push_back({static_cast<int>((2LL * r + 1) * grid_h / (2LL * cells)),
                         static_cast<int>((2LL * c + 1) * grid_w / (2LL * cells))});
    return q;
}

std::vector<std::array<int, 2>> resnet_query_pixels(int grid_h, int grid_w, int width, int height, int cells) {
    std::vector<std::array<int, 2>> px;
    for (const auto& [r, c] : stage_query_cells(grid_h, grid_w, cells)) px.push_back(patch_centre_pixel(width, height, grid_h, grid_w, r, c));
    return px;
}

KernelView EffectiveKernelSet::view() const {
    KernelView k;
    k.kind = "effective_kernel";
    k.layers = stages;
    k.heads = 1;
    k.queries = queries;
    k.tokens = height * width;
    k.data = data.data();
    return k;
}

namespace {

// |g| summed over the channels, divided by its total (zeros when g = 0), into `out`.
void normalised_mass(const std::vector<float>& g, size_t hw, float* out) {
    std::vector<double> m(hw, 0.0);
    for (int c = 0; c < 3; ++c)
        for (size_t i = 0; i < hw; ++i) m[i] += std::fabs(static_cast<double>(g[c * hw + i]));
    double total = 0.0;
    for (double v : m) total += v;
    const double inv = total > 0.0 ? 1.0 / total : 0.0;
    for (size_t i = 0; i < hw; ++i) out[i] = static_cast<float>(m[i] * inv);
}

}  // namespace

EffectiveKernelSet effective_kernel_set(const ResnetModel& m, const ResnetRun& run, int cells, const ProgressFn& progress,
                                        const std::atomic<bool>* cancel) {
    if (run.forward.stages_run < kResnetStages || !run.forward.tape)
        throw InputError("The effective kernels need a forward pass through layer4 that kept its gates.");
    EffectiveKernelSet s;
    s.height = run.input.height;
    s.width = run.input.width;
    s.queries = cells * cells;
    const size_t hw = static_cast<size_t>(s.height) * s.width;
    if (run.chw.size() != 3 * hw) throw InputError("The run's input does not match its image size.");
    s.data.assign(static_cast<size_t>(s.stages) * s.queries * hw, 0.0f);
    int done = 0;
    for (int stage = 1; stage <= s.stages; ++stage) {
        const Feature& grid = run.forward.stages[stage - 1];
        const std::vector<std::array<int, 2>> cells_at = stage_query_cells(grid.h, grid.w, cells);
        for (int q = 0; q < s.queries; ++q) {
            if (cancel && cancel->load()) throw Cancelled();
            const std::vector<float> g = effective_kernel(m.weights, run.forward, stage, cells_at[q][0], cells_at[q][1]);
            normalised_mass(g, hw, s.data.data() + (static_cast<size_t>(stage - 1) * s.queries + q) * hw);
            if (progress) progress(static_cast<float>(++done) / static_cast<float>(s.stages * s.queries));
        }
    }
    return s;
}

}  // namespace ks
