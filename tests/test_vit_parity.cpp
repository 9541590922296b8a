// Parity with PyTorch: attention [L,H,N,N] and logits of small seeded models,
// exported by tools/make_vit_fixtures.py in every key layout, against what
// torchvision (or the script's reference maths, itself checked against
// torchvision) computed. Tolerances: 2e-5 attention, 1e-4 logits (the errors are
// ~3e-6; the tanh GELU or a wrong LayerNorm eps exceed them on every fixture).
#include <gtest/gtest.h>

#include <iostream>

#include "image/image.h"
#include "io/npy.h"
#include "test_vit_util.h"
#include "vit/vit_model.h"

using namespace ks;

namespace {

struct ParityCase {
    std::string name;        // test name suffix
    std::string model_dir;   // relative to fixtures/vit
    std::string input;       // normalised input .npy [3,H,W], or a .png for end to end
    std::string attention;   // expected [L,H,N,N]
    std::string logits;      // expected logits, "" = model has no head
    std::vector<std::string> prefix{"cls"};
    int heads = 0;           // override, for torchvision files (no config.json convention)
};

std::ostream& operator<<(std::ostream& o, const ParityCase& c) { return o << c.name; }

class VitParity : public ::testing::TestWithParam<ParityCase> {};

// Runs a case; `edit` may change the loaded config first (to check that a slip fails).
template <class Edit>
VitOutput run_case(const ParityCase& c, Edit edit) {
    VitOutput out;
    const std::string weights = kst::vit_fixture(c.model_dir + "/model.safetensors");
    if (c.input.size() > 4 && c.input.substr(c.input.size() - 4) == ".png") {
        // End to end: the app's loader, preprocessing and normalisation from the config files.
        VitOverrides ov;
        ov.heads = c.heads;
        VitModel m = load_vit(weights, "", ov);
        edit(m.config);
        out = run_vit(m, load_image(kst::vit_fixture(c.input)), VitResize::ShorterSideCrop);
    } else {
        const NpyArray in = read_npy(kst::vit_fixture(c.input));
        VitOverrides ov;
        ov.image_size = static_cast<int>(in.shape.at(1));  // may differ from the checkpoint: pos-embed resampling
        ov.heads = c.heads;
        VitModel m = load_vit(weights, "", ov);
        edit(m.config);
        VitForwardResult f = vit_forward(m.weights, m.config, in.data);
        out.attention = std::move(f.attention);
        out.logits = std::move(f.logits);
    }
    return out;
}
VitOutput run_case(const ParityCase& c) { return run_case(c, [](VitConfig&) {}); }

// Tolerances: tight enough that the tanh GELU (|difference| up to ~5e-4 per
// activation) fails on every fixture, loose enough for float summation order.
constexpr float kAttTol = 2e-5f, kLogitTol = 1e-4f;

// Largest errors of a run against the case's expectations.
std::pair<float, float> errors(const ParityCase& c, const VitOutput& out) {
    const NpyArray expected = read_npy(kst::vit_fixture(c.attention));
    const float att = kst::max_abs_diff(out.attention.data, expected.data);
    const float lg = c.logits.empty() ? 0.0f : kst::max_abs_diff(out.logits, read_npy(kst::vit_fixture(c.logits)).data);
    return {att, lg};
}

TEST_P(VitParity, MatchesTorch) {
    const ParityCase& c = GetParam();
    const NpyArray expected = read_npy(kst::vit_fixture(c.attention));
    ASSERT_EQ(expected.shape.size(), 4u);
    const VitOutput out = run_case(c);
    const AttentionSet& a = out.attention;
    ASSERT_EQ(static_cast<size_t>(a.layers), expected.shape[0]);
    ASSERT_EQ(static_cast<size_t>(a.heads), expected.shape[1]);
    ASSERT_EQ(static_cast<size_t>(a.tokens), expected.shape[2]);
    EXPECT_EQ(a.layout.prefix_names, c.prefix);
    EXPECT_EQ(a.layout.num_tokens(), a.tokens);
    const float att_err = kst::max_abs_diff(a.data, expected.data);
    EXPECT_LE(att_err, kAttTol) << c.name;
    float logit_err = 0;
    if (!c.logits.empty()) {
        const NpyArray lg = read_npy(kst::vit_fixture(c.logits));
        logit_err = kst::max_abs_diff(out.logits, lg.data);
        EXPECT_LE(logit_err, kLogitTol) << c.name;
    } else {
        EXPECT_TRUE(out.logits.empty());
    }
    std::cout << "[ parity   ] " << c.name << ": max abs error attention " << att_err << ", logits " << logit_err << "\n";
}

// A slip in GELU (the tanh approximation instead of erf) fails every fixture.
TEST_P(VitParity, TanhGeluIsToldApart) {
    const ParityCase& c = GetParam();
    const VitOutput out = run_case(c, [](VitConfig& cfg) {
        ASSERT_EQ(cfg.activation, VitActivation::GeluErf);
        cfg.activation = VitActivation::GeluTanh;
    });
    const auto [att, lg] = errors(c, out);
    EXPECT_TRUE(att > kAttTol || lg > kLogitTol) << c.name << ": tanh GELU gives attention " << att << ", logits " << lg;
    std::cout << "[ slip     ] " << c.name << " with tanh GELU: attention " << att << ", logits " << lg << "\n";
}

const std::vector<std::string> kReg4{"cls", "reg0", "reg1", "reg2", "reg3"};

INSTANTIATE_TEST_SUITE_P(
    Fixtures, VitParity,
    ::testing::Values(
        ParityCase{"p16_h2_timm", "p16_h2/timm", "p16_h2/input.npy", "p16_h2/attention.npy", "p16_h2/logits.npy"},
        ParityCase{"p16_h2_hf", "p16_h2/hf", "p16_h2/input.npy", "p16_h2/attention.npy", "p16_h2/logits.npy"},
        ParityCase{"p16_h2_tv", "p16_h2/tv", "p16_h2/input.npy", "p16_h2/attention.npy", "p16_h2/logits.npy", {"cls"}, 2},
        // Rounded weights: the expectations come from torch run with the same rounded weights.
        ParityCase{"p16_h2_timm_f16", "p16_h2/timm_f16", "p16_h2/input.npy", "p16_h2/attention_f16.npy", "p16_h2/logits_f16.npy"},
        ParityCase{"p16_h2_timm_bf16", "p16_h2/timm_bf16", "p16_h2/input.npy", "p16_h2/attention_bf16.npy", "p16_h2/logits_bf16.npy"},
        // PNG through load_image + normalisation with mean/std from config.json / preprocessor_config.json.
        ParityCase{"p16_h2_timm_png", "p16_h2/timm", "p16_h2/image.png", "p16_h2/attention_png_timm.npy", "p16_h2/logits_png_timm.npy"},
        ParityCase{"p16_h2_hf_png", "p16_h2/hf", "p16_h2/image.png", "p16_h2/attention_png_hf.npy", "p16_h2/logits_png_hf.npy"},
        // 96 px input on a 64 px checkpoint: bicubic position-embedding resampling.
        ParityCase{"p16_h2_tv_96", "p16_h2/tv", "p16_h2/input_96.npy", "p16_h2/attention_96.npy", "p16_h2/logits_96.npy", {"cls"}, 2},
        ParityCase{"p16_h2_hf_96", "p16_h2/hf", "p16_h2/input_96.npy", "p16_h2/attention_96.npy", "p16_h2/logits_96.npy"},
        ParityCase{"p8_h4_timm", "p8_h4/timm", "p8_h4/input.npy", "p8_h4/attention.npy", ""},
        ParityCase{"p8_h4_hf", "p8_h4/hf", "p8_h4/input.npy", "p8_h4/attention.npy", ""},
        ParityCase{"p14_h6_tv", "p14_h6/tv", "p14_h6/input.npy", "p14_h6/attention.npy", "p14_h6/logits.npy", {"cls"}, 6},
        ParityCase{"p14_h6_hf", "p14_h6/hf", "p14_h6/input.npy", "p14_h6/attention.npy", "p14_h6/logits.npy"},
        ParityCase{"p16_h3_tv", "p16_h3/tv", "p16_h3/input.npy", "p16_h3/attention.npy", "p16_h3/logits.npy", {"cls"}, 3},
        ParityCase{"p16_h3_timm", "p16_h3/timm", "p16_h3/input.npy", "p16_h3/attention.npy", "p16_h3/logits.npy"},
        ParityCase{"dinov2_reg_hf", "dinov2_reg/hf", "dinov2_reg/input.npy", "dinov2_reg/attention.npy", "", kReg4},
        ParityCase{"dinov2_reg_timm", "dinov2_reg/timm", "dinov2_reg/input.npy", "dinov2_reg/attention.npy", "", kReg4},
        ParityCase{"dinov2_reg_hf_84", "dinov2_reg/hf", "dinov2_reg/input_84.npy", "dinov2_reg/attention_84.npy", "", kReg4},
        ParityCase{"dinov2_reg_timm_84", "dinov2_reg/timm", "dinov2_reg/input_84.npy", "dinov2_reg/attention_84.npy", "", kReg4},
        // LayerNorm eps 1e-2 from config.json: a dropped or hard-coded eps fails here.
        ParityCase{"ln_eps_hf", "ln_eps/hf", "ln_eps/input.npy", "ln_eps/attention.npy", "ln_eps/logits.npy"},
        ParityCase{"deit_dist_timm", "deit_dist/timm", "deit_dist/input.npy", "deit_dist/attention.npy", "deit_dist/logits.npy",
                   {"cls", "dist"}}),
    [](const ::testing::TestParamInfo<ParityCase>& i) { return i.param.name; });

TEST(VitParity, LayerNormEpsIsToldApart) {
    const ParityCase c{"ln_eps_hf", "ln_eps/hf", "ln_eps/input.npy", "ln_eps/attention.npy", "ln_eps/logits.npy"};
    for (float eps : {0.0f, 1e-6f, 1e-3f}) {
        const auto [att, lg] = errors(c, run_case(c, [&](VitConfig& cfg) {
            ASSERT_FLOAT_EQ(cfg.ln_eps, 1e-2f);
            cfg.ln_eps = eps;
        }));
        EXPECT_TRUE(att > kAttTol || lg > kLogitTol) << "eps " << eps << ": attention " << att << ", logits " << lg;
    }
}

// The F16 / BF16 files against the full-precision torch run: the loss is the
// format's rounding (bf16 keeps 8 bits of mantissa, f16 11), not a reader error.
TEST(VitParity, HalfPrecisionCloseToFloat32Reference) {
    const NpyArray in = read_npy(kst::vit_fixture("p16_h2/input.npy"));
    const NpyArray att = read_npy(kst::vit_fixture("p16_h2/attention.npy"));
    const NpyArray lg = read_npy(kst::vit_fixture("p16_h2/logits.npy"));
    for (const auto& [dir, att_tol, logit_tol] :
         {std::tuple<std::string, float, float>{"p16_h2/timm_f16", 2e-3f, 2e-2f}, {"p16_h2/timm_bf16", 2e-2f, 1e-1f}}) {
        const VitModel m = load_vit(kst::vit_fixture(dir + "/model.safetensors"));
        const VitForwardResult f = vit_forward(m.weights, m.config, in.data);
        const float ea = kst::max_abs_diff(f.attention.data, att.data), el = kst::max_abs_diff(f.logits, lg.data);
        EXPECT_LE(ea, att_tol) << dir;
        EXPECT_LE(el, logit_tol) << dir;
        EXPECT_GT(ea, 0.0f) << dir << " should not be bit-identical to float32";
        std::cout << "[ parity   ] " << dir << " vs float32 torch: attention " << ea << ", logits " << el << "\n";
    }
}

}  // namespace
