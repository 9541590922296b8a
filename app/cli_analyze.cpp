#include "io/file_read.h"
#include "io/json_bounded.h"
#include "cli_analyze.h"
#include "cli_analyze_io.h"
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

#include "analysis/analysis_plots.h"
#include "analysis/folder_analysis.h"
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
        static const std::vector<std::string> valued = {"--weights", "--config", "--images", "--out", "--resize", "--layers", "--shard"};
        if (std::find(valued.begin(), valued.end(), a) == valued.end())
            throw InputError("Unknown analyze option \"" + a + "\"; see kernelscope analyze --help.");
        if (i + 1 >= args.size()) throw InputError(a + " needs a value.");
        const std::string& v = args[++i];
        if (a == "--weights") o.weights = v;
        else if (a == "--config") o.config = v;
        else if (a == "--images") o.images = v;
        else if (a == "--out") o.out = v;
        else if (a == "--layers") o.layers = v;
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
    explicit Progress(size_t total) : total_(total), start_(Clock::now()), tty_(::isatty(2) == 1) {}
    void update(size_t done) {
        const double s = std::chrono::duration<double>(Clock::now() - start_).count();
        const double rate = s > 0 ? done / s : 0.0;
        // Not a terminal (a log file, a Slurm job): a line at every tenth, not a bar per image.
        if (!tty_ && done != total_ && (total_ < 10 || done % (total_ / 10) != 0)) return;
        const int width = 30, filled = total_ ? static_cast<int>(width * done / total_) : width;
        const long eta = rate > 0 ? static_cast<long>((total_ - done) / rate + 0.5) : 0;
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s[%s%s] %zu/%zu images  %.2f img/s  ETA %ld:%02ld%s", tty_ ? "\r" : "",
                      std::string(static_cast<size_t>(filled), '#').c_str(), std::string(static_cast<size_t>(width - filled), ' ').c_str(),
                      done, total_, rate, eta / 60, eta % 60, tty_ ? "" : "\n");
        std::cerr << buf << std::flush;
    }
    void finish() {
        if (tty_) std::cerr << "\n";
    }

private:
    size_t total_;
    Clock::time_point start_;
    bool tty_;
};

}  // namespace

std::string analyze_help() {
    return "kernelscope analyze: mean attention distance and Fourier dL by sub-block over a folder of images\n"
           "\n"
           "  kernelscope analyze --weights W --images DIR --out OUT [options]\n"
           "  kernelscope analyze --merge OUT1 OUT2 ... --out OUT\n"
           "\n"
           "  --weights FILE     ViT checkpoint (.safetensors); --config FILE if config.json is elsewhere\n"
           "  --images DIR       every image file under DIR (png, jpg, jpeg, bmp, tga, gif), recursively;\n"
           "                     unreadable ones are listed in OUT/skipped.csv and skipped\n"
           "  --out DIR          written all or nothing: mean_attention_distance.csv, fourier.csv, per_image.csv,\n"
           "                     skipped.csv, analysis.json, mean_attention_distance.png, fourier.png, fourier_curves.png\n"
           "  --resize crop|whole  how an image becomes the model input (default crop)\n"
           "  --layers LIST      layers / blocks to write, e.g. 0,5,11 or 0-3 (default all)\n"
           "  --shard K/N        only images K, K+N, K+2N, ... of the sorted list (K = 0..N-1)\n"
           "  --merge DIRS...    combine the outputs of shards exactly (from counts, sums and sums of squares)\n"
           "\n"
           "Progress goes to stderr. Ctrl+C, SIGTERM or SIGHUP stops after the current image and writes what is\n"
           "done (exit 128 + the signal's number: 130, 143, 129); a second one ends the run at once. An unreadable\n"
           "subfolder is listed in skipped.csv.\n";
}

namespace {

// What a run has done so far.
struct RunState {
    AnalysisTotals totals;
    std::vector<Skipped> skipped;
    size_t done = 0;
    bool interrupted = false;
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

// Runs the model on every image in `names`, the next one decoded on a second thread
// while the model runs on this one, until done or `stop` is set.
void analyse_all(const VitModel& model, const AnalyzeOptions& o, const std::vector<std::string>& names,
                 const std::atomic<bool>& stop, RunState& st) {
    ImageLoadOptions read;
    read.model_w = model.config.image_w;
    read.model_h = model.config.image_h;
    auto load = [&](size_t i) { return load_one((fs::path(*o.images) / names[i]).string(), read); };
    Progress progress(names.size());
    std::future<Loaded> next;
    if (!names.empty()) next = std::async(std::launch::async, load, 0);
    for (size_t i = 0; i < names.size(); ++i) {
        Loaded cur = next.get();
        if (i + 1 < names.size() && !stop.load()) next = std::async(std::launch::async, load, i + 1);
        if (stop.load()) {
            st.interrupted = true;
            break;
        }
        if (cur.error.empty()) {
            try {
                const VitOutput out = run_vit(model, cur.image, o.resize, {}, &stop);
                st.totals.add(analyse_image(names[i], out, cur.info.file_width, cur.info.file_height, o.resize));
            } catch (const Cancelled&) {
                st.interrupted = true;
                break;
            } catch (const InputError& e) {
                cur.error = e.what();
            }
        }
        if (!cur.error.empty()) {
            st.skipped.push_back({names[i], cur.error});
            std::cerr << (::isatty(2) ? "\r" : "") << "skipped " << names[i] << ": " << cur.error << "\n";
        }
        progress.update(++st.done);
    }
    if (next.valid()) next.wait();
    progress.finish();
}

}  // namespace

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
    // Said now, not after hours of work: the folder is written only at the end.
    check_output_folder(*o.out);
    refuse_output_inside(*o.out, *o.images);

    // Before the model loads, so every thread started afterwards has the signals blocked.
    const StopSignals signals(/*wind_down=*/true);
    const VitModel model = load_vit(*o.weights, o.config.value_or(""));
    // The file as it was loaded, so a merge can tell this model from any other.
    const std::string digest = sha256_file(*o.weights, kMaxCheckpointBytes, "checkpoint");
    const VitConfig& c = model.config;
    const std::vector<int> kept = parse_layer_list(o.layers, c.layers);
    const FolderListing listing = list_images(*o.images, *o.out);
    std::vector<std::string> names;
    std::vector<uint64_t> bytes;
    for (size_t i = static_cast<size_t>(o.shard_k); i < listing.images.size(); i += static_cast<size_t>(o.shard_n)) {
        names.push_back(listing.images[i]);
        bytes.push_back(listing.bytes[i]);
    }
    if (listing.images.empty() && listing.folders.empty())
        throw InputError("--images: no image files (png, jpg, jpeg, bmp, tga, gif) under '" + *o.images + "'.");

    RunState st;
    const int fourier_k = std::min(c.grid_h - c.grid_h / 2, c.grid_w - c.grid_w / 2);
    st.totals.init(c.layers, c.heads, fourier_k, kept);
    // Unreadable subfolders are listed by the first shard only, so a merge has them once.
    if (o.shard_k == 0)
        for (const Skipped& f : listing.folders) {
            st.skipped.push_back(f);
            std::cerr << "skipped folder " << f.image << ": " << f.reason << "\n";
        }
    analyse_all(model, o, names, signals.stop_requested(), st);

    nlohmann::json shard = nullptr;
    if (o.shard_n > 1) shard = std::to_string(o.shard_k) + "/" + std::to_string(o.shard_n);
    // What a merge checks (cli_analyze_merge.cpp): the checkpoint's digest, the shape the
    // CSVs are read against, this run's images and the whole folder's (shared by its shards).
    nlohmann::json info = {{"weights", *o.weights},
                           {"checkpoint", {{"sha256", digest}}},
                           {"shape", {{"layers", c.layers}, {"heads", c.heads}, {"fourier_k", fourier_k}}},
                           {"image_list", image_list_identity(names, bytes)},
                           {"folder_list", image_list_identity(listing.images, listing.bytes)},
                           {"model", c.describe()},
                           {"model_input", {{"width", c.image_w}, {"height", c.image_h}}},
                           {"grid", {{"rows", c.grid_h}, {"cols", c.grid_w}, {"patch", c.patch}}},
                           {"images_folder", *o.images},
                           {"resize", resize_name(o.resize)},
                           {"layers", kept},
                           {"shard", shard},
                           {"images_listed", names.size()},
                           {"images_done", st.done},
                           {"images_analysed", st.totals.images},
                           {"images_skipped", st.skipped.size()},
                           {"folders_unreadable", listing.folders.size()},
                           {"interrupted", st.interrupted},
                           {"stopped_by", st.interrupted ? nlohmann::json(StopSignals::name(signals.signal_number())) : nlohmann::json()},
                           {"std", "population (divide by n)"}};
    write_files(*o.out, analysis_output_files(st.totals, st.skipped, info));
    std::cout << (st.interrupted ? "interrupted: " : "") << "analysed " << st.totals.images << " of " << names.size()
              << " image(s)" << (st.skipped.empty() ? "" : ", skipped " + std::to_string(st.skipped.size()) + " (see skipped.csv)")
              << "; wrote " << *o.out << "\n";
    return st.interrupted ? 128 + signals.signal_number() : 0;
}

}  // namespace ks
