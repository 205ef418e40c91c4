#pragma once
// A real child process for system tests: started with argv, stdout read line by line with
// deadlines (never sleep-and-hope), stderr kept in a file for failure messages.

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vigil::test {

class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> argv, std::vector<std::string> extra_env = {});
  ~ChildProcess();  // SIGKILL if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next stdout line, or nullopt at EOF or when the deadline passes.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // Reads lines until `match` accepts one (returned), EOF or the deadline.
  std::optional<std::string> wait_for_line(const std::function<bool(const std::string&)>& match,
                                           std::chrono::milliseconds timeout);
  // Everything buffered or readable right now, without waiting.
  std::vector<std::string> drain_lines();

  void signal(int sig);
  // Waits for exit; returns the exit code (128+signal when killed), nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  bool running();
  pid_t pid() const { return pid_; }
  std::string stderr_text() const;

 private:
  bool fill(std::chrono::milliseconds timeout);

  std::string argv0_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string stderr_path_;
  std::string buffer_;
  bool eof_ = false;
  std::optional<int> exit_code_;
};

// The sanitizer report (ASan, LSan, UBSan, TSan) in a program's stderr, if there is one.
// ~ChildProcess fails the running test with it.
std::optional<std::string> sanitizer_report(const std::string& stderr_text);

// Runs a command to completion; captures stdout and stderr.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
RunResult run_command(std::vector<std::string> argv, std::chrono::milliseconds timeout);

// A fresh empty directory under $TMPDIR, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace vigil::test
