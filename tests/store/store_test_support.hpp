#pragma once
// Helpers for the store tests: a private temporary directory and reading builders.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "reading/reading.hpp"
#include "store/records.hpp"

namespace vigil::store::testing {

// The instant the store and report tests state their records from (2025-11-21T10:15:00Z),
// and a minute: one definition for every test file, which a unity build compiles together.
inline constexpr WallMillis kT0 = 1'763'720'100'000;
inline constexpr WallMillis kMin = 60'000;

// A fresh directory under /tmp, removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "vigil-store-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline Reading make_reading(std::string bed, VitalKind kind, double value, WallMillis measured,
                            std::string source = "MON-1") {
  Reading r;
  r.bed = std::move(bed);
  r.kind = kind;
  r.value = value;
  r.measured_at_ms = measured;
  // Received as stamped: sessions, exports and timelines place readings by arrival, and
  // these tests state their times once (device clock skew is tested in device_clock_test).
  r.received_at_ms = measured;
  r.source = std::move(source);
  r.valid = true;
  r.status = "F";
  return r;
}

// The lines of a command's output, without their newlines.
inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// One heart-rate reading for BED1 measured at `t`: a write that must be stored.
inline WriteBatch one_reading(WallMillis t) {
  WriteBatch b;
  b.readings = {make_reading("BED1", VitalKind::HeartRate, 70, t)};
  return b;
}

}  // namespace vigil::store::testing
