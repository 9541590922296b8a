#pragma once
// Run-time dispatch for the small hot kernels (MLAS-style): a function marked
// KS_DISPATCH is compiled for AVX-512 (x86-64-v4), AVX2+FMA (x86-64-v3) and the
// baseline, and the loader picks the best clone for the CPU (GCC ifunc). A build
// for the machine (KS_NATIVE=ON, -march=native) needs no clones; neither do
// compilers without target_clones.
#if defined(KS_NATIVE_BUILD) || !defined(__GNUC__) || defined(__clang__) || !defined(__x86_64__)
#define KS_DISPATCH
#else
#define KS_DISPATCH __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
