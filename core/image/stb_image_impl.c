/* stb_image's implementation for kernelscope: Debian's stb_image.h with the JPEG fixes of
   cmake/stb_image_patched.cmake (stb 2.28's, for a scan that runs out of bits). Linked
   into core, these definitions take precedence over libstb.so's, so the app, the CLI and
   the fuzzers all decode with this one patched copy. */
#define STB_IMAGE_IMPLEMENTATION
#include "stb_image_patched.h"
