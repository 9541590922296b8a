#include "cnn/resnet_weights.h"

#include <cctype>
#include <cmath>
#include <set>
#include <sstream>

#include "cnn/resnet_plan.h"
#include "io/input_error.h"

namespace ks {
namespace {

const std::string kMarker = "layer1.0.conv1.weight";

std::string resnet_shape_str(const std::vector<int64_t>& s) {
    std::ostringstream o;
    o << '[';
    for (size_t i = 0; i < s.size(); ++i) {
        o << (i ? ", " : "");
        if (s[i] < 0) o << '*'; else o << s[i];  // -1 = any size
    }
    o << ']';
    return o.str();
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The key prefix in front of "layer1.0.conv1.weight" ("" for a plain state dict,
// "model." or "module." for wrapped ones); npos-like "-" when there is none.
bool find_prefix(const std::vector<std::string>& keys, std::string* prefix) {
    std::set<std::string> all(keys.begin(), keys.end());
    for (const auto& k : keys) {
        if (!ends_with(k, kMarker)) continue;
        const std::string p = k.substr(0, k.size() - kMarker.size());
        if ((p.empty() || p.back() == '.') && all.count(p + "conv1.weight")) {
            *prefix = p;
            return true;
        }
    }
    return false;
}

// Looks tensors up under the prefix, checks shapes, and records what was used.
class ResnetMapper {
public:
    ResnetMapper(const SafetensorsFile& f, std::string prefix, std::string layout)
        : f_(f), prefix_(std::move(prefix)), layout_(std::move(layout)) {}

    bool has(const std::string& key) const { return f_.has(prefix_ + key); }
    std::vector<int64_t> shape_of(const std::string& key) const {
        require(key);
        return f_.info(prefix_ + key).shape;
    }
    std::vector<float> get(const std::string& key, const std::vector<int64_t>& shape) {
        require(key);
        const std::string full = prefix_ + key;
        const auto& got = f_.info(full).shape;
        bool ok = got.size() == shape.size();
        for (size_t i = 0; ok && i < got.size(); ++i) ok = shape[i] < 0 || shape[i] == got[i];
        if (!ok)
            throw InputError(f_.name() + ": tensor '" + full + "' has shape " + resnet_shape_str(got) + " but " + resnet_shape_str(shape) +
                             " was expected for this " + layout_ + " model.");
        used_.insert(full);
        std::vector<float> v = f_.to_float(full);
        for (float x : v)
            if (!std::isfinite(x)) throw InputError(f_.name() + ": tensor '" + full + "' holds a NaN or infinite value.");
        return v;
    }
    // Consecutive numbered sub-modules "layerN.{i}.conv1.weight".
    int count_blocks(int layer) const {
        std::set<int> seen;
        const std::string head = prefix_ + "layer" + std::to_string(layer) + ".";
        for (const auto& k : f_.keys()) {
            if (k.compare(0, head.size(), head) != 0) continue;
            size_t j = head.size();
            while (j < k.size() && std::isdigit(static_cast<unsigned char>(k[j]))) ++j;
            if (j == head.size() || j - head.size() > 6 || k.compare(j, 1, ".") != 0) continue;
            seen.insert(std::stoi(k.substr(head.size(), j - head.size())));
        }
        int n = 0;
        while (seen.count(n)) ++n;
        return n;
    }
    std::vector<std::string> unused() const {
        std::vector<std::string> u;
        for (const auto& k : f_.keys())
            if (!used_.count(k) && !ends_with(k, "num_batches_tracked")) u.push_back(k);
        return u;
    }
    const std::string& name() const { return f_.name(); }
    const std::string& prefix() const { return prefix_; }

private:
    void require(const std::string& key) const {
        if (!f_.has(prefix_ + key))
            throw InputError(f_.name() + " (" + layout_ + " ResNet layout) has no tensor '" + prefix_ + key + "'.");
    }
    const SafetensorsFile& f_;
    std::string prefix_, layout_;
    std::set<std::string> used_;
};

// "<conv>.weight" [out, in, k, k] followed by BatchNorm "<bn>.{weight,bias,running_mean,running_var}".
ConvBn read_conv_bn(ResnetMapper& m, const std::string& conv, const std::string& bn, int in, int k, int stride, float eps,
                    std::vector<float>* raw = nullptr) {
    const auto s = m.shape_of(conv + ".weight");
    if (s.size() != 4 || s[0] <= 0 || s[0] > 65536)
        throw InputError(m.name() + ": tensor '" + m.prefix() + conv + ".weight' has shape " + resnet_shape_str(s) +
                         " but a convolution weight [out, " + std::to_string(in) + ", " + std::to_string(k) + ", " +
                         std::to_string(k) + "] was expected.");
    ConvBn c;
    c.geom.out = static_cast<int>(s[0]);
    c.geom.in = in;
    c.geom.k = k;
    c.geom.stride = stride;
    c.geom.pad = k / 2;
    c.w = m.get(conv + ".weight", {c.geom.out, in, k, k});
    if (raw) *raw = c.w;
    const int64_t C = c.geom.out;
    const auto gamma = m.get(bn + ".weight", {C}), beta = m.get(bn + ".bias", {C});
    const auto mean = m.get(bn + ".running_mean", {C}), var = m.get(bn + ".running_var", {C});
    c.b.resize(C);
    const size_t per = static_cast<size_t>(in) * k * k;
    for (int64_t o = 0; o < C; ++o) {
        if (!(var[o] >= 0.0f))
            throw InputError(m.name() + ": tensor '" + m.prefix() + bn + ".running_var' holds a negative variance.");
        const double scale = gamma[o] / std::sqrt(static_cast<double>(var[o]) + eps);
        c.b[o] = static_cast<float>(beta[o] - mean[o] * scale);
        for (size_t i = 0; i < per; ++i) c.w[o * per + i] = static_cast<float>(c.w[o * per + i] * scale);
    }
    return c;
}

}  // namespace

int ResnetBlock::out_channels() const { return conv3.w.empty() ? conv2.geom.out : conv3.geom.out; }

bool is_resnet_keys(const std::vector<std::string>& keys) {
    std::string p;
    return find_prefix(keys, &p);
}

ResnetWeights load_resnet_weights(const SafetensorsFile& file) {
    const auto keys = file.keys();
    ResnetWeights w;
    if (!find_prefix(keys, &w.key_prefix))
        throw InputError(file.name() + " is not a ResNet checkpoint: it has no tensors 'conv1.weight' and '" + kMarker + "'.");
    // Both libraries use the same names; torchvision's state dicts keep BatchNorm's counters.
    bool counters = false;
    for (const auto& k : keys) counters = counters || ends_with(k, "num_batches_tracked");
    w.layout_name = counters ? "torchvision" : "timm";
    ResnetMapper m(file, w.key_prefix, w.layout_name);

    const auto s = m.shape_of("conv1.weight");
    if (s.size() != 4 || s[1] != 3 || s[2] != s[3] || s[2] <= 0 || s[2] % 2 == 0)
        throw InputError(file.name() + ": tensor '" + w.key_prefix + "conv1.weight' has shape " + resnet_shape_str(s) +
                         " but a stem convolution [out, 3, k, k] for RGB input with an odd square kernel was expected.");
    // A stem's cost grows with the square of its side, and oneDNN runs large kernels slowly:
    // a 301 x 301 stem of 8 channels ran for minutes. torchvision's and timm's are 7 x 7.
    if (s[2] > kMaxResnetStemKernel)
        throw InputError(file.name() + ": tensor '" + w.key_prefix + "conv1.weight' has a " + std::to_string(s[2]) + " x " +
                         std::to_string(s[2]) + " kernel, larger than the " + std::to_string(kMaxResnetStemKernel) + " x " +
                         std::to_string(kMaxResnetStemKernel) + " a ResNet stem may have here (torchvision's is 7 x 7).");
    w.stem = read_conv_bn(m, "conv1", "bn1", 3, static_cast<int>(s[2]), 2, w.bn_eps, &w.stem_raw);
    w.bottleneck = m.has("layer1.0.conv3.weight");
    int channels = w.stem.geom.out;
    for (int L = 0; L < 4; ++L) {
        const int n = m.count_blocks(L + 1);
        if (n == 0)
            throw InputError(file.name() + " (" + w.layout_name + " ResNet layout) has no tensor '" + w.key_prefix + "layer" +
                             std::to_string(L + 1) + ".0.conv1.weight'.");
        for (int i = 0; i < n; ++i) {
            const std::string base = "layer" + std::to_string(L + 1) + "." + std::to_string(i) + ".";
            // torchvision's v1.5 and timm both put the stride on the 3x3 conv of the first block.
            const int stride = (L > 0 && i == 0) ? 2 : 1;
            ResnetBlock b;
            if (w.bottleneck) {
                b.conv1 = read_conv_bn(m, base + "conv1", base + "bn1", channels, 1, 1, w.bn_eps);
                b.conv2 = read_conv_bn(m, base + "conv2", base + "bn2", b.conv1.geom.out, 3, stride, w.bn_eps);
                b.conv3 = read_conv_bn(m, base + "conv3", base + "bn3", b.conv2.geom.out, 1, 1, w.bn_eps);
            } else {
                b.conv1 = read_conv_bn(m, base + "conv1", base + "bn1", channels, 3, stride, w.bn_eps);
                b.conv2 = read_conv_bn(m, base + "conv2", base + "bn2", b.conv1.geom.out, 3, 1, w.bn_eps);
            }
            const int out = b.out_channels();
            b.has_down = m.has(base + "downsample.0.weight");
            if (b.has_down) {
                b.down = read_conv_bn(m, base + "downsample.0", base + "downsample.1", channels, 1, stride, w.bn_eps);
                if (b.down.geom.out != out)
                    throw InputError(file.name() + ": tensor '" + w.key_prefix + base + "downsample.0.weight' has " +
                                     std::to_string(b.down.geom.out) + " output channels but the block outputs " +
                                     std::to_string(out) + ".");
            } else if (stride != 1 || out != channels) {
                throw InputError(file.name() + " (" + w.layout_name + " ResNet layout) has no tensor '" + w.key_prefix + base +
                                 "downsample.0.weight', which this block needs (stride " + std::to_string(stride) + ", " +
                                 std::to_string(channels) + " -> " + std::to_string(out) + " channels).");
            }
            channels = out;
            w.layers[L].push_back(std::move(b));
        }
    }
    w.features = channels;
    if (m.has("fc.weight")) {
        const auto fs = m.shape_of("fc.weight");
        w.fc_w = m.get("fc.weight", {-1, channels});
        w.num_classes = static_cast<int>(fs[0]);
        w.fc_b = m.has("fc.bias") ? m.get("fc.bias", {w.num_classes}) : std::vector<float>(w.num_classes, 0.0f);
    }
    w.ignored = m.unused();
    w.plan_cache = std::make_shared<ResnetPlanCache>();
    return w;
}

std::vector<std::string> ResnetWeights::describe() const {
    std::vector<int> depth;
    int convs = 1;
    for (const auto& l : layers) {
        depth.push_back(static_cast<int>(l.size()));
        convs += static_cast<int>(l.size()) * (bottleneck ? 3 : 2);
    }
    std::ostringstream arch;
    // The name counts the classifier too, as "ResNet-18" does, with or without it in the file.
    arch << "ResNet-" << convs + 1 << " (" << (bottleneck ? "Bottleneck" : "BasicBlock") << " [";
    for (size_t i = 0; i < depth.size(); ++i) arch << (i ? ", " : "") << depth[i];
    arch << "], stem " << stem.geom.out << " channels, " << features << " features";
    if (num_classes > 0) arch << ", " << num_classes << " classes";
    else arch << ", no classifier";
    arch << ")";
    std::vector<std::string> d{arch.str(), "layout: " + layout_name + (key_prefix.empty() ? "" : " (prefix '" + key_prefix + "')"),
                               "assumed: BatchNorm eps 1e-5 (eval mode), stride 2 in the first block of layer2..layer4"};
    if (!ignored.empty()) {
        std::string list;
        for (size_t i = 0; i < ignored.size() && i < 5; ++i) list += (i ? ", " : "") + ignored[i];
        if (ignored.size() > 5) list += ", ...";
        d.push_back(std::to_string(ignored.size()) + " checkpoint tensors not used: " + list);
    }
    return d;
}

}  // namespace ks
