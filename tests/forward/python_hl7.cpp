#include "forward/python_hl7.hpp"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <sstream>

#include "support/child_process.hpp"

namespace vigil::forward::test {

namespace {

constexpr const char* kPython = "/usr/bin/python3";
const std::string kScript = std::string(VIGIL_TEST_DATA_DIR) + "/../forward/parse_hl7.py";

std::string text(const google::protobuf::Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? std::string() : it->second.string_value();
}

std::string pair(const google::protobuf::Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  if (it == s.fields().end() || it->second.list_value().values_size() < 2) return "";
  const auto& l = it->second.list_value();
  return l.values(0).string_value() + "^" + l.values(1).string_value();
}

}  // namespace

bool PythonHl7::available() {
  auto r = vigil::test::run_command({kPython, "-c", "import hl7"}, std::chrono::seconds(20));
  return r.exit_code == 0;
}

std::vector<PyMessage> PythonHl7::parse(const std::vector<std::string>& messages) {
  error_.clear();
  vigil::test::TempDir dir;
  std::vector<std::string> argv = {kPython, kScript};
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const std::string path = dir.file("m" + std::to_string(i) + ".hl7");
    std::ofstream(path, std::ios::binary) << messages[i];
    argv.push_back(path);
  }
  auto r = vigil::test::run_command(argv, std::chrono::seconds(60));
  if (r.exit_code != 0) {
    error_ = "parse_hl7.py exit " + std::to_string(r.exit_code) + ": " + r.err;
    return {};
  }
  std::vector<PyMessage> out;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    google::protobuf::Struct s;
    if (!google::protobuf::util::JsonStringToMessage(line, &s).ok()) {
      error_ = "unreadable line: " + line;
      return {};
    }
    PyMessage m;
    m.msh3 = pair(s, "msh3");
    m.msh4 = text(s, "msh4");
    m.msh7 = text(s, "msh7");
    m.msh9 = pair(s, "msh9");
    m.msh10 = text(s, "msh10");
    m.bed = text(s, "bed");
    m.obr3 = text(s, "obr3");
    m.obr29 = text(s, "obr29");
    auto resend = s.fields().find("resend");
    if (resend != s.fields().end() && resend->second.has_struct_value())
      m.resend_attempt = text(resend->second.struct_value(), "attempt");
    for (const auto& v : s.fields().at("obx").list_value().values()) {
      const auto& o = v.struct_value();
      m.obx.push_back({text(o, "set"), text(o, "code"), text(o, "ref"), text(o, "sub"), text(o, "value"),
                       text(o, "unit"), text(o, "range"), text(o, "status"), text(o, "time"),
                       text(o, "equipment")});
    }
    out.push_back(std::move(m));
  }
  if (out.size() != messages.size())
    error_ = "expected " + std::to_string(messages.size()) + " lines: " + r.out;
  return out;
}

}  // namespace vigil::forward::test
