#pragma once
// A conv response as a picture: diverging about 0 when any value is negative, gray
// (0 = black) when none is, scaled to the 99th percentile of |y|.
#include <vector>

#include "image/image.h"

namespace ks {

// The 99th percentile of |v| (the max |v| if that is 0, 1 if all are 0): a few strong
// edges would otherwise wash the rest out.
float robust_scale(const std::vector<float>& v);
// Conv response scaled to the 99th percentile of |y|: diverging colormap symmetric about
// 0 when any value is negative, gray (0 = black) when none is.
Image response_picture(const Plane& response);
bool response_is_signed(const Plane& response);
// The scale response_picture uses: the 99th percentile of |y| (the max |y| if that is 0, 1 if all are 0).
float response_scale(const Plane& response);
// The same colouring with the scale and the diverging / gray choice given, so a copy
// reduced for display is coloured exactly as the full-resolution response would be
// (averaging can move the percentile and can remove the only negative values).
Image response_picture(const Plane& response, float scale, bool signed_map);
// to_rgb8(response_picture(response, scale, signed_map)) without the float picture
// between (the app's display copy of a 2048 px response: 37 MB it need not write).
std::vector<unsigned char> response_picture_rgb8(const Plane& response, float scale, bool signed_map);


}  // namespace ks
