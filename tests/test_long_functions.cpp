// The long-function check's scanner (tools/long_functions): which braces open a
// function, where its signature starts, and what counts as a stated reason.
#include <gtest/gtest.h>

#include <string>

#include "../tools/long_functions/function_scan.h"

namespace {

using ks::tools::find_functions;

std::string body_lines(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += "    x += " + std::to_string(i) + ";\n";
    return s;
}

}  // namespace

TEST(LongFunctions, CountsFromSignatureToClosingBrace) {
    const std::string src = "#include <x>\n"                  // 1
                            "namespace ks {\n"                // 2
                            "// Adds.\n"                      // 3
                            "static int add(int a,\n"         // 4
                            "               int b) {\n"       // 5
                            "    return a + b;\n"             // 6
                            "}\n"                             // 7
                            "}  // namespace ks\n";
    const auto f = find_functions(src);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].name, "add");
    EXPECT_EQ(f[0].first_line, 4);
    EXPECT_EQ(f[0].last_line, 7);
    EXPECT_EQ(f[0].lines(), 4);
    EXPECT_FALSE(f[0].reason_given);
}

TEST(LongFunctions, BracesInCommentsStringsAndDirectivesDoNotCount) {
    const std::string src = "void f() {\n"
                            "    const char* a = \"{ { {\";\n"
                            "    char b = '{';\n"
                            "    auto r = R\"x(}})x\";\n"
                            "    // }\n"
                            "    /* } */\n"
                            "#define X }\n"
                            "    int n = 1'000;\n"
                            "}\n"
                            "void g() {}\n";
    const auto f = find_functions(src);
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].name, "f");
    EXPECT_EQ(f[0].lines(), 9);
    EXPECT_EQ(f[1].name, "g");
}

TEST(LongFunctions, MembersOperatorsAndConstructorsAreFunctions) {
    const std::string src = "class A : public B {\n"
                            "public:\n"
                            "    A(int x) : x_{x}, y_(x) {\n"
                            "        if (x) { x_ = 1; }\n"
                            "    }\n"
                            "    bool operator==(const A& o) const { return x_ == o.x_; }\n"
                            "private:\n"
                            "    int x_{0};\n"
                            "    int y_ = 0;\n"
                            "};\n"
                            "void A::run() const noexcept {\n"
                            "    auto l = [&](int v) { return v; };\n"
                            "}\n";
    const auto f = find_functions(src);
    ASSERT_EQ(f.size(), 3u);
    EXPECT_EQ(f[0].name, "A");
    EXPECT_EQ(f[0].first_line, 3);
    EXPECT_EQ(f[0].last_line, 5);
    EXPECT_EQ(f[1].name, "operator==");
    EXPECT_EQ(f[2].name, "A::run");
    EXPECT_EQ(f[2].lines(), 3);
}

TEST(LongFunctions, DataAndLambdasAtNamespaceScopeAreNotFunctions) {
    const std::string src = "enum class E { a, b };\n"
                            "const int t[] = {1, 2};\n"
                            "static const auto m = [] { if (true) { return 1; } return 0; }();\n"
                            "struct S { int v; } s = {3};\n"
                            "extern \"C\" {\n"
                            "void c_fn(int) { }\n"
                            "}\n";
    const auto f = find_functions(src);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].name, "c_fn");
}

TEST(LongFunctions, ReasonAboveOrOnTheFirstBodyLine) {
    const std::string above = "// Long: one table, read top to bottom.\n// More.\nvoid f() {\n" + body_lines(90) + "}\n";
    const std::string inside = "void f() {\n    // Long: a state machine.\n" + body_lines(90) + "}\n";
    const std::string later = "void f() {\n" + body_lines(3) + "    // Long: too late to count.\n" + body_lines(90) + "}\n";
    const std::string apart = "// Long: this comment is not the function's.\n\nvoid f() {\n" + body_lines(90) + "}\n";
    EXPECT_TRUE(find_functions(above).at(0).reason_given);
    EXPECT_TRUE(find_functions(inside).at(0).reason_given);
    EXPECT_FALSE(find_functions(later).at(0).reason_given);
    EXPECT_FALSE(find_functions(apart).at(0).reason_given);
    EXPECT_EQ(find_functions(above).at(0).lines(), 92);
}
