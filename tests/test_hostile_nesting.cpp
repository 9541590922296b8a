// Recursion an input controls: JSON nesting is bounded before any parser sees it, and
// the query's token names are parsed without std::regex (which recursed per digit).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "io/input_error.h"
#include "io/json_bounded.h"
#include "test_support.h"

using namespace ks;
namespace fs = std::filesystem;

namespace {

std::string nested_arrays(size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }


}  // namespace

TEST(JsonNesting, CountsArraysAndObjectsNotBracketsInStrings) {
    EXPECT_EQ(json_nesting_depth("{}"), 1);
    EXPECT_EQ(json_nesting_depth("{\"a\": [1, {\"b\": [2]}]}"), 4);
    EXPECT_EQ(json_nesting_depth("{\"a\": \"[[[[{{{{\"}"), 1);
    EXPECT_EQ(json_nesting_depth("{\"a\": \"\\\"[[[[\"}"), 1);  // an escaped quote does not end the string
    EXPECT_EQ(json_nesting_depth("[[[]]]"), 3);
    // A hostile depth is counted only to just past the limit.
    EXPECT_EQ(json_nesting_depth(nested_arrays(100000)), kMaxJsonDepth + 1);
}

TEST(JsonNesting, RefusesDeepNestingWithASentenceAndParsesTheRest) {
    try {
        parse_json_bounded("{\"a\": " + nested_arrays(100000) + "}", "The model configuration c.json");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "The model configuration c.json nests arrays or objects deeper than 64 levels.");
    }
    EXPECT_NO_THROW(parse_json_bounded("{\"a\": " + nested_arrays(63) + "}", "x"));
    EXPECT_THROW(parse_json_bounded("{\"a\": ", "x"), InputError);
    EXPECT_EQ(parse_json_bounded("{\"a\": [1, 2]}", "x")["a"][1], 2);
}

TEST(JsonNesting, ADeeplyNestedConfigOrHeaderIsExit2NotACrash) {
    const fs::path dir = test::scratch_dir("nesting");
    const fs::path fixture = fs::path(KS_FIXTURES_DIR) / "vit/p16_h2/timm/model.safetensors";
    // config.json of about 200 KB (under the 1 MiB limit) with 100,000 nested arrays in one value.
    fs::create_directories(dir / "cfg");
    fs::copy_file(fixture, dir / "cfg/model.safetensors", fs::copy_options::overwrite_existing);
    std::ofstream(dir / "cfg/config.json") << "{\"hidden_size\": " << nested_arrays(100000) << "}";
    test::RunResult r = test::run_kernelscope("render --weights '" + (dir / "cfg/model.safetensors").string() +
                                              "' --out '" + (dir / "o1").string() + "'");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("nests arrays or objects deeper than 64 levels."), std::string::npos) << r.output;
    // A safetensors header nested as deep.
    const std::string h = "{\"a\": " + nested_arrays(100000) + "}";
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i) bytes[static_cast<size_t>(i)] = static_cast<char>((h.size() >> (8 * i)) & 0xff);
    std::ofstream(dir / "deep.safetensors", std::ios::binary) << bytes << h;
    r = test::run_kernelscope("render --weights '" + (dir / "deep.safetensors").string() + "' --out '" +
                              (dir / "o2").string() + "'");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("has a safetensors header that nests arrays or objects deeper than 64 levels."),
              std::string::npos)
        << r.output;
    EXPECT_FALSE(fs::exists(dir / "o1"));
    EXPECT_FALSE(fs::exists(dir / "o2"));
}

TEST(QueryNames, ALongRegisterNameIsOneSentenceNotAStackOverflow) {
    // Linux passes at most 128 KiB in one argument: 120,000 digits is the longest a
    // command line can carry (the 40,000 that overflowed std::regex's stack, three times over).
    const std::string q = "reg" + std::string(120000, '9');
    for (const std::string& cmd : {std::string("render --query ") + q + " --out /nonexistent/o",
                                   std::string("--query ") + q + " --screenshot /nonexistent/s.png"}) {
        const test::RunResult r = test::run_kernelscope(cmd);
        EXPECT_EQ(r.exit_code, 2) << r.output.substr(0, 300);
        EXPECT_LT(r.output.size(), 400u) << "one short sentence, not the value echoed";
        EXPECT_NE(r.output.find("(120003 characters)"), std::string::npos) << r.output.substr(0, 300);
    }
    // Real register names still work as names (refused here only because the built-in model has none).
    const test::RunResult r = test::run_kernelscope("render --query reg3 --out /nonexistent/o");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.output.find("must be ROW,COL"), std::string::npos) << r.output;
}
