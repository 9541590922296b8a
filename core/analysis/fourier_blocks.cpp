#include "analysis/fourier_blocks.h"

#include "io/input_error.h"

namespace ks {

const char* sub_block_name(SubBlock part) {
    switch (part) {
        case SubBlock::Input: return "input";
        case SubBlock::Msa: return "msa";
        case SubBlock::Mlp: return "mlp";
    }
    return "input";
}

SubBlock sub_block_from_name(const std::string& name) {
    if (name == "input") return SubBlock::Input;
    if (name == "msa") return SubBlock::Msa;
    if (name == "mlp") return SubBlock::Mlp;
    throw InputError("Unknown sub-block '" + name + "'; expected input, msa or mlp.");
}

std::vector<SubBlockProfile> fourier_by_sub_block(const std::vector<float>& input_tokens,
                                                  const std::vector<std::vector<float>>& msa_outputs,
                                                  const std::vector<std::vector<float>>& mlp_outputs, int dim,
                                                  const TokenLayout& layout) {
    if (msa_outputs.size() != mlp_outputs.size())
        throw InputError("The MSA and MLP token maps disagree on the number of blocks.");
    std::vector<SubBlockProfile> out;
    std::vector<const std::vector<float>*> maps;
    if (!input_tokens.empty()) {
        out.push_back({-1, SubBlock::Input, {}});
        maps.push_back(&input_tokens);
    }
    for (size_t b = 0; b < mlp_outputs.size(); ++b) {
        out.push_back({static_cast<int>(b), SubBlock::Msa, {}});
        out.push_back({static_cast<int>(b), SubBlock::Mlp, {}});
        maps.push_back(&msa_outputs[b]);
        maps.push_back(&mlp_outputs[b]);
    }
    std::vector<FourierProfile> profiles = fourier_profiles(maps, dim, layout);
    for (size_t i = 0; i < out.size(); ++i) out[i].profile = std::move(profiles[i]);
    return out;
}

std::vector<SubBlockProfile> fourier_by_sub_block(const VitOutput& o) {
    return fourier_by_sub_block(o.input_tokens, o.msa_outputs, o.block_outputs, o.dim, o.attention.layout);
}

}  // namespace ks
