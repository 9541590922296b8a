#include "vit/vit_config.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "image/image.h"  // InputError

namespace ks {
namespace {

using nlohmann::json;

std::string dir_of(const std::string& path) {
    auto p = path.find_last_of("/\\");
    return p == std::string::npos ? std::string(".") : path.substr(0, p);
}

bool file_exists(const std::string& path) { return static_cast<bool>(std::ifstream(path)); }

json read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError("Cannot open the model configuration " + path + ".");
    try {
        return json::parse(in);
    } catch (const json::exception&) {
        throw InputError("The model configuration " + path + " is not valid JSON.");
    }
}

std::string fmt(float v) {
    std::ostringstream o;
    o << v;
    return o.str();
}

std::string triple(const std::array<float, 3>& a) {
    return "(" + fmt(a[0]) + ", " + fmt(a[1]) + ", " + fmt(a[2]) + ")";
}

std::optional<int> get_int(const json& j, const char* key) {
    if (j.is_object() && j.contains(key) && j[key].is_number_integer()) return j[key].get<int>();
    return std::nullopt;
}

// An int or a [h, w] / [c, h, w] list; returns (h, w).
bool get_size(const json& v, int& h, int& w) {
    if (v.is_number_integer()) {
        h = w = v.get<int>();
        return true;
    }
    if (v.is_array() && (v.size() == 2 || v.size() == 3) && v.back().is_number_integer() &&
        v[v.size() - 2].is_number_integer()) {
        h = v[v.size() - 2].get<int>();
        w = v.back().get<int>();
        return true;
    }
    if (v.is_object() && v.contains("height") && v.contains("width") && v["height"].is_number_integer() &&
        v["width"].is_number_integer()) {
        h = v["height"].get<int>();
        w = v["width"].get<int>();
        return true;
    }
    return false;
}

std::optional<std::array<float, 3>> get_triple(const json& j, const char* key, const std::string& path) {
    if (!j.is_object() || !j.contains(key)) return std::nullopt;
    const json& v = j[key];
    std::array<float, 3> a{};
    if (v.is_number()) {
        a.fill(v.get<float>());
        return a;
    }
    if (!v.is_array() || v.size() != 3)
        throw InputError("The model configuration " + path + " has a '" + key + "' that is not three numbers.");
    for (int i = 0; i < 3; ++i) {
        if (!v[i].is_number())
            throw InputError("The model configuration " + path + " has a '" + key + "' that is not three numbers.");
        a[i] = v[i].get<float>();
    }
    return a;
}

void read_model_config(const std::string& path, VitConfigHints& h) {
    const json j = read_json(path);
    if (!j.is_object()) throw InputError("The model configuration " + path + " is not a JSON object.");
    // Hugging Face keys.
    if (auto v = get_int(j, "num_attention_heads")) h.heads = v;
    if (j.contains("layer_norm_eps") && j["layer_norm_eps"].is_number()) h.ln_eps = j["layer_norm_eps"].get<float>();
    int ih, iw;
    if (j.contains("image_size") && get_size(j["image_size"], ih, iw)) { h.image_h = ih; h.image_w = iw; }
    if (j.contains("patch_size") && get_size(j["patch_size"], ih, iw)) h.patch = ih;
    if (auto v = get_int(j, "num_register_tokens")) h.registers = v;
    if (j.contains("hidden_act") && j["hidden_act"].is_string()) h.activation = j["hidden_act"].get<std::string>();
    if (j.contains("model_type") && j["model_type"].is_string()) h.architecture = j["model_type"].get<std::string>();
    if (j.contains("id2label") && j["id2label"].is_object()) h.num_classes = static_cast<int>(j["id2label"].size());
    // timm hub keys.
    if (j.contains("architecture") && j["architecture"].is_string()) h.architecture = j["architecture"].get<std::string>();
    if (auto v = get_int(j, "num_classes")) h.num_classes = v;
    if (j.contains("model_args") && j["model_args"].is_object()) {
        const json& a = j["model_args"];
        if (auto v = get_int(a, "num_heads")) h.heads = v;
        if (a.contains("img_size") && get_size(a["img_size"], ih, iw)) { h.image_h = ih; h.image_w = iw; }
    }
    if (j.contains("pretrained_cfg") && j["pretrained_cfg"].is_object()) {
        const json& p = j["pretrained_cfg"];
        if (p.contains("input_size") && get_size(p["input_size"], ih, iw)) { h.image_h = ih; h.image_w = iw; }
        if (auto m = get_triple(p, "mean", path)) h.mean = m;
        if (auto s = get_triple(p, "std", path)) h.std = s;
    }
    h.source += (h.source.empty() ? "" : ", ") + path;
}

void read_preprocessor(const std::string& path, VitConfigHints& h) {
    const json j = read_json(path);
    if (!j.is_object()) throw InputError("The preprocessing configuration " + path + " is not a JSON object.");
    if (auto m = get_triple(j, "image_mean", path)) h.mean = m;
    if (auto s = get_triple(j, "image_std", path)) h.std = s;
    // The size the model actually sees: the crop when cropping, else a fixed resize.
    // (A "shortest_edge" resize alone does not fix the input size.)
    int ih, iw;
    const bool crop = !j.contains("do_center_crop") || (j["do_center_crop"].is_boolean() && j["do_center_crop"].get<bool>());
    if (crop && j.contains("crop_size") && get_size(j["crop_size"], ih, iw)) {
        h.image_h = ih; h.image_w = iw;
    } else if (j.contains("size") && get_size(j["size"], ih, iw)) {
        h.image_h = ih; h.image_w = iw;
    }
    h.source += (h.source.empty() ? "" : ", ") + path;
}

bool is_square(int n, int& side) {
    if (n < 0) return false;
    side = static_cast<int>(std::lround(std::sqrt(static_cast<double>(n))));
    return side > 0 && side * side == n;
}

}  // namespace

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

void set_input_size(VitConfig& c, int image_h, int image_w) {
    if (image_h <= 0 || image_w <= 0 || image_h % c.patch != 0 || image_w % c.patch != 0)
        throw InputError("The model input size " + std::to_string(image_h) + "x" + std::to_string(image_w) +
                         " is not a positive multiple of the patch size " + std::to_string(c.patch) + ".");
    if (image_h > kMaxImageSide || image_w > kMaxImageSide)
        throw InputError("The model input size " + std::to_string(image_h) + "x" + std::to_string(image_w) +
                         " is larger than the " + std::to_string(kMaxImageSide) + " pixels allowed.");
    c.image_h = image_h;
    c.image_w = image_w;
    c.grid_h = image_h / c.patch;
    c.grid_w = image_w / c.patch;
}

VitConfig resolve_config(const VitWeights& w, const VitConfigHints& h, const VitOverrides& ov) {
    VitConfig c;
    c.layout_name = w.layout_name;
    c.hidden = w.hidden;
    c.layers = static_cast<int>(w.blocks.size());
    c.mlp = w.mlp;
    c.patch = w.patch;
    if (!h.source.empty()) c.notes.push_back("configuration read from " + h.source);
    if (h.patch && *h.patch != w.patch)
        throw InputError("The configuration says patch size " + std::to_string(*h.patch) +
                         " but the patch-embedding weight has " + std::to_string(w.patch) + ".");

    // Heads: not visible in any tensor shape, so the most common guess is needed.
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

    if (h.registers && *h.registers != w.registers)
        throw InputError("The configuration says " + std::to_string(*h.registers) + " register tokens but the checkpoint has " +
                         std::to_string(w.registers) + ".");
    if (!w.cls.empty()) c.prefix_names.push_back("cls");
    if (!w.dist.empty()) c.prefix_names.push_back("dist");
    for (int r = 0; r < w.registers; ++r) c.prefix_names.push_back("reg" + std::to_string(r));
    const int np = static_cast<int>(c.prefix_names.size());

    // Which prefix tokens the position embedding covers: its length minus a patch
    // grid. timm DINOv2-with-registers and the original DINOv2 leave registers out;
    // timm models with no_embed_class leave every prefix token out.
    bool found = false;
    if (h.image_h && h.image_w && *h.image_h % w.patch == 0 && *h.image_w % w.patch == 0) {
        const int gh = *h.image_h / w.patch, gw = *h.image_w / w.patch, k = w.pos_tokens - gh * gw;
        if (k >= 0 && k <= np) { c.pos_grid_h = gh; c.pos_grid_w = gw; c.pos_prefix = k; found = true; }
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
    if (!found)
        throw InputError("The position embedding has " + std::to_string(w.pos_tokens) + " rows, which is not a square patch grid plus up to " +
                         std::to_string(np) + " prefix tokens.");

    // Input size: override, configuration, else the size the position embedding was trained for.
    if (ov.image_size > 0) {
        set_input_size(c, ov.image_size, ov.image_size);
        c.notes.push_back("input " + std::to_string(ov.image_size) + " pixels (override)");
    } else if (h.image_h && h.image_w) {
        set_input_size(c, *h.image_h, *h.image_w);
    } else {
        set_input_size(c, c.pos_grid_h * w.patch, c.pos_grid_w * w.patch);
        c.assumed.push_back("assumed: input " + std::to_string(c.image_w) + "x" + std::to_string(c.image_h) +
                            " pixels, the size the position embedding was trained for");
    }

    if (h.ln_eps) {
        c.ln_eps = *h.ln_eps;
    } else if (w.layout == VitLayout::HuggingFace) {
        c.ln_eps = 1e-12f;  // transformers' ViTConfig default
        c.assumed.push_back("assumed: LayerNorm eps 1e-12 (the Hugging Face ViTConfig default)");
    } else {
        c.ln_eps = 1e-6f;
        c.assumed.push_back("assumed: LayerNorm eps 1e-6");
    }

    if (h.activation) {
        const std::string& a = *h.activation;
        if (a == "gelu") c.activation = VitActivation::GeluErf;
        else if (a == "gelu_new" || a == "gelu_pytorch_tanh" || a == "gelu_fast") c.activation = VitActivation::GeluTanh;
        else if (a == "quick_gelu") c.activation = VitActivation::QuickGelu;
        else throw InputError("The configuration asks for the activation '" + a + "', which kernelscope does not implement.");
    } else {
        c.assumed.push_back("assumed: exact (erf) GELU");
    }

    if (ov.mean) c.mean = *ov.mean;
    else if (h.mean) c.mean = *h.mean;
    else c.assumed.push_back("assumed: ImageNet mean " + triple(c.mean));
    if (ov.std) c.std = *ov.std;
    else if (h.std) c.std = *h.std;
    else c.assumed.push_back("assumed: ImageNet std " + triple(c.std));
    for (float s : c.std)
        if (!(s > 0)) throw InputError("The normalisation std must be positive in every channel.");
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
