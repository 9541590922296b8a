#include "imagenet_names.h"

#include "data_dir.h"

namespace ks {

std::shared_ptr<const ClassNames> imagenet_class_names() {
    // A function-local static: initialised once even when the worker and an export ask at once.
    static const std::shared_ptr<const ClassNames> names = [] {
        const std::string dir = find_data_dir();
        return std::make_shared<const ClassNames>(dir.empty() ? ClassNames{}
                                                              : load_class_names(dir + "/assets/imagenet_classes.txt"));
    }();
    return names;
}

}  // namespace ks
