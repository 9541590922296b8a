/* The fuzzers compile Debian's stb_image (the very header the app uses with -lstb) into
   themselves, so it is instrumented: coverage guides the fuzzer into the decoders and
   ASan / UBSan watch them. These definitions take precedence over libstb.so's. */
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>
