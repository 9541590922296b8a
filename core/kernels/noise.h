#pragma once
// Additive Gaussian noise for the perturbation sliders, fast enough for a 12 MP photo
// (36 million values) on every slider step: counter-based, so each value's random bits
// depend on (seed, index) alone and any split over threads gives the same image.
#include <cstddef>
#include <cstdint>

namespace ks::kernels {

// v[i] = clamp(v[i] + sigma * z_i, 0, 1) for i < n, z_i the standard normal quantile of a
// 24-bit uniform hashed from (seed, first + i). Vectorised, dispatched by CPU.
void add_gaussian_noise(float* v, size_t n, float sigma, uint32_t seed, uint32_t first);

// The quantile function it uses (Acklam's rational approximation, in float), for tests.
float normal_quantile(float p);

}  // namespace ks::kernels
