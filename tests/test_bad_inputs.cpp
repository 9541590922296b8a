// Hostile input end to end: `kernelscope render` on every case of tests/data/bad/cases.tsv
// must exit 2 with exactly the expected sentence on stderr and leave the output folder
// untouched. The corpus is made by tools/make_bad_inputs.py; fuzzer findings are kept
// there too. Columns: name, arguments, expected message (after "kernelscope: ").
// In both, {bad} is tests/data/bad, {img} a good image and {out} the output folder.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "test_support.h"

namespace fs = std::filesystem;

// Named, not anonymous: the gtest fixture's type must not have internal linkage when this file
// is compiled inside a unity source (GCC's -Wsubobject-linkage).
namespace bad_inputs_test {

struct BadCase {
    std::string name, args, expected;
};

const std::string kBadDir = std::string(KS_FIXTURES_DIR) + "/../data/bad";

std::vector<BadCase> load_cases() {
    std::vector<BadCase> cases;
    std::ifstream in(kBadDir + "/cases.tsv");
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const size_t a = line.find('\t'), b = line.find('\t', a + 1);
        if (a == std::string::npos || b == std::string::npos) continue;
        cases.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
    }
    return cases;
}

std::string expand(std::string s, const std::map<std::string, std::string>& vars) {
    for (const auto& [k, v] : vars)
        for (size_t at = s.find(k); at != std::string::npos; at = s.find(k, at + v.size())) s.replace(at, k.size(), v);
    return s;
}

// The binary's stderr alone (stdout dropped), and its exit code.
ks::test::RunResult run_stderr(const std::string& args) {
    return ks::test::run_command(std::string("'") + KS_BINARY + "' " + args + " 2>&1 >/dev/null");
}

class BadInput : public ::testing::TestWithParam<BadCase> {};

}  // namespace bad_inputs_test
using namespace bad_inputs_test;

TEST(BadInputCorpus, HasEveryClassOfTheIssue) { EXPECT_GE(load_cases().size(), 30u); }

TEST_P(BadInput, ExitsTwoWithTheExactSentenceAndWritesNothing) {
    const BadCase& c = GetParam();
    const fs::path dir = ks::test::scratch_dir("bad");
    const fs::path out = dir / "out";
    // An empty output folder stays empty (a folder holding anything is refused before
    // the input is read: WriteFiles.AUsersFolderIsNeverChangedEvenWithOutputNamesInIt).
    fs::create_directories(out);
    const std::map<std::string, std::string> vars = {
        {"{bad}", kBadDir}, {"{img}", std::string(KS_FIXTURES_DIR) + "/vit/p16_h2/image.png"}, {"{out}", out.string()}};
    // stderr only: the sentence must be all of it.
    const auto r = run_stderr("render " + expand(c.args, vars) + " --out '" + out.string() + "'");
    EXPECT_EQ(r.exit_code, 2) << c.name << ": " << r.output;
    EXPECT_EQ(r.output, "kernelscope: " + expand(c.expected, vars) + "\n") << c.name;
    EXPECT_TRUE(fs::is_empty(out)) << c.name;
    std::vector<std::string> beside;
    for (const auto& e : fs::directory_iterator(dir)) beside.push_back(e.path().filename().string());
    EXPECT_EQ(beside, std::vector<std::string>{"out"}) << c.name << ": no temporary folder left beside it";
    fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadInput, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<BadCase>& i) { return i.param.name; });
