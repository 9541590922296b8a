// libFuzzer target: bytes -> safetensors header validation -> every tensor converted
// to float -> the ViT key-layout mapping. Only InputError may come out.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/input_error.h"
#include "io/safetensors.h"
#include "vit/vit_weights.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const ks::SafetensorsFile f = ks::SafetensorsFile::parse(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
        for (const auto& k : f.keys()) {
            try {
                const auto v = f.to_float(k);
                if (static_cast<int64_t>(v.size()) != f.info(k).numel()) __builtin_trap();
            } catch (const ks::InputError&) {
            }
        }
        ks::load_vit_weights(f);
    } catch (const ks::InputError&) {
    }
    return 0;
}
