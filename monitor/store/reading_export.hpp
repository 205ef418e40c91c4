#pragma once
// The text formats of `vigilctl readings`, one row at a time, kept apart from the command so
// they can be tested without running it.

#include <string>
#include <string_view>

#include "readings.pb.h"
#include "store/records.hpp"

namespace vigil::store {

// The CSV header line (no newline):
// id,bed,kind,value,unit,measured_at,received_at,source,valid,status,verified,phase,late,withdrawn
// (verified and phase came with schema 2, late and withdrawn later; each was appended so
// older scripts keep working).
std::string csv_header();

// One CSV record (no newline). Times in RFC 3339 UTC, valid as true/false, a NaN value as
// an empty field, verified, phase and late empty when the reading was stored without context.
// Text fields are quoted per RFC 4180 when they need it.
std::string csv_row(const StoredReading& row);

// Quotes `field` when it holds a comma, a double quote, CR or LF (doubling inner quotes);
// otherwise returns it unchanged. Text a spreadsheet would run as a formula (starting with
// '=', '+', '-', '@', TAB or CR, and not a plain number such as "-12") gets a leading "'"
// first: a bed, user or device name typed by anyone must not become =HYPERLINK(...) or a
// DDE command when a clinic opens an export in Excel or LibreOffice (OWASP "CSV injection").
std::string csv_field(std::string_view field);

// The shortest text that reads back as the same double ("36.6", "184"); "" for NaN.
std::string format_value(double value);

// One JSON line (no newline): what `vigilctl watch` prints for a live reading, followed by
// "verified" (only when known) and "phase" ("" when unknown).
// A stored reading as the stream carries it, with what the engine knew (verified, phase,
// baseline) when there is a record of it.
proto::Reading to_stream_reading(const StoredReading& row);

std::string jsonl_row(const StoredReading& row);

}  // namespace vigil::store
