#pragma once
// Plain-text tables for spreadsheets: a rows x cols matrix as CSV, one row a line,
// values with 9 significant digits (float32 round-trips exactly).
#include <string>
#include <vector>

namespace ks {

std::string csv_matrix(const std::vector<float>& v, int rows, int cols);

// A number as a CSV cell with `digits` significant digits (printf's %.*g): 9 round-trips
// a float32, 17 a double. (analysis/csv_numbers.h reads such cells back.)
std::string csv_digits(double v, int digits);

// One text cell (a file name, a reason) as RFC 4180 writes it: quoted when it holds a
// comma, a quote (doubled), CR or LF; line breaks are kept exactly. A cell a spreadsheet
// would run as a formula (starting with =, +, -, @, a tab or CR) gets a leading ' as
// OWASP recommends, and so does one that starts with ' itself, so csv_text_value undoes
// it exactly.
std::string csv_field(const std::string& s);
// The text a csv_field cell stood for, from its parsed (unquoted) value.
std::string csv_text_value(const std::string& cell);

// RFC 4180 records: fields split at commas, quoted fields may hold commas, doubled quotes
// and line breaks; a record ends at LF or CRLF outside quotes. `raw` is the record's own
// text (without its line end), to copy it unchanged. Throws InputError naming `what` for
// a quote left open at the end.
struct CsvRecord {
    std::vector<std::string> fields;
    std::string raw;
};
std::vector<CsvRecord> csv_records(const std::string& text, const std::string& what);

}  // namespace ks
