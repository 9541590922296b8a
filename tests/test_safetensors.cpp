// The safetensors reader: conversions and every header validation rule.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "image/image.h"
#include "io/safetensors.h"
#include "test_vit_util.h"

using namespace ks;
using kst::StTensor;

namespace {

// Expects InputError whose message contains every one of `needles`.
template <class F>
void expect_error(F f, std::initializer_list<std::string> needles) {
    try {
        f();
        ADD_FAILURE() << "no InputError thrown";
    } catch (const InputError& e) {
        const std::string msg = e.what();
        for (const auto& n : needles) EXPECT_NE(msg.find(n), std::string::npos) << "'" << n << "' not in: " << msg;
    }
}

std::vector<StTensor> two_tensors() {
    return {{"a.weight", "F32", {2, 3}, kst::f32_bytes({1, 2, 3, 4, 5, 6})},
            {"b.bias", "F32", {2}, kst::f32_bytes({-1.5f, 0.25f})}};
}

}  // namespace

TEST(Safetensors, ReadsF32AndMetadata) {
    const std::string bytes = kst::make_safetensors(two_tensors(), [](nlohmann::json& h, std::string&) {
        h["__metadata__"] = {{"format", "pt"}};
    });
    const auto f = SafetensorsFile::parse(bytes, "m.safetensors");
    EXPECT_EQ(f.keys().size(), 2u);
    EXPECT_EQ(f.metadata().at("format"), "pt");
    EXPECT_EQ(f.info("a.weight").shape, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(f.to_float("a.weight"), (std::vector<float>{1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(f.to_float("b.bias"), (std::vector<float>{-1.5f, 0.25f}));
}

TEST(Safetensors, HalfAndBfloatConversions) {
    // IEEE binary16: 1.0 = 0x3C00, -2.0 = 0xC000, 65504 = 0x7BFF, smallest subnormal 2^-24 = 0x0001.
    EXPECT_EQ(half_to_float(0x3C00), 1.0f);
    EXPECT_EQ(half_to_float(0xC000), -2.0f);
    EXPECT_EQ(half_to_float(0x7BFF), 65504.0f);
    EXPECT_EQ(half_to_float(0x0001), std::ldexp(1.0f, -24));
    EXPECT_EQ(half_to_float(0x03FF), std::ldexp(1023.0f, -24));
    EXPECT_TRUE(std::isinf(half_to_float(0x7C00)));
    EXPECT_EQ(bf16_to_float(0x3F80), 1.0f);
    EXPECT_EQ(bf16_to_float(0xC0A0), -5.0f);
    // Through the file: F16 [1.0, 0.5] and BF16 [-5.0].
    const std::string f16 = std::string("\x00\x3c\x00\x38", 4);
    const std::string bf16 = std::string("\xa0\xc0", 2);
    const auto f = SafetensorsFile::parse(
        kst::make_safetensors({{"h", "F16", {2}, f16}, {"b", "BF16", {1}, bf16}}), "m.safetensors");
    EXPECT_EQ(f.to_float("h"), (std::vector<float>{1.0f, 0.5f}));
    EXPECT_EQ(f.to_float("b"), (std::vector<float>{-5.0f}));
}

TEST(Safetensors, RefusesHeaderLongerThanFile) {
    std::string bytes = kst::make_safetensors(two_tensors());
    bytes.replace(0, 8, kst::le64(bytes.size()));  // claims more header than there is file
    expect_error([&] { SafetensorsFile::parse(bytes, "bad_len.safetensors"); }, {"bad_len.safetensors", "header"});
}

TEST(Safetensors, RefusesHugeHeader) {
    std::string bytes = kst::make_safetensors(two_tensors());
    bytes.replace(0, 8, kst::le64(kMaxSafetensorsHeader + 1));
    expect_error([&] { SafetensorsFile::parse(bytes, "huge.safetensors"); }, {"huge.safetensors", "100 MiB"});
}

TEST(Safetensors, RefusesTruncatedFile) {
    expect_error([&] { SafetensorsFile::parse("abc", "short.safetensors"); }, {"short.safetensors"});
}

TEST(Safetensors, RefusesBadJson) {
    const std::string text = "{\"a\": [1,2";
    expect_error([&] { SafetensorsFile::parse(kst::le64(text.size()) + text, "json.safetensors"); },
                 {"json.safetensors", "JSON"});
}

TEST(Safetensors, RefusesOverlappingTensors) {
    const std::string bytes = kst::make_safetensors(two_tensors(), [](nlohmann::json& h, std::string& data) {
        h["c.other"] = {{"dtype", "F32"}, {"shape", {2}}, {"data_offsets", {16, 24}}};  // inside a.weight [0,24)
        (void)data;
    });
    expect_error([&] { SafetensorsFile::parse(bytes, "ov.safetensors"); }, {"ov.safetensors", "overlaps", "a.weight"});
}

TEST(Safetensors, RefusesOffsetsOutsideData) {
    const std::string bytes = kst::make_safetensors(two_tensors(), [](nlohmann::json& h, std::string&) {
        h["b.bias"]["data_offsets"] = {24, 40};  // data section is 32 bytes
    });
    expect_error([&] { SafetensorsFile::parse(bytes, "oob.safetensors"); }, {"oob.safetensors", "b.bias", "outside"});
    const std::string reversed = kst::make_safetensors(two_tensors(), [](nlohmann::json& h, std::string&) {
        h["b.bias"]["data_offsets"] = {32, 24};
    });
    expect_error([&] { SafetensorsFile::parse(reversed, "rev.safetensors"); }, {"rev.safetensors", "b.bias"});
}

TEST(Safetensors, RefusesWrongByteCount) {
    const std::string bytes = kst::make_safetensors(two_tensors(), [](nlohmann::json& h, std::string&) {
        h["a.weight"]["shape"] = {2, 2};  // 16 bytes of F32, but 24 are given
    });
    expect_error([&] { SafetensorsFile::parse(bytes, "count.safetensors"); }, {"count.safetensors", "a.weight", "24"});
    const std::string half = kst::make_safetensors(two_tensors(), [](nlohmann::json& h, std::string&) {
        h["b.bias"]["dtype"] = "F16";  // 2 F16 = 4 bytes, 8 given
    });
    expect_error([&] { SafetensorsFile::parse(half, "count16.safetensors"); }, {"b.bias"});
}

TEST(Safetensors, RefusesUnknownDtype) {
    const std::string bytes = kst::make_safetensors(two_tensors(), [](nlohmann::json& h, std::string&) {
        h["b.bias"]["dtype"] = "F33";
    });
    expect_error([&] { SafetensorsFile::parse(bytes, "dt.safetensors"); }, {"dt.safetensors", "b.bias", "F33"});
}

TEST(Safetensors, IntegerTensorIsIndexedButNotConvertible) {
    const auto f = SafetensorsFile::parse(
        kst::make_safetensors({{"ids", "I64", {2}, std::string(16, '\0')}}), "int.safetensors");
    EXPECT_TRUE(f.has("ids"));
    expect_error([&] { f.to_float("ids"); }, {"ids", "I64"});
    expect_error([&] { f.to_float("missing"); }, {"missing"});
}

TEST(Safetensors, RefusesMalformedEntries) {
    const std::string bytes = kst::make_safetensors(two_tensors(), [](nlohmann::json& h, std::string&) {
        h["a.weight"].erase("shape");
    });
    expect_error([&] { SafetensorsFile::parse(bytes, "e.safetensors"); }, {"e.safetensors", "a.weight"});
    const std::string neg = kst::make_safetensors(two_tensors(), [](nlohmann::json& h, std::string&) {
        h["a.weight"]["shape"] = {-2, -3};
    });
    expect_error([&] { SafetensorsFile::parse(neg, "n.safetensors"); }, {"a.weight"});
}

TEST(Safetensors, RefusesPickles) {
    // A torch.save zip archive, a legacy pickle, and anything named .pth / .bin.
    const std::string zip = kst::write_temp("model_zip.safetensors", std::string("PK\x03\x04", 4) + std::string(64, 'x'));
    expect_error([&] { SafetensorsFile::read(zip); }, {"model_zip.safetensors", "pickle", "tools/pth_to_safetensors.py"});
    const std::string pkl = kst::write_temp("legacy.safetensors", std::string("\x80\x02\x8a\x0a", 4) + std::string(64, 'y'));
    expect_error([&] { SafetensorsFile::read(pkl); }, {"legacy.safetensors", "pth_to_safetensors"});
    const std::string pth = kst::write_temp("dino.pth", kst::make_safetensors(two_tensors()));
    expect_error([&] { SafetensorsFile::read(pth); }, {"dino.pth", "pth_to_safetensors"});
    const std::string bin = kst::write_temp("pytorch_model.bin", "whatever");
    expect_error([&] { SafetensorsFile::read(bin); }, {"pytorch_model.bin", "pth_to_safetensors"});
}

TEST(Safetensors, HeaderLengthStartingWith0x80IsNotAPickle) {
    // A genuine file whose header length's low byte is 0x80 must still load.
    std::string bytes;
    for (int pad = 0; pad < 300; ++pad) {
        bytes = kst::make_safetensors(two_tensors(), [&](nlohmann::json& h, std::string&) {
            h["__metadata__"] = {{"pad", std::string(static_cast<size_t>(pad), 'p')}};
        });
        if (static_cast<unsigned char>(bytes[0]) == 0x80) break;
    }
    ASSERT_EQ(static_cast<unsigned char>(bytes[0]), 0x80);
    const std::string path = kst::write_temp("len80.safetensors", bytes);
    EXPECT_EQ(SafetensorsFile::read(path).to_float("b.bias"), (std::vector<float>{-1.5f, 0.25f}));
}

TEST(Safetensors, MissingFile) {
    expect_error([&] { SafetensorsFile::read("/nonexistent/x.safetensors"); }, {"/nonexistent/x.safetensors"});
}

TEST(Safetensors, TruncatedCheckpointNamesATensor) {
    std::ifstream in(kst::vit_fixture("p16_h2/timm/model.safetensors"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GT(bytes.size(), 1000u);
    bytes.resize(bytes.size() - 100);  // a download cut short
    expect_error([&] { SafetensorsFile::parse(bytes, "cut.safetensors"); }, {"cut.safetensors", "tensor '", "outside"});
}
