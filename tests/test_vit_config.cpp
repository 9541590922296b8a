// Layout detection, configuration (files, inference, overrides, assumptions) and
// the errors for missing or misshapen tensors.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "image/image.h"
#include "conv/learned_filters.h"
#include "io/npy.h"
#include "test_vit_util.h"
#include "vit/vit_model.h"

using namespace ks;
namespace fs = std::filesystem;

namespace {

nlohmann::json read_json(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

bool any_contains(const std::vector<std::string>& lines, const std::string& needle) {
    for (const auto& l : lines)
        if (l.find(needle) != std::string::npos) return true;
    return false;
}

// A copy of a fixture's weights alone in a fresh directory (no config files beside it).
std::string lone_copy(const std::string& rel, const std::string& tag) {
    const fs::path dir = fs::path(::testing::TempDir()) / ("vit_lone_" + tag);
    fs::create_directories(dir);
    const fs::path dst = dir / "model.safetensors";
    fs::copy_file(kst::vit_fixture(rel), dst, fs::copy_options::overwrite_existing);
    return dst.string();
}

// Rewrites a fixture with one tensor dropped or reshaped (F32 throughout).
std::string edited_copy(const std::string& rel, const std::string& tag, const std::string& drop,
                        const std::string& reshape = "", std::vector<int64_t> shape = {}) {
    const SafetensorsFile f = SafetensorsFile::read(kst::vit_fixture(rel));
    std::vector<kst::StTensor> ts;
    for (const auto& k : f.keys()) {
        if (k == drop) continue;
        kst::StTensor t{k, "F32", f.info(k).shape, kst::f32_bytes(f.to_float(k))};
        if (k == reshape) t.shape = shape;
        ts.push_back(t);
    }
    return kst::write_temp(tag + ".safetensors", kst::make_safetensors(ts));
}

template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(VitConfig, DetectsEveryLayout) {
    EXPECT_EQ(load_vit(kst::vit_fixture("p16_h2/timm/model.safetensors")).weights.layout, VitLayout::Timm);
    EXPECT_EQ(load_vit(kst::vit_fixture("p16_h2/hf/model.safetensors")).weights.layout, VitLayout::HuggingFace);
    EXPECT_EQ(load_vit(kst::vit_fixture("p16_h2/hf/model.safetensors")).weights.key_prefix, "vit.");
    EXPECT_EQ(load_vit(kst::vit_fixture("p16_h2/tv/model.safetensors")).weights.layout, VitLayout::TorchVision);
    const VitModel d = load_vit(kst::vit_fixture("dinov2_reg/hf/model.safetensors"));
    EXPECT_EQ(d.weights.layout, VitLayout::HuggingFaceDinov2);
    EXPECT_EQ(d.weights.key_prefix, "dinov2.");
    // mask_token is only for masked training; it is listed as unused, not silently dropped.
    EXPECT_NE(std::find(d.weights.ignored.begin(), d.weights.ignored.end(), "dinov2.embeddings.mask_token"),
              d.weights.ignored.end());
    EXPECT_TRUE(any_contains(d.config.notes, "mask_token"));
}

TEST(VitConfig, ReadsTimmHubConfig) {
    const std::string dir = kst::vit_fixture("p16_h2/timm");
    const nlohmann::json j = read_json(dir + "/config.json");
    const VitModel m = load_vit(dir + "/model.safetensors");
    EXPECT_EQ(m.config.heads, j["model_args"]["num_heads"].get<int>());
    EXPECT_EQ(m.config.image_h, j["pretrained_cfg"]["input_size"][1].get<int>());
    for (int c = 0; c < 3; ++c) {
        EXPECT_FLOAT_EQ(m.config.mean[c], j["pretrained_cfg"]["mean"][c].get<float>());
        EXPECT_FLOAT_EQ(m.config.std[c], j["pretrained_cfg"]["std"][c].get<float>());
    }
    EXPECT_FALSE(any_contains(m.config.assumed, "heads"));
    EXPECT_FALSE(any_contains(m.config.assumed, "mean"));
    EXPECT_EQ(m.weights.num_classes, j["num_classes"].get<int>());
}

TEST(VitConfig, ReadsHuggingFaceConfigAndPreprocessor) {
    const std::string dir = kst::vit_fixture("p16_h2/hf");
    const nlohmann::json j = read_json(dir + "/config.json");
    const nlohmann::json p = read_json(dir + "/preprocessor_config.json");
    const VitModel m = load_vit(dir + "/model.safetensors");
    EXPECT_EQ(m.config.heads, j["num_attention_heads"].get<int>());
    EXPECT_EQ(m.config.hidden, j["hidden_size"].get<int>());
    EXPECT_EQ(m.config.layers, j["num_hidden_layers"].get<int>());
    EXPECT_EQ(m.config.mlp, j["intermediate_size"].get<int>());
    EXPECT_FLOAT_EQ(m.config.ln_eps, j["layer_norm_eps"].get<float>());
    for (int c = 0; c < 3; ++c) {
        EXPECT_FLOAT_EQ(m.config.mean[c], p["image_mean"][c].get<float>());
        EXPECT_FLOAT_EQ(m.config.std[c], p["image_std"][c].get<float>());
    }
    EXPECT_TRUE(m.config.assumed.empty()) << m.config.assumed.front();
}

TEST(VitConfig, InfersFromShapesAndRecordsAssumptions) {
    const VitModel m = load_vit(lone_copy("p16_h2/timm/model.safetensors", "timm"));
    EXPECT_EQ(m.config.patch, 16);
    EXPECT_EQ(m.config.image_h, 64);  // 4x4 position grid of 16-pixel patches
    EXPECT_EQ(m.config.grid_w, 4);
    EXPECT_EQ(m.config.heads, 1);     // hidden 24 / 64, floored at one head
    EXPECT_FLOAT_EQ(m.config.ln_eps, 1e-6f);
    EXPECT_FLOAT_EQ(m.config.mean[0], 0.485f);
    EXPECT_FLOAT_EQ(m.config.std[2], 0.225f);
    for (const char* what : {"heads", "input", "eps", "GELU", "mean", "std"})
        EXPECT_TRUE(any_contains(m.config.assumed, what)) << what;
    for (const auto& a : m.config.assumed) EXPECT_EQ(a.rfind("assumed: ", 0), 0u) << a;
    const auto d = m.config.describe();
    EXPECT_TRUE(any_contains(d, "assumed: "));
    EXPECT_TRUE(any_contains(d, "timm"));
}

TEST(VitConfig, HuggingFaceWithoutConfigAssumesItsEpsDefault) {
    const VitModel m = load_vit(lone_copy("p16_h2/hf/model.safetensors", "hf"));
    EXPECT_FLOAT_EQ(m.config.ln_eps, 1e-12f);
    EXPECT_TRUE(any_contains(m.config.assumed, "1e-12"));
}

TEST(VitConfig, ExplicitConfigPathAndOverrides) {
    // A torchvision file with a config given explicitly: heads come from it.
    const std::string tv = kst::vit_fixture("p16_h2/tv/model.safetensors");
    EXPECT_EQ(load_vit(tv, kst::vit_fixture("p16_h2/hf/config.json")).config.heads, 2);
    VitOverrides ov;
    ov.heads = 3;
    ov.image_size = 96;
    ov.mean = std::array<float, 3>{0.1f, 0.2f, 0.3f};
    ov.std = std::array<float, 3>{0.4f, 0.5f, 0.6f};
    const VitModel m = load_vit(kst::vit_fixture("p16_h2/timm/model.safetensors"), "", ov);
    EXPECT_EQ(m.config.heads, 3);
    EXPECT_EQ(m.config.image_w, 96);
    EXPECT_EQ(m.config.grid_h, 6);
    EXPECT_EQ(m.config.pos_grid_h, 4);
    EXPECT_FLOAT_EQ(m.config.mean[1], 0.2f);
    EXPECT_FLOAT_EQ(m.config.std[2], 0.6f);
    EXPECT_TRUE(any_contains(m.config.describe(), "resized"));
    ov = {};
    ov.heads = 5;  // 24 is not divisible by 5
    EXPECT_NE(error_of([&] { load_vit(tv, "", ov); }).find("divide"), std::string::npos);
    ov = {};
    ov.image_size = 70;  // not a multiple of 16
    EXPECT_NE(error_of([&] { load_vit(tv, "", ov); }).find("multiple"), std::string::npos);
    EXPECT_NE(error_of([&] { load_vit(tv, "/nonexistent/config.json"); }).find("/nonexistent/config.json"),
              std::string::npos);
}

TEST(VitConfig, PrefixTokensAndPositionCoverage) {
    const VitModel hf = load_vit(kst::vit_fixture("dinov2_reg/hf/model.safetensors"));
    EXPECT_EQ(hf.config.prefix_names, (std::vector<std::string>{"cls", "reg0", "reg1", "reg2", "reg3"}));
    EXPECT_EQ(hf.config.pos_prefix, 1);           // CLS has a position, registers do not
    EXPECT_EQ(hf.config.image_h, 56);             // the preprocessor's crop, not config image_size 518
    const VitModel timm = load_vit(kst::vit_fixture("dinov2_reg/timm/model.safetensors"));
    EXPECT_EQ(timm.config.pos_prefix, 0);         // timm folds CLS's position into the token
    EXPECT_EQ(timm.config.pos_grid_w, 4);
    const VitModel deit = load_vit(kst::vit_fixture("deit_dist/timm/model.safetensors"));
    EXPECT_EQ(deit.config.prefix_names, (std::vector<std::string>{"cls", "dist"}));
    EXPECT_EQ(deit.config.pos_prefix, 2);
    EXPECT_FALSE(deit.weights.head_dist_w.empty());
}

TEST(VitConfig, MissingTensorIsNamed) {
    const std::string p = edited_copy("p16_h2/timm/model.safetensors", "missing_norm2", "blocks.1.norm2.bias");
    EXPECT_NE(error_of([&] { load_vit(p); }).find("'blocks.1.norm2.bias'"), std::string::npos);
    const std::string q = edited_copy("p16_h2/hf/model.safetensors", "missing_value",
                                      "vit.encoder.layer.0.attention.attention.value.weight");
    EXPECT_NE(error_of([&] { load_vit(q); }).find("'vit.encoder.layer.0.attention.attention.value.weight'"),
              std::string::npos);
    const std::string r = edited_copy("p16_h2/tv/model.safetensors", "missing_pos", "encoder.pos_embedding");
    EXPECT_NE(error_of([&] { load_vit(r); }).find("'encoder.pos_embedding'"), std::string::npos);
}

TEST(VitConfig, MisshapenTensorIsNamed) {
    const std::string p = edited_copy("p16_h2/timm/model.safetensors", "bad_fc1", "", "blocks.0.mlp.fc2.weight", {64, 24});
    const std::string e = error_of([&] { load_vit(p); });
    EXPECT_NE(e.find("'blocks.0.mlp.fc2.weight'"), std::string::npos) << e;
    EXPECT_NE(e.find("[64, 24]"), std::string::npos) << e;
    const std::string q = edited_copy("p16_h2/tv/model.safetensors", "bad_qkv", "",
                                      "encoder.layers.encoder_layer_1.self_attention.in_proj_weight", {24, 72});
    EXPECT_NE(error_of([&] { load_vit(q); }).find("in_proj_weight"), std::string::npos);
}

TEST(VitConfig, NotAVisionTransformer) {
    const std::string p = kst::write_temp("other.safetensors",
                                          kst::make_safetensors({{"linear.weight", "F32", {1}, kst::f32_bytes({1})}}));
    EXPECT_NE(error_of([&] { load_vit(p); }).find("does not look like a Vision Transformer"), std::string::npos);
}

TEST(VitForward, ProgressAndCancel) {
    const VitModel m = load_vit(kst::vit_fixture("p16_h3/timm/model.safetensors"));
    const std::vector<float> x(static_cast<size_t>(3) * m.config.image_h * m.config.image_w, 0.1f);
    std::vector<float> seen;
    const auto r = vit_forward(m.weights, m.config, x, [&](float f) { seen.push_back(f); });
    ASSERT_FALSE(seen.empty());
    EXPECT_FLOAT_EQ(seen.back(), 1.0f);
    for (size_t i = 1; i < seen.size(); ++i) EXPECT_GT(seen[i], seen[i - 1]);
    EXPECT_EQ(r.block_outputs.size(), static_cast<size_t>(m.config.layers));
    EXPECT_EQ(r.block_outputs[0].size(), static_cast<size_t>(r.attention.tokens) * r.dim);
    std::atomic<bool> cancel{true};
    EXPECT_THROW(vit_forward(m.weights, m.config, x, {}, &cancel), Cancelled);
    // Cancel during the run: flip the flag from the progress callback.
    cancel = false;
    EXPECT_THROW(vit_forward(m.weights, m.config, x, [&](float) { cancel = true; }, &cancel), Cancelled);
    EXPECT_THROW(vit_forward(m.weights, m.config, std::vector<float>(5), {}, nullptr), InputError);
}

TEST(VitForward, AttentionRowsAreDistributions) {
    const VitModel m = load_vit(kst::vit_fixture("dinov2_reg/hf/model.safetensors"));
    const NpyArray in = read_npy(kst::vit_fixture("dinov2_reg/input.npy"));
    const auto r = vit_forward(m.weights, m.config, in.data);
    for (int l = 0; l < r.attention.layers; ++l)
        for (int h = 0; h < r.attention.heads; ++h)
            for (int i = 0; i < r.attention.tokens; ++i) {
                const float* row = r.attention.row(l, h, i);
                double s = 0;
                for (int j = 0; j < r.attention.tokens; ++j) {
                    ASSERT_GE(row[j], 0.0f);
                    s += row[j];
                }
                ASSERT_NEAR(s, 1.0, 1e-5);
            }
}

TEST(VitModel, LearnedFiltersAreThePatchEmbedding) {
    const std::string path = kst::vit_fixture("p14_h6/hf/model.safetensors");
    const VitModel m = load_vit(path);
    const auto filters = m.filters();
    const SafetensorsFile f = SafetensorsFile::read(path);
    const std::string key = "vit.embeddings.patch_embeddings.projection.weight";
    const auto w = f.to_float(key);
    const auto& shape = f.info(key).shape;
    ASSERT_EQ(filters.size(), static_cast<size_t>(shape[0]));
    const int p = static_cast<int>(shape[2]);
    for (size_t c = 0; c < filters.size(); c += 7) {
        const ConvKernel& k = filters[c];
        EXPECT_EQ(k.name, "patch_embed[" + std::to_string(c) + "]");
        EXPECT_EQ(k.channels, 3);
        EXPECT_EQ(k.size, p);
        for (int ch = 0; ch < 3; ++ch)
            for (int y = 0; y < p; y += 3)
                for (int x = 0; x < p; x += 5)
                    EXPECT_EQ(k.at(y, x, ch), w[((c * 3 + ch) * p + y) * p + x]);
    }
    EXPECT_THROW(learned_patch_filters(w, 7, p), InputError);
}

TEST(VitModel, TopLogits) {
    const auto t = top_logits({0.5f, 3.0f, -1.0f, 2.0f}, 3);
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[0].first, 1);
    EXPECT_EQ(t[1].first, 3);
    EXPECT_EQ(t[2].first, 0);
    EXPECT_EQ(top_logits({1.0f}, 5).size(), 1u);
}
