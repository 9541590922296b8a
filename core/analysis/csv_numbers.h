#pragma once
// Reading back the numbers kernelscope analyze writes in its CSVs (for --merge and
// --mean-from): only the exact forms it writes are accepted, so a merge never reads a
// hand-edited or foreign file as numbers.
#include <string>
#include <vector>

#include "analysis/folder_analysis.h"  // RunningSum
#include "io/csv.h"

namespace ks {

// A whole number as std::to_string writes it, 0..hi; InputError naming `what` otherwise.
long long csv_whole(const std::string& s, long long hi, const std::string& what);
// A finite number in printf's plain decimal form; InputError naming `what` otherwise.
double csv_number(const std::string& s, const std::string& what);
// {n, sum, sum_sq} when some n numbers could have these sums; InputError naming `where` otherwise.
RunningSum checked_sums(long long n, double sum, double sum_sq, const std::string& where);
// The records after `header`, which must be the first line exactly.
std::vector<CsvRecord> csv_rows_after_header(const std::string& text, const char* header, const std::string& what);

}  // namespace ks
