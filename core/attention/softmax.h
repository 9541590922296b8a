#pragma once
namespace ks {

// Row-wise softmax in place over a rows x cols row-major matrix, max subtracted for
// stability (vectorised: kernels/elementwise.h); every row sums to 1 within float rounding.
void softmax_rows(float* data, int rows, int cols);

}  // namespace ks
