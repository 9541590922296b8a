#pragma once
#include <string>

#include "io/checkpoint_name.h"

namespace ks {

// The desktop app's window title: "kernelscope — IMAGE — MODEL", the file names of image A
// and of the checkpoint ("built-in similarity" without one), e.g.
// "kernelscope — coffee.png — built-in similarity" or "kernelscope — cat.jpg — facebook/dino-vitb16"
// (a checkpoint by the name checkpoint_display_name gives it).
inline std::string window_title(const std::string& image_path, const std::string& weights_path) {
    auto name = [](const std::string& p) {
        const size_t s = p.find_last_of('/');
        return s == std::string::npos ? p : p.substr(s + 1);
    };
    std::string t = "kernelscope";
    if (!image_path.empty()) t += " \u2014 " + name(image_path);
    t += " \u2014 " + (weights_path.empty() ? std::string("built-in similarity") : checkpoint_display_name(weights_path));
    return t;
}

}  // namespace ks
