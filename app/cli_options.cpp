#include "cli_options.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "conv/filter_choice.h"

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

CliOptions parse_cli(const std::vector<std::string>& args) {
    CliOptions o;
    bool filter_given = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") { o.help = true; continue; }
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size()) throw InputError("The flag " + a + " needs a value.");
            return args[++i];
        };
        if (a == "--image") o.image = value();
        else if (a == "--image-b") o.image_b = value();
        else if (a == "--window") o.window = parse_window_size(value());
        else if (a == "--b") {
            const std::string v = value();
            if (v != "perturbed" && v != "second" && v != "off")
                throw InputError("The value of --b must be perturbed, second or off, not " + shown(v) + ".");
            o.b_mode = v;
        }
        else if (a == "--frames") o.frames = static_cast<int>(parse_whole(a, value(), 1, 100000));
        else if (a == "--report-fps") o.report_fps = true;
        else if (a == "--ui-scale") {
            const float v = parse_float(a, value());
            if (!(v >= 0.75f && v <= 4.0f)) throw InputError("The value of --ui-scale must lie in 0.75..4.");
            o.ui_scale = v;
        }
        else if (a == "--noise") {
            const float v = parse_float(a, value());
            if (!(v >= 0.0f && v <= 1.0f)) throw InputError("The value of --noise must lie in 0..1.");
            o.b_noise = v;
        }
        else if (a == "--out") o.out_dir = value();
        else if (a == "--screenshot") o.screenshot = value();
        else if (a == "--script") o.script = value();
        else if (a == "--weights") o.weights = value();
        else if (a == "--beside") o.beside = value();
        else if (a == "--config") o.config = value();
        else if (a == "--query") parse_query(value(), o);
        else if (a == "--stage") o.stage = value();  // checked once the checkpoint is known to be a ResNet
        else if (a == "--layer") { o.render.view.layer = parse_int(a, value()); o.layer_given = true; }
        else if (a == "--heads") o.vit_overrides.heads = static_cast<int>(parse_whole(a, value(), 1, 1024));
        else if (a == "--image-size") o.vit_overrides.image_size = static_cast<int>(parse_whole(a, value(), 1, kMaxImageSide));
        else if (a == "--mean") o.vit_overrides.mean = parse_triple(a, value());
        else if (a == "--std") o.vit_overrides.std = parse_triple(a, value());
        else if (a == "--mass-threshold") o.render.mass_threshold = parse_float(a, value());
        else if (a == "--head-maps") o.head_maps = true;
        else if (a == "--head-maps-overlay") o.head_maps = o.head_maps_overlay = true;
        else if (a == "--resize") {
            const std::string v = value();
            if (v == "crop") o.vit_resize = VitResize::ShorterSideCrop;
            else if (v == "whole") o.vit_resize = VitResize::Whole;
            else throw InputError("The value of --resize must be crop or whole, not " + shown(v) + ".");
        }
        else if (a == "--head") parse_head(value(), o.render.view);
        else if (a == "--patch") o.render.sim.patch = parse_int(a, value());
        else if (a == "--tau") o.render.sim.tau = parse_float(a, value());
        else if (a == "--lambda") o.render.sim.lambda = parse_float(a, value());
        else if (a == "--seed") o.render.sim.seed = static_cast<uint32_t>(parse_whole(a, value(), 0, UINT32_MAX));
        else if (a == "--sigma") o.render.gaussian_sigma = parse_float(a, value());
        else if (a == "--opacity") o.render.opacity = parse_float(a, value());
        else if (a == "--score") {
            const std::string v = value();
            if (!parse_score(v, &o.render.sim.score)) throw InputError("The value of --score must be dot or cosine, not " + shown(v) + ".");
        } else if (a == "--projection") {
            const std::string v = value();
            if (v == "identity") o.render.sim.projection = Projection::Identity;
            else if (v == "random") o.render.sim.projection = Projection::Random;
            else throw InputError("The value of --projection must be identity or random, not " + shown(v) + ".");
        } else if (a == "--filter") {
            o.render.filter = value();
            filter_given = true;
            // An unknown name is reported now, before any work; learned filters
            // ("patch_embed[c]") are checked once the checkpoint is loaded.
            if (o.render.filter.rfind("patch_embed[", 0) != 0) check_filter_name(o.render.filter);
        } else if (a == "--kernel") {
            o.render.user_weights = parse_kernel(value());
        } else if (a == "--bilateral-radius") {
            o.render.bilateral.radius = parse_int(a, value());
        } else if (a == "--sigma-s") {
            o.render.bilateral.sigma_s = parse_float(a, value());
        } else if (a == "--sigma-r") {
            o.render.bilateral.sigma_r = parse_float(a, value());
        } else if (a == "--dynamic-k") {
            o.render.dynamic.k = static_cast<int>(parse_whole(a, value(), 1, kMaxDynamicSize));
        } else if (a == "--dynamic-f") {
            o.render.dynamic.f_size = static_cast<int>(parse_whole(a, value(), 1, kMaxDynamicSize));
        } else if (a == "--dynamic-seed") {
            o.render.dynamic.seed = static_cast<uint32_t>(parse_whole(a, value(), 0, 4294967295LL));
        } else if (a == "--conv-mode") {
            const std::string v = value();
            if (v == "luminance") o.render.conv_mode = ConvMode::Luminance;
            else if (v == "per-channel") o.render.conv_mode = ConvMode::PerChannel;
            else throw InputError("The value of --conv-mode must be luminance or per-channel, not " + shown(v) + ".");
        } else if (a == "--colormap") {
            const std::string v = value();
            if (!parse_colormap(v, &o.render.colormap))
                throw InputError("The value of --colormap must be viridis, magma, inferno, turbo, gray or diverging, not " + shown(v) + ".");
        } else {
            throw InputError("Unknown option '" + a + "'; see kernelscope --help.");
        }
    }
    // --kernel selects the user filter; naming another filter as well is a contradiction.
    if (!o.render.user_weights.empty()) {
        if (filter_given && o.render.filter != kUserFilter)
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
    if (!(o.render.opacity >= 0.0f && o.render.opacity <= 1.0f)) throw InputError("The value of --opacity must lie in 0..1.");
    if (!(o.render.mass_threshold >= 0.0f && o.render.mass_threshold <= 1.0f))
        throw InputError("The value of --mass-threshold must lie in 0..1.");
    // Rollout runs through every layer unless a last layer is named.
    if (o.render.view.kind == QueryKind::Rollout && !o.layer_given) o.render.view.layer = -1;
    return o;
}

namespace {

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
               "  kernelscope render --help             the render command's flags\n\n"
               "App options:\n"
               "  --image-b PATH       a second image; B = that image (centre-cropped to A's shape)\n"
               "  --b perturbed|second|off   what input B is (default perturbed: A + noise)\n"
               "  --noise S            noise sigma of B = A perturbed, 0..1 (default 0.15)\n"
               "  --window WxH         window size, e.g. 1024x700 (default 1600x1000)\n"
               "  --ui-scale S         size of text and widgets, 0.75..4 (default: the monitor's scale)\n"
               "  --beside RESNET.safetensors   with a ViT --weights: a ResNet whose effective kernel at the\n"
               "                       same point shows beside the attention (--stage picks its stage)\n"
               "  --frames N --report-fps   hover input A for N frames once the model is idle, print the\n"
               "                       median and 95th-percentile frame times, exit\n"
               "  --screenshot OUT.png save the window after a few frames and exit\n"
               "  --script FILE        play input events from FILE (wait, move, click, press, type, drop,\n"
               "                       state, screenshot, quit; one a line), e.g. for GUI tests\n"
               "  -h, --help           this text\n"
               "  --version            the version and the data folder in use\n") +
           kModelFlags;
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
               "Bad input prints one sentence to stderr and exits 2; DIR never holds half-written files.\n\n"
               "  --out DIR            output folder (created if missing)\n"
               "  --head-maps          also heads/attn-layer{L}-head{h}.png: every head's map of the query at\n"
               "                       --layer (as DINO's visualize_attention.py), each patch upsampled (nearest)\n"
               "                       to patch x patch pixels, and heads/image.png at that size\n"
               "  --head-maps-overlay  the same, each map over the image at --opacity\n") +
           kModelFlags;
}

}  // namespace ks
