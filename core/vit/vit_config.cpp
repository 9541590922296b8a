#include "io/json_bounded.h"
#include "vit/vit_config.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "image/image.h"  // kMaxImageSide
#include "io/file_read.h"
#include "vit/vit_forward.h"  // kMaxAttentionBytes

namespace ks {
namespace {

using nlohmann::json;

std::string dir_of(const std::string& path) {
    auto p = path.find_last_of("/\\");
    return p == std::string::npos ? std::string(".") : path.substr(0, p);
}

bool file_exists(const std::string& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

json parse_json_text(const std::string& text, const std::string& path) {
    return parse_json_bounded(text, "The model configuration " + path);
}

json read_json(const std::string& path) {
    // By its size first: a regular file of at most 1 MiB (config files are a few KB).
    return parse_json_text(read_regular_file(path, kMaxConfigFileBytes, "model configuration"), path);
}

std::string fmt(float v) {
    std::ostringstream o;
    o << v;
    return o.str();
}

std::string triple(const std::array<float, 3>& a) {
    return "(" + fmt(a[0]) + ", " + fmt(a[1]) + ", " + fmt(a[2]) + ")";
}

// Every number a configuration sets is range-checked in 64 bits before it is used:
// a value that does not fit or is absurd is refused with the key named.
[[noreturn]] void bad_value(const std::string& path, const std::string& key, const json& v, const std::string& want) {
    throw InputError("The model configuration " + path + " sets '" + key + "' to " +
                     v.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 40) + ", but it must be " + want + ".");
}

int checked_int(const json& v, const std::string& key, const std::string& path, int64_t lo, int64_t hi) {
    const std::string want = "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
    if (!v.is_number_integer()) bad_value(path, key, v, want);
    if (v.is_number_unsigned() ? v.get<uint64_t>() > static_cast<uint64_t>(hi) : (v.get<int64_t>() < lo || v.get<int64_t>() > hi))
        bad_value(path, key, v, want);
    return static_cast<int>(v.get<int64_t>());
}

std::optional<int> get_int(const json& j, const char* key, const std::string& path, int64_t lo, int64_t hi) {
    if (!j.is_object() || !j.contains(key) || j[key].is_null()) return std::nullopt;
    return checked_int(j[key], key, path, lo, hi);
}

// An int or a [h, w] / [c, h, w] list or {height, width}; returns (h, w), each 1..hi.
bool get_size(const json& j, const char* key, const std::string& path, int hi, int& h, int& w) {
    if (!j.is_object() || !j.contains(key) || j[key].is_null()) return false;
    const json& v = j[key];
    if (v.is_number()) {
        h = w = checked_int(v, key, path, 1, hi);
        return true;
    }
    if (v.is_array() && (v.size() == 2 || v.size() == 3)) {
        h = checked_int(v[v.size() - 2], key, path, 1, hi);
        w = checked_int(v.back(), key, path, 1, hi);
        return true;
    }
    if (v.is_object() && v.contains("height") && v.contains("width")) {
        h = checked_int(v["height"], key, path, 1, hi);
        w = checked_int(v["width"], key, path, 1, hi);
        return true;
    }
    if (v.is_object() && v.contains("shortest_edge")) return false;  // a resize rule, not a fixed size
    bad_value(path, key, v, "a size: a number, [h, w] or {height, width}");
}

std::optional<std::array<float, 3>> get_triple(const json& j, const char* key, const std::string& path) {
    if (!j.is_object() || !j.contains(key)) return std::nullopt;
    const json& v = j[key];
    std::array<float, 3> a{};
    auto num = [&](const json& x) {
        if (!x.is_number()) bad_value(path, key, v, "three numbers");
        const double d = x.get<double>();
        if (!std::isfinite(d) || std::fabs(d) > 1e3) bad_value(path, key, v, "three finite numbers of at most 1000 in size");
        return static_cast<float>(d);
    };
    if (v.is_number()) {
        a.fill(num(v));
        return a;
    }
    if (!v.is_array() || v.size() != 3) bad_value(path, key, v, "three numbers");
    for (int i = 0; i < 3; ++i) a[i] = num(v[i]);
    return a;
}

constexpr int kMaxConfigHeads = 1024, kMaxConfigRegisters = 256, kMaxConfigClasses = 1000000;

void parse_model_json(const json& j, const std::string& path, VitConfigHints& h) {
    if (!j.is_object()) throw InputError("The model configuration " + path + " is not a JSON object.");
    // Hugging Face keys.
    if (auto v = get_int(j, "num_attention_heads", path, 1, kMaxConfigHeads)) h.heads = v;
    if (j.contains("layer_norm_eps") && !j["layer_norm_eps"].is_null()) {
        const json& v = j["layer_norm_eps"];
        const double e = v.is_number() ? v.get<double>() : -1.0;
        if (!(e > 0.0 && e <= 1.0)) bad_value(path, "layer_norm_eps", v, "a number above 0 and at most 1");
        h.ln_eps = static_cast<float>(e);
        if (!(*h.ln_eps > 0.0f)) h.ln_eps = 1e-30f;  // below float's range: the smallest eps that still guards the division
    }
    int ih, iw;
    if (get_size(j, "image_size", path, kMaxImageSide, ih, iw)) { h.image_h = ih; h.image_w = iw; }
    if (get_size(j, "patch_size", path, kMaxImageSide, ih, iw)) h.patch = ih;
    if (auto v = get_int(j, "num_register_tokens", path, 0, kMaxConfigRegisters)) h.registers = v;
    if (j.contains("hidden_act") && j["hidden_act"].is_string()) h.activation = j["hidden_act"].get<std::string>();
    if (j.contains("model_type") && j["model_type"].is_string()) h.architecture = j["model_type"].get<std::string>();
    if (j.contains("id2label") && j["id2label"].is_object()) h.num_classes = static_cast<int>(std::min<size_t>(j["id2label"].size(), kMaxConfigClasses));
    // timm hub keys.
    if (j.contains("architecture") && j["architecture"].is_string()) h.architecture = j["architecture"].get<std::string>();
    if (auto v = get_int(j, "num_classes", path, 0, kMaxConfigClasses)) h.num_classes = v;
    if (j.contains("model_args") && j["model_args"].is_object()) {
        const json& a = j["model_args"];
        if (auto v = get_int(a, "num_heads", path, 1, kMaxConfigHeads)) h.heads = v;
        if (get_size(a, "img_size", path, kMaxImageSide, ih, iw)) { h.image_h = ih; h.image_w = iw; }
    }
    if (j.contains("pretrained_cfg") && j["pretrained_cfg"].is_object()) {
        const json& p = j["pretrained_cfg"];
        if (get_size(p, "input_size", path, kMaxImageSide, ih, iw)) { h.image_h = ih; h.image_w = iw; }
        if (auto m = get_triple(p, "mean", path)) h.mean = m;
        if (auto s = get_triple(p, "std", path)) h.std = s;
    }
    h.source += (h.source.empty() ? "" : ", ") + path;
}

void parse_preprocessor_json(const json& j, const std::string& path, VitConfigHints& h) {
    if (!j.is_object()) throw InputError("The preprocessing configuration " + path + " is not a JSON object.");
    if (auto m = get_triple(j, "image_mean", path)) h.mean = m;
    if (auto s = get_triple(j, "image_std", path)) h.std = s;
    // The size the model actually sees: the crop when cropping, else a fixed resize.
    // (A "shortest_edge" resize alone does not fix the input size.)
    int ih, iw;
    const bool crop = !j.contains("do_center_crop") || (j["do_center_crop"].is_boolean() && j["do_center_crop"].get<bool>());
    if (crop && get_size(j, "crop_size", path, kMaxImageSide, ih, iw)) {
        h.image_h = ih; h.image_w = iw;
    } else if (get_size(j, "size", path, kMaxImageSide, ih, iw)) {
        h.image_h = ih; h.image_w = iw;
    }
    h.source += (h.source.empty() ? "" : ", ") + path;
}

void read_model_config(const std::string& path, VitConfigHints& h) { parse_model_json(read_json(path), path, h); }
void read_preprocessor(const std::string& path, VitConfigHints& h) { parse_preprocessor_json(read_json(path), path, h); }

bool is_square(int64_t n, int& side) {
    if (n <= 0) return false;
    const int64_t s = std::llround(std::sqrt(static_cast<double>(n)));
    if (s <= 0 || s > kMaxImageSide || s * s != n) return false;
    side = static_cast<int>(s);
    return true;
}

}  // namespace

void parse_model_config(const std::string& text, const std::string& name, VitConfigHints& h) {
    parse_model_json(parse_json_text(text, name), name, h);
}

void parse_preprocessor_config(const std::string& text, const std::string& name, VitConfigHints& h) {
    parse_preprocessor_json(parse_json_text(text, name), name, h);
}

VitConfigHints read_config_hints(const std::string& weights_path, const std::string& config_path) {
    VitConfigHints h;
    const std::string dir = dir_of(weights_path);
    if (!config_path.empty()) {
        if (!file_exists(config_path)) throw InputError("The model configuration " + config_path + " does not exist.");
        read_model_config(config_path, h);
    } else if (file_exists(dir + "/config.json")) {
        read_model_config(dir + "/config.json", h);
    }
    if (file_exists(dir + "/preprocessor_config.json")) read_preprocessor(dir + "/preprocessor_config.json", h);
    return h;
}

PassCost vit_pass_cost(const VitConfig& c, int64_t tokens) {
    const double N = static_cast<double>(tokens), D = std::max(1, c.hidden), M = std::max(1, c.mlp), L = std::max(1, c.layers);
    const double H = std::max(1, c.heads), p2 = static_cast<double>(c.patch) * c.patch;
    PassCost cost;
    // Per block: q, k, v and the projection (4 D^2), the MLP (2 D M) per token, and the
    // scores and the weighted sum (2 N D) per token; the patch embedding before them.
    cost.macs = L * N * (4 * D * D + 2 * D * M + 2 * N * D) + N * 3 * p2 * D;
    const double weights = L * (4 * D * D + 2 * D * M) + 3 * p2 * D;
    // The weights and their packed copy, every layer's attention maps, the recorded block
    // and MSA outputs, and one block's working buffers.
    cost.bytes = 4 * (2 * weights + L * H * N * N + 2 * L * N * D + N * (4 * D + M));
    return cost;
}

void set_input_size(VitConfig& c, int image_h, int image_w) {
    if (c.patch <= 0) throw InputError("The model has no patch size, so no input size can be set.");
    if (image_h <= 0 || image_w <= 0 || image_h % c.patch != 0 || image_w % c.patch != 0)
        throw InputError("The model input size " + std::to_string(image_h) + "x" + std::to_string(image_w) +
                         " is not a positive multiple of the patch size " + std::to_string(c.patch) + ".");
    if (image_h > kMaxImageSide || image_w > kMaxImageSide)
        throw InputError("The model input size " + std::to_string(image_h) + "x" + std::to_string(image_w) +
                         " is larger than the " + std::to_string(kMaxImageSide) + " pixels allowed.");
    // Tokens and attention memory are known now, before any image is read or resized.
    const int64_t tokens = static_cast<int64_t>(c.prefix_names.size()) +
                           static_cast<int64_t>(image_h / c.patch) * (image_w / c.patch);
    if (tokens > kMaxVitTokens)
        throw InputError("At " + std::to_string(image_w) + "x" + std::to_string(image_h) + " pixels the model would have " +
                         std::to_string(tokens) + " tokens, more than the " + std::to_string(kMaxVitTokens) +
                         " allowed; choose a smaller input size.");
    const double bytes = static_cast<double>(std::max(1, c.layers)) * std::max(1, c.heads) * static_cast<double>(tokens) *
                         static_cast<double>(tokens) * sizeof(float);
    if (bytes > kMaxAttentionBytes)
        throw InputError("At " + std::to_string(image_w) + "x" + std::to_string(image_h) +
                         " pixels this model's attention maps would need " + byte_size_text(static_cast<uint64_t>(bytes)) +
                         ", more than the 2 GiB allowed; choose a smaller input size.");
    check_pass_cost(vit_pass_cost(c, tokens), "this Vision Transformer", image_w, image_h, "choose a smaller input size");
    c.image_h = image_h;
    c.image_w = image_w;
    c.grid_h = image_h / c.patch;
    c.grid_w = image_w / c.patch;
}

namespace {

// The weights' sizes were range-checked when they were read (vit_weights.cpp); the
// overrides and the configuration's normalisation are checked here, before any
// arithmetic uses them.
void check_resolve_inputs(const VitWeights& w, const VitConfigHints& h, const VitOverrides& ov) {
    if (ov.heads < 0 || ov.heads > 1024)
        throw InputError("The head count override must be a whole number from 1 to 1024, not " + std::to_string(ov.heads) + ".");
    if (ov.image_size < 0)
        throw InputError("The input size override must be a positive number of pixels, not " + std::to_string(ov.image_size) + ".");
    auto check_norm = [](const std::optional<std::array<float, 3>>& v, bool is_std) {
        if (!v) return;
        for (float x : *v) {
            if (!std::isfinite(x) || std::fabs(x) > 1e3f)
                throw InputError(std::string("The normalisation ") + (is_std ? "std" : "mean") +
                                 " must be three finite numbers of at most 1000 in size, not " + fmt(x) + ".");
            if (is_std && !(x >= 1e-3f))
                throw InputError("The normalisation std must be at least 0.001 in every channel, not " + fmt(x) + ".");
        }
    };
    check_norm(ov.mean, false);
    check_norm(ov.std, true);
    check_norm(h.mean, false);
    check_norm(h.std, true);
    if (w.hidden <= 0 || w.patch <= 0 || w.pos_tokens <= 0)
        throw InputError("The checkpoint's patch embedding or position embedding is empty.");
}

// Heads: not visible in any tensor shape, so the most common guess is needed.
void resolve_heads(VitConfig& c, const VitConfigHints& h, const VitOverrides& ov) {
    if (ov.heads > 0) {
        c.heads = ov.heads;
        c.notes.push_back(std::to_string(c.heads) + " heads (override)");
    } else if (h.heads) {
        c.heads = *h.heads;
    } else if (c.hidden == 1280 || c.hidden == 1408) {
        c.heads = 16;  // ViT-H/14 and EVA/ViT-g use 16 heads of 80 / 88 dims, not 64
        c.assumed.push_back("assumed: 16 heads (as ViT-H / ViT-g with hidden size " + std::to_string(c.hidden) + ")");
    } else {
        c.heads = std::max(1, c.hidden / 64);
        c.assumed.push_back("assumed: " + std::to_string(c.heads) + " heads (hidden size " + std::to_string(c.hidden) +
                            " / 64); set the head count if this is wrong");
    }
    if (c.heads <= 0 || c.hidden % c.heads != 0)
        throw InputError("The head count " + std::to_string(c.heads) + " does not divide the hidden size " +
                         std::to_string(c.hidden) + ".");
}

void resolve_prefix_tokens(VitConfig& c, const VitWeights& w, const VitConfigHints& h) {
    if (h.registers && *h.registers != w.registers)
        throw InputError("The model configuration " + h.source + " says " + std::to_string(*h.registers) +
                         " register tokens, but the checkpoint has " + std::to_string(w.registers) + ".");
    if (!w.cls.empty()) c.prefix_names.push_back("cls");
    if (!w.dist.empty()) c.prefix_names.push_back("dist");
    for (int r = 0; r < w.registers; ++r) c.prefix_names.push_back("reg" + std::to_string(r));
}

// Which prefix tokens the position embedding covers: its length minus a patch
// grid. timm DINOv2-with-registers and the original DINOv2 leave registers out;
// timm models with no_embed_class leave every prefix token out.
// In 64 bits: a configured size (at most 8192) over the patch gives a grid whose
// product fits, and the prefix count must then match exactly.
void resolve_position_grid(VitConfig& c, const VitWeights& w, const VitConfigHints& h) {
    const int np = static_cast<int>(c.prefix_names.size());
    bool found = false;
    if (h.image_h && h.image_w && *h.image_h % w.patch == 0 && *h.image_w % w.patch == 0) {
        const int gh = *h.image_h / w.patch, gw = *h.image_w / w.patch;
        const int64_t k = static_cast<int64_t>(w.pos_tokens) - static_cast<int64_t>(gh) * gw;
        if (k >= 0 && k <= np) { c.pos_grid_h = gh; c.pos_grid_w = gw; c.pos_prefix = static_cast<int>(k); found = true; }
    }
    const int no_reg = np - w.registers;
    for (int k : {no_reg, np, 0}) {
        int side;
        if (!found && is_square(w.pos_tokens - k, side)) { c.pos_grid_h = c.pos_grid_w = side; c.pos_prefix = k; found = true; }
    }
    for (int k = 0; !found && k <= np; ++k) {
        int side;
        if (is_square(w.pos_tokens - k, side)) { c.pos_grid_h = c.pos_grid_w = side; c.pos_prefix = k; found = true; }
    }
    if (found && static_cast<int64_t>(c.pos_grid_h) * c.pos_grid_w + c.pos_prefix != w.pos_tokens) found = false;
    if (!found)
        throw InputError("The position embedding has " + std::to_string(w.pos_tokens) + " rows, which is not a square patch grid plus up to " +
                         std::to_string(np) + " prefix tokens.");
}

// Input size: override, configuration, else the size the position embedding was trained for.
void resolve_input_size(VitConfig& c, const VitWeights& w, const VitConfigHints& h, const VitOverrides& ov) {
    if (ov.image_size > 0) {
        if (ov.image_size > kMaxImageSide)
            throw InputError("The input size override " + std::to_string(ov.image_size) + " is larger than the " +
                             std::to_string(kMaxImageSide) + " pixels allowed.");
        set_input_size(c, ov.image_size, ov.image_size);
        c.notes.push_back("input " + std::to_string(ov.image_size) + " pixels (override)");
    } else if (h.image_h && h.image_w) {
        set_input_size(c, *h.image_h, *h.image_w);
    } else {
        set_input_size(c, c.pos_grid_h * w.patch, c.pos_grid_w * w.patch);
        c.assumed.push_back("assumed: input " + std::to_string(c.image_w) + "x" + std::to_string(c.image_h) +
                            " pixels, the size the position embedding was trained for");
    }
}

// LayerNorm eps and the MLP's activation: the configuration's, else the layout's default.
void resolve_numerics(VitConfig& c, const VitWeights& w, const VitConfigHints& h) {
    if (h.ln_eps) {
        c.ln_eps = *h.ln_eps;
    } else if (w.layout == VitLayout::HuggingFace) {
        c.ln_eps = 1e-12f;  // transformers' ViTConfig default
        c.assumed.push_back("assumed: LayerNorm eps 1e-12 (the Hugging Face ViTConfig default)");
    } else {
        c.ln_eps = 1e-6f;
        c.assumed.push_back("assumed: LayerNorm eps 1e-6");
    }
    if (!h.activation) {
        c.assumed.push_back("assumed: exact (erf) GELU");
        return;
    }
    const std::string& a = *h.activation;
    if (a == "gelu") c.activation = VitActivation::GeluErf;
    else if (a == "gelu_new" || a == "gelu_pytorch_tanh" || a == "gelu_fast") c.activation = VitActivation::GeluTanh;
    else if (a == "quick_gelu") c.activation = VitActivation::QuickGelu;
    else throw InputError("The configuration asks for the activation '" + a + "', which kernelscope does not implement.");
}

void resolve_normalisation(VitConfig& c, const VitConfigHints& h, const VitOverrides& ov) {
    if (ov.mean) c.mean = *ov.mean;
    else if (h.mean) c.mean = *h.mean;
    else c.assumed.push_back("assumed: ImageNet mean " + triple(c.mean));
    if (ov.std) c.std = *ov.std;
    else if (h.std) c.std = *h.std;
    else c.assumed.push_back("assumed: ImageNet std " + triple(c.std));
    for (float s : c.std)
        if (!(s >= 1e-3f)) throw InputError("The normalisation std must be at least 0.001 in every channel.");
}

}  // namespace

VitConfig resolve_config(const VitWeights& w, const VitConfigHints& h, const VitOverrides& ov) {
    check_resolve_inputs(w, h, ov);
    VitConfig c;
    c.layout_name = w.layout_name;
    c.hidden = w.hidden;
    c.layers = static_cast<int>(w.blocks.size());
    c.mlp = w.mlp;
    c.patch = w.patch;
    if (!h.source.empty()) c.notes.push_back("configuration read from " + h.source);
    if (h.patch && *h.patch != w.patch)
        throw InputError("The model configuration " + h.source + " says patch size " + std::to_string(*h.patch) +
                         ", but the checkpoint's patch-embedding weight has patch size " + std::to_string(w.patch) + ".");
    resolve_heads(c, h, ov);
    resolve_prefix_tokens(c, w, h);
    resolve_position_grid(c, w, h);
    resolve_input_size(c, w, h, ov);
    resolve_numerics(c, w, h);
    resolve_normalisation(c, h, ov);
    return c;
}

std::vector<std::string> VitConfig::describe() const {
    std::vector<std::string> d;
    d.push_back("layout: " + layout_name);
    d.push_back("hidden " + std::to_string(hidden) + ", " + std::to_string(heads) + " heads, " + std::to_string(layers) +
                " layers, MLP " + std::to_string(mlp) + ", patch " + std::to_string(patch));
    std::string in = "input " + std::to_string(image_w) + "x" + std::to_string(image_h) + " (grid " + std::to_string(grid_w) +
                     "x" + std::to_string(grid_h) + ")";
    if (grid_h != pos_grid_h || grid_w != pos_grid_w)
        in += ", position embedding resized bicubically from " + std::to_string(pos_grid_w) + "x" + std::to_string(pos_grid_h);
    d.push_back(in);
    std::string prefix = "prefix tokens:";
    for (const auto& p : prefix_names) prefix += " " + p;
    if (prefix_names.empty()) prefix += " none";
    d.push_back(prefix);
    const char* act = activation == VitActivation::GeluErf ? "GELU (erf)"
                      : activation == VitActivation::GeluTanh ? "GELU (tanh)" : "quick GELU";
    d.push_back("LayerNorm eps " + fmt(ln_eps) + ", " + act);
    d.push_back("mean " + triple(mean) + ", std " + triple(std));
    d.insert(d.end(), notes.begin(), notes.end());
    d.insert(d.end(), assumed.begin(), assumed.end());
    return d;
}

}  // namespace ks
