// Hostile input at the library level (issue 9): files read by size, range checks, the
// safetensors data section tiled exactly, all-or-nothing output folders.
#include <gtest/gtest.h>

#include <array>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <map>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cnn/checkpoint_kind.h"
#include "image/image.h"
#include "image/image_header.h"
#include "io/file_output.h"
#include "io/file_read.h"
#include "io/npy.h"
#include "io/safetensors.h"
#include "test_support.h"
#include "vit/vit_config.h"
#include "image/model_input.h"

using namespace ks;
namespace fs = std::filesystem;

namespace {

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

std::string safetensors_bytes(const nlohmann::json& header, size_t data_bytes) {
    const std::string h = header.dump();
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((h.size() >> (8 * i)) & 0xff);
    return out + h + std::string(data_bytes, '\0');
}

}  // namespace

TEST(FileRead, RefusesFoldersDevicesAndOversizedFilesBeforeReading) {
    const auto dir = test::scratch_dir("read");
    EXPECT_EQ(error_of([&] { read_regular_file(dir.string(), 100, "image"); }),
              "Cannot open the image '" + dir.string() + "': it is a folder, not a file.");
    EXPECT_EQ(error_of([] { read_regular_file("/dev/zero", 100, "checkpoint"); }),
              "Cannot open the checkpoint '/dev/zero': it is not a regular file (a device, pipe or socket).");
    std::ofstream(dir / "big") << std::string(2000, 'x');
    EXPECT_EQ(error_of([&] { read_regular_file((dir / "big").string(), 1000, "model configuration"); }),
              "Cannot open the model configuration '" + (dir / "big").string() +
                  "': the file is 2 KB, more than the 1 KB allowed for a model configuration.");
    EXPECT_EQ(read_regular_file((dir / "big").string(), 2000, "x").size(), 2000u);
}

TEST(CheckpointKind, APipeIsNotOpenedAndTheLoaderSaysWhy) {
    // Opening a FIFO for reading blocks until a writer comes: the kind check must not
    // open it, and the loader must refuse it. Run in a thread so a regression fails
    // the test instead of hanging it.
    const auto dir = test::scratch_dir("fifo");
    const std::string fifo = (dir / "model.safetensors").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    auto kind = std::async(std::launch::async, [&] { return checkpoint_kind(fifo); });
    if (kind.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);  // a writer releases the blocked reader
        if (fd >= 0) ::close(fd);
        FAIL() << "checkpoint_kind blocked on a FIFO";
    }
    EXPECT_EQ(kind.get(), CheckpointKind::Vit);
    EXPECT_EQ(error_of([&] { read_regular_file(fifo, 100, "checkpoint"); }),
              "Cannot open the checkpoint '" + fifo + "': it is not a regular file (a device, pipe or socket).");
}

TEST(ImageLoad, AnEmptyIdatChunkIsLeftOutAndTheImageIsTheSame) {
    // Zero-length IDAT chunks hold no data; stb 2.27 would add 0 to a null pointer for
    // the first one (the image fuzzer's finding), so they are left out before decoding.
    const std::string png = test::file_text(std::string(KS_FIXTURES_DIR) + "/../fuzz/corpus/image/rgb17.png");
    const size_t idat = png.find("IDAT");
    ASSERT_NE(idat, std::string::npos);
    const std::string empty_idat = std::string("\0\0\0\0IDAT", 8) + "\x35\xaf\x06\x1e";  // length 0, type, CRC
    const std::string with_empty = png.substr(0, idat - 4) + empty_idat + png.substr(idat - 4);
    const auto* b = reinterpret_cast<const unsigned char*>(with_empty.data());
    EXPECT_EQ(png_without_empty_idat(b, with_empty.size()), png);
    EXPECT_EQ(png_without_empty_idat(reinterpret_cast<const unsigned char*>(png.data()), png.size()), "");
    const Image a = load_image_from_memory(reinterpret_cast<const unsigned char*>(png.data()), png.size(), "a");
    const Image c = load_image_from_memory(b, with_empty.size(), "c");
    EXPECT_EQ(a.width, c.width);
    EXPECT_EQ(a.rgb, c.rgb);
}

TEST(ImageLoad, LargeImagesAreBoxReducedAsTheyAreRead) {
    const Image img = test::random_image(40, 30, 3);
    const std::string png = png_bytes(to_rgb8(img), img.width, img.height);
    ImageLoadOptions opt;
    opt.max_pixels = 300;  // 40 x 30 = 1200 -> factor 2 gives 20 x 15 = 300
    ImageLoadInfo info;
    const Image r = load_image_from_memory(reinterpret_cast<const unsigned char*>(png.data()), png.size(), "a.png", opt, &info);
    EXPECT_EQ(info.reduced_by, 2);
    EXPECT_EQ(info.file_width, 40);
    ASSERT_EQ(r.width, 20);
    ASSERT_EQ(r.height, 15);
    const Image full = load_image_from_memory(reinterpret_cast<const unsigned char*>(png.data()), png.size(), "a.png");
    for (int c = 0; c < 3; ++c) {
        const float mean = (full.at(2, 4, c) + full.at(3, 4, c) + full.at(2, 5, c) + full.at(3, 5, c)) / 4;
        EXPECT_NEAR(r.at(1, 2, c), mean, 1e-6f);
    }
    // For a ViT input of 4 x 4: reduced to about twice that.
    ImageLoadOptions vit;
    vit.model_w = vit.model_h = 4;
    EXPECT_EQ(image_read_reduction(40, 30, vit), 3);
    EXPECT_EQ(image_read_reduction(7, 7, vit), 1);
}

TEST(ImageLoad, ReductionIsEachBlocksMeanBitForBitAtAnySize) {
    // The reading loop has a fast path for whole 2 x 2 blocks; every block, partial ones
    // at odd edges included, must equal the plain definition: (sum of byte / 255) / n,
    // summed in row-major order.
    for (auto [w, h, cap] : {std::array{41, 31, 21 * 16}, std::array{40, 30, 20 * 15}, std::array{43, 29, 15 * 10}}) {
        const std::vector<unsigned char> bytes = to_rgb8(test::random_image(w, h, w + h));
        const std::string png = png_bytes(bytes, w, h);
        ImageLoadOptions opt;
        opt.max_pixels = cap;
        ImageLoadInfo info;
        const Image r = load_image_from_memory(reinterpret_cast<const unsigned char*>(png.data()), png.size(), "a.png", opt, &info);
        const int f = info.reduced_by;
        ASSERT_GE(f, 2) << w << "x" << h;
        ASSERT_EQ(r.width, (w + f - 1) / f);
        ASSERT_EQ(r.height, (h + f - 1) / f);
        for (int y = 0; y < r.height; ++y)
            for (int x = 0; x < r.width; ++x)
                for (int c = 0; c < 3; ++c) {
                    float acc = 0;
                    int n = 0;
                    for (int yy = y * f; yy < std::min(h, (y + 1) * f); ++yy)
                        for (int xx = x * f; xx < std::min(w, (x + 1) * f); ++xx, ++n)
                            acc += bytes[(static_cast<size_t>(yy) * w + xx) * 3 + c] / 255.0f;
                    ASSERT_EQ(r.at(x, y, c), acc / n) << w << "x" << h << " f " << f << " at " << x << "," << y << "," << c;
                }
    }
}

TEST(ImageLoad, ResizeWindowEqualsResizeThenCrop) {
    const Image img = test::random_image(13, 9, 5);
    const Image full = resize(img, 41, 23, Interp::Bicubic);
    const Image win = resize_window(img, 41, 23, 7, 5, 11, 9, Interp::Bicubic);
    for (int y = 0; y < 9; ++y)
        for (int x = 0; x < 11; ++x)
            for (int c = 0; c < 3; ++c) ASSERT_EQ(win.at(x, y, c), full.at(x + 7, y + 5, c));
}

TEST(Safetensors, DataSectionMustBeTiledExactlyAsTheFormatsLibraryRequires) {
    using nlohmann::json;
    auto t = [](uint64_t b, uint64_t e, json shape) { return json{{"dtype", "F32"}, {"shape", shape}, {"data_offsets", {b, e}}}; };
    // An empty tensor between two overlapping ones no longer hides the overlap.
    EXPECT_EQ(error_of([&] { SafetensorsFile::parse(safetensors_bytes({{"a", t(0, 8, {2})}, {"e", t(4, 4, {0})}, {"b", t(4, 12, {2})}}, 12), "x"); }),
              "x: tensor 'e' overlaps tensor 'a' in the data section.");
    EXPECT_EQ(error_of([&] { SafetensorsFile::parse(safetensors_bytes({{"a", t(4, 12, {2})}}, 12), "x"); }),
              "x: the data section has 4 bytes that belong to no tensor, before tensor 'a'.");
    EXPECT_EQ(error_of([&] { SafetensorsFile::parse(safetensors_bytes({{"a", t(0, 8, {2})}}, 12), "x"); }),
              "x: the data section has 4 bytes after the last tensor that belong to no tensor.");
    EXPECT_EQ(error_of([&] { SafetensorsFile::parse(safetensors_bytes({{"a", t(0, 8, {uint64_t(1) << 62, 4})}}, 8), "x"); }),
              "x: tensor 'a' has the shape [4611686018427387904, 4], whose element count overflows 64 bits.");
    const auto ok = SafetensorsFile::parse(safetensors_bytes({{"a", t(0, 8, {2})}, {"e", t(8, 8, {0, 3})}}, 8), "x");
    EXPECT_EQ(ok.to_float("e").size(), 0u);
}

TEST(Safetensors, NonFiniteWeightsAreRefusedWithTheTensorNamed) {
    using nlohmann::json;
    std::string b = safetensors_bytes({{"w", {{"dtype", "F32"}, {"shape", {2}}, {"data_offsets", {0, 8}}}}}, 8);
    const float inf = std::numeric_limits<float>::infinity();
    std::memcpy(&b[b.size() - 4], &inf, 4);
    const auto f = SafetensorsFile::parse(b, "m.safetensors");
    EXPECT_EQ(error_of([&] { f.to_float("w"); }),
              "m.safetensors: tensor 'w' holds a NaN or infinite value (element 1), so it cannot be used.");
}

TEST(VitConfigText, NumbersAreRangeCheckedIn64Bits) {
    VitConfigHints h;
    EXPECT_EQ(error_of([&] { parse_model_config(R"({"num_attention_heads": 4294967297})", "c.json", h); }),
              "The model configuration c.json sets 'num_attention_heads' to 4294967297, but it must be a whole number from 1 to 1024.");
    EXPECT_EQ(error_of([&] { parse_model_config(R"({"image_size": [2147483648, 16]})", "c.json", h); }),
              "The model configuration c.json sets 'image_size' to 2147483648, but it must be a whole number from 1 to 8192.");
    EXPECT_EQ(error_of([&] { parse_model_config(R"({"layer_norm_eps": -1e-6})", "c.json", h); }),
              "The model configuration c.json sets 'layer_norm_eps' to -1e-06, but it must be a number above 0 and at most 1.");
    EXPECT_EQ(error_of([&] { parse_preprocessor_config(R"({"image_std": [0.2, 1e400, 0.2]})", "p.json", h); }),
              "The model configuration p.json is not valid JSON.");
    parse_model_config(R"({"num_attention_heads": 3, "image_size": 224})", "c.json", h);
    EXPECT_EQ(*h.heads, 3);
    EXPECT_EQ(*h.image_h, 224);
}

TEST(Npy, HostileHeadersAreRefusedInOneSentence) {
    std::string b = npy_bytes({1, 2}, {2});
    const size_t at = b.find("(2,)");
    b.replace(at, 4, "(99999999999999999999999,)");
    EXPECT_EQ(error_of([&] { parse_npy(b); }), "The .npy shape has a dimension too large to be real.");
}

TEST(WriteFiles, AFailingLaterFileLeavesNothingBehind) {
    const auto root = test::scratch_dir("atomic");
    const fs::path out = root / "out";
    // The second file cannot be written (its name is a folder's): no folder, no temporaries.
    EXPECT_NE(error_of([&] { write_files(out.string(), {{"attention.npy", "new A"}, {"sub/", "new S"}}); }), "(no error)");
    EXPECT_FALSE(fs::exists(out));
    // Into an empty folder the user made: a failure leaves it empty, with none of the new files.
    fs::create_directories(out);
    EXPECT_NE(error_of([&] { write_files(out.string(), {{"attention.npy", "new A"}, {"sub/", "new S"}}); }), "(no error)");
    EXPECT_TRUE(fs::is_empty(out));
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(root)) names.push_back(e.path().filename().string());
    EXPECT_EQ(names, std::vector<std::string>{"out"});
    write_files(out.string() + "/", {{"attention.npy", "new A"}, {"b/summary.json", "new S"}});
    EXPECT_EQ(test::file_text(out / "attention.npy"), "new A");
    EXPECT_EQ(test::file_text(out / "b/summary.json"), "new S");
}

// Every byte of a folder tree, for checking that nothing in it changed.
std::map<std::string, std::string> tree_bytes(const fs::path& root) {
    std::map<std::string, std::string> t;
    for (const auto& e : fs::recursive_directory_iterator(root))
        t[fs::relative(e.path(), root).string()] = e.is_directory() ? std::string("<dir>") : test::file_text(e.path());
    return t;
}

TEST(WriteFiles, AUsersFolderIsNeverChangedEvenWithOutputNamesInIt) {
    const auto root = test::scratch_dir("users_out");
    const fs::path out = root / "OUT";
    // The user's files, among them folders named like outputs, with files of their own.
    fs::create_directories(out / "summary.json/precious");
    std::ofstream(out / "summary.json/precious/thesis.txt") << "three years of work";
    fs::create_directories(out / "heatmap.png");
    std::ofstream(out / "fourier.csv") << "mine";
    std::ofstream(out / "notes.txt") << "do not touch";
    const auto before = tree_bytes(out);
    const std::string img = test::fixture("resnet/image.png"), vit = test::fixture("vit/p16_h2/timm/model.safetensors");
    const fs::path images = root / "images";
    fs::create_directories(images);
    fs::copy_file(img, images / "a.png");
    const std::vector<std::string> commands = {
        "render --image '" + img + "' --out '" + out.string() + "'",
        "render --weights '" + vit + "' --image '" + img + "' --out '" + out.string() + "'",
        "render --weights '" + test::fixture("resnet/r18/tv/model.safetensors") + "' --image '" + img + "' --out '" + out.string() + "'",
        "analyze --weights '" + vit + "' --images '" + images.string() + "' --out '" + out.string() + "'"};
    for (const std::string& c : commands) {
        const test::RunResult r = test::run_kernelscope(c);
        EXPECT_EQ(r.exit_code, 2) << c << ": " << r.output;
        EXPECT_NE(r.output.find("is not empty"), std::string::npos) << r.output;
        EXPECT_EQ(tree_bytes(out), before) << c;
    }
    // Nothing was left beside it either.
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(root)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"OUT", "images"}));
}

// The move into the user's empty folder, once every file is complete: when one entry
// cannot move (its name appeared there meanwhile), the new names already moved in, a
// file and a folder, go again, and the folder holds only what it held.
TEST(WriteFiles, AFailedMoveInRemovesTheNewNamesItMoved) {
    const auto root = test::scratch_dir("move_in");
    const fs::path from = root / "from", into = root / "into";
    fs::create_directories(from / "b");
    std::ofstream(from / "attention.npy") << "new A";
    std::ofstream(from / "b/summary.json") << "new S";
    std::ofstream(from / "summary.json") << "new S";
    fs::create_directories(into);
    std::ofstream(into / "summary.json") << "appeared";  // moved last (name order): the failure
    const std::string failure = move_entries_all_or_none(from.string(), into.string());
    EXPECT_NE(failure.find("summary.json' appeared while writing"), std::string::npos) << failure;
    EXPECT_EQ(tree_bytes(into), (std::map<std::string, std::string>{{"summary.json", "appeared"}}));
    fs::remove(into / "summary.json");
    fs::create_directories(from / "b");
    std::ofstream(from / "b/summary.json") << "new S";
    EXPECT_EQ(move_entries_all_or_none(from.string(), into.string()), "");
    EXPECT_EQ(tree_bytes(into), (std::map<std::string, std::string>{{"b", "<dir>"}, {"b/summary.json", "new S"}, {"summary.json", "new S"}}));
}

TEST(WriteFiles, EmptyAndDanglingOutputNamesGetTrueSentences) {
    const auto root = test::scratch_dir("out_names");
    EXPECT_EQ(error_of([] { check_output_folder(""); }), "The output folder name is empty; give --out the folder to create.");
    fs::create_symlink(root / "nowhere", root / "dangl");
    EXPECT_EQ(error_of([&] { check_output_folder((root / "dangl").string()); }),
              "The output folder '" + (root / "dangl").string() + "' is a symbolic link to '" + (root / "nowhere").string() +
                  "', which does not exist.");
    const test::RunResult r = test::run_kernelscope("render --out ''");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("name is empty"), std::string::npos) << r.output;
}

// Fuzzer finding (fuzz_image, timeout): a 2306 x 2 GIF cropped for a square ViT input made
// a 36896 x 32 intermediate; only the crop is computed now.
TEST(FuzzRegression, ExtremeAspectRatioCropsWithoutAHugeIntermediate) {
    const Image img = load_image(std::string(KS_FIXTURES_DIR) + "/../data/bad/fuzz_timeout_wide_gif.gif");
    EXPECT_EQ(img.width, 2306);
    EXPECT_EQ(img.height, 2);
    const auto t0 = std::chrono::steady_clock::now();
    const VitInput in = preprocess_vit(img, 224, 224, VitResize::ShorterSideCrop, {0.5f, 0.5f, 0.5f}, {0.25f, 0.25f, 0.25f});
    EXPECT_EQ(in.shown.width, 224);
    EXPECT_EQ(in.shown.height, 224);
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 10.0);
}
