# stb_image's implementation as kernelscope compiles it: Debian's stb_image.h (2.27) with
# the fixes stb 2.28 made for a JPEG scan whose data runs out inside a block. There the
# decoder's bit count went below zero and the next refill shifted by 32 bits or more
# (undefined behaviour; the image fuzzer found it within 20 s), and for a Huffman table of
# more than 256 codes (pattern 5). Generated from the
# installed header, so the Debian package stays the source; a header the patterns do not
# match (another stb version) stops the configure with one sentence. Compiled into core
# (core/image/stb_image_impl.c), these definitions take precedence over libstb.so's.
find_file(KS_STB_IMAGE_H stb_image.h PATHS ${STB_INCLUDE_DIRS} /usr/include/stb NO_DEFAULT_PATH)
if(NOT KS_STB_IMAGE_H)
  message(FATAL_ERROR "stb_image.h was not found (Debian package libstb-dev).")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${KS_STB_IMAGE_H})
file(READ ${KS_STB_IMAGE_H} ks_stb)

# Each pair: text of stb 2.27, what replaces it (every occurrence).
# 1. The fast AC path (sequential and progressive) took a code longer than the bits left.
set(ks_from_1 [=[s = r & 15; // combined length]=])
set(ks_to_1 [=[s = r & 15; // combined length
            if (s > j->code_bits) return stbi__err("bad huffman code", "Corrupt JPEG"); /* kernelscope: stb 2.28's check */]=])
# 2. receive/extend and get_bits read n bits the stream no longer had.
set(ks_from_2 [=[if (j->code_bits < n) stbi__grow_buffer_unsafe(j);]=])
set(ks_to_2 [=[if (j->code_bits < n) stbi__grow_buffer_unsafe(j);
   if (j->code_bits < n) return 0; /* kernelscope: out of bits, as stb 2.28 returns 0s */]=])
# 3. The same for one bit.
set(ks_from_3 [=[if (j->code_bits < 1) stbi__grow_buffer_unsafe(j);]=])
set(ks_to_3 [=[if (j->code_bits < 1) stbi__grow_buffer_unsafe(j);
   if (j->code_bits < 1) return 0; /* kernelscope: out of bits */]=])
# 4. A net under the refill itself: a count below zero never becomes a shift of 32 or more.
set(ks_from_4 [=[j->code_buffer |= b << (24 - j->code_bits);]=])
set(ks_to_4 [=[if (j->code_bits < 0) j->code_bits = 0; /* kernelscope: never shift by 32 or more */
      j->code_buffer |= b << (24 - j->code_bits);]=])

# 5. A Huffman table of more than 256 codes wrote past the 257-entry size list (the image
#    fuzzer found one defined after a scan, where jpeg_structure_problem's walk does not
#    follow stb's marker search). stb 2.28 refuses such a table when it is read.
set(ks_from_5 [=[h->size[k++] = (stbi_uc) (i+1);]=])
set(ks_to_5 [=[{ if (k >= 256) return stbi__err("bad size list", "Corrupt JPEG"); /* kernelscope: stb 2.28 refuses > 256 codes */
         h->size[k++] = (stbi_uc) (i+1); }]=])

foreach(i 1 2 3 4 5)
  string(FIND "${ks_stb}" "${ks_from_${i}}" ks_at)
  if(ks_at EQUAL -1)
    message(FATAL_ERROR "${KS_STB_IMAGE_H} is not the stb_image 2.27 that cmake/stb_image_patched.cmake patches (pattern ${i} is missing); update the patterns for this version.")
  endif()
  string(REPLACE "${ks_from_${i}}" "${ks_to_${i}}" ks_stb "${ks_stb}")
endforeach()
file(WRITE ${CMAKE_BINARY_DIR}/generated/stb_image_patched.h "${ks_stb}")
