// The app's window title (app/window_title.h) and --version (cmake project VERSION).
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>

#include "../app/window_title.h"
#include "test_support.h"

TEST(WindowTitle, NamesImageAndModel) {
    EXPECT_EQ(ks::window_title("/usr/share/kernelscope/assets/images/coffee.png", ""),
              "kernelscope \u2014 coffee.png \u2014 built-in similarity");
    // Every Hugging Face / timm checkpoint is "model.safetensors": its folder names it.
    EXPECT_EQ(ks::window_title("cat.jpg", "/models/dino/model.safetensors"),
              "kernelscope \u2014 cat.jpg \u2014 dino/model.safetensors");
    EXPECT_EQ(ks::window_title("cat.jpg", "/models/deit_s.safetensors"), "kernelscope \u2014 cat.jpg \u2014 deit_s.safetensors");
    EXPECT_EQ(ks::window_title("", ""), "kernelscope \u2014 built-in similarity");
}

// A build-tree binary: the version, then the source tree as its data folder (the
// installed binary's data folder is checked by tests/install_test.sh).
TEST(Version, PrintsVersionAndDataFolder) {
    const ks::test::RunResult r = ks::test::run_kernelscope("--version");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::string first = r.output.substr(0, r.output.find('\n'));
    EXPECT_TRUE(first.rfind("kernelscope ", 0) == 0 && first.size() > 12 && std::isdigit(static_cast<unsigned char>(first[12])))
        << first;
    const std::string source = std::filesystem::path(KS_ASSETS_DIR).parent_path().lexically_normal().string();
    EXPECT_NE(r.output.find("\ndata: " + source + "\n"), std::string::npos) << r.output;
}
