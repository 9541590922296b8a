#include <gtest/gtest.h>

#include "image/patch_grid.h"

using namespace ks;

TEST(PatchGrid, SidesBecomeMultiplesOfThePatch) {
    const PatchGrid g = fit_patch_grid(451, 300, 16);
    EXPECT_EQ(g.grid_w, 28);  // round(451/16) = 28
    EXPECT_EQ(g.grid_h, 19);  // round(300/16) = 19
    EXPECT_EQ(g.width() % 16, 0);
    EXPECT_EQ(g.height() % 16, 0);
}

TEST(PatchGrid, AtMost64PatchesASideKeepingAspect) {
    const PatchGrid g = fit_patch_grid(4000, 1000, 4);
    EXPECT_EQ(g.grid_w, 64);
    EXPECT_EQ(g.grid_h, 16);
    const PatchGrid s = fit_patch_grid(8192, 8192, 32);
    EXPECT_EQ(s.grid_w, 64);
    EXPECT_EQ(s.grid_h, 64);
}

TEST(PatchGrid, TinyImagesGetOnePatch) {
    const PatchGrid g = fit_patch_grid(3, 2, 16);
    EXPECT_EQ(g.grid_w, 1);
    EXPECT_EQ(g.grid_h, 1);
}

TEST(PatchGrid, PatchRangeEnforced) {
    EXPECT_THROW(fit_patch_grid(100, 100, 3), InputError);
    EXPECT_THROW(fit_patch_grid(100, 100, 33), InputError);
    EXPECT_NO_THROW(fit_patch_grid(100, 100, 4));
    EXPECT_NO_THROW(fit_patch_grid(100, 100, 32));
}

TEST(PatchGrid, ResizeToGridHasTheGridSize) {
    Image img;
    img.width = 50;
    img.height = 30;
    img.rgb.assign(50 * 30 * 3, 0.5f);
    const PatchGrid g = fit_patch_grid(50, 30, 8);
    const Image r = resize_to_grid(img, g);
    EXPECT_EQ(r.width, g.width());
    EXPECT_EQ(r.height, g.height());
}
