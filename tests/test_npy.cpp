#include <gtest/gtest.h>

#include "io/file_output.h"
#include "io/npy.h"
#include "test_support.h"

using namespace ks;

TEST(Npy, RoundTripAndAlignedHeader) {
    std::vector<float> data(24);
    for (size_t i = 0; i < data.size(); ++i) data[i] = 0.5f * i - 3;
    const std::string b = npy_bytes(data, {2, 3, 4});
    const size_t hlen = static_cast<unsigned char>(b[8]) | (static_cast<unsigned char>(b[9]) << 8);
    EXPECT_EQ((10 + hlen) % 64, 0u);  // numpy aligns the data to 64 bytes
    EXPECT_NE(b.find("'shape': (2, 3, 4)"), std::string::npos);
    const NpyArray a = parse_npy(b);
    EXPECT_EQ(a.shape, (std::vector<size_t>{2, 3, 4}));
    EXPECT_EQ(a.data, data);
    EXPECT_NE(npy_bytes({1, 2}, {2}).find("'shape': (2,)"), std::string::npos);
}

TEST(Npy, ReadsNumpyWrittenFiles) {
    // Written by numpy.save in tools/make_core_fixtures.py.
    const NpyArray a = read_npy(test::fixture("core/resize_input.npy"));
    EXPECT_EQ(a.shape, (std::vector<size_t>{9, 13, 3}));
    for (float v : a.data) {
        EXPECT_GE(v, 0.0f);
        EXPECT_LT(v, 1.0f);
    }
}

TEST(Npy, RejectsMalformed) {
    EXPECT_THROW(parse_npy("not npy"), InputError);
    std::string b = npy_bytes({1, 2, 3}, {3});
    EXPECT_THROW(parse_npy(b.substr(0, b.size() - 1)), InputError);
    std::string wrong = b;
    wrong.replace(wrong.find("<f4"), 3, "<f8");
    EXPECT_THROW(parse_npy(wrong), InputError);
}

TEST(Npy, Float64RoundTripsAndIsReadBounded) {
    const std::vector<double> v = {0.1, 1e300, -2.5, 1.0 / 3, 0, 7};
    const std::string b = npy_bytes_f64(v.data(), v.size(), {2, 3});
    EXPECT_NE(b.find("'descr': '<f8'"), std::string::npos);
    EXPECT_EQ(b.size() % 64, (6 * 8) % 64);   // header padded to 64
    const NpyArray64 a = parse_npy_f64(b);
    EXPECT_EQ(a.shape, (std::vector<size_t>{2, 3}));
    EXPECT_EQ(a.data, v);   // bit for bit
    // Each reader takes its own type only, and a short file is refused.
    EXPECT_THROW(parse_npy(b), InputError);
    EXPECT_THROW(parse_npy_f64(npy_bytes(std::vector<float>{1, 2}, {2})), InputError);
    EXPECT_THROW(parse_npy_f64(b.substr(0, b.size() - 8)), InputError);
    const auto path = test::scratch_dir("npy_f64") / "a.npy";
    write_file_atomic(path.string(), b);
    EXPECT_EQ(read_npy_f64(path.string(), b.size()).data, v);
    EXPECT_THROW(read_npy_f64(path.string(), b.size() - 1), InputError);   // larger than the caller expects: unread
}
