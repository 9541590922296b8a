// A checkpoint's display name: the folder or Hugging Face repository for the generic
// file names exporters give every model, the file name otherwise.
#include <gtest/gtest.h>

#include "io/checkpoint_name.h"

using ks::checkpoint_display_name;

TEST(CheckpointName, GenericFileNamesAreNamedByTheirFolder) {
    EXPECT_EQ(checkpoint_display_name("/data/vit-base-patch16-224/model.safetensors"), "vit-base-patch16-224/model.safetensors");
    EXPECT_EQ(checkpoint_display_name("/data/deit_small/pytorch_model.safetensors"), "deit_small/pytorch_model.safetensors");
    EXPECT_EQ(checkpoint_display_name("model.safetensors"), "model.safetensors");  // no folder to name it by
}

TEST(CheckpointName, AHuggingFaceCachePathNamesTheRepository) {
    EXPECT_EQ(checkpoint_display_name(
                  "/home/u/.cache/huggingface/hub/models--facebook--dino-vitb16/snapshots/4a9b1c/model.safetensors"),
              "facebook/dino-vitb16");
    EXPECT_EQ(checkpoint_display_name("/c/models--timm--vit_small_patch16_224.augreg_in21k/snapshots/x/model.safetensors"),
              "timm/vit_small_patch16_224.augreg_in21k");
}

TEST(CheckpointName, OtherFileNamesStayAsTheyAre) {
    EXPECT_EQ(checkpoint_display_name("/data/dino_vits16.safetensors"), "dino_vits16.safetensors");
    EXPECT_EQ(checkpoint_display_name("/x/models--a--b/snapshots/h/resnet50.safetensors"), "resnet50.safetensors");
    EXPECT_EQ(checkpoint_display_name(""), "");
}
