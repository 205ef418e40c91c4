#include "hl7/units.hpp"

#include <charconv>

#include "hl7/mdc_codes.hpp"
#include "hl7/message.hpp"

namespace vigil::hl7 {
namespace {

constexpr double kMmHgPerKiloPascal = 7.50062;

struct UnitCode {
  std::uint32_t code;
  Unit unit;
};

// IEEE 11073-10101 dimension codes (partition 4): mmHg 3872, kPa 3843, %, 544,
// beats/min 2720, breaths/min 2784, degC 6048, degF 4416.
constexpr UnitCode kUnitCodes[] = {
    {266016, Unit::MmHg},      {265987, Unit::KiloPascal}, {262688, Unit::Percent}, {264864, Unit::PerMinute},
    {264928, Unit::PerMinute}, {268192, Unit::DegC},       {266560, Unit::DegF},
};

struct UnitText {
  std::string_view text;
  Unit unit;
};

constexpr UnitText kUnitTexts[] = {
    {"MDC_DIM_MMHG", Unit::MmHg},
    {"MDC_DIM_KILO_PASCAL", Unit::KiloPascal},
    {"MDC_DIM_PERCENT", Unit::Percent},
    {"MDC_DIM_BEAT_PER_MIN", Unit::PerMinute},
    {"MDC_DIM_RESP_PER_MIN", Unit::PerMinute},
    {"MDC_DIM_DEGC", Unit::DegC},
    {"MDC_DIM_FAHR", Unit::DegF},
    {"mm[Hg]", Unit::MmHg},
    {"mmHg", Unit::MmHg},
    {"mm Hg", Unit::MmHg},
    {"kPa", Unit::KiloPascal},
    {"%", Unit::Percent},
    {"/min", Unit::PerMinute},
    {"1/min", Unit::PerMinute},
    {"min-1", Unit::PerMinute},
    {"bpm", Unit::PerMinute},
    {"beats/min", Unit::PerMinute},
    {"breaths/min", Unit::PerMinute},
    {"b/min", Unit::PerMinute},
    {"br/min", Unit::PerMinute},
    {"Br/M", Unit::PerMinute},  // Welch Allyn Connectivity Server
    {"Percent", Unit::Percent},
    {"rpm", Unit::PerMinute},
    {"brpm", Unit::PerMinute},
    {"Cel", Unit::DegC},
    {"degC", Unit::DegC},  // also Welch Allyn's "DegC" (compared case-insensitively)
    {"deg C", Unit::DegC},
    {"C", Unit::DegC},
    {"\xC2\xB0"
     "C",
     Unit::DegC},  // °C in UTF-8
    {"\xB0"
     "C",
     Unit::DegC},  // °C in ISO 8859-1
    {"[degF]", Unit::DegF},
    {"degF", Unit::DegF},
    {"deg F", Unit::DegF},
    {"F", Unit::DegF},
    {"\xC2\xB0"
     "F",
     Unit::DegF},
    {"\xB0"
     "F",
     Unit::DegF},
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// UCUM annotations are free text in braces and do not change the unit: "{beat}/min" and
// "{beats}/min" are "/min". Returns false when there is nothing but an annotation (a bare
// "{beats}" is the unit 1, not a rate) or the braces do not pair.
bool strip_annotations(std::string_view text, char (&buf)[32], std::string_view& out) {
  std::size_t n = 0;
  bool inside = false, had = false;
  for (char c : text) {
    if (c == '{') {
      if (inside) return false;
      inside = had = true;
    } else if (c == '}') {
      if (!inside) return false;
      inside = false;
    } else if (!inside) {
      if (n == sizeof buf) return false;
      buf[n++] = c;
    }
  }
  if (inside || !had || n == 0) return false;
  out = std::string_view(buf, n);
  return true;
}

std::optional<Unit> from_text_or_annotated(std::string_view text) {
  if (auto u = unit_from_text(text)) return u;
  char buf[32];
  std::string_view stripped;
  if (strip_annotations(text, buf, stripped)) return unit_from_text(stripped);
  return std::nullopt;
}

std::optional<Unit> resolve_one(std::string_view id, std::string_view text) {
  // Blanks around a component are padding ("mmHg "), as in names and status codes.
  auto trimmed = [](std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
  };
  id = trimmed(id);
  text = trimmed(text);
  if (auto code = parse_numeric_code(id)) {
    if (auto u = unit_from_mdc_code(*code)) return u;
  }
  if (auto code = parse_mdil_hex(id)) {
    if (auto u = unit_from_mdc_code(*code)) return u;
  }
  if (auto u = from_text_or_annotated(id)) return u;
  return from_text_or_annotated(text);
}

}  // namespace

std::optional<Unit> unit_from_mdc_code(std::uint32_t code) {
  for (const UnitCode& row : kUnitCodes) {
    if (row.code == code) return row.unit;
  }
  return std::nullopt;
}

std::optional<Unit> unit_from_text(std::string_view text) {
  if (text.empty()) return std::nullopt;
  for (const UnitText& row : kUnitTexts) {
    if (iequals(row.text, text)) return row.unit;
  }
  return std::nullopt;
}

std::optional<Unit> resolve_unit(std::string_view obx6, const Delimiters& d) {
  std::string_view c[5];
  split(repetition(obx6, 1, d), d.component, c, 5);
  if (auto u = resolve_one(c[0], c[1])) return u;
  return resolve_one(c[3], c[4]);
}

std::optional<double> to_canonical(VitalKind kind, Unit unit, double value) {
  switch (kind) {
    case VitalKind::NibpSys:
    case VitalKind::NibpDia:
    case VitalKind::NibpMean:
      if (unit == Unit::MmHg) return value;
      if (unit == Unit::KiloPascal) return value * kMmHgPerKiloPascal;
      return std::nullopt;
    case VitalKind::HeartRate:
    case VitalKind::PulseRate:
    case VitalKind::RespRate:
      if (unit == Unit::PerMinute) return value;
      return std::nullopt;
    case VitalKind::SpO2:
      if (unit == Unit::Percent) return value;
      return std::nullopt;
    case VitalKind::Temperature:
      if (unit == Unit::DegC) return value;
      if (unit == Unit::DegF) return (value - 32.0) * 5.0 / 9.0;
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<double> parse_hl7_number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  std::size_t i = 0;
  if (text[0] == '+' || text[0] == '-') i = 1;
  // The digits are gathered as an integer while the grammar is checked (one pass).
  std::uint64_t digits = 0;
  std::size_t int_digits = 0, frac_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++int_digits) {
    digits = digits * 10 + static_cast<std::uint64_t>(text[i] - '0');
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++frac_digits) {
      digits = digits * 10 + static_cast<std::uint64_t>(text[i] - '0');
    }
  }
  if (i != text.size() || int_digits + frac_digits == 0) return std::nullopt;
  if (int_digits + frac_digits <= 15) {
    // Exact fast path (vital signs are a few digits): the digits as an integer below 2^53
    // and a power of ten up to 1e15 are both exact doubles, and one IEEE division of exact
    // operands is correctly rounded, which is what from_chars returns too.
    static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const double magnitude = static_cast<double>(digits) / kPow10[frac_digits];
    return text[0] == '-' ? -magnitude : magnitude;
  }
  // Longer numbers (the integer above may have wrapped): the library's exact conversion.
  // from_chars rejects a leading '+', so skip it; the grammar above already checked it.
  std::string_view body = text[0] == '+' ? text.substr(1) : text;
  double value = 0;
  const auto res = std::from_chars(body.data(), body.data() + body.size(), value, std::chars_format::fixed);
  if (res.ec != std::errc() || res.ptr != body.data() + body.size()) return std::nullopt;
  return value;
}

}  // namespace vigil::hl7
