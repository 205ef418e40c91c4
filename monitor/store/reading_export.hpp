#pragma once
// The text formats of `vigilctl readings`, one row at a time, kept apart from the command so
// they can be tested without running it.

#include <string>
#include <string_view>

#include "store/records.hpp"

namespace vigil::store {

// The CSV header line (no newline): id,bed,kind,value,unit,measured_at,received_at,source,valid,status
std::string csv_header();

// One CSV record (no newline). Times in RFC 3339 UTC, valid as true/false, a NaN value as
// an empty field. Text fields are quoted per RFC 4180 when they need it.
std::string csv_row(const StoredReading& row);

// Quotes `field` when it holds a comma, a double quote, CR or LF (doubling inner quotes);
// otherwise returns it unchanged.
std::string csv_field(std::string_view field);

// One JSON line (no newline), identical to what `vigilctl watch` prints for a live reading.
std::string jsonl_row(const StoredReading& row);

}  // namespace vigil::store
