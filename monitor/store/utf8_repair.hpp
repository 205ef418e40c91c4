#pragma once
// Schema step 4: every TEXT value in the database becomes valid UTF-8.
//
// Before it, an HL7 field in ISO 8859-1 could be stored verbatim (a bed "FAUTEUIL-\xE9");
// the restart snapshot then replayed it into a protobuf string, which every stream client
// refused to parse. The step rewrites such values with U+FFFD for each invalid byte
// sequence (text/utf8.hpp). The logs are append-only (triggers refuse UPDATE): the
// triggers of a table that needs repair are dropped and re-created from their own SQL
// inside the caller's transaction, so either all of it happens or none.

#include <cstdint>

#include "store/sqlite_handle.hpp"

namespace vigil::store {

/// Repairs every table's TEXT values in place; returns how many rows changed. Must run
/// inside a write transaction (ensure_schema's). Throws sqlite::Error.
std::uint64_t repair_invalid_utf8_text(sqlite::Connection& db);

}  // namespace vigil::store
