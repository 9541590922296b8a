// The session file (core/session/session_file.h): every field round-trips, and a bad
// file (truncated, wrong types, NaN, huge numbers, out of range) is one sentence.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "io/input_error.h"
#include "session/session_file.h"
#include "test_support.h"

namespace {

using ks::SessionSettings;

// Every field away from its default, so a field the file forgets reads back different.
SessionSettings every_field_changed() {
    SessionSettings s;
    s.inputs = {"/photos/a b.png", "/photos/second.jpg", ks::SessionInputB::Second};
    s.model.checkpoint = "/models/vit/model.safetensors";
    s.model.config = "/models/vit/other_config.json";
    s.model.second_checkpoint = "/models/r50/model.safetensors";
    s.model.overrides.heads = 6;
    s.model.overrides.image_size = 384;
    s.model.overrides.mean = std::array<float, 3>{0.5f, 0.25f, 0.125f};
    s.model.overrides.std = std::array<float, 3>{0.2f, 0.3f, 0.1f};
    s.model.resize = ks::VitResize::Whole;
    s.model.stage = 2;
    s.query = {7, 11, true};
    s.view.layer = -1;
    s.view.head = 3;
    s.view.reduce = ks::HeadReduce::Max;
    s.view.kind = ks::QueryKind::Rollout;
    s.view.prefix = 2;
    s.view.row = 5;
    s.view.col = 6;
    s.filter.name = "user";
    s.filter.gaussian_sigma = 2.5f;
    s.filter.user_weights = {0.1f, -0.2f, 0.3f, 0.4f, 1.0f / 3.0f, -0.6f, 0.7f, 0.8f, -0.9f};
    s.filter.bilateral = {5, 3.5f, 0.07f};
    s.filter.dynamic = {7, 5, 12345u};
    s.perturbation.brightness = -0.15f;
    s.perturbation.contrast = 1.7f;
    s.perturbation.noise_sigma = 0.33f;
    s.perturbation.noise_seed = 4000000000u;
    s.perturbation.occlusion = {10, 20, 30, 40};
    s.perturbation.occlusion_value = 0.9f;
    s.perturbation.dx = -12;
    s.perturbation.dy = 34;
    s.perturbation.fill = ks::TranslateFill::Edge;
    s.similarity.patch = 8;
    s.similarity.tau = 0.05f;
    s.similarity.lambda = 1.5f;
    s.similarity.score = ks::Score::Dot;
    s.similarity.projection = ks::Projection::Random;
    s.similarity.seed = 99;
    SessionSettings::Display& d = s.display;
    d.colormap = ks::Colormap::Turbo;
    d.opacity = 0.45f;
    d.smooth = true;
    d.outline = false;
    d.footprint = false;
    d.mask = true;
    d.mask_threshold = 0.8f;
    d.heat.patches_only = true;
    d.heat.exclude_query = false;
    d.heat.log_scale = false;
    d.heat.top_quantile = 0.95f;
    d.heads_in_centre = true;
    d.zoom = 3.25f;
    d.zoom_x = 0.3f;
    d.zoom_y = 0.7f;
    d.analyses = true;
    s.layout = {310.5f, 0.3f, 0.6f, 0.4f};
    return s;
}

void expect_same(const SessionSettings& a, const SessionSettings& b) {
    EXPECT_EQ(a.inputs.image_a, b.inputs.image_a);
    EXPECT_EQ(a.inputs.image_b, b.inputs.image_b);
    EXPECT_EQ(a.inputs.b, b.inputs.b);
    EXPECT_EQ(a.model.checkpoint, b.model.checkpoint);
    EXPECT_EQ(a.model.config, b.model.config);
    EXPECT_EQ(a.model.second_checkpoint, b.model.second_checkpoint);
    EXPECT_EQ(a.model.overrides.heads, b.model.overrides.heads);
    EXPECT_EQ(a.model.overrides.image_size, b.model.overrides.image_size);
    EXPECT_EQ(a.model.overrides.mean, b.model.overrides.mean);
    EXPECT_EQ(a.model.overrides.std, b.model.overrides.std);
    EXPECT_EQ(a.model.resize, b.model.resize);
    EXPECT_EQ(a.model.stage, b.model.stage);
    EXPECT_EQ(a.query.row, b.query.row);
    EXPECT_EQ(a.query.col, b.query.col);
    EXPECT_EQ(a.query.pinned, b.query.pinned);
    EXPECT_EQ(a.view.layer, b.view.layer);
    EXPECT_EQ(a.view.head, b.view.head);
    EXPECT_EQ(a.view.reduce, b.view.reduce);
    EXPECT_EQ(a.view.kind, b.view.kind);
    EXPECT_EQ(a.view.prefix, b.view.prefix);
    EXPECT_EQ(a.view.row, b.view.row);
    EXPECT_EQ(a.view.col, b.view.col);
    EXPECT_EQ(a.filter.name, b.filter.name);
    EXPECT_EQ(a.filter.gaussian_sigma, b.filter.gaussian_sigma);
    EXPECT_EQ(a.filter.user_weights, b.filter.user_weights);
    EXPECT_EQ(a.filter.bilateral.radius, b.filter.bilateral.radius);
    EXPECT_EQ(a.filter.bilateral.sigma_s, b.filter.bilateral.sigma_s);
    EXPECT_EQ(a.filter.bilateral.sigma_r, b.filter.bilateral.sigma_r);
    EXPECT_EQ(a.filter.dynamic.k, b.filter.dynamic.k);
    EXPECT_EQ(a.filter.dynamic.f_size, b.filter.dynamic.f_size);
    EXPECT_EQ(a.filter.dynamic.seed, b.filter.dynamic.seed);
    const ks::Perturbation &p = a.perturbation, &q = b.perturbation;
    EXPECT_EQ(p.brightness, q.brightness);
    EXPECT_EQ(p.contrast, q.contrast);
    EXPECT_EQ(p.noise_sigma, q.noise_sigma);
    EXPECT_EQ(p.noise_seed, q.noise_seed);
    EXPECT_EQ(p.occlusion.x, q.occlusion.x);
    EXPECT_EQ(p.occlusion.y, q.occlusion.y);
    EXPECT_EQ(p.occlusion.w, q.occlusion.w);
    EXPECT_EQ(p.occlusion.h, q.occlusion.h);
    EXPECT_EQ(p.occlusion_value, q.occlusion_value);
    EXPECT_EQ(p.dx, q.dx);
    EXPECT_EQ(p.dy, q.dy);
    EXPECT_EQ(p.fill, q.fill);
    EXPECT_EQ(a.similarity.patch, b.similarity.patch);
    EXPECT_EQ(a.similarity.tau, b.similarity.tau);
    EXPECT_EQ(a.similarity.lambda, b.similarity.lambda);
    EXPECT_EQ(a.similarity.score, b.similarity.score);
    EXPECT_EQ(a.similarity.projection, b.similarity.projection);
    EXPECT_EQ(a.similarity.seed, b.similarity.seed);
    const SessionSettings::Display &d = a.display, &e = b.display;
    EXPECT_EQ(d.colormap, e.colormap);
    EXPECT_EQ(d.opacity, e.opacity);
    EXPECT_EQ(d.smooth, e.smooth);
    EXPECT_EQ(d.outline, e.outline);
    EXPECT_EQ(d.footprint, e.footprint);
    EXPECT_EQ(d.mask, e.mask);
    EXPECT_EQ(d.mask_threshold, e.mask_threshold);
    EXPECT_EQ(d.heat.patches_only, e.heat.patches_only);
    EXPECT_EQ(d.heat.exclude_query, e.heat.exclude_query);
    EXPECT_EQ(d.heat.log_scale, e.heat.log_scale);
    EXPECT_EQ(d.heat.top_quantile, e.heat.top_quantile);
    EXPECT_EQ(d.heads_in_centre, e.heads_in_centre);
    EXPECT_EQ(d.zoom, e.zoom);
    EXPECT_EQ(d.zoom_x, e.zoom_x);
    EXPECT_EQ(d.zoom_y, e.zoom_y);
    EXPECT_EQ(d.analyses, e.analyses);
    EXPECT_EQ(a.layout.sidebar, b.layout.sidebar);
    EXPECT_EQ(a.layout.right, b.layout.right);
    EXPECT_EQ(a.layout.conv, b.layout.conv);
    EXPECT_EQ(a.layout.heads, b.layout.heads);
}

// The message for `text` read as a session (empty when it reads).
std::string refusal(const std::string& text) {
    try {
        ks::session_from_json(text, "s.json");
        return "";
    } catch (const ks::InputError& e) {
        return e.what();
    }
}

// A good file with one entry replaced: `path` is "a/b/c", `value` JSON text.
std::string with(const std::string& path, const std::string& value) {
    nlohmann::json j = nlohmann::json::parse(ks::session_to_json(every_field_changed()));
    nlohmann::json* at = &j;
    size_t from = 0;
    for (;;) {
        const size_t slash = path.find('/', from);
        const std::string key = path.substr(from, slash == std::string::npos ? std::string::npos : slash - from);
        at = &(*at)[key];
        if (slash == std::string::npos) break;
        from = slash + 1;
    }
    // Spliced in as text: a value such as 1e400 is the file's, not nlohmann's to refuse here.
    *at = "@value@";
    std::string text = j.dump();
    return text.replace(text.find("\"@value@\""), 9, value);
}

// One sentence: ends with a period, no line break, names the file.
void expect_one_sentence(const std::string& m, const std::string& about) {
    ASSERT_FALSE(m.empty()) << about << " was read";
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    EXPECT_EQ(m.back(), '.') << m;
    EXPECT_NE(m.find("s.json"), std::string::npos) << m;
}

}  // namespace

TEST(SessionFile, EveryFieldRoundTrips) {
    const SessionSettings s = every_field_changed();
    expect_same(ks::session_from_json(ks::session_to_json(s), "s.json"), s);
    // And the defaults, which the app starts with.
    SessionSettings d;
    d.inputs.image_a = "/a.png";
    expect_same(ks::session_from_json(ks::session_to_json(d), "s.json"), d);
}

TEST(SessionFile, WrittenAtomicallyAndReadBack) {
    const auto dir = ks::test::scratch_dir("session");
    const std::string path = (dir / "s.json").string();
    ks::save_session_file(path, every_field_changed());
    expect_same(ks::load_session_file(path), every_field_changed());
    // Nothing beside it: the temporary file was renamed into place.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 1);
    // The floats read as a person would write them.
    const std::string text = ks::session_to_json(every_field_changed());
    EXPECT_NE(text.find("\"noise\": 0.33"), std::string::npos) << text;
    EXPECT_EQ(text.find("0.3300000"), std::string::npos) << text;
}

TEST(SessionFile, AbsentEntriesKeepTheirDefaults) {
    const SessionSettings s = ks::session_from_json(R"({"kernelscope_session": 1, "inputs": {"image_a": "/x.png"}})", "s.json");
    SessionSettings d;
    d.inputs.image_a = "/x.png";
    expect_same(s, d);
}

TEST(SessionFile, TruncatedOrNotASession) {
    const std::string good = ks::session_to_json(every_field_changed());
    for (size_t cut : {size_t(0), size_t(1), good.size() / 3, good.size() / 2, good.size() - 3})
        expect_one_sentence(refusal(good.substr(0, cut)), "a file cut at " + std::to_string(cut));
    expect_one_sentence(refusal("[1, 2, 3]"), "an array");
    expect_one_sentence(refusal(R"({"model_type": "vit"})"), "another JSON file");
    expect_one_sentence(refusal(R"({"kernelscope_session": 2, "inputs": {"image_a": "/x.png"}})"), "a newer version");
    expect_one_sentence(refusal(std::string(100, '[') + std::string(100, ']')), "deep nesting");
    expect_one_sentence(refusal(R"({"kernelscope_session": 1})"), "no image A");
}

TEST(SessionFile, WrongTypes) {
    for (const auto& [path, value] : std::vector<std::pair<std::string, std::string>>{
             {"inputs", "\"x\""},
             {"inputs/image_a", "7"},
             {"inputs/b", "\"sideways\""},
             {"model/stage", "\"3\""},
             {"model/mean", "[1, 2]"},
             {"model/std", "\"ones\""},
             {"query/row", "2.5"},
             {"query/pinned", "1"},
             {"view/reduce", "\"median\""},
             {"filter/name", "\"sobel_q\""},
             {"filter/kernel", "[1, 2, 3, 4]"},
             {"filter/bilateral", "[]"},
             {"perturbation/shift", "[1.5, 2]"},
             {"perturbation/fill", "null"},
             {"similarity/score", "\"l2\""},
             {"display/colormap", "\"rainbow\""},
             {"display/zoom_centre", "[0.5]"},
             {"layout/right", "true"},
         })
        expect_one_sentence(refusal(with(path, value)), path + " = " + value);
    // The sentence names the entry.
    EXPECT_NE(refusal(with("filter/bilateral/radius", "\"3\"")).find("filter.bilateral.radius"), std::string::npos);
}

TEST(SessionFile, NonFiniteAndHugeNumbers) {
    // JSON has no NaN: written as nlohmann or Python would, the file does not parse.
    expect_one_sentence(refusal(with("perturbation", "{}").replace(1, 0, "\"x\": NaN, ")), "NaN");
    for (const auto& [path, value] : std::vector<std::pair<std::string, std::string>>{
             {"perturbation/noise", "1e400"},            // read as infinity
             {"perturbation/noise", "-1e400"},
             {"perturbation/contrast", "1e30"},
             {"query/row", "99999999999999999999999"},   // past 64 bits: read as a double
             {"query/col", "18446744073709551615"},
             {"view/head", "-9223372036854775808"},
             {"model/stage", "4294967299"},              // wraps to 3 as a 32-bit int
             {"model/heads", "100000"},
             {"perturbation/noise_seed", "4294967296"},
             {"perturbation/shift", "[1e12, 0]"},
             {"perturbation/occlusion/w", "-5"},
             {"similarity/patch", "2"},
             {"similarity/tau", "0"},
             {"display/zoom", "0.5"},
             {"filter/kernel", "[1e300, 0, 0, 0, 0, 0, 0, 0, 0]"},
             {"filter/bilateral/radius", "1000"},
             {"filter/dynamic/k", "4"},
         })
        expect_one_sentence(refusal(with(path, value)), path + " = " + value);
}

TEST(SessionFile, ReadByItsSize) {
    const auto dir = ks::test::scratch_dir("session_big");
    const std::string big = (dir / "big.json").string();
    {
        std::ofstream out(big);
        out << "{\"kernelscope_session\": 1, \"pad\": \"" << std::string(2u << 20, 'x') << "\"}";
    }
    const auto read = [](const std::string& p) {
        try {
            ks::load_session_file(p);
            return std::string();
        } catch (const ks::InputError& e) {
            return std::string(e.what());
        }
    };
    EXPECT_NE(read(big), "");
    EXPECT_NE(read(dir.string()), "");                          // a folder
    EXPECT_NE(read((dir / "missing.json").string()), "");
}
