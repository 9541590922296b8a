#pragma once
#include <stdexcept>

namespace ks {

// Raised for every bad input (file, flag, checkpoint); what() is one sentence meant for the user.
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace ks
