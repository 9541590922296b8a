#pragma once
// What a Vision Transformer needs beyond its tensors: heads, LayerNorm eps,
// activation, input size and normalisation. Taken, in order of precedence, from
// explicit overrides, config.json / preprocessor_config.json beside the weights,
// and inference from tensor shapes; every value that was guessed is recorded as
// an "assumed: ..." line so the UI and summary can show it.
#include <array>
#include <optional>
#include <cstdint>
#include <string>
#include <vector>

#include "io/cost_limits.h"
#include "vit/vit_weights.h"

namespace ks {

enum class VitActivation { GeluErf, GeluTanh, QuickGelu };

// User choices (command line, GUI) that beat everything else. 0 / empty = not set.
struct VitOverrides {
    int heads = 0;
    int image_size = 0;                        // square model input side in pixels
    std::optional<std::array<float, 3>> mean;
    std::optional<std::array<float, 3>> std;
};

// Values read from config files; each is optional because files differ by source.
struct VitConfigHints {
    std::string source;                        // files read, for the summary
    std::optional<int> heads, image_h, image_w, patch, registers, num_classes;
    std::optional<float> ln_eps;
    std::optional<std::string> activation;     // HF hidden_act
    std::optional<std::string> architecture;   // timm "architecture" / HF "model_type"
    std::optional<std::array<float, 3>> mean, std;
};

struct VitConfig {
    int hidden = 0, heads = 0, layers = 0, mlp = 0, patch = 0;
    int image_h = 0, image_w = 0;              // model input size
    int grid_h = 0, grid_w = 0;                // patch grid of that input
    int pos_grid_h = 0, pos_grid_w = 0;        // grid the position embedding was trained at
    int pos_prefix = 0;                        // leading prefix tokens that get a position embedding
    float ln_eps = 1e-6f;
    VitActivation activation = VitActivation::GeluErf;
    std::array<float, 3> mean{0.485f, 0.456f, 0.406f};
    std::array<float, 3> std{0.229f, 0.224f, 0.225f};
    std::vector<std::string> prefix_names;     // "cls", "dist", "reg0", ...
    std::string layout_name;
    std::vector<std::string> assumed;          // "assumed: ..." lines
    std::vector<std::string> notes;            // where the other values came from

    // Human-readable lines for the summary / model panel (assumptions included).
    std::vector<std::string> describe() const;
};

// Reads `config_path` (if non-empty, it must exist) or else config.json beside the
// weights, plus preprocessor_config.json beside the weights. Absent files are fine;
// malformed ones throw InputError.
VitConfigHints read_config_hints(const std::string& weights_path, const std::string& config_path);
// The same from a file's text (fuzzing, tests); `name` is used in messages. Every
// number is range-checked in 64 bits (sizes 1..8192, heads 1..1024, eps in (0, 1],
// mean / std finite); a bad one throws InputError naming the key.
void parse_model_config(const std::string& text, const std::string& name, VitConfigHints& h);
void parse_preprocessor_config(const std::string& text, const std::string& name, VitConfigHints& h);

// Most tokens (prefix + patches) a checkpoint may be run with; attention memory
// (layers x heads x tokens^2 floats) is also limited, to kMaxAttentionBytes.
constexpr int kMaxVitTokens = 10000;

// Combines shapes, hints and overrides. Throws InputError when they contradict
// (e.g. heads not dividing the hidden size, image size not a multiple of the patch).
VitConfig resolve_config(const VitWeights& w, const VitConfigHints& hints, const VitOverrides& ov);

// Sets image size (and grid) for a new input side; used by resolve_config and by
// callers that change the size later. Refuses (InputError) a size that is not a
// multiple of the patch, above 8192 px, or too many tokens / too much attention memory.
// Also refuses an input whose pass is over the budget of io/cost_limits.h.
void set_input_size(VitConfig& c, int image_h, int image_w);
// One forward pass's multiply-adds and memory over `tokens` tokens (the sizes in `c`).
PassCost vit_pass_cost(const VitConfig& c, int64_t tokens);

}  // namespace ks
