#include "io/file_read.h"
#include "io/json_bounded.h"
#include "cli_analyze.h"
#include "cli_analyze_io.h"
#include "cli_analyze_model.h"
#include "cli_analyze_specificity.h"
#include "cli_options.h"
#include "cli_signals.h"
#include "image_folder.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <future>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_set>

#include "analysis/analysis_plots.h"
#include "analysis/folder_analysis.h"
#include "analysis/data_specificity_files.h"
#include "analysis/specificity_kernels.h"
#include "io/file_output.h"
#include "io/input_error.h"
#include "io/sha256.h"
#include "vit/vit_model.h"

namespace ks {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct AnalyzeOptions {
    std::optional<std::string> weights, config, images, out;
    VitResize resize = VitResize::ShorterSideCrop;
    std::string layers;                  // "" = all
    int shard_k = 0, shard_n = 1;        // --shard K/N: images K, K+N, K+2N, ... of the sorted list
    std::vector<std::string> merge;      // --merge OUT1 OUT2 ...
    AnalyzePass pass = AnalyzePass::Both;
    std::optional<std::string> mean_from;   // --pass 2: a pass-1 output
    bool help = false;
};

AnalyzeOptions parse(const std::vector<std::string>& args) {
    AnalyzeOptions o;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            o.help = true;
            continue;
        }
        if (a == "--merge") {
            // Every following argument up to the next flag is a run's output folder.
            while (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) o.merge.push_back(args[++i]);
            if (o.merge.empty()) throw InputError("--merge needs the output folders of the runs to combine.");
            continue;
        }
        static const std::vector<std::string> valued = {"--weights", "--config", "--images", "--out", "--resize", "--layers", "--shard",
                                                       "--pass", "--mean-from"};
        if (std::find(valued.begin(), valued.end(), a) == valued.end())
            throw InputError("Unknown analyze option \"" + a + "\"; see kernelscope analyze --help.");
        if (i + 1 >= args.size()) throw InputError(a + " needs a value.");
        const std::string& v = args[++i];
        if (a == "--weights") o.weights = v;
        else if (a == "--config") o.config = v;
        else if (a == "--images") o.images = v;
        else if (a == "--out") o.out = v;
        else if (a == "--layers") o.layers = v;
        else if (a == "--mean-from") o.mean_from = v;
        else if (a == "--pass") {
            if (v != "1" && v != "2") throw InputError("--pass must be 1 or 2 (got \"" + v + "\"); without it both passes run.");
            o.pass = v == "1" ? AnalyzePass::One : AnalyzePass::Two;
        }
        else if (a == "--resize") {
            if (v == "crop") o.resize = VitResize::ShorterSideCrop;
            else if (v == "whole") o.resize = VitResize::Whole;
            else throw InputError("--resize must be crop or whole (got \"" + v + "\").");
        } else {  // --shard K/N
            const size_t slash = v.find('/');
            if (slash == std::string::npos) throw InputError("--shard must be K/N, e.g. 0/8 (got \"" + v + "\").");
            o.shard_n = static_cast<int>(parse_whole("--shard's N", v.substr(slash + 1), 1, 1000000));
            o.shard_k = static_cast<int>(parse_whole("--shard's K", v.substr(0, slash), 0, o.shard_n - 1));
        }
    }
    return o;
}

const char* resize_name(VitResize r) { return r == VitResize::Whole ? "whole" : "crop"; }

class Progress {
public:
    Progress(size_t total, std::string label) : total_(total), label_(std::move(label)), start_(Clock::now()), tty_(::isatty(2) == 1) {}
    void update(size_t done) {
        const double s = std::chrono::duration<double>(Clock::now() - start_).count();
        const double rate = s > 0 ? done / s : 0.0;
        // Not a terminal (a log file, a Slurm job): a line at every tenth, not a bar per image.
        if (!tty_ && done != total_ && (total_ < 10 || done % (total_ / 10) != 0)) return;
        const int width = 30, filled = total_ ? static_cast<int>(width * done / total_) : width;
        const long eta = rate > 0 ? static_cast<long>((total_ - done) / rate + 0.5) : 0;
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s%s[%s%s] %zu/%zu images  %.2f img/s  ETA %ld:%02ld%s", tty_ ? "\r" : "", label_.c_str(),
                      std::string(static_cast<size_t>(filled), '#').c_str(), std::string(static_cast<size_t>(width - filled), ' ').c_str(),
                      done, total_, rate, eta / 60, eta % 60, tty_ ? "" : "\n");
        std::cerr << buf << std::flush;
    }
    void finish() {
        if (tty_) std::cerr << "\n";
    }

private:
    size_t total_;
    std::string label_;
    Clock::time_point start_;
    bool tty_;
};

}  // namespace

std::string analyze_help() {
    return "kernelscope analyze: mean attention distance, Fourier dL by sub-block and data specificity over a folder of images\n"
           "\n"
           "  kernelscope analyze --weights W --images DIR --out OUT [options]           (both passes)\n"
           "  kernelscope analyze --pass 1 ... [--shard K/N]; --pass 2 --mean-from P1 ... [--shard K/N]\n"
           "  kernelscope analyze --merge OUT1 OUT2 ... --out OUT                          (shards of one pass)\n"
           "\n"
           "  --weights FILE     ViT checkpoint (.safetensors); --config FILE if config.json is elsewhere; or a\n"
           "                     ResNet's: data specificity only (its effective kernel per stage at a 3 x 3 grid\n"
           "                     of queries, 36 backward passes per image and pass, on a 224 x 224 input)\n"
           "  --images DIR       every image file under DIR (png, jpg, jpeg, bmp, tga, gif), recursively;\n"
           "                     unreadable ones are listed in OUT/skipped.csv and skipped\n"
           "  --out DIR          written all or nothing: pass 1 writes mean_attention_distance.csv, fourier.csv,\n"
           "                     per_image.csv, the three plots, mean_kernel.npy, mean_kernel_<kind>.npy and\n"
           "                     kernel_sums_<kind>.npy; pass 2 data_specificity.csv, data_specificity_sums.csv and\n"
           "                     data_specificity.png; both skipped.csv and analysis.json\n"
           "  --pass 1|2         one pass of data specificity (the folder-mean kernel, then each image's TV\n"
           "                     departure from it); without it both run, one after the other\n"
           "  --mean-from P1     --pass 2: the (merged) pass-1 output of this checkpoint and folder\n"
           "  --resize crop|whole  how an image becomes the model input (default crop)\n"
           "  --layers LIST      layers / blocks to write, e.g. 0,5,11 or 0-3 (default all; data specificity\n"
           "                     always measures every layer)\n"
           "  --shard K/N        only images K, K+N, K+2N, ... of the sorted list (K = 0..N-1); with --pass only\n"
           "  --merge DIRS...    combine the outputs of shards of one pass exactly (from counts and sums)\n"
           "\n"
           "The cost (passes, the kernel sums' memory) is printed before the work. Progress goes to stderr.\n"
           "Ctrl+C, SIGTERM or SIGHUP stops after the current image and writes what is done (exit 128 + the\n"
           "signal's number: 130, 143, 129); a second one ends the run at once. An unreadable subfolder is\n"
           "listed in skipped.csv.\n";
}

namespace {

// What a run has done so far.
struct RunState {
    AnalysisTotals totals;
    SpecificityRun spec;
    std::vector<Skipped> skipped;
    size_t done = 0;                 // images read in pass 1 (pass 2 alone: in pass 2)
    long long measured = 0;          // images measured in pass 2
    bool interrupted = false;
    int interrupted_in_pass = 0;
    double seconds[2] = {0, 0};      // each pass's loop over the images (bench/analyze_folder.sh reads them)
};

struct Loaded {
    Image image;
    ImageLoadInfo info;
    std::string error;
};

Loaded load_one(const std::string& path, const ImageLoadOptions& read) {
    Loaded l;
    try {
        l.image = load_image(path, read, &l.info);
    } catch (const std::exception& e) {
        l.error = e.what();
    }
    return l;
}

// Runs the model on every image in `names` for pass `pass` (1: today's numbers and the
// kernel sums; 2: the departures from the mean), the next one decoded on a second thread
// while this one measures the current one, until done or `stop` is set. Images skipped before
// (a both-passes run's pass 1) are not read again.
void analyse_all(const AnalyzeModel& model, const AnalyzeOptions& o, const std::vector<std::string>& names, int pass,
                 const std::atomic<bool>& stop, RunState& st) {
    ImageLoadOptions read;
    read.model_w = model.input_w();
    read.model_h = model.input_h();
    std::unordered_set<std::string> skipped;
    if (pass == 2)
        for (const Skipped& s : st.skipped) skipped.insert(s.image);
    std::vector<std::string> todo;
    for (const std::string& n : names)
        if (!skipped.count(n)) todo.push_back(n);
    auto load = [&](size_t i) { return load_one((fs::path(*o.images) / todo[i]).string(), read); };
    Progress progress(todo.size(), o.pass == AnalyzePass::Both ? "pass " + std::to_string(pass) + " " : "");
    const Clock::time_point start = Clock::now();
    std::future<Loaded> next;
    if (!todo.empty()) next = std::async(std::launch::async, load, 0);
    size_t done = 0;
    for (size_t i = 0; i < todo.size(); ++i) {
        if (!next.valid()) {  // not started: stop was set
            st.interrupted = true;
            break;
        }
        Loaded cur = next.get();
        // The next decode starts once the model is done with this image (or at once when
        // it is skipped): during the forward pass it would take a core from the model's
        // threads, which then wait for each other.
        auto decode_next = [&] {
            if (i + 1 < todo.size() && !stop.load() && !next.valid()) next = std::async(std::launch::async, load, i + 1);
        };
        if (stop.load()) {
            st.interrupted = true;
            break;
        }
        if (cur.error.empty()) {
            try {
                model.analyse(cur.image, todo[i], cur.info, o.resize, pass, stop, decode_next, st.totals, st.spec);
                if (pass == 2) ++st.measured;
            } catch (const Cancelled&) {
                st.interrupted = true;
                break;
            } catch (const InputError& e) {
                cur.error = e.what();
            }
        }
        decode_next();
        if (!cur.error.empty()) {
            st.skipped.push_back({todo[i], cur.error});
            std::cerr << (::isatty(2) ? "\r" : "") << "skipped " << todo[i] << ": " << cur.error << "\n";
        }
        progress.update(++done);
    }
    if (pass == 1 || o.pass == AnalyzePass::Two) st.done = done;
    if (st.interrupted) st.interrupted_in_pass = pass;
    if (next.valid()) next.wait();
    st.seconds[pass - 1] = std::chrono::duration<double>(Clock::now() - start).count();
    progress.finish();
}

// The flags that go together: --shard and --mean-from with a single pass only.
void check_pass_flags(const AnalyzeOptions& o) {
    if (o.pass == AnalyzePass::Two && !o.mean_from)
        throw InputError("--pass 2 needs --mean-from P1, the (merged) output folder of --pass 1 over the same images.");
    if (o.mean_from && o.pass != AnalyzePass::Two) throw InputError("--mean-from goes with --pass 2 only.");
    if (o.pass == AnalyzePass::Both && o.shard_n > 1)
        throw InputError("--shard needs --pass 1 or --pass 2: a shard running both passes would measure its images against its own "
                         "mean, not the folder's.");
}

// The run's analysis.json before the counts: what a merge and a later --mean-from check.
nlohmann::json run_identity(const AnalyzeOptions& o, const AnalyzeModel& model, const std::string& digest, const std::vector<int>& kept,
                            const FolderListing& listing, const std::vector<std::string>& names, const std::vector<uint64_t>& bytes,
                            const std::vector<KernelShape>& shapes) {
    nlohmann::json shard = nullptr;
    if (o.shard_n > 1) shard = std::to_string(o.shard_k) + "/" + std::to_string(o.shard_n);
    nlohmann::json info = {{"pass", pass_json(o.pass)},
                           {"weights", *o.weights},
                           {"checkpoint", {{"sha256", digest}}},
                           {"kernels", kernel_shapes_json(shapes)},
                           {"image_list", image_list_identity(names, bytes)},
                           {"folder_list", image_list_identity(listing.images, listing.bytes)},
                           {"images_folder", *o.images},
                           {"resize", resize_name(o.resize)},
                           {"layers", kept},
                           {"shard", shard},
                           {"std", "population (divide by n)"}};
    info.update(model.identity());  // family, measures, shape, model, model_input, grid
    return info;
}

// Everything the run writes, in memory, for write_files.
std::vector<NamedBytes> run_files(const AnalyzeOptions& o, const AnalyzeModel& model, RunState& st, nlohmann::json& info) {
    std::vector<NamedBytes> files;
    const bool pass1 = o.pass != AnalyzePass::Two, pass2 = o.pass != AnalyzePass::One && st.interrupted_in_pass != 1;
    if (pass1) {
        nlohmann::json id;
        files = kernel_sums_files(st.spec.sums, &id);
        info["kernel_sums"] = id;
        if (o.pass == AnalyzePass::Both) st.spec.mean_sha256 = id["sha256"];
    }
    if (pass2) {
        info["mean_from"] = {{"folder", o.mean_from ? nlohmann::json(*o.mean_from) : nlohmann::json()},
                             {"images", st.spec.sums.empty() ? 0 : st.spec.sums.front().images},
                             {"sha256", st.spec.mean_sha256}};
        info["images_measured"] = st.measured;
        for (auto& f : specificity_files(st.spec.totals)) files.push_back(std::move(f));
    }
    std::vector<NamedBytes> main;
    if (pass1 && model.vit) {
        main = analysis_output_files(st.totals, st.skipped, info);
    } else {
        main = {{"skipped.csv", skipped_csv(st.skipped)}, {"analysis.json", info.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"}};
    }
    for (auto& f : files) main.push_back(std::move(f));
    return main;
}

}  // namespace

// One function from the flags to the files: the steps are short, in order, and each
// says what it is.
int run_analyze(const std::vector<std::string>& args) {
    const AnalyzeOptions o = parse(args);
    if (o.help) {
        std::cout << analyze_help();
        return 0;
    }
    if (!o.merge.empty()) {
        if (!o.out) throw InputError("kernelscope analyze --merge needs --out DIR.");
        return run_merge(o.merge, *o.out);
    }
    if (!o.weights) throw InputError("kernelscope analyze needs --weights FILE; see kernelscope analyze --help.");
    if (!o.images) throw InputError("kernelscope analyze needs --images DIR; see kernelscope analyze --help.");
    if (!o.out) throw InputError("kernelscope analyze needs --out DIR; see kernelscope analyze --help.");
    check_pass_flags(o);
    // Said now, not after hours of work: the folder is written only at the end.
    check_output_folder(*o.out);
    refuse_output_inside(*o.out, *o.images);

    // Before the model loads, so every thread started afterwards has the signals blocked.
    const StopSignals signals(/*wind_down=*/true);
    const AnalyzeModel model = AnalyzeModel::load(*o.weights, o.config.value_or(""), o.layers);
    // The file as it was loaded, so a merge can tell this model from any other.
    const std::string digest = sha256_file(*o.weights, kMaxCheckpointBytes, "checkpoint");
    const std::vector<int> kept = model.vit ? parse_layer_list(o.layers, model.vit->config.layers) : std::vector<int>{};
    const std::vector<KernelShape> shapes = model.specificity_shapes();
    std::cerr << specificity_cost(shapes, o.pass) << "\n";
    if (!model.cost_words().empty()) std::cerr << model.cost_words() << "\n";
    const FolderListing listing = list_images(*o.images, *o.out);
    std::vector<std::string> names;
    std::vector<uint64_t> bytes;
    for (size_t i = static_cast<size_t>(o.shard_k); i < listing.images.size(); i += static_cast<size_t>(o.shard_n)) {
        names.push_back(listing.images[i]);
        bytes.push_back(listing.bytes[i]);
    }
    if (listing.images.empty() && listing.folders.empty())
        throw InputError("--images: no image files (png, jpg, jpeg, bmp, tga, gif) under '" + *o.images + "'.");
    nlohmann::json info = run_identity(o, model, digest, kept, listing, names, bytes, shapes);

    RunState st;
    if (model.vit) st.totals.init(model.vit->config.layers, model.vit->config.heads, info["shape"]["fourier_k"].get<int>(), kept);
    st.spec.init(shapes, o.pass);
    if (o.pass == AnalyzePass::Two) st.spec.sums = read_mean_from(*o.mean_from, info, shapes, &st.spec.mean_sha256);
    // Unreadable subfolders are listed by the first shard only, so a merge has them once.
    if (o.shard_k == 0)
        for (const Skipped& f : listing.folders) {
            st.skipped.push_back(f);
            std::cerr << "skipped folder " << f.image << ": " << f.reason << "\n";
        }
    if (o.pass != AnalyzePass::Two) analyse_all(model, o, names, 1, signals.stop_requested(), st);
    if (o.pass != AnalyzePass::One && !st.interrupted) analyse_all(model, o, names, 2, signals.stop_requested(), st);

    info["images_listed"] = names.size();
    info["images_done"] = st.done;
    info["images_analysed"] = o.pass == AnalyzePass::Two ? st.measured : model.vit ? st.totals.images : st.spec.sums.front().images;
    info["images_skipped"] = st.skipped.size();
    info["folders_unreadable"] = listing.folders.size();
    info["interrupted"] = st.interrupted;
    info["interrupted_in_pass"] = st.interrupted ? nlohmann::json(st.interrupted_in_pass) : nlohmann::json();
    info["seconds"] = {{"pass1", st.seconds[0]}, {"pass2", st.seconds[1]}};
    info["stopped_by"] = st.interrupted ? nlohmann::json(StopSignals::name(signals.signal_number())) : nlohmann::json();
    write_files(*o.out, run_files(o, model, st, info));
    std::cout << (st.interrupted ? "interrupted in pass " + std::to_string(st.interrupted_in_pass) + ": " : "") << "analysed "
              << info["images_analysed"].get<long long>() << " of " << names.size() << " image(s)"
              << (st.skipped.empty() ? "" : ", skipped " + std::to_string(st.skipped.size()) + " (see skipped.csv)") << "; wrote " << *o.out
              << "\n";
    return st.interrupted ? 128 + signals.signal_number() : 0;
}

}  // namespace ks
