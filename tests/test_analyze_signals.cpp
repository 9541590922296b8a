// Stopping and odd folders on a cluster: SIGINT, SIGTERM (Slurm's time limit, `timeout`,
// systemd) and SIGHUP (a closed terminal) stop `analyze` the same way, writing what is
// done; they end `render` without ever leaving a half-written folder; an unreadable
// subfolder of --images is listed in skipped.csv.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "io/file_output.h"
#include "test_support.h"

using namespace ks;
namespace fs = std::filesystem;

namespace {

size_t line_count(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

// Starts kernelscope with `args` (stdout and stderr to `log`), sends `sig` after
// `delay_ms`, and returns the wait status.
int run_and_signal(const std::vector<std::string>& args, int sig, int delay_ms, const fs::path& log) {
    const pid_t pid = fork();
    if (pid == 0) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        std::vector<char*> argv = {const_cast<char*>(KS_BINARY)};
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(KS_BINARY, argv.data());
        _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

// Enough images that the run is still going when the signal comes.
const fs::path& many_images() {
    static const fs::path dir = [] {
        const fs::path d = test::scratch_dir("analyze_signal_images");
        const std::string bytes = png_bytes(to_rgb8(test::random_image(1200, 900, 3)), 1200, 900);
        for (int i = 0; i < 300; ++i) write_file_atomic((d / ("img" + std::to_string(1000 + i) + ".png")).string(), bytes);
        return d;
    }();
    return dir;
}

// Nothing but `name` in the folder `dir`: no temporary folder left beside an output.
void expect_only(const fs::path& dir, const std::string& name) {
    for (const auto& e : fs::directory_iterator(dir)) EXPECT_EQ(e.path().filename().string(), name) << "left behind";
}

}  // namespace

class AnalyzeStops : public ::testing::TestWithParam<int> {};

TEST_P(AnalyzeStops, WritesWhatIsDoneMarkedInterrupted) {
    const int sig = GetParam();
    const fs::path parent = test::scratch_dir("analyze_signal_out"), out = parent / "run";
    const int status = run_and_signal({"analyze", "--weights", test::kWeights, "--images", many_images().string(), "--out", out.string()},
                                      sig, 1500, test::scratch_dir("analyze_signal_log") / "log");
    ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
    if (WEXITSTATUS(status) == 0) GTEST_SKIP() << "the run finished before the signal";
    ASSERT_EQ(WEXITSTATUS(status), 128 + sig);
    const nlohmann::json info = nlohmann::json::parse(test::file_text(out / "analysis.json"));
    EXPECT_EQ(info["interrupted"], true);
    EXPECT_EQ(info["stopped_by"], sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP");
    const int done = info["images_analysed"];
    EXPECT_LT(done, 300);
    EXPECT_EQ(line_count(test::file_text(out / "per_image.csv")), 1u + 4 * done);
    expect_only(parent, "run");
}

INSTANTIATE_TEST_SUITE_P(Signals, AnalyzeStops, ::testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const ::testing::TestParamInfo<int>& i) {
                             return std::string(i.param == SIGINT ? "SIGINT" : i.param == SIGTERM ? "SIGTERM" : "SIGHUP");
                         });

TEST(AnalyzeStops, PassTwoWritesTheImagesMeasuredSoFar) {
    // Small images, so pass 1 over all of them is quick and pass 2 is still going at the signal.
    const fs::path dir = test::scratch_dir("analyze_signal_small"), parent = test::scratch_dir("analyze_signal_p2");
    const std::string bytes = png_bytes(to_rgb8(test::random_image(96, 80, 4)), 96, 80);
    for (int i = 0; i < 600; ++i) write_file_atomic((dir / ("s" + std::to_string(1000 + i) + ".png")).string(), bytes);
    const auto p1 = test::run_kernelscope("analyze --weights " + test::q(test::kWeights) + " --images " + test::q(dir) +
                                          " --pass 1 --out " + test::q(parent / "p1"));
    ASSERT_EQ(p1.exit_code, 0) << p1.output;
    const fs::path out = parent / "p2";
    const int status = run_and_signal({"analyze", "--weights", test::kWeights, "--images", dir.string(), "--pass", "2", "--mean-from",
                                       (parent / "p1").string(), "--out", out.string()},
                                      SIGINT, 400, test::scratch_dir("analyze_signal_p2_log") / "log");
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 0) GTEST_SKIP() << "pass 2 finished before the signal";
    ASSERT_EQ(WEXITSTATUS(status), 128 + SIGINT);
    const nlohmann::json info = nlohmann::json::parse(test::file_text(out / "analysis.json"));
    EXPECT_EQ(info["interrupted"], true);
    EXPECT_EQ(info["interrupted_in_pass"], 2);
    const long long measured = info["images_measured"];
    EXPECT_LT(measured, 600);
    // The CSV counts the images measured, not the folder's.
    const std::string csv = test::file_text(out / "data_specificity.csv");
    const std::string second = csv.substr(csv.find('\n') + 1, csv.find('\n', csv.find('\n') + 1) - csv.find('\n') - 1);
    EXPECT_NE(second.find("," + std::to_string(measured) + ",16"), std::string::npos) << second;
}

TEST(RenderStops, ASignalNeverLeavesAHalfWrittenFolder) {
    // A 12 MP photo: its PNGs take long enough to write that some signals land mid-write.
    const fs::path dir = test::scratch_dir("render_signal");
    write_file_atomic((dir / "big.png").string(), png_bytes(to_rgb8(test::random_image(4000, 3000, 5)), 4000, 3000));
    int handled = 0;
    for (int delay : {300, 900, 1500, 2100, 2700}) {
        const fs::path parent = test::scratch_dir("render_signal_out"), out = parent / "run";
        const fs::path log = dir / ("log" + std::to_string(delay));
        const int status = run_and_signal({"render", "--image", (dir / "big.png").string(), "--out", out.string()}, SIGTERM, delay, log);
        if (WIFSIGNALED(status)) {
            // A signal before the handlers are in place (start-up and the OpenMP re-exec take
            // over 300 ms under ASan on a busy machine) ends the process as it would any
            // program: then nothing may have been written yet.
            ASSERT_EQ(WTERMSIG(status), SIGTERM) << delay;
            EXPECT_TRUE(fs::is_empty(parent)) << "killed by SIGTERM at " << delay << " ms with files written";
            continue;
        }
        ASSERT_TRUE(WIFEXITED(status));
        const int code = WEXITSTATUS(status);
        handled += code == 128 + SIGTERM;
        ASSERT_TRUE(code == 0 || code == 128 + SIGTERM) << code << ": " << test::file_text(log);
        if (code != 0) {
            EXPECT_NE(test::file_text(log).find("kernelscope: stopped by SIGTERM; "), std::string::npos) << test::file_text(log);
        }
        // Whole or absent: the folder appears complete, in one rename, or not at all.
        if (fs::exists(out)) {
            EXPECT_TRUE(fs::exists(out / "summary.json")) << delay;
            expect_only(parent, "run");
        } else {
            EXPECT_TRUE(fs::is_empty(parent)) << delay;
        }
    }
    // The handlers must have been tried: some signal landed mid-run and was handled.
    EXPECT_GE(handled, 1) << "no run stopped through kernelscope's SIGTERM handler";
}

TEST(AnalyzeFolders, AnUnreadableSubfolderIsListedInSkipped) {
    const fs::path dir = test::scratch_dir("analyze_locked"), out = test::scratch_dir("analyze_locked_out");
    fs::create_directories(dir / "open");
    fs::create_directories(dir / "locked");
    const std::string bytes = png_bytes(to_rgb8(test::random_image(64, 64, 1)), 64, 64);
    write_file_atomic((dir / "open" / "a.png").string(), bytes);
    write_file_atomic((dir / "locked" / "b.png").string(), bytes);
    ::chmod((dir / "locked").c_str(), 0);
    // Root reads any folder, so as root the run is made as nobody, whose output folder
    // must then be writable.
    std::string as = "";
    if (::geteuid() == 0) {
        as = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
        ::chmod(out.c_str(), 0777);
        if (test::run_command(as + "true").exit_code != 0) GTEST_SKIP() << "cannot run as nobody";
        if (test::run_command(as + "test -r " + test::q(test::kWeights)).exit_code != 0) GTEST_SKIP() << "nobody cannot read the fixture";
    }
    const auto r = test::run_command(as + "'" + KS_BINARY + "' analyze --weights " + test::q(test::kWeights) + " --images " +
                                     test::q(dir) + " --out " + test::q(out / "run") + " 2>&1");
    ::chmod((dir / "locked").c_str(), 0755);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("skipped folder locked/: the folder could not be read (Permission denied)"), std::string::npos) << r.output;
    EXPECT_EQ(test::file_text(out / "run" / "skipped.csv"),
              "image,reason\nlocked/,\"the folder could not be read (Permission denied), so its images were not analysed\"\n");
    const nlohmann::json info = nlohmann::json::parse(test::file_text(out / "run" / "analysis.json"));
    EXPECT_EQ(info["images_analysed"], 1);
    EXPECT_EQ(info["folders_unreadable"], 1);
}
