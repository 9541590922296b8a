// ImageNet class names beside the top logits: the list in assets (tools/make_imagenet_classes.py),
// its loader's refusals, and `kernelscope render` naming the top logits of 1000-class
// checkpoints (the fixtures have 10 classes: here their classifier is swapped for a
// 1000-class one whose logits are its bias, so the top five are known).
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "io/class_names.h"
#include "io/file_output.h"
#include "io/input_error.h"
#include "test_support.h"
#include "test_vit_util.h"

using namespace ks;
namespace fs = std::filesystem;

namespace {

using test::q;

const std::string kList = std::string(KS_ASSETS_DIR) + "/imagenet_classes.txt";

std::string write_list(const std::string& bytes) {
    const fs::path p = test::scratch_dir("names") / "names.txt";
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
}

// The classes whose logits lead, in order, and their names in the list.
const std::vector<int> kTop = {281, 0, 999, 1, 2};
const std::vector<std::string> kTopNames = {"tabby", "tench", "toilet tissue", "goldfish", "great white shark"};

// `src` with its classifier (weight [C, D] named `w`, bias `b`) replaced by a 1000-class
// one: zero weights and a bias that puts kTop first, so the logits are the bias exactly.
std::string with_1000_classes(const std::string& src, const std::string& w, const std::string& b) {
    const std::string bytes = read_file(src);
    uint64_t n = 0;
    std::memcpy(&n, bytes.data(), 8);
    const nlohmann::json h = nlohmann::json::parse(bytes.substr(8, n));
    std::vector<kst::StTensor> ts;
    for (const auto& [name, t] : h.items()) {
        if (name == "__metadata__") continue;
        kst::StTensor s{name, t["dtype"], t["shape"].get<std::vector<int64_t>>(), ""};
        const size_t from = t["data_offsets"][0], to = t["data_offsets"][1];
        s.bytes = bytes.substr(8 + n + from, to - from);
        if (name == w) {
            s.shape[0] = 1000;
            s.bytes = kst::f32_bytes(std::vector<float>(static_cast<size_t>(1000) * s.shape[1], 0.0f));
        } else if (name == b) {
            std::vector<float> bias(1000);
            for (int i = 0; i < 1000; ++i) bias[i] = -0.001f * i;
            for (size_t k = 0; k < kTop.size(); ++k) bias[kTop[k]] = 10.0f - static_cast<float>(k);
            s.shape = {1000};
            s.bytes = kst::f32_bytes(bias);
        }
        ts.push_back(std::move(s));
    }
    return kst::make_safetensors(ts);
}

void expect_named_top5(const nlohmann::json& top) {
    ASSERT_EQ(top.size(), 5u) << top;
    for (size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(top[i]["class"], kTop[i]);
        EXPECT_NEAR(top[i]["logit"].get<double>(), 10.0 - i, 1e-4);
        EXPECT_EQ(top[i]["name"], kTopNames[i]) << top[i];
    }
}

}  // namespace

TEST(ClassNames, TheImagenetListHasTorchvisionsThousandNames) {
    const ClassNames names = read_class_names(kList);
    ASSERT_EQ(names.size(), 1000u);
    EXPECT_EQ(names[0], "tench");
    EXPECT_EQ(names[281], "tabby");
    EXPECT_EQ(names[999], "toilet tissue");
}

TEST(ClassNames, MalformedListsAreRefusedInOneSentenceAndLoadEmpty) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"a\n\nb\n", "line 2 is empty"},
        {std::string("a\nb\0c\n", 6), "line 2 holds a control character"},
        {"a\n\xff\xfe\n", "line 2 is not UTF-8 text"},
        {std::string(300, 'x') + "\n", "line 1 is longer than 256 bytes"},
        {"", "is empty"},
    };
    for (const auto& [bytes, why] : bad) {
        const std::string path = write_list(bytes);
        try {
            read_class_names(path);
            ADD_FAILURE() << "accepted: " << why;
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
        }
        std::string reason;
        EXPECT_TRUE(load_class_names(path, &reason).empty()) << why;
        EXPECT_FALSE(reason.empty());
    }
    std::string reason;
    EXPECT_TRUE(load_class_names("/nonexistent/imagenet_classes.txt", &reason).empty());
    EXPECT_NE(reason.find("/nonexistent/imagenet_classes.txt"), std::string::npos) << reason;
    EXPECT_TRUE(load_class_names(test::scratch_dir("names").string()).empty());   // a folder
}

TEST(ClassNames, CrlfAndAMissingLastNewlineAreRead) {
    EXPECT_EQ(read_class_names(write_list("tench\r\ngoldfish")), (ClassNames{"tench", "goldfish"}));
    EXPECT_EQ(read_class_names(write_list("caf\xc3\xa9\n")), (ClassNames{"caf\xc3\xa9"}));   // UTF-8 is kept
}

TEST(ClassNames, TopLogitsAreNamedOnlyByAListOfTheClassifiersLength) {
    const ClassNames names = {"zero", "one", "two"};
    const std::vector<std::pair<int, float>> top = {{2, 5.0f}, {0, 1.0f}};
    EXPECT_EQ(top_logit_names(top, 3, names), (std::vector<std::string>{"two", "zero"}));
    // Another classifier's list (or a truncated one) would name the wrong classes: indices alone.
    EXPECT_EQ(top_logit_names(top, 4, names), (std::vector<std::string>{"", ""}));
    EXPECT_EQ(top_logit_names(top, 3, {}), (std::vector<std::string>{"", ""}));
}

TEST(ClassNames, RenderNamesTheTopLogitsOfA1000ClassVit) {
    const fs::path dir = test::scratch_dir("names_vit");
    const fs::path model = dir / "model.safetensors";
    std::ofstream(model, std::ios::binary) << with_1000_classes(test::kWeights, "head.weight", "head.bias");
    nlohmann::json cfg = nlohmann::json::parse(read_file(test::fixture("vit/p16_h2/timm/config.json")));
    cfg["num_classes"] = 1000;
    std::ofstream(dir / "config.json") << cfg.dump();
    const auto run = test::run_kernelscope("render --weights " + q(model) + " --out " + q(dir / "o"));
    ASSERT_EQ(run.exit_code, 0) << run.output;
    expect_named_top5(nlohmann::json::parse(read_file((dir / "o" / "summary.json").string()))["top5_logits"]);
}

TEST(ClassNames, RenderNamesTheTopLogitsOfA1000ClassResnet) {
    const fs::path dir = test::scratch_dir("names_rn");
    const fs::path model = dir / "model.safetensors";
    std::ofstream(model, std::ios::binary)
        << with_1000_classes(test::fixture("resnet/r18/tv/model.safetensors"), "fc.weight", "fc.bias");
    const auto run = test::run_kernelscope("render --weights " + q(model) + " --image-size 64 --out " + q(dir / "o"));
    ASSERT_EQ(run.exit_code, 0) << run.output;
    expect_named_top5(nlohmann::json::parse(read_file((dir / "o" / "summary.json").string()))["top_logits"]);
}

TEST(ClassNames, A10ClassCheckpointKeepsIndicesAlone) {
    const fs::path out = test::scratch_dir("names_10") / "o";
    const auto run = test::run_kernelscope("render --weights " + q(test::kWeights) + " --out " + q(out));
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const auto top = nlohmann::json::parse(read_file((out / "summary.json").string()))["top5_logits"];
    ASSERT_EQ(top.size(), 5u);
    for (const auto& t : top) EXPECT_FALSE(t.contains("name")) << t;
}

TEST(ClassNames, AMissingOrMalformedListLeavesTheRenderWorking) {
    // A data folder (KS_DATA_DIR) with the shaders and photos but a broken names list:
    // the render still succeeds and its top logits carry indices alone.
    const fs::path data = test::scratch_dir("names_data");
    const fs::path src = fs::path(KS_ASSETS_DIR).parent_path();
    fs::create_directories(data / "assets");
    fs::create_directory_symlink(src / "shaders", data / "shaders");
    fs::create_directory_symlink(src / "assets" / "images", data / "assets" / "images");
    const fs::path model = data / "model.safetensors";
    std::ofstream(model, std::ios::binary) << with_1000_classes(test::kWeights, "head.weight", "head.bias");
    fs::copy_file(test::fixture("vit/p16_h2/timm/config.json"), data / "config.json");
    for (const std::string list : {"", "tench\n\ngoldfish\n"}) {   // missing, then malformed
        if (!list.empty()) std::ofstream(data / "assets" / "imagenet_classes.txt", std::ios::binary) << list;
        const fs::path out = data / ("o" + std::to_string(list.size()));
        const auto run = test::run_command("KS_DATA_DIR=" + q(data) + " '" + KS_BINARY + "' render --weights " + q(model) +
                                           " --out " + q(out) + " 2>&1");
        ASSERT_EQ(run.exit_code, 0) << run.output;
        const auto top = nlohmann::json::parse(read_file((out / "summary.json").string()))["top5_logits"];
        ASSERT_EQ(top.size(), 5u);
        EXPECT_EQ(top[0]["class"], 281);
        for (const auto& t : top) EXPECT_FALSE(t.contains("name")) << t;
    }
}
