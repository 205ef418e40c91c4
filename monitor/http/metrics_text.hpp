#pragma once
// The Prometheus text exposition format (version 0.0.4), pure: values in, text out.
// https://prometheus.io/docs/instrumenting/exposition_formats/
//
//   # HELP vigil_readings_stored_total Readings committed to the database.
//   # TYPE vigil_readings_stored_total counter
//   vigil_readings_stored_total 1234
//
// A family is written in one block (HELP, TYPE, its samples), in the order added. Label
// values are escaped (\\, \", \n). Names are the caller's constants; one outside
// [a-zA-Z_:][a-zA-Z0-9_:]* would break the whole scrape, so add() refuses it with
// std::invalid_argument (a programming error, which the daemon's metrics test would hit).
//
// Threading: none; a value type.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace vigil::http {

enum class MetricType : std::uint8_t { Counter, Gauge, Histogram };

using Labels = std::vector<std::pair<std::string, std::string>>;

struct Sample {
  Labels labels;
  double value = 0;
};

// Cumulative histogram as Prometheus wants it: counts[i] observations <= bounds[i] (bounds
// ascending, +Inf implied: that bucket is `count`).
struct HistogramValue {
  std::vector<double> bounds;
  std::vector<std::uint64_t> cumulative;  // same length as bounds
  double sum = 0;
  std::uint64_t count = 0;
};

class MetricsText {
 public:
  // Starts a family; samples follow with sample(). Throws std::invalid_argument for an
  // invalid metric or label name.
  void add(const std::string& name, MetricType type, const std::string& help);
  void sample(double value, Labels labels = {});
  // A whole histogram family (one set of buckets, no labels).
  void histogram(const std::string& name, const std::string& help, const HistogramValue& value);

  const std::string& text() const { return text_; }

 private:
  std::string name_;
  std::string text_;
};

// "1", "0.25", "1e+21", "+Inf", "NaN": integers print without a point.
std::string format_metric_value(double value);
// A label value with \\, \" and newline escaped (the exposition format's three escapes).
std::string escape_label_value(const std::string& value);
// True for [a-zA-Z_:][a-zA-Z0-9_:]* (metric names; label names use the same minus ':').
bool valid_metric_name(const std::string& name);

}  // namespace vigil::http
