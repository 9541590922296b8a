// libFuzzer target: bytes -> the .npy reader. Only InputError may come out.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/input_error.h"
#include "io/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const ks::NpyArray a = ks::parse_npy(std::string(reinterpret_cast<const char*>(data), size));
        size_t n = 1;
        for (size_t d : a.shape) n *= d;
        if (n != a.data.size()) __builtin_trap();
        // Round trip: what we read, we write back the same.
        const ks::NpyArray b = ks::parse_npy(ks::npy_bytes(a.data, a.shape));
        if (b.shape != a.shape) __builtin_trap();
    } catch (const ks::InputError&) {
    }
    return 0;
}
