#include "attention/softmax.h"

#include "kernels/elementwise.h"

namespace ks {

void softmax_rows(float* data, int rows, int cols) { kernels::softmax_rows(data, rows, cols, static_cast<size_t>(cols)); }

}  // namespace ks
