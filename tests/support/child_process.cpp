#include "support/child_process.hpp"

#include "support/file_text.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/file_text.hpp"

extern char** environ;

namespace vigil::test {

namespace {

std::string temp_root() {
  const char* t = std::getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

std::vector<char*> c_argv(std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (auto& a : argv) out.push_back(a.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::optional<std::string> sanitizer_report(const std::string& stderr_text) {
  // Every ASan/LSan/UBSan/TSan report ends with a SUMMARY line naming the tool. (Plain
  // find, not std::regex: a child's stderr can be megabytes.)
  std::size_t start = std::string::npos;
  for (const char* tool : {"Address", "Leak", "UndefinedBehavior", "Thread"}) {
    start = std::min(start, stderr_text.find(std::string("SUMMARY: ") + tool + "Sanitizer"));
  }
  if (start == std::string::npos) return std::nullopt;
  // Start at the report's header when there is one (ASan "==PID==ERROR", TSan "WARNING",
  // UBSan "file:line: runtime error") so the failure message shows what and where.
  for (const char* header :
       {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "WARNING: ThreadSanitizer", "runtime error:"}) {
    start = std::min(start, stderr_text.find(header));
  }
  const std::size_t line = stderr_text.rfind('\n', start);
  start = line == std::string::npos ? 0 : line + 1;
  return stderr_text.substr(start, 8000);
}

ChildProcess::ChildProcess(std::vector<std::string> argv, std::vector<std::string> extra_env) {
  argv0_ = argv.empty() ? std::string() : argv[0];
  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  char tmpl[] = "/tmp/vigil-test-stderr-XXXXXX";
  int err_fd = mkstemp(tmpl);
  if (err_fd < 0) throw std::runtime_error("mkstemp failed");
  stderr_path_ = tmpl;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);

  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  for (auto& e : extra_env) env.push_back(e);
  auto cargv = c_argv(argv);
  auto cenv = c_argv(env);
  int rc = posix_spawn(&pid_, cargv[0], &actions, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_fd);
  if (rc != 0) {
    close(out_pipe[0]);
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  stdout_fd_ = out_pipe[0];
}

ChildProcess::~ChildProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait(std::chrono::seconds(10));
  }
  // A sanitizer report in a child (sanitized builds spawn sanitized programs) is a bug in
  // the program under test even when the test saw all the output it wanted, and the exit
  // code is lost when the test kills the child: fail the running test with the report.
  if (auto report = sanitizer_report(stderr_text())) {
    ADD_FAILURE() << "sanitizer report from child " << argv0_ << " (pid " << pid_ << "):\n" << *report;
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
  if (!stderr_path_.empty()) std::remove(stderr_path_.c_str());
}

bool ChildProcess::fill(std::chrono::milliseconds timeout) {
  if (eof_) return false;
  pollfd pfd{stdout_fd_, POLLIN, 0};
  int n = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
  if (n <= 0) return false;
  char buf[4096];
  ssize_t got = ::read(stdout_fd_, buf, sizeof buf);
  if (got <= 0) {
    eof_ = true;
    return false;
  }
  buffer_.append(buf, static_cast<std::size_t>(got));
  return true;
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || eof_) return std::nullopt;
    fill(left);
  }
}

std::optional<std::string> ChildProcess::wait_for_line(const std::function<bool(const std::string&)>& match,
                                                       std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto line = read_line(left);
    if (!line) return std::nullopt;
    if (match(*line)) return line;
  }
}

std::vector<std::string> ChildProcess::drain_lines() {
  while (fill(std::chrono::milliseconds(0))) {
  }
  std::vector<std::string> lines;
  while (auto line = read_line(std::chrono::milliseconds(0))) lines.push_back(*line);
  return lines;
}

void ChildProcess::signal(int sig) {
  if (running()) ::kill(pid_, sig);
}

bool ChildProcess::running() {
  if (exit_code_) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return r == 0;
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    // Polling the child's state: there is no portable waitpid with a deadline.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return exit_code_;
}

std::string ChildProcess::stderr_text() const { return read_file(stderr_path_); }

RunResult run_command(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
  ChildProcess child(std::move(argv));
  RunResult result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (auto line = child.read_line(std::chrono::duration_cast<std::chrono::milliseconds>(
             deadline - std::chrono::steady_clock::now()))) {
    result.out += *line + "\n";
  }
  auto code = child.wait(std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now() + std::chrono::seconds(1)));
  result.exit_code = code.value_or(-1);
  for (auto& line : child.drain_lines()) result.out += line + "\n";
  result.err = child.stderr_text();
  return result;
}

TempDir::TempDir() {
  std::string tmpl = temp_root() + "/vigil-test-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace vigil::test
