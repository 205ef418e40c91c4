#include "http/metrics_text.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace vigil::http {

namespace {

bool name_char(char c, bool first, bool colon_ok) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return true;
  if (c == ':') return colon_ok;
  return !first && c >= '0' && c <= '9';
}

bool valid_name(const std::string& name, bool colon_ok) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (!name_char(name[i], i == 0, colon_ok)) return false;
  return true;
}

const char* type_word(MetricType type) {
  switch (type) {
    case MetricType::Counter: return "counter";
    case MetricType::Gauge: return "gauge";
    case MetricType::Histogram: return "histogram";
  }
  return "untyped";
}

// HELP text escapes only backslash and newline (the format's rule for docstrings).
std::string escape_help(const std::string& help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void append_sample_line(std::string& text, const std::string& name, const Labels& labels, double value) {
  text += name;
  if (!labels.empty()) {
    text += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (!valid_name(labels[i].first, false))
        throw std::invalid_argument("invalid label name '" + labels[i].first + "'");
      if (i > 0) text += ',';
      text += labels[i].first;
      text += "=\"";
      text += escape_label_value(labels[i].second);
      text += '"';
    }
    text += '}';
  }
  text += ' ';
  text += format_metric_value(value);
  text += '\n';
}

}  // namespace

bool valid_metric_name(const std::string& name) { return valid_name(name, true); }

std::string format_metric_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Counters and gauges are mostly whole numbers; print those exactly, without ".0".
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", value);
    return buf;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  // Shortest form that reads back the same: try fewer digits first.
  for (int digits = 1; digits <= 17; ++digits) {
    char shorter[32];
    std::snprintf(shorter, sizeof shorter, "%.*g", digits, value);
    if (std::strtod(shorter, nullptr) == value) return shorter;
  }
  return buf;
}

std::string escape_label_value(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void MetricsText::add(const std::string& name, MetricType type, const std::string& help) {
  if (!valid_metric_name(name)) throw std::invalid_argument("invalid metric name '" + name + "'");
  name_ = name;
  text_ += "# HELP " + name + " " + escape_help(help) + "\n";
  text_ += "# TYPE " + name + " " + type_word(type) + "\n";
}

void MetricsText::sample(double value, Labels labels) {
  if (name_.empty()) throw std::invalid_argument("sample() before add()");
  append_sample_line(text_, name_, labels, value);
}

void MetricsText::histogram(const std::string& name, const std::string& help, const HistogramValue& value) {
  add(name, MetricType::Histogram, help);
  for (std::size_t i = 0; i < value.bounds.size() && i < value.cumulative.size(); ++i)
    append_sample_line(text_, name + "_bucket", {{"le", format_metric_value(value.bounds[i])}},
                       static_cast<double>(value.cumulative[i]));
  append_sample_line(text_, name + "_bucket", {{"le", "+Inf"}}, static_cast<double>(value.count));
  append_sample_line(text_, name + "_sum", {}, value.sum);
  append_sample_line(text_, name + "_count", {}, static_cast<double>(value.count));
}

}  // namespace vigil::http
