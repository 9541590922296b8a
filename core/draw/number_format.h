#pragma once
// Numbers as people read them on a colorbar, in a table or a label: three significant
// digits, and 0 where a value is 0 to the precision of the range it is shown in
// (a colorbar from 1.58e-09 to 0.0742 starts at "0", not at "1.580e-09").
#include <string>

namespace ks {

// `v` to 3 significant digits, or "0" when |v| < range * 5e-4 (half the last digit
// a 3-digit label of the range shows). range <= 0: only an exact 0 prints as "0".
std::string format_for_people(double v, double range = 0.0);

}  // namespace ks
