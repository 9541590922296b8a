#pragma once
// How much memory a forward pass's recorded attention takes, so the app can keep its
// two passes (input A and input B) within a budget before running them.
#include "vit/vit_config.h"

namespace ks {

// layers x heads x N x N floats, N = prefix tokens + patches.
double vit_attention_bytes(const VitConfig& c);

// The app's default budget for the attention it keeps (A and B together).
constexpr double kAttentionBudgetBytes = 2.0 * 1024 * 1024 * 1024;

}  // namespace ks
