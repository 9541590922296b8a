#include "cli_options.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "compare/model_family.h"
#include "conv/filter_choice.h"
#include "image/perturb.h"

namespace ks {

namespace {

// A value quoted in a message: whole when short, else its start and its length, so a
// megabyte-long argument gives a one-line sentence.
std::string shown(const std::string& v) {
    if (v.size() <= 60) return "'" + v + "'";
    return "'" + v.substr(0, 40) + "...' (" + std::to_string(v.size()) + " characters)";
}

}  // namespace

namespace {

// Numbers are parsed in full and range-checked: no NaN, Inf or wrapped integer gets through.
float parse_float(const std::string& flag, const std::string& v) {
    char* end = nullptr;
    errno = 0;
    const double d = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0') throw InputError("The value of " + flag + " must be a number, not " + shown(v) + ".");
    if (!std::isfinite(d) || std::fabs(d) > 3.0e38)
        throw InputError("The value of " + flag + " must be a finite number, not " + shown(v) + ".");
    return static_cast<float>(d);
}


int parse_int(const std::string& flag, const std::string& v) {
    return static_cast<int>(parse_whole(flag, v, INT_MIN, INT_MAX));
}

// "dist" or "reg" and up to 6 digits. Checked by hand: std::regex recurses once a
// character, so a 40,000-digit "reg999..." overflowed the stack.
bool is_prefix_token_name(const std::string& v) {
    if (v == "dist") return true;
    if (v.size() < 4 || v.size() > 9 || v.compare(0, 3, "reg") != 0) return false;
    return std::all_of(v.begin() + 3, v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void parse_query(const std::string& v, CliOptions& o) {
    ViewSpec& view = o.render.view;
    o.query_given = true;
    if (v == "cls") { view.kind = QueryKind::Prefix; view.prefix = 0; return; }
    if (v == "rollout") { view.kind = QueryKind::Rollout; view.prefix = 0; return; }
    const auto comma = v.find(',');
    if (comma == std::string::npos) {
        // Other prefix tokens (distillation, registers) exist only in some checkpoints.
        if (!is_prefix_token_name(v))
            throw InputError("The value of --query must be ROW,COL (0-based patch-grid coordinates), cls, dist, regN or "
                             "rollout, not " + shown(v) + ".");
        view.kind = QueryKind::Prefix;
        o.prefix_name = v;
        return;
    }
    view.kind = QueryKind::Patch;
    view.row = static_cast<int>(parse_whole("--query", v.substr(0, comma), 0, kMaxImageSide));
    view.col = static_cast<int>(parse_whole("--query", v.substr(comma + 1), 0, kMaxImageSide));
}

std::array<float, 3> parse_triple(const std::string& flag, const std::string& v) {
    std::array<float, 3> out{};
    size_t at = 0;
    for (int i = 0; i < 3; ++i) {
        const size_t comma = v.find(',', at);
        if ((i < 2) != (comma != std::string::npos))
            throw InputError("The value of " + flag + " must be three numbers R,G,B, not " + shown(v) + ".");
        out[i] = parse_float(flag, v.substr(at, i < 2 ? comma - at : std::string::npos));
        at = comma + 1;
    }
    return out;
}

// "v1,v2,..." -> the weights of a user kernel, validated by core's user_kernel.
std::vector<float> parse_kernel(const std::string& v) {
    std::vector<float> w;
    size_t at = 0;
    for (;;) {
        const size_t comma = v.find(',', at);
        w.push_back(parse_float("--kernel", v.substr(at, comma == std::string::npos ? std::string::npos : comma - at)));
        if (comma == std::string::npos) break;
        at = comma + 1;
    }
    user_kernel(w);  // k x k, k odd, at most 31, finite: one sentence otherwise
    return w;
}

void parse_head(const std::string& v, ViewSpec& view) {
    if (v == "mean") view.reduce = HeadReduce::Mean;
    else if (v == "max") view.reduce = HeadReduce::Max;
    else { view.reduce = HeadReduce::Single; view.head = parse_int("--head", v); }
}

}  // namespace

long long parse_whole(const std::string& flag, const std::string& v, long long lo, long long hi) {
    char* end = nullptr;
    errno = 0;
    const long long i = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0') throw InputError("The value of " + flag + " must be a whole number, not " + shown(v) + ".");
    if (errno == ERANGE || i < lo || i > hi)
        throw InputError("The value of " + flag + " must be a whole number from " + std::to_string(lo) + " to " +
                         std::to_string(hi) + ", not " + shown(v) + ".");
    return i;
}

// "WxH" in window pixels, each side 320..16384.
std::pair<int, int> parse_window_size(const std::string& v) {
    const size_t x = v.find_first_of("xX");
    const std::string bad = "The value of --window must be WIDTHxHEIGHT, each 320..16384 (e.g. 1600x1000), not " + shown(v) + ".";
    if (x == std::string::npos || x == 0 || x + 1 >= v.size()) throw InputError(bad);
    for (size_t i = 0; i < v.size(); ++i)
        if (i != x && !std::isdigit(static_cast<unsigned char>(v[i]))) throw InputError(bad);
    if (x > 5 || v.size() - x - 1 > 5) throw InputError(bad);
    const int w = std::stoi(v.substr(0, x)), h = std::stoi(v.substr(x + 1));
    if (w < 320 || h < 320 || w > 16384 || h > 16384) throw InputError(bad);
    return {w, h};
}

namespace {

std::string shown_number(float v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

float in_range(const std::string& flag, const std::string& v, float lo, float hi) {
    const float f = parse_float(flag, v);
    if (!(f >= lo && f <= hi))
        throw InputError("The value of " + flag + " must lie in " + shown_number(lo) + ".." + shown_number(hi) + ".");
    return f;
}

// "X,Y,W,H" in pixels of image A: the occlusion rectangle of B = A perturbed.
PixelRect parse_rect(const std::string& flag, const std::string& v) {
    int n[4] = {0, 0, 0, 0};
    size_t at = 0;
    for (int i = 0; i < 4; ++i) {
        const size_t comma = v.find(',', at);
        if ((i < 3) != (comma != std::string::npos))
            throw InputError("The value of " + flag + " must be X,Y,W,H (pixels of image A), not " + shown(v) + ".");
        n[i] = static_cast<int>(parse_whole(flag, v.substr(at, i < 3 ? comma - at : std::string::npos), 0, kMaxImageSide));
        at = comma + 1;
    }
    return PixelRect{n[0], n[1], n[2], n[3]};
}

// "DX,DY": B's content moves right / down by that many pixels.
void parse_shift(const std::string& flag, const std::string& v, Perturbation& p) {
    const size_t comma = v.find(',');
    if (comma == std::string::npos) throw InputError("The value of " + flag + " must be DX,DY in pixels, not " + shown(v) + ".");
    p.dx = static_cast<int>(parse_whole(flag, v.substr(0, comma), -kMaxImageSide, kMaxImageSide));
    p.dy = static_cast<int>(parse_whole(flag, v.substr(comma + 1), -kMaxImageSide, kMaxImageSide));
}

template <typename T>
T one_of(const std::string& flag, const std::string& v, std::initializer_list<std::pair<const char*, T>> choices) {
    std::string names;
    for (const auto& [name, value] : choices) {
        if (v == name) return value;
        names += (names.empty() ? "" : ", ") + std::string(name);
    }
    throw InputError("The value of " + flag + " must be one of " + names + ", not " + shown(v) + ".");
}

using Apply = void (*)(CliOptions&, const std::string& flag, const std::string& value);

// One row a flag: where it applies (cli_flags.h) and what it sets. A flag without a
// value has a null `needs_value`'s counterpart: takes_value false.
struct FlagRow {
    const char* name;
    unsigned commands;   // kForApp | kForRender
    FlagFamily family;
    bool takes_value;
    Apply apply;
};

constexpr unsigned kBoth = kForApp | kForRender;
// The model's own settings, which `kernelscope gallery` takes too.
constexpr unsigned kModel = kBoth | kForGallery;

const std::vector<FlagRow>& flag_rows() {
    static const std::vector<FlagRow> rows = {
        {"--image", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto&, auto& v) { o.image = v; }},
        {"--image-b", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto&, auto& v) { o.image_b = v; }},
        {"--b", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) {
             o.b_mode = one_of<std::string>(f, v, {{"perturbed", "perturbed"}, {"second", "second"}, {"off", "off"}}); }},
        {"--noise", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) { o.perturb.noise_sigma = in_range(f, v, 0, 1); }},
        {"--noise-seed", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) {
             o.perturb.noise_seed = static_cast<uint32_t>(parse_whole(f, v, 0, UINT32_MAX)); }},
        {"--brightness", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) { o.perturb.brightness = in_range(f, v, -1, 1); }},
        {"--contrast", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) { o.perturb.contrast = in_range(f, v, 0, 3); }},
        {"--shift", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) { parse_shift(f, v, o.perturb); }},
        {"--occlude", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) { o.perturb.occlusion = parse_rect(f, v); }},
        {"--window", kForApp, FlagFamily::Any, true, [](CliOptions& o, auto&, auto& v) { o.window = parse_window_size(v); }},
        {"--frames", kForApp, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) {
             o.frames = static_cast<int>(parse_whole(f, v, 1, 100000)); }},
        {"--report-fps", kForApp, FlagFamily::Any, false, [](CliOptions& o, auto&, auto&) { o.report_fps = true; }},
        {"--ui-scale", kForApp, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) { o.ui_scale = in_range(f, v, 0.75f, 4.0f); }},
        {"--screenshot", kForApp, FlagFamily::Any, true, [](CliOptions& o, auto&, auto& v) { o.screenshot = v; }},
        {"--script", kForApp, FlagFamily::Any, true, [](CliOptions& o, auto&, auto& v) { o.script = v; }},
        {"--session", kForApp, FlagFamily::Any, true, [](CliOptions& o, auto&, auto& v) { o.session = v; }},
        {"--out", kForRender | kForGallery, FlagFamily::Any, true, [](CliOptions& o, auto&, auto& v) { o.out_dir = v; }},
        // Every image file of a folder (recursively), or the files given one after another.
        {"--images", kForGallery, FlagFamily::Any, true, [](CliOptions& o, auto&, auto& v) { o.images.push_back(v); }},
        {"--head-maps", kForRender, FlagFamily::Attention, false, [](CliOptions& o, auto&, auto&) { o.head_maps = true; }},
        {"--head-maps-overlay", kForRender, FlagFamily::Attention, false, [](CliOptions& o, auto&, auto&) {
             o.head_maps = o.head_maps_overlay = true; }},
        {"--conv-mode", kForRender, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) {
             o.render.conv_mode = one_of<ConvMode>(f, v, {{"luminance", ConvMode::Luminance}, {"per-channel", ConvMode::PerChannel}}); }},
        {"--weights", kModel, FlagFamily::Any, true, [](CliOptions& o, auto&, auto& v) { o.weights = v; }},
        {"--beside", kBoth, FlagFamily::Vit, true, [](CliOptions& o, auto&, auto& v) { o.beside = v; }},
        {"--config", kModel, FlagFamily::Vit, true, [](CliOptions& o, auto&, auto& v) { o.config = v; }},
        {"--heads", kModel, FlagFamily::Vit, true, [](CliOptions& o, auto& f, auto& v) {
             o.vit_overrides.heads = static_cast<int>(parse_whole(f, v, 1, 1024)); }},
        {"--image-size", kModel, FlagFamily::Checkpoint, true, [](CliOptions& o, auto& f, auto& v) {
             o.vit_overrides.image_size = static_cast<int>(parse_whole(f, v, 1, kMaxImageSide)); }},
        {"--mean", kModel, FlagFamily::Checkpoint, true, [](CliOptions& o, auto& f, auto& v) { o.vit_overrides.mean = parse_triple(f, v); }},
        {"--std", kModel, FlagFamily::Checkpoint, true, [](CliOptions& o, auto& f, auto& v) { o.vit_overrides.std = parse_triple(f, v); }},
        {"--resize", kModel, FlagFamily::Checkpoint, true, [](CliOptions& o, auto& f, auto& v) {
             o.vit_resize = one_of<VitResize>(f, v, {{"crop", VitResize::ShorterSideCrop}, {"whole", VitResize::Whole}}); }},
        {"--stage", kModel, FlagFamily::Resnet, true, [](CliOptions& o, auto&, auto& v) { o.stage = v; }},
        {"--query", kModel, FlagFamily::Any, true, [](CliOptions& o, auto&, auto& v) { parse_query(v, o); }},
        {"--layer", kModel, FlagFamily::Attention, true, [](CliOptions& o, auto& f, auto& v) {
             o.render.view.layer = parse_int(f, v);
             o.layer_given = true; }},
        {"--head", kModel, FlagFamily::Attention, true, [](CliOptions& o, auto&, auto& v) { parse_head(v, o.render.view); }},
        {"--mass-threshold", kBoth, FlagFamily::Attention, true, [](CliOptions& o, auto& f, auto& v) {
             o.render.mass_threshold = in_range(f, v, 0, 1); }},
        {"--patch", kModel, FlagFamily::Builtin, true, [](CliOptions& o, auto& f, auto& v) { o.render.sim.patch = parse_int(f, v); }},
        {"--tau", kModel, FlagFamily::Builtin, true, [](CliOptions& o, auto& f, auto& v) { o.render.sim.tau = parse_float(f, v); }},
        {"--lambda", kModel, FlagFamily::Builtin, true, [](CliOptions& o, auto& f, auto& v) { o.render.sim.lambda = parse_float(f, v); }},
        {"--seed", kModel, FlagFamily::Builtin, true, [](CliOptions& o, auto& f, auto& v) {
             o.render.sim.seed = static_cast<uint32_t>(parse_whole(f, v, 0, UINT32_MAX)); }},
        {"--score", kModel, FlagFamily::Builtin, true, [](CliOptions& o, auto& f, auto& v) {
             if (!parse_score(v, &o.render.sim.score)) throw InputError("The value of " + f + " must be dot or cosine, not " + shown(v) + "."); }},
        {"--projection", kModel, FlagFamily::Builtin, true, [](CliOptions& o, auto& f, auto& v) {
             o.render.sim.projection = one_of<Projection>(f, v, {{"identity", Projection::Identity}, {"random", Projection::Random}}); }},
        {"--sigma", kModel, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) { o.render.gaussian_sigma = parse_float(f, v); }},
        {"--opacity", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) { o.render.opacity = in_range(f, v, 0, 1); }},
        {"--filter", kModel, FlagFamily::Any, true, [](CliOptions& o, auto&, auto& v) {
             o.render.filter = v;
             o.filter_given = true;
             // Learned filters (patch_embed[c], conv1[c]) are checked once the checkpoint is loaded.
             if (v.rfind("patch_embed[", 0) != 0 && v.rfind("conv1[", 0) != 0) check_filter_name(v); }},
        {"--kernel", kModel, FlagFamily::Any, true, [](CliOptions& o, auto&, auto& v) { o.render.user_weights = parse_kernel(v); }},
        {"--bilateral-radius", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) { o.render.bilateral.radius = parse_int(f, v); }},
        {"--sigma-s", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) { o.render.bilateral.sigma_s = parse_float(f, v); }},
        {"--sigma-r", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) { o.render.bilateral.sigma_r = parse_float(f, v); }},
        {"--dynamic-k", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) {
             o.render.dynamic.k = static_cast<int>(parse_whole(f, v, 1, kMaxDynamicSize)); }},
        {"--dynamic-f", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) {
             o.render.dynamic.f_size = static_cast<int>(parse_whole(f, v, 1, kMaxDynamicSize)); }},
        {"--dynamic-seed", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) {
             o.render.dynamic.seed = static_cast<uint32_t>(parse_whole(f, v, 0, UINT32_MAX)); }},
        {"--colormap", kBoth, FlagFamily::Any, true, [](CliOptions& o, auto& f, auto& v) {
             if (!parse_colormap(v, &o.render.colormap))
                 throw InputError("The value of " + f + " must be viridis, magma, inferno, turbo, gray or diverging, not " + shown(v) + "."); }},
    };
    return rows;
}

const FlagRow* find_flag(const std::string& name) {
    for (const FlagRow& r : flag_rows())
        if (name == r.name) return &r;
    return nullptr;
}

// A session sets the images, the model and what is shown: a flag that sets any of it as
// well would contradict it. The window's own flags go with it.
void check_session_alone(const CliOptions& o) {
    if (!o.session) return;
    static const std::vector<std::string> window_flags = {"--session", "--window", "--ui-scale", "--screenshot",
                                                          "--script",  "--frames", "--report-fps"};
    for (const std::string& f : o.given)
        if (std::find(window_flags.begin(), window_flags.end(), f) == window_flags.end())
            throw InputError(f + " cannot be given with --session, which sets the images, the model and what is shown.");
}

// Checks across flags, once all are read.
void check_together(CliOptions& o) {
    // --kernel selects the user filter; naming another filter as well is a contradiction.
    if (!o.render.user_weights.empty()) {
        if (o.filter_given && o.render.filter != kUserFilter)
            throw InputError("--kernel gives the user filter's weights, so --filter must be user or left out, not '" +
                             o.render.filter + "'.");
        o.render.filter = kUserFilter;
    } else if (o.render.filter == kUserFilter) {
        throw InputError("--filter user needs its weights: --kernel v1,v2,... (k x k numbers, k odd).");
    }
    check_bilateral(o.render.bilateral);
    check_dynamic_conv(o.render.dynamic);
    if (o.script && o.screenshot)
        throw InputError("--script and --screenshot cannot be combined; use the script's screenshot command.");
    check_session_alone(o);
    // Rollout runs through every layer unless a last layer is named.
    if (o.render.view.kind == QueryKind::Rollout && !o.layer_given) o.render.view.layer = -1;
}

}  // namespace

bool flag_applies(FlagFamily flag, FlagFamily model) {
    switch (flag) {
        case FlagFamily::Any: return true;
        case FlagFamily::Attention: return model == FlagFamily::Builtin || model == FlagFamily::Vit;
        case FlagFamily::Checkpoint: return model == FlagFamily::Vit || model == FlagFamily::Resnet;
        default: return flag == model;
    }
}

std::string family_phrase(FlagFamily f) {
    switch (f) {
        case FlagFamily::Builtin: return "the built-in model (no --weights)";
        case FlagFamily::Attention: return "models with attention (the built-in model or a ViT)";
        case FlagFamily::Checkpoint: return "a checkpoint (--weights)";
        case FlagFamily::Vit: return "a ViT checkpoint";
        case FlagFamily::Resnet: return "a ResNet checkpoint";
        default: return "every model";
    }
}

FlagFamily model_flag_family(const std::optional<std::string>& weights) {
    if (!weights) return FlagFamily::Builtin;
    return std::string(family_for_checkpoint(*weights).id) == "resnet" ? FlagFamily::Resnet : FlagFamily::Vit;
}

std::vector<FlagInfo> cli_flags() {
    std::vector<FlagInfo> out;
    for (const FlagRow& r : flag_rows()) out.push_back({r.name, r.commands, r.family, r.takes_value});
    return out;
}

namespace {

unsigned command_bit(CliCommand c) { return c == CliCommand::Render ? kForRender : c == CliCommand::Gallery ? kForGallery : kForApp; }

const char* command_name(unsigned bit) {
    return bit == kForRender ? "kernelscope render" : bit == kForGallery ? "kernelscope gallery" : "the desktop app";
}

// "--window belongs to the desktop app, not to kernelscope render."
std::string not_here(const std::string& flag, unsigned owners, unsigned here) {
    std::string who;
    for (unsigned bit : {kForApp, kForRender, kForGallery})
        if (owners & bit) who += (who.empty() ? "" : " and ") + std::string(command_name(bit));
    return flag + " belongs to " + who + ", not to " + command_name(here) + ".";
}

}  // namespace

CliOptions parse_cli(const std::vector<std::string>& args, CliCommand command) {
    CliOptions o;
    const unsigned here = command_bit(command);
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            o.help = true;
            continue;
        }
        const FlagRow* row = find_flag(a);
        if (!row) throw InputError("Unknown option " + shown(a) + "; see kernelscope --help.");
        if (!(row->commands & here)) throw InputError(not_here(a, row->commands, here));
        std::string value;
        if (row->takes_value) {
            if (i + 1 >= args.size()) throw InputError("The flag " + a + " needs a value.");
            value = args[++i];
        }
        row->apply(o, a, value);
        // --images takes a folder or several files: every following argument up to the next flag.
        if (a == "--images")
            while (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) row->apply(o, a, args[++i]);
        if (std::find(o.given.begin(), o.given.end(), a) == o.given.end()) o.given.push_back(a);
    }
    check_together(o);
    return o;
}

void check_flags_for_family(const CliOptions& o, FlagFamily model) {
    for (const std::string& name : o.given) {
        const FlagRow* r = find_flag(name);
        if (!r || flag_applies(r->family, model)) continue;
        if (name == "--stage" && o.beside) continue;   // the stage of the ResNet beside a ViT
        throw InputError(name + " does not apply to " + family_phrase(model) + "; it is for " + family_phrase(r->family) + ".");
    }
}

namespace {

const char* kInputBFlags =
    "Input B (the comparison; the app and render take the same):\n"
    "  --image-b PATH       a second image; B = that image (centre-cropped to A's shape, then resized)\n"
    "  --b perturbed|second|off   what input B is (default perturbed: A + noise; second with --image-b)\n"
    "  --noise S            noise sigma of B = A perturbed, 0..1 (default 0.15)\n"
    "  --noise-seed N       the noise's seed (default 1)\n"
    "  --brightness D       added to every channel, -1..1 (default 0)\n"
    "  --contrast C         scale about mid-gray, 0..3 (default 1)\n"
    "  --shift DX,DY        content moves right / down by that many pixels (default 0,0)\n"
    "  --occlude X,Y,W,H    a mid-gray rectangle in image A's pixels (default none)\n"
    "  --beside RESNET.safetensors   with a ViT --weights: a ResNet whose effective kernel at the\n"
    "                       same point stands beside the attention (--stage picks its stage)\n";

const char* kModelFlags =
    "Model (built-in similarity attention, no weights needed):\n"
    "  --patch P            patch size in pixels, 4..32 (default 16)\n"
    "  --tau T              softmax temperature (default 0.1)\n"
    "  --lambda L           weight of the 2-D sinusoidal position code (default 0)\n"
    "  --score dot|cosine   similarity score (default cosine)\n"
    "  --projection identity|random   W_Q, W_K (default identity)\n"
    "  --seed S             seed of the random projections (default 0)\n"
    "Vision Transformer:\n"
    "  --weights FILE       a .safetensors checkpoint (timm, DINO, DeiT, Hugging Face, torchvision)\n"
    "  --config FILE        its config.json (default: the one beside the weights, if any)\n"
    "  --layer L            layer to show, 0-based (default 0; with rollout: the last layer included)\n"
    "  --head H|mean|max    head, or the mean or max over heads (default 0)\n"
    "  --resize crop|whole  shorter side + centre crop (default), or the whole image squashed\n"
    "  --heads N            number of heads (default: config.json, else hidden / 64)\n"
    "  --image-size S       model input side in pixels (default: config, else the position grid)\n"
    "  --mean R,G,B         normalisation mean (default: config, else ImageNet's)\n"
    "  --std R,G,B          normalisation std (default: config, else ImageNet's)\n"
    "ResNet (--weights with torchvision / timm ResNet tensors; the kind is read from the names):\n"
    "  --stage layerN       stage whose output the query is on, layer1..layer4 (default layer3);\n"
    "                       --query ROW,COL is then on that stage's grid; writes effective_kernel.npy\n"
    "                       (float32 [3,H,W]), effective_kernel.png, conv1.png and summary.json.\n"
    "                       Input 224 x 224 (--image-size S), crop as above; --resize whole keeps\n"
    "                       the photo's own size; --mean / --std as above (default ImageNet's)\n"
    "Query and views:\n"
    "  --image PATH         input image: PNG, JPEG, BMP, TGA or GIF (default: a bundled photo)\n"
    "  --query ROW,COL      query patch, 0-based patch-grid coordinates (default: the centre);\n"
    "                       or cls (the CLS token), dist / reg0, reg1, ... (other prefix tokens),\n"
    "                       or rollout (attention rollout of CLS)\n"
    "  --colormap NAME      viridis, magma, inferno, turbo, gray (default inferno)\n"
    "  --opacity A          heatmap opacity over the image, 0..1 (default 0.6)\n"
    "  --mass-threshold T   also the DINO mask: the fewest patches holding T of the mass (0..1)\n"
    "Convolution:\n"
    "  --filter NAME        identity, box3, box5, gaussian, sobel_x, sobel_y, laplacian, sharpen,\n"
    "                       gabor0, gabor45, gabor90, gabor135 (default sobel_x); user (the --kernel\n"
    "                       weights); bilateral (data-dependent: the kernel at each pixel is built\n"
    "                       from the input around it; kernel.png shows the one at the query);\n"
    "                       dynamic (data-dependent, signed: a seeded random conv f of the input\n"
    "                       gives each pixel's k x k kernel);\n"
    "                       with --weights also patch_embed[C], the checkpoint's learned filter C\n"
    "  --kernel V1,V2,...   a user kernel: k x k numbers row-major, k odd, up to 31 (selects user)\n"
    "  --sigma S            Gaussian sigma (default 1)\n"
    "  --bilateral-radius R bilateral window (2R+1) x (2R+1), R = 1..15 (default 3)\n"
    "  --sigma-s S          bilateral spatial sigma in pixels (default 2)\n"
    "  --sigma-r S          bilateral range sigma on 0..1 luminance (default 0.1)\n"
    "  --dynamic-k K        dynamic conv: kernel size, odd 1..15 (default 5)\n"
    "  --dynamic-f F        dynamic conv: size of the seeded generator conv f, odd 1..15 (default 3)\n"
    "  --dynamic-seed S     dynamic conv: seed of f's weights (default 0)\n"
    "  --conv-mode luminance|per-channel   (default luminance)\n";

}  // namespace

std::string main_help() {
    return std::string(
               "kernelscope: self-attention kernels beside convolution kernels, on your own images.\n\n"
               "Usage:\n"
               "  kernelscope [OPTIONS]                 open the desktop app\n"
               "  kernelscope --screenshot OUT.png [OPTIONS]   render the app's window to a PNG and exit\n"
               "  kernelscope render --out DIR [OPTIONS]       compute and export without a window\n"
               "  kernelscope render --help             the render command's flags\n"
               "  kernelscope gallery --images DIR|FILES --query R,C --out DIR   one query over many images\n"
               "  kernelscope gallery --help            the gallery command's flags\n"
               "  kernelscope analyze --help            the folder analysis\n\n"
               "App options (input B's flags below are render's too):\n"
               "  --window WxH         window size, e.g. 1024x700 (default 1600x1000)\n"
               "  --ui-scale S         size of text and widgets, 0.75..4 (default: the monitor's scale)\n"
               "  --frames N --report-fps   hover input A for N frames once the model is idle, print the\n"
               "                       median and 95th-percentile frame times, exit\n"
               "  --screenshot OUT.png save the window after a few frames and exit\n"
               "  --script FILE        play input events from FILE (wait, move, click, press, type, drop,\n"
               "                       state, screenshot, quit; one a line), e.g. for GUI tests\n"
               "  --session FILE       open a session saved with File > Save session: its images, model,\n"
               "                       query, view, filter, perturbation, display and layout\n"
               "  -h, --help           this text\n"
               "  --version            the version and the data folder in use\n"
               "  --list-flags         every flag, the commands and models it applies to\n") +
           kInputBFlags + kModelFlags;
}

std::string render_help() {
    return std::string(
               "Usage: kernelscope render --out DIR [OPTIONS]\n\n"
               "Computes the attention kernel and the conv kernel at one query and writes into DIR:\n"
               "  attention.npy  float32 [L,H,N,N], every row of every layer and head\n"
               "  heatmap.npy    float32 [gh,gw], the query's row on the patch grid\n"
               "  heatmap.png    that row over the image at the image's own size, query outlined\n"
               "  kernel.png     the conv kernel, magnified, diverging colormap\n"
               "  conv.png       the conv response\n"
               "  conv.npy       float32 [H,W], the conv response (on luminance; a learned filter: summed over RGB)\n"
               "  summary.json   query, grid, patch size, kernel readouts (data_dependent, and the pixel of a\n"
               "                 data-dependent kernel), attention entropy and max\n"
               "  comparison.json  the app's comparison for the same flags: image A, what B is (b_mode, the\n"
               "                 second image or the perturbation), the query, and kernel_change: attention,\n"
               "                 effective_kernel (a ResNet's), fixed_conv, data_dependent_conv (the same keys\n"
               "                 and numbers as the app's --screenshot sidecar and Ctrl+E)\n"
               "A flag of the desktop app (--window, --ui-scale, ...) or one the model does not use is refused.\n"
               "Bad input prints one sentence to stderr and exits 2; DIR never holds half-written files.\n\n"
               "  --out DIR            output folder (created if missing)\n"
               "  --head-maps          also heads/attn-layer{L}-head{h}.png: every head's map of the query at\n"
               "                       --layer (as DINO's visualize_attention.py), each patch upsampled (nearest)\n"
               "                       to patch x patch pixels, and heads/image.png at that size\n"
               "  --head-maps-overlay  the same, each map over the image at --opacity\n") +
           kInputBFlags + kModelFlags;
}

}  // namespace ks
