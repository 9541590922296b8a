#pragma once
// Fourier by sub-block (README, "Analyses over a folder"): dL(k) of the token maps after each residual
// addition — the input tokens before block 0, then per block the tokens after the
// attention (MSA) part and after the MLP part. Park & Kim's Fig. 2 / Fig. 8 plot the
// high-frequency end of these against depth, MSA and MLP told apart: MSAs lower it
// (low-pass), MLPs raise it.
#include <string>
#include <vector>

#include "analysis/fourier.h"
#include "vit/vit_model.h"

namespace ks {

enum class SubBlock { Input, Msa, Mlp };
// "input", "msa", "mlp": the names fourier.csv uses.
const char* sub_block_name(SubBlock part);
// The inverse; throws InputError on any other name.
SubBlock sub_block_from_name(const std::string& name);

struct SubBlockProfile {
    int block = -1;              // 0-based; -1 for the input tokens
    SubBlock part = SubBlock::Input;
    FourierProfile profile;      // dL(k), k = 0 .. profile.size - 1 (k = 0 is the centre, dL = 0)
};

// In depth order: input (-1), then msa 0, mlp 0, msa 1, mlp 1, ... Each map is
// [N][dim] row-major tokens as vit_forward records them; the prefix tokens are dropped.
std::vector<SubBlockProfile> fourier_by_sub_block(const std::vector<float>& input_tokens,
                                                  const std::vector<std::vector<float>>& msa_outputs,
                                                  const std::vector<std::vector<float>>& mlp_outputs, int dim,
                                                  const TokenLayout& layout);
std::vector<SubBlockProfile> fourier_by_sub_block(const VitOutput& o);

}  // namespace ks
