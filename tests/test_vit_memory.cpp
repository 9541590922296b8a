// The attention memory the app budgets for: ViT-B/16 at 224 px is kept whole for A and
// B; at 640 px two passes pass the 2 GiB budget.
#include <gtest/gtest.h>

#include "vit/vit_memory.h"

using namespace ks;

TEST(VitMemory, AttentionBytesAreLayersHeadsTokensSquared) {
    VitConfig c;
    c.layers = 12;
    c.heads = 12;
    c.prefix_names = {"cls"};
    c.grid_h = c.grid_w = 14;  // ViT-B/16 at 224
    EXPECT_DOUBLE_EQ(vit_attention_bytes(c), 12.0 * 12 * 197 * 197 * 4);
    EXPECT_LT(2 * vit_attention_bytes(c), kAttentionBudgetBytes);
    c.grid_h = c.grid_w = 28;  // 448 px: 355 MB a pass, both kept
    EXPECT_LT(2 * vit_attention_bytes(c), kAttentionBudgetBytes);
    c.grid_h = c.grid_w = 40;  // 640 px: 1.5 GB a pass, not both
    EXPECT_GT(2 * vit_attention_bytes(c), kAttentionBudgetBytes);
}
