#include "hl7/observation_value.hpp"

#include <charconv>
#include <cmath>

#include "hl7/message.hpp"

namespace vigil::hl7 {
namespace {

// No vital sign needs more than 6 digits before the point; gateways that print doubles
// send up to 17 after it ("37.200000000000003").
constexpr std::size_t kMaxIntegerDigits = 6;
constexpr std::size_t kMaxFractionDigits = 17;

std::string_view trim(std::string_view t) {
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  return t;
}

std::string shown(std::string_view text) {
  // Echoed in ERR and logs: cut long garbage, keep it one line.
  std::string out;
  for (char c : text.substr(0, 24)) out.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  if (text.size() > 24) out += "...";
  return out;
}

}  // namespace

std::optional<double> parse_strict_decimal(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  std::size_t i = text[0] == '-' ? 1 : 0;
  std::size_t int_digits = 0, frac_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) ++int_digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) ++frac_digits;
  }
  if (i != text.size() || int_digits + frac_digits == 0) return std::nullopt;
  if (int_digits > kMaxIntegerDigits || frac_digits > kMaxFractionDigits) return std::nullopt;
  double value = 0;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (res.ec != std::errc() || res.ptr != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

bool is_no_value_placeholder(std::string_view text) {
  text = trim(text);
  // -100: Mindray VS and PDS monitors' "invalid" (SpO2 -100 with the probe off, ST -100.00).
  for (std::string_view s : {"-999", "-999.0", "-999.9", "-9999", "-99.9", "-99", "-9999.0", "-100", "-100.0",
                             "-100.00", "N/A", "NA"}) {
    if (text == s) return true;
  }
  if (text.empty()) return false;
  for (char c : text) {
    if (c != '*' && c != '-' && c != '?' && c != '/') return false;
  }
  return true;
}

ValueCheck read_obx_number(std::string_view obx2, std::string_view obx5, const Delimiters& d) {
  ValueCheck out;
  std::string_view number_text = obx5;
  if (obx2 == "SN") {
    // comparator ^ num1 ^ separator/suffix ^ num2
    std::string_view c[4];
    split(repetition(obx5, 1, d), d.component, c, 4);
    const std::string_view comparator = trim(c[0]);
    if (!(comparator.empty() || comparator == "=") || !c[2].empty() || !c[3].empty()) {
      out.problem = ValueProblem::NotExact;
      out.reason = "OBX-5 SN '" + shown(obx5) + "' is not an exact value";
      return out;
    }
    number_text = c[1];
  }
  if (trim(number_text).empty() || is_no_value_placeholder(number_text)) {
    out.problem = ValueProblem::NoValue;
    out.reason = "OBX-5 '" + shown(number_text) + "' is the device's placeholder for no value";
    return out;
  }
  out.number = parse_strict_decimal(number_text);
  if (!out.number) {
    out.problem = ValueProblem::NotANumber;
    out.reason = "OBX-5 '" + shown(number_text) + "' is not a number";
  }
  return out;
}

std::string outside_physical_range(VitalKind kind, double v) {
  const PhysicalRange r = physical_range(kind);
  if (v >= r.low && v <= r.high) return {};
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
  std::string value(buf, res.ptr);
  auto bound = [](double x) {
    char b[16];
    const auto r2 = std::to_chars(b, b + sizeof b, x, std::chars_format::general, 6);
    return std::string(b, r2.ptr);
  };
  return "OBX-5 " + value + " " + std::string(canonical_unit(kind)) +
         " is outside what a body can produce for " + std::string(to_string(kind)) + " (" + bound(r.low) +
         "-" + bound(r.high) + ")";
}

}  // namespace vigil::hl7
