// The app's settings files read back at start (app/gui/settings_check): a hostile or
// damaged imgui.ini or recent.txt is left out piece by piece, its defaults stand, and
// what was left out is named; nothing reaches Dear ImGui that crashes it.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>

#include "settings_check.h"
#include "test_support.h"

using namespace ks::gui;
namespace fs = std::filesystem;

TEST(SettingsIni, GoodValuesAreReadAndImGuisSectionsPassed) {
    const CheckedIni c = check_imgui_ini(
        "[Window][Analyses]\nPos=60,60\nSize=400,300\nCollapsed=0\n\n"
        "[Table][0x12345678,3]\nColumn 0 Width=40\n\n"
        "[KernelScope][State]\nWindow=1600,1000\nSidebar=0.0\nRightFrac=0.2500\nConvFrac=0.5\nHeadsFrac=0.6\n"
        "ScreenshotDir=/tmp/shots\nSmooth=1\n\n");
    EXPECT_TRUE(c.problems.empty());
    EXPECT_EQ(c.layout.window_w, 1600);
    EXPECT_EQ(c.layout.window_h, 1000);
    EXPECT_FLOAT_EQ(*c.layout.right_frac, 0.25f);
    EXPECT_FLOAT_EQ(*c.layout.heads_frac, 0.6f);
    EXPECT_EQ(*c.layout.screenshot_dir, "/tmp/shots");
    EXPECT_TRUE(*c.layout.smooth);
    EXPECT_EQ(c.imgui_text, "[Window][Analyses]\nPos=60,60\nSize=400,300\nCollapsed=0\n\n[Table][0x12345678,3]\nColumn 0 Width=40\n\n");
}

TEST(SettingsIni, NonFiniteAndOutOfRangeLayoutValuesKeepTheirDefaults) {
    const CheckedIni c = check_imgui_ini(
        "[KernelScope][State]\nWindow=100000,5\nSidebar=nan\nRightFrac=nan\nConvFrac=inf\nHeadsFrac=-0.5\n"
        "ScreenshotDir=relative/dir\nSmooth=7\nRightFrac=0.3x\n");
    EXPECT_FALSE(c.layout.window_w || c.layout.sidebar_w || c.layout.right_frac || c.layout.conv_frac || c.layout.heads_frac ||
                 c.layout.screenshot_dir || c.layout.smooth);
    ASSERT_EQ(c.problems.size(), 8u);
    EXPECT_EQ(c.problems[0], "line 2 (Window=100000,5)");
    EXPECT_EQ(c.problems[2], "line 4 (RightFrac=nan)");
    EXPECT_TRUE(c.imgui_text.empty());
}

TEST(SettingsIni, SectionsThatCrashImGuiNeverReachIt) {
    // ImGui 1.86 sizes a table's settings from the count: -5 crashed every start.
    const CheckedIni c = check_imgui_ini("[Table][0x12345678,-5]\nColumn 0 Width=4\n\n[Table][0x1,100000]\n\n"
                                         "[Window][X]\nPos=99999,-99999\nSize=0,-3\nSize=300,200\n" +
                                         std::string("[Window][") + std::string(5000, 'y') + "]\n");
    EXPECT_EQ(c.imgui_text, "[Window][X]\nSize=300,200\n");
    ASSERT_EQ(c.problems.size(), 5u);
    EXPECT_EQ(c.problems[0], "line 1 ([Table][0x12345678,-5])");
    EXPECT_EQ(c.problems[4], "line 10 (too long or binary)");
}

TEST(SettingsRecent, OnlyAbsolutePathsOfRegularFilesOrMissingOnes) {
    const fs::path dir = ks::test::scratch_dir("recent_check");
    const fs::path photo = dir / "photo.png", fifo = dir / "fifo.png";
    std::ofstream(photo) << "x";
    ::mkfifo(fifo.c_str(), 0600);
    const std::string text = photo.string() + "\n" + photo.string() + "\nrelative.png\n" + fifo.string() + "\n" + dir.string() +
                             "\n/tmp/gone\x01.png\n" + "/" + std::string(5000, 'a') + "\n/nowhere/missing.png\n";
    const CheckedRecent r = check_recent_list(text, 12);
    EXPECT_EQ(r.items, (std::vector<std::string>{photo.string(), "/nowhere/missing.png"}));
    EXPECT_EQ(r.problems.size(), 5u);
    EXPECT_EQ(check_recent_list(text, 1).items.size(), 1u);
}

TEST(SettingsFile, OversizeAndNonRegularFilesAreNotRead) {
    const fs::path dir = ks::test::scratch_dir("settings_file");
    std::string problem;
    EXPECT_FALSE(read_settings_file((dir / "none.ini").string(), kMaxIniBytes, &problem));
    EXPECT_TRUE(problem.empty()) << "a missing file is the first start, not a problem";
    std::ofstream(dir / "big.ini") << std::string(kMaxIniBytes + 1, 'x');
    EXPECT_FALSE(read_settings_file((dir / "big.ini").string(), kMaxIniBytes, &problem));
    EXPECT_EQ(problem, "it is 1048577 bytes, more than the 1048576 a settings file may have");
    ::mkfifo((dir / "fifo.ini").c_str(), 0600);
    problem.clear();
    EXPECT_FALSE(read_settings_file((dir / "fifo.ini").string(), kMaxIniBytes, &problem));
    EXPECT_EQ(problem, "it is not a regular file");
    std::ofstream(dir / "ok.ini") << "[Window][A]\n";
    EXPECT_EQ(read_settings_file((dir / "ok.ini").string(), kMaxIniBytes, &problem), "[Window][A]\n");
    EXPECT_EQ(settings_message("/c/imgui.ini", {"line 2 (RightFrac=nan)"}, true),
              "The settings file /c/imgui.ini was not used as it was (line 2 (RightFrac=nan)); the defaults stand for that, "
              "and the file was kept as /c/imgui.ini.bad.");
    EXPECT_EQ(settings_status("/c/recent.txt", 2, true), "recent.txt was not usable as saved (2 entries); the defaults stand, and it was kept as recent.txt.bad.");
}
