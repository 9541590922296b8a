#include "session/session_file.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

#include "conv/conv_filters.h"
#include "conv/filter_choice.h"
#include "image/image.h"
#include "image/patch_grid.h"
#include "io/file_output.h"
#include "io/file_read.h"
#include "io/input_error.h"
#include "io/json_bounded.h"

namespace ks {

namespace {

using nlohmann::json;

constexpr int kSessionVersion = 1;
constexpr size_t kMaxSessionText = 4096;   // a path or a name
constexpr int kMaxIndex = 4096;            // layers, heads, prefix tokens

// The name-value pairs of each enum as the file spells them.
template <class E>
using Names = std::vector<std::pair<const char*, E>>;
const Names<SessionInputB> kInputB = {{"perturbed", SessionInputB::Perturbed}, {"second", SessionInputB::Second}, {"off", SessionInputB::Off}};
const Names<VitResize> kResize = {{"crop", VitResize::ShorterSideCrop}, {"whole", VitResize::Whole}};
const Names<HeadReduce> kReduce = {{"single", HeadReduce::Single}, {"mean", HeadReduce::Mean}, {"max", HeadReduce::Max}};
const Names<QueryKind> kKind = {{"patch", QueryKind::Patch}, {"prefix", QueryKind::Prefix}, {"rollout", QueryKind::Rollout}};
const Names<TranslateFill> kFill = {{"black", TranslateFill::Black}, {"wrap", TranslateFill::Wrap}, {"edge", TranslateFill::Edge}};
const Names<Score> kScore = {{"dot", Score::Dot}, {"cosine", Score::Cosine}};
const Names<Projection> kProjection = {{"identity", Projection::Identity}, {"random", Projection::Random}};

template <class E>
const char* name_of(const Names<E>& names, E v) {
    for (const auto& [n, e] : names)
        if (e == v) return n;
    return names.front().first;
}

// The fewest decimal digits that read back to the same float, so the file says 0.1, not 0.100000001.
double shortest(float f) {
    char buf[32];
    for (int digits = 6; digits <= 9; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, static_cast<double>(f));
        if (static_cast<float>(std::strtod(buf, nullptr)) == f) break;
    }
    return std::strtod(buf, nullptr);
}

json floats(const std::vector<float>& v) {
    json a = json::array();
    for (float x : v) a.push_back(shortest(x));
    return a;
}

json optional_triple(const std::optional<std::array<float, 3>>& t) {
    return t ? floats({(*t)[0], (*t)[1], (*t)[2]}) : json();
}

json model_json(const SessionSettings::Model& m) {
    return {{"checkpoint", m.checkpoint}, {"config", m.config}, {"beside", m.second_checkpoint},
            {"resize", name_of(kResize, m.resize)}, {"stage", m.stage}, {"heads", m.overrides.heads},
            {"image_size", m.overrides.image_size}, {"mean", optional_triple(m.overrides.mean)},
            {"std", optional_triple(m.overrides.std)}};
}

json filter_json(const SessionSettings::Filter& f) {
    return {{"name", f.name},
            {"sigma", shortest(f.gaussian_sigma)},
            {"kernel", floats(f.user_weights)},
            {"bilateral", {{"radius", f.bilateral.radius}, {"sigma_s", shortest(f.bilateral.sigma_s)}, {"sigma_r", shortest(f.bilateral.sigma_r)}}},
            {"dynamic", {{"k", f.dynamic.k}, {"f", f.dynamic.f_size}, {"seed", f.dynamic.seed}}}};
}

json perturbation_json(const Perturbation& p) {
    return {{"brightness", shortest(p.brightness)}, {"contrast", shortest(p.contrast)}, {"noise", shortest(p.noise_sigma)},
            {"noise_seed", p.noise_seed}, {"shift", {p.dx, p.dy}}, {"fill", name_of(kFill, p.fill)},
            {"occlusion", {{"x", p.occlusion.x}, {"y", p.occlusion.y}, {"w", p.occlusion.w}, {"h", p.occlusion.h},
                           {"gray", shortest(p.occlusion_value)}}}};
}

json display_json(const SessionSettings::Display& d) {
    return {{"colormap", colormap_names()[static_cast<size_t>(d.colormap)]},
            {"opacity", shortest(d.opacity)},
            {"smooth", d.smooth},
            {"outline", d.outline},
            {"footprint", d.footprint},
            {"mask", d.mask},
            {"mask_threshold", shortest(d.mask_threshold)},
            {"log", d.heat.log_scale},
            {"exclude_query", d.heat.exclude_query},
            {"patches_only", d.heat.patches_only},
            {"top_quantile", shortest(d.heat.top_quantile)},
            {"centre", d.heads_in_centre ? "heads" : "comparison"},
            {"zoom", shortest(d.zoom)},
            {"zoom_centre", {shortest(d.zoom_x), shortest(d.zoom_y)}},
            {"analyses", d.analyses}};
}

// Reads checked values out of the file's objects; every problem is one sentence that
// names the file and the entry ("filter.bilateral.radius").
class Reader {
public:
    explicit Reader(const std::string& file) : file_(file) {}

    [[noreturn]] void bad(const std::string& where, const std::string& what) const {
        throw InputError("The session file " + file_ + " cannot be used: " + where + " " + what + ".");
    }
    // The object at `key` of `parent` (absent: none, so its fields keep their defaults).
    const json* object(const json* parent, const char* key, const std::string& where) const {
        if (!parent || !parent->contains(key)) return nullptr;
        const json& o = (*parent)[key];
        if (!o.is_object()) bad(where + key, "must be a JSON object");
        return &o;
    }
    void integer(const json* o, const char* key, const std::string& where, long long lo, long long hi, int& out) const {
        long long v = 0;
        if (whole(o, key, where, lo, hi, v)) out = static_cast<int>(v);
    }
    void unsigned32(const json* o, const char* key, const std::string& where, uint32_t& out) const {
        long long v = 0;
        if (whole(o, key, where, 0, std::numeric_limits<uint32_t>::max(), v)) out = static_cast<uint32_t>(v);
    }
    void number(const json* o, const char* key, const std::string& where, double lo, double hi, float& out) const {
        if (!o || !o->contains(key)) return;
        const json& v = (*o)[key];
        if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < lo || v.get<double>() > hi)
            bad(where + key, "must be a number from " + shown(lo) + " to " + shown(hi));
        out = static_cast<float>(v.get<double>());
    }
    void boolean(const json* o, const char* key, const std::string& where, bool& out) const {
        if (!o || !o->contains(key)) return;
        if (!(*o)[key].is_boolean()) bad(where + key, "must be true or false");
        out = (*o)[key].get<bool>();
    }
    void text(const json* o, const char* key, const std::string& where, std::string& out) const {
        if (!o || !o->contains(key)) return;
        const json& v = (*o)[key];
        if (!v.is_string() || v.get_ref<const std::string&>().size() > kMaxSessionText)
            bad(where + key, "must be a text of at most " + std::to_string(kMaxSessionText) + " characters");
        out = v.get<std::string>();
    }
    template <class E>
    void choice(const json* o, const char* key, const std::string& where, const Names<E>& names, E& out) const {
        std::string s;
        text(o, key, where, s);
        if (s.empty() && !(o && o->contains(key))) return;
        std::string all;
        for (const auto& [n, e] : names) {
            if (s == n) { out = e; return; }
            all += std::string(all.empty() ? "" : ", ") + n;
        }
        bad(where + key, "must be one of " + all);
    }
    // A list of at most `max` numbers from lo to hi; absent or null: none.
    std::optional<std::vector<float>> numbers(const json* o, const char* key, const std::string& where, size_t max, double lo,
                                              double hi) const {
        if (!o || !o->contains(key) || (*o)[key].is_null()) return std::nullopt;
        const json& a = (*o)[key];
        if (!a.is_array() || a.size() > max) bad(where + key, "must be a list of at most " + std::to_string(max) + " numbers");
        std::vector<float> out;
        for (const json& v : a) {
            if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < lo || v.get<double>() > hi)
                bad(where + key, "must hold numbers from " + shown(lo) + " to " + shown(hi));
            out.push_back(static_cast<float>(v.get<double>()));
        }
        return out;
    }
    // A value another check refuses (a core validator's InputError) is reported as this entry's.
    template <class F>
    void checked(const std::string& where, F&& check) const {
        try {
            check();
        } catch (const InputError& e) {
            std::string why = e.what();
            if (!why.empty() && why.back() == '.') why.pop_back();   // bad() ends the sentence
            bad(where, "is refused: " + why);
        }
    }

private:
    bool whole(const json* o, const char* key, const std::string& where, long long lo, long long hi, long long& out) const {
        if (!o || !o->contains(key)) return false;
        const json& v = (*o)[key];
        // Checked before any cast: 1e30 or 2^64 - 1 must not wrap into range. (hi >= 0 throughout.)
        bool fits = false;
        if (v.is_number_unsigned()) {
            const unsigned long long u = v.get<unsigned long long>();
            fits = u <= static_cast<unsigned long long>(hi);
            out = static_cast<long long>(u);
        } else if (v.is_number_integer()) {
            out = v.get<long long>();
            fits = out <= hi;
        }
        if (!fits || out < lo) bad(where + key, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
        return true;
    }
    static std::string shown(double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", v);
        return buf;
    }
    const std::string& file_;
};

void read_inputs(const Reader& r, const json& root, SessionSettings::Inputs& in) {
    const json* o = r.object(&root, "inputs", "");
    r.text(o, "image_a", "inputs.", in.image_a);
    r.text(o, "image_b", "inputs.", in.image_b);
    r.choice(o, "b", "inputs.", kInputB, in.b);
    if (in.image_a.empty()) r.bad("inputs.image_a", "must name image A");
    if (in.b == SessionInputB::Second && in.image_b.empty()) r.bad("inputs.b", "is \"second\" but inputs.image_b names no image");
}

void read_model(const Reader& r, const json& root, SessionSettings::Model& m) {
    const json* o = r.object(&root, "model", "");
    r.text(o, "checkpoint", "model.", m.checkpoint);
    r.text(o, "config", "model.", m.config);
    r.text(o, "beside", "model.", m.second_checkpoint);
    r.choice(o, "resize", "model.", kResize, m.resize);
    r.integer(o, "stage", "model.", 1, 4, m.stage);
    r.integer(o, "heads", "model.", 0, 1024, m.overrides.heads);
    r.integer(o, "image_size", "model.", 0, kMaxImageSide, m.overrides.image_size);
    for (auto [key, slot] : {std::pair{"mean", &m.overrides.mean}, std::pair{"std", &m.overrides.std}}) {
        const auto v = r.numbers(o, key, "model.", 3, -1000, 1000);
        if (v && v->size() != 3) r.bad(std::string("model.") + key, "must be three numbers (R, G, B) or null");
        if (v) *slot = std::array<float, 3>{(*v)[0], (*v)[1], (*v)[2]};
    }
}

void read_query_and_view(const Reader& r, const json& root, SessionSettings& s) {
    const json* q = r.object(&root, "query", "");
    r.integer(q, "row", "query.", 0, kMaxImageSide, s.query.row);
    r.integer(q, "col", "query.", 0, kMaxImageSide, s.query.col);
    r.boolean(q, "pinned", "query.", s.query.pinned);
    const json* v = r.object(&root, "view", "");
    r.integer(v, "layer", "view.", -1, kMaxIndex, s.view.layer);
    r.integer(v, "head", "view.", 0, kMaxIndex, s.view.head);
    r.choice(v, "reduce", "view.", kReduce, s.view.reduce);
    r.choice(v, "kind", "view.", kKind, s.view.kind);
    r.integer(v, "prefix", "view.", -1, kMaxIndex, s.view.prefix);
    r.integer(v, "row", "view.", 0, kMaxImageSide, s.view.row);
    r.integer(v, "col", "view.", 0, kMaxImageSide, s.view.col);
}

bool is_learned_filter_name(const std::string& f) { return f.rfind("patch_embed[", 0) == 0 || f.rfind("conv1[", 0) == 0; }

void read_filter(const Reader& r, const json& root, SessionSettings::Filter& f) {
    const json* o = r.object(&root, "filter", "");
    r.text(o, "name", "filter.", f.name);
    // A checkpoint's own filters are checked against it once it has loaded.
    if (!is_learned_filter_name(f.name)) r.checked("filter.name", [&] { check_filter_name(f.name); });
    r.number(o, "sigma", "filter.", 0.01, 100, f.gaussian_sigma);
    if (auto w = r.numbers(o, "kernel", "filter.", 31 * 31, -1e6, 1e6)) f.user_weights = *w;
    if (!f.user_weights.empty()) r.checked("filter.kernel", [&] { user_kernel(f.user_weights); });
    const json* b = r.object(o, "bilateral", "filter.");
    r.integer(b, "radius", "filter.bilateral.", 1, kMaxBilateralRadius, f.bilateral.radius);
    r.number(b, "sigma_s", "filter.bilateral.", 1e-3, 1e3, f.bilateral.sigma_s);
    r.number(b, "sigma_r", "filter.bilateral.", 1e-4, 1e3, f.bilateral.sigma_r);
    r.checked("filter.bilateral", [&] { check_bilateral(f.bilateral); });
    const json* d = r.object(o, "dynamic", "filter.");
    r.integer(d, "k", "filter.dynamic.", 1, kMaxDynamicSize, f.dynamic.k);
    r.integer(d, "f", "filter.dynamic.", 1, kMaxDynamicSize, f.dynamic.f_size);
    r.unsigned32(d, "seed", "filter.dynamic.", f.dynamic.seed);
    r.checked("filter.dynamic", [&] { check_dynamic_conv(f.dynamic); });
}

void read_perturbation(const Reader& r, const json& root, Perturbation& p) {
    const json* o = r.object(&root, "perturbation", "");
    r.number(o, "brightness", "perturbation.", -1, 1, p.brightness);
    r.number(o, "contrast", "perturbation.", 0, 3, p.contrast);
    r.number(o, "noise", "perturbation.", 0, 1, p.noise_sigma);
    r.unsigned32(o, "noise_seed", "perturbation.", p.noise_seed);
    if (const auto shift = r.numbers(o, "shift", "perturbation.", 2, -kMaxImageSide, kMaxImageSide)) {
        if (shift->size() != 2 || (*shift)[0] != std::floor((*shift)[0]) || (*shift)[1] != std::floor((*shift)[1]))
            r.bad("perturbation.shift", "must be two whole numbers of pixels [dx, dy]");
        p.dx = static_cast<int>((*shift)[0]);
        p.dy = static_cast<int>((*shift)[1]);
    }
    r.choice(o, "fill", "perturbation.", kFill, p.fill);
    const json* occ = r.object(o, "occlusion", "perturbation.");
    r.integer(occ, "x", "perturbation.occlusion.", 0, kMaxImageSide, p.occlusion.x);
    r.integer(occ, "y", "perturbation.occlusion.", 0, kMaxImageSide, p.occlusion.y);
    r.integer(occ, "w", "perturbation.occlusion.", 0, kMaxImageSide, p.occlusion.w);
    r.integer(occ, "h", "perturbation.occlusion.", 0, kMaxImageSide, p.occlusion.h);
    r.number(occ, "gray", "perturbation.occlusion.", 0, 1, p.occlusion_value);
}

void read_similarity(const Reader& r, const json& root, SimilarityParams& s) {
    const json* o = r.object(&root, "similarity", "");
    r.integer(o, "patch", "similarity.", kMinPatch, kMaxPatch, s.patch);
    r.number(o, "tau", "similarity.", kMinTau, kMaxTau, s.tau);
    r.number(o, "lambda", "similarity.", 0, kMaxLambda, s.lambda);
    r.choice(o, "score", "similarity.", kScore, s.score);
    r.choice(o, "projection", "similarity.", kProjection, s.projection);
    r.unsigned32(o, "seed", "similarity.", s.seed);
}

void read_display(const Reader& r, const json& root, SessionSettings::Display& d) {
    const json* o = r.object(&root, "display", "");
    std::string cm;
    r.text(o, "colormap", "display.", cm);
    if (!cm.empty() && !parse_colormap(cm, &d.colormap)) r.bad("display.colormap", "is not a colormap kernelscope knows");
    r.number(o, "opacity", "display.", 0, 1, d.opacity);
    r.boolean(o, "smooth", "display.", d.smooth);
    r.boolean(o, "outline", "display.", d.outline);
    r.boolean(o, "footprint", "display.", d.footprint);
    r.boolean(o, "mask", "display.", d.mask);
    r.number(o, "mask_threshold", "display.", 0, 1, d.mask_threshold);
    r.boolean(o, "log", "display.", d.heat.log_scale);
    r.boolean(o, "exclude_query", "display.", d.heat.exclude_query);
    r.boolean(o, "patches_only", "display.", d.heat.patches_only);
    r.number(o, "top_quantile", "display.", 0.01, 1, d.heat.top_quantile);
    const Names<bool> centre = {{"comparison", false}, {"heads", true}};
    r.choice(o, "centre", "display.", centre, d.heads_in_centre);
    r.number(o, "zoom", "display.", 1, 16, d.zoom);
    if (const auto c = r.numbers(o, "zoom_centre", "display.", 2, 0, 1)) {
        if (c->size() != 2) r.bad("display.zoom_centre", "must be two numbers [x, y] from 0 to 1");
        d.zoom_x = (*c)[0];
        d.zoom_y = (*c)[1];
    }
    r.boolean(o, "analyses", "display.", d.analyses);
}

void read_layout(const Reader& r, const json& root, SessionSettings::Layout& l) {
    const json* o = r.object(&root, "layout", "");
    r.number(o, "sidebar", "layout.", 0, 16384, l.sidebar);
    r.number(o, "right", "layout.", 0, 1, l.right);
    r.number(o, "conv", "layout.", 0, 1, l.conv);
    r.number(o, "heads", "layout.", 0, 1, l.heads);
}

}  // namespace

std::string session_to_json(const SessionSettings& s) {
    json j;
    j["kernelscope_session"] = kSessionVersion;
    j["inputs"] = {{"image_a", s.inputs.image_a}, {"image_b", s.inputs.image_b}, {"b", name_of(kInputB, s.inputs.b)}};
    j["model"] = model_json(s.model);
    j["query"] = {{"row", s.query.row}, {"col", s.query.col}, {"pinned", s.query.pinned}};
    j["view"] = {{"layer", s.view.layer}, {"head", s.view.head}, {"reduce", name_of(kReduce, s.view.reduce)},
                 {"kind", name_of(kKind, s.view.kind)}, {"prefix", s.view.prefix}, {"row", s.view.row}, {"col", s.view.col}};
    j["filter"] = filter_json(s.filter);
    j["perturbation"] = perturbation_json(s.perturbation);
    const SimilarityParams& m = s.similarity;
    j["similarity"] = {{"patch", m.patch}, {"tau", shortest(m.tau)}, {"lambda", shortest(m.lambda)}, {"score", name_of(kScore, m.score)},
                       {"projection", name_of(kProjection, m.projection)}, {"seed", m.seed}};
    j["display"] = display_json(s.display);
    j["layout"] = {{"sidebar", shortest(s.layout.sidebar)}, {"right", shortest(s.layout.right)}, {"conv", shortest(s.layout.conv)},
                   {"heads", shortest(s.layout.heads)}};
    return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

SessionSettings session_from_json(const std::string& text, const std::string& name) {
    const json root = parse_json_bounded(text, "The session file " + name);
    const Reader r(name);
    if (!root.is_object() || !root.contains("kernelscope_session"))
        throw InputError("The session file " + name + " is not a kernelscope session (it has no \"kernelscope_session\" entry).");
    int version = 0;
    r.integer(&root, "kernelscope_session", "", 1, 1000000, version);
    if (version != kSessionVersion)
        throw InputError("The session file " + name + " is of version " + std::to_string(version) + "; this kernelscope reads version " +
                         std::to_string(kSessionVersion) + ".");
    SessionSettings s;
    read_inputs(r, root, s.inputs);
    read_model(r, root, s.model);
    read_query_and_view(r, root, s);
    read_filter(r, root, s.filter);
    read_perturbation(r, root, s.perturbation);
    read_similarity(r, root, s.similarity);
    read_display(r, root, s.display);
    read_layout(r, root, s.layout);
    return s;
}

void save_session_file(const std::string& path, const SessionSettings& s) { write_file_atomic(path, session_to_json(s)); }

SessionSettings load_session_file(const std::string& path) {
    return session_from_json(read_regular_file(path, kMaxConfigFileBytes, "session file"), path);
}

}  // namespace ks
