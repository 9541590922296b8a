// Every flag of the desktop app and of `kernelscope render`, from the binary's own table
// (--list-flags): a flag given to the command it does not belong to, or with a model it
// does not apply to, is refused with one sentence naming it and exit 2 -- never
// silently ignored.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "test_support.h"

namespace {

namespace fs = std::filesystem;

struct Flag {
    std::string name;
    bool app = false, render = false, gallery = false;
    int family = 0;   // cli_options.h FlagFamily: 0 Any, 1 Builtin, 2 Attention, 3 Checkpoint, 4 Vit, 5 Resnet
    bool value = false;
};

std::vector<Flag> listed_flags() {
    std::vector<Flag> out;
    std::istringstream in(test::run_kernelscope("--list-flags").output);
    std::string name, where, value;
    int family = 0;
    while (in >> name >> where >> family >> value)
        out.push_back({name, where.find("app") != std::string::npos, where.find("render") != std::string::npos,
                       where.find("gallery") != std::string::npos, family, value == "value"});
    return out;
}

// A valid value for every flag that takes one; a flag missing here fails the test,
// so a new flag cannot be added without its row being tried.
const std::map<std::string, std::string>& sample_values() {
    static const std::map<std::string, std::string> v = {
        {"--image", "'" + std::string(KS_ASSETS_DIR) + "/images/chelsea.png'"}, {"--image-b", "'" + std::string(KS_ASSETS_DIR) + "/images/astronaut.png'"},
        {"--b", "perturbed"}, {"--noise", "0.2"}, {"--noise-seed", "3"}, {"--brightness", "0.1"}, {"--contrast", "1.1"},
        {"--shift", "2,1"}, {"--occlude", "1,1,4,4"}, {"--window", "800x600"}, {"--frames", "5"}, {"--ui-scale", "1"},
        {"--screenshot", "/tmp/ks_flags_unused.png"}, {"--script", "/tmp/ks_flags_unused.script"},
        {"--session", "/tmp/ks_flags_unused.json"}, {"--out", "/tmp/ks_flags_unused"},
        {"--conv-mode", "luminance"}, {"--weights", "x.safetensors"}, {"--beside", "y.safetensors"}, {"--config", "c.json"},
        {"--heads", "2"}, {"--image-size", "64"}, {"--mean", "0.5,0.5,0.5"}, {"--std", "0.5,0.5,0.5"}, {"--resize", "crop"},
        {"--stage", "layer2"}, {"--query", "1,1"}, {"--layer", "0"}, {"--head", "0"}, {"--mass-threshold", "0.5"},
        {"--patch", "16"}, {"--tau", "0.1"}, {"--lambda", "0"}, {"--seed", "1"}, {"--score", "dot"},
        {"--projection", "identity"}, {"--sigma", "1"}, {"--opacity", "0.5"}, {"--filter", "sobel_y"},
        {"--kernel", "0,1,0,1,-4,1,0,1,0"}, {"--bilateral-radius", "2"}, {"--sigma-s", "2"}, {"--sigma-r", "0.1"},
        {"--dynamic-k", "3"}, {"--images", "/tmp/ks_flags_unused_images"}, {"--dynamic-f", "3"}, {"--dynamic-seed", "1"}, {"--colormap", "viridis"},
    };
    return v;
}

std::string given(const Flag& f) {
    if (!f.value) return f.name;
    const auto it = sample_values().find(f.name);
    return it == sample_values().end() ? "" : f.name + " " + it->second;
}

}  // namespace

TEST(CliFlags, EveryFlagIsListedWithAValueToTry) {
    const auto flags = listed_flags();
    ASSERT_GT(flags.size(), 40u);
    for (const Flag& f : flags) {
        EXPECT_TRUE(f.app || f.render || f.gallery) << f.name << " belongs to no command";
        if (f.value) {
            EXPECT_TRUE(sample_values().count(f.name)) << f.name << ": add a sample value to this test";
        }
    }
}

// --help parses every flag first: a flag of the other command is refused, one of this command passes.
TEST(CliFlags, EachCommandRefusesTheOtherCommandsFlags) {
    for (const Flag& f : listed_flags()) {
        if (f.value && !sample_values().count(f.name)) continue;
        const auto app = test::run_kernelscope(given(f) + " --help");
        const auto render = test::run_kernelscope("render " + given(f) + " --help");
        const auto gallery = test::run_kernelscope("gallery " + given(f) + " --help");
        EXPECT_EQ(app.exit_code, f.app ? 0 : 2) << f.name << ": " << app.output.substr(0, 300);
        EXPECT_EQ(render.exit_code, f.render ? 0 : 2) << f.name << ": " << render.output.substr(0, 300);
        EXPECT_EQ(gallery.exit_code, f.gallery ? 0 : 2) << f.name << ": " << gallery.output.substr(0, 300);
        if (!f.app) {
            EXPECT_NE(app.output.find(f.name + " belongs to kernelscope "), std::string::npos) << app.output;
            EXPECT_NE(app.output.find(", not to the desktop app."), std::string::npos) << app.output;
        }
        if (!f.render) {
            EXPECT_NE(render.output.find(f.name + " belongs to "), std::string::npos) << render.output;
            EXPECT_NE(render.output.find(", not to kernelscope render."), std::string::npos) << render.output;
        }
        if (!f.gallery) {
            EXPECT_NE(gallery.output.find(f.name + " belongs to "), std::string::npos) << gallery.output;
            EXPECT_NE(gallery.output.find(", not to kernelscope gallery."), std::string::npos) << gallery.output;
        }
    }
}

// With a model the flag does not apply to, render refuses it before any work, and so does the app
// before its window opens (no DISPLAY here: a window would fail with exit 1, not 2).
TEST(CliFlags, AFlagTheModelDoesNotUseIsRefused) {
    const std::string vit = "--weights '" + test::fixture("vit/p16_h2/timm/model.safetensors") + "'";
    const std::string resnet = "--weights '" + test::fixture("resnet/r18/tv/model.safetensors") + "'";
    // A model each family of flags does not apply to (index: cli_options.h FlagFamily).
    const std::map<int, std::string> other = {{1, vit}, {2, resnet}, {3, ""}, {4, resnet}, {5, vit}};
    const fs::path out = fs::temp_directory_path() / "ks_flags_family";
    int tried = 0;
    for (const Flag& f : listed_flags()) {
        if (f.family == 0 || f.name == "--weights") continue;
        const std::string model = other.at(f.family);
        std::string args = given(f);
        if (f.name == "--beside" || f.name == "--config") args = f.name + " /nonexistent";
        if (f.render) {
            fs::remove_all(out);
            const auto r = test::run_kernelscope("render " + model + " " + args + " --out '" + out.string() + "'");
            EXPECT_EQ(r.exit_code, 2) << f.name << ": " << r.output;
            EXPECT_NE(r.output.find(f.name + " does not apply to"), std::string::npos) << f.name << ": " << r.output;
            EXPECT_FALSE(fs::exists(out)) << f.name << ": render wrote before refusing";
        }
        if (f.gallery) {
            fs::remove_all(out);
            const auto g = test::run_kernelscope("gallery " + model + " " + args + " --images '" + std::string(KS_ASSETS_DIR) +
                                                 "/images/chelsea.png' --query 1,1 --out '" + out.string() + "'");
            EXPECT_EQ(g.exit_code, 2) << f.name << ": " << g.output;
            EXPECT_NE(g.output.find(f.name + " does not apply to"), std::string::npos) << f.name << ": " << g.output;
            EXPECT_FALSE(fs::exists(out)) << f.name << ": gallery wrote before refusing";
        }
        if (f.app) {
            const auto a = test::run_command("env -u DISPLAY -u WAYLAND_DISPLAY '" + std::string(KS_BINARY) + "' " + model + " " + args + " 2>&1");
            EXPECT_EQ(a.exit_code, 2) << f.name << ": " << a.output;
            EXPECT_NE(a.output.find(f.name + " does not apply to"), std::string::npos) << f.name << ": " << a.output;
        }
        ++tried;
    }
    EXPECT_GT(tried, 10);
}

// --stage also sets the stage of the ResNet beside a ViT.
TEST(CliFlags, StageIsAcceptedBesideAViT) {
    const auto r = test::run_command("env -u DISPLAY '" + std::string(KS_BINARY) + "' --weights '" +
                                     test::fixture("vit/p16_h2/timm/model.safetensors") + "' --beside '" +
                                     test::fixture("resnet/r18/tv/model.safetensors") + "' --stage layer2 2>&1");
    EXPECT_EQ(r.exit_code, 1) << r.output;   // past the flag checks: only the missing display stops it
    EXPECT_NE(r.output.find("no display"), std::string::npos) << r.output;
}

// --session sets the images, the model and what is shown: a flag setting any of them too is refused
// in one sentence naming it; the window's own flags go with it (past the checks: no display, exit 1).
TEST(CliFlags, SessionTakesOnlyTheWindowsFlags) {
    const std::string session = " --session /tmp/ks_flags_unused.json";
    for (const char* flag : {"--image /tmp/a.png", "--weights x.safetensors", "--noise 0.2", "--filter sobel_y", "--query 1,1"}) {
        const auto r = test::run_command("env -u DISPLAY -u WAYLAND_DISPLAY '" + std::string(KS_BINARY) + "'" + session + " " +
                                         flag + " 2>&1");
        const std::string name = std::string(flag).substr(0, std::string(flag).find(' '));
        EXPECT_EQ(r.exit_code, 2) << flag << ": " << r.output;
        EXPECT_NE(r.output.find(name + " cannot be given with --session"), std::string::npos) << r.output;
    }
    const auto ok = test::run_command("env -u DISPLAY -u WAYLAND_DISPLAY '" + std::string(KS_BINARY) + "'" + session +
                                      " --window 800x600 2>&1");
    EXPECT_EQ(ok.exit_code, 1) << ok.output;
    EXPECT_NE(ok.output.find("no display"), std::string::npos) << ok.output;
}
