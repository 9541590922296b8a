#pragma once
// The fixed convolution filter bank. A kernel is k x k (k odd), the same for every
// position and every image: that is what makes it data-agnostic.
#include <string>
#include <vector>

#include "io/input_error.h"

namespace ks {

struct ConvKernel {
    std::string name;
    int size = 0;                 // k
    int channels = 1;             // 1 = applied to luminance or to each channel alike; 3 = RGB kernel (learned filters)
    std::vector<float> w;         // [channels][k][k], row-major
    float at(int row, int col, int c = 0) const { return w[(static_cast<size_t>(c) * size + row) * size + col]; }
};

struct KernelReadouts {
    float sum = 0, min = 0, max = 0, l1 = 0;
};

// Names of the built-in bank, in display order.
const std::vector<std::string>& filter_names();
// A bank filter by name ("identity", "box3", "box5", "gaussian", "sobel_x", "sobel_y",
// "laplacian", "sharpen", "gabor0", "gabor45", "gabor90", "gabor135"). Throws InputError.
ConvKernel make_filter(const std::string& name, float gaussian_sigma = 1.0f);
ConvKernel gaussian_kernel(float sigma);   // size = 2*ceil(3 sigma)+1, normalised
ConvKernel gabor_kernel(float theta_deg, int size = 7, float sigma = 2.0f, float lambda = 4.0f);
// A user-given square kernel (values row-major); throws InputError unless k*k values, k odd.
constexpr float kMaxUserKernelValue = 1e6f;
ConvKernel user_kernel(const std::vector<float>& values, const std::string& name = "user");

KernelReadouts kernel_readouts(const ConvKernel& k);

}  // namespace ks
