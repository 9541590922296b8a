#pragma once
// Helpers shared by the ViT / safetensors tests: fixture paths, comparisons and a
// tiny safetensors writer (so malformed files can be built byte by byte).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace kst {

inline std::string vit_fixture(const std::string& rel) { return std::string(KS_FIXTURES_DIR) + "/vit/" + rel; }

// Largest |a - b|; infinity when sizes differ so a mismatch can never pass.
// (Any two float containers: the attention maps are an AttentionData.)
template <class A, class B>
float max_abs_diff(const A& a, const B& b) {
    if (a.size() != b.size()) return INFINITY;
    float m = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        const float d = std::fabs(a[i] - b[i]);
        if (!(d <= m)) m = d;  // also catches NaN
    }
    return m;
}

struct StTensor {
    std::string name, dtype;
    std::vector<int64_t> shape;
    std::string bytes;
};

inline std::string f32_bytes(const std::vector<float>& v) {
    std::string s(v.size() * 4, '\0');
    for (size_t i = 0; i < v.size(); ++i) {
        uint32_t b;
        std::memcpy(&b, &v[i], 4);
        for (int k = 0; k < 4; ++k) s[i * 4 + k] = static_cast<char>((b >> (8 * k)) & 0xff);
    }
    return s;
}

inline std::string le64(uint64_t n) {
    std::string s(8, '\0');
    for (int k = 0; k < 8; ++k) s[k] = static_cast<char>((n >> (8 * k)) & 0xff);
    return s;
}

// Serialises tensors back to back; `header` may be edited by the caller first
// through `edit` to produce malformed files.
template <class Edit>
std::string make_safetensors(const std::vector<StTensor>& ts, Edit edit) {
    nlohmann::json h = nlohmann::json::object();
    std::string data;
    for (const auto& t : ts) {
        h[t.name] = {{"dtype", t.dtype}, {"shape", t.shape}, {"data_offsets", {data.size(), data.size() + t.bytes.size()}}};
        data += t.bytes;
    }
    edit(h, data);
    const std::string text = h.dump();
    return le64(text.size()) + text + data;
}
inline std::string make_safetensors(const std::vector<StTensor>& ts) {
    return make_safetensors(ts, [](nlohmann::json&, std::string&) {});
}

inline std::string write_temp(const std::string& name, const std::string& bytes) {
    const std::string path = std::string(::testing::TempDir()) + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

}  // namespace kst
