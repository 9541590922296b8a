#pragma once
// The first blocks of an effective kernel's backward pass, while the gradient is
// nonzero only in a small box of its plane: a layer4 query starts as one cell of
// 7 x 7, then 3 x 3, then 5 x 5. oneDNN's primitives take whole planes and would
// multiply mostly zeros there, so these blocks run plain ([C][H][W]): the box's
// positions times the conv weights (one GEMM), scattered back onto the input grid.
#include "cnn/feature.h"
#include "cnn/resnet_plan.h"

namespace ks {

// Rows [y0, y1) and columns [x0, x1) of a plane; a gradient is 0 outside.
struct Box {
    int y0 = 0, y1 = 0, x0 = 0, x1 = 0;
    int area() const { return (y1 - y0) * (x1 - x0); }
};

// Where the local walk stopped: the gradient `d` at the output of block (layer, index),
// gated by that output's ReLU, zero outside `box`. layer < 0: the gradient is at the
// max-pool's output (every block was walked).
struct LocalBackward {
    Feature d;
    Box box;
    int layer = 0, index = 0;
};

// Starts from `start` (the gradient at the output of the last block of layer `stage`,
// gated) and walks back while the box covers at most half of its plane.
LocalBackward local_backward(const ResnetWeights& w, const ResnetTape& tape, int stage, LocalBackward start,
                             dnnl::stream& s);

}  // namespace ks
