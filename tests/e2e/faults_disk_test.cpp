// The database on a filesystem that fills up (T8, alerting from memory, recovery) and vigild
// out of file descriptors.
#include "e2e/faults_support.hpp"

namespace vigil::test::faults {
namespace {

bool is_alert(const std::string& line, const std::string& rule, const std::string& transition,
              const std::string& bed = {}) {
  auto a = parse_alert_line(line);
  return a && a->rule() == rule && a->transition() == transition && (bed.empty() || a->bed() == bed);
}

// Writes to `path` until the filesystem says ENOSPC; returns the errno that stopped it.
int fill_until_full(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return errno;
  const std::string block(64 * 1024, 'F');
  int error = 0;
  for (std::size_t total = 0; error == 0 && total < (64u << 20);) {  // bound: a 2 MiB tmpfs
    ssize_t n = ::write(fd, block.data(), block.size());
    if (n < 0)
      error = errno;
    else
      total += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return error;
}

// The database on a 2 MiB tmpfs that we fill: commits fail, so senders get AR, every client
// sees T8 "Alarm log write failed", vigild says so loudly and keeps alerting from memory;
// once space returns the next message is stored (AA) and T8 resolves by itself.
TEST(FaultsDisk, FullDatabaseFilesystemRaisesT8KeepsAlertingAndRecovers) {
  TempDir dir;
  const std::string mnt = dir.file("small");
  ASSERT_EQ(::mkdir(mnt.c_str(), 0700), 0);
  if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=2m") != 0)
    GTEST_SKIP() << "cannot mount a 2 MiB tmpfs for the database (" << std::strerror(errno)
                 << "): this scenario needs root or CAP_SYS_ADMIN";
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{mnt};  // declared before vigild: unmounted after it is gone

  Vigild vigild(mnt + "/vigil.db");
  const long rss_before = vm_rss_kb(vigild.process().pid());
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 20s)) << watch.stderr_text();
  ChairDriver chair(vigild, "DISK1");
  ASSERT_EQ(chair.vitals(70, 97), "");

  ASSERT_EQ(fill_until_full(mnt + "/fill"), ENOSPC);
  // SQLite may still overwrite WAL space it already holds; the first commit that needs a new
  // page fails. Bounded: a few hundred readings are far more than the WAL's slack.
  std::string answer;
  int tries = 0;
  for (; tries < 300 && answer.rfind("ACK AR", 0) != 0; ++tries) {
    answer = chair.vitals(60 + tries % 100, 96);
    ASSERT_TRUE(answer.empty() || answer.rfind("ACK AR", 0) == 0) << answer;
  }
  ASSERT_EQ(answer.rfind("ACK AR", 0), 0u) << "the sender never got AR on a full disk";
  EXPECT_TRUE(wait_for_stderr(vigild, "ALARM LOG WRITE FAILED")) << vigild.process().stderr_text();
  auto t8 = watch.wait_for_line([](auto& l) { return is_alert(l, "T8", "raised", "DISK1"); }, 20s);
  ASSERT_TRUE(t8) << "no T8 for the chair on the stream";
  EXPECT_NE(parse_alert_line(*t8)->message().find("log"), std::string::npos) << *t8;

  // A hypertensive NIBP while nothing can be stored: refused to its sender (AR, it resends)
  // but the alarm reaches the nurse from memory.
  ChairDriver hyper(vigild, "DISK2");
  EXPECT_EQ(hyper.nibp(10, 205, 100).rfind("ACK AR", 0), 0u);
  EXPECT_TRUE(watch.wait_for_line([](auto& l) { return is_alert(l, "P1", "raised", "DISK2"); }, 20s))
      << "P1 not shown while the log is down\n"
      << vigild.process().stderr_text();

  ASSERT_EQ(::unlink((mnt + "/fill").c_str()), 0);
  answer = chair.vitals(75, 97);
  EXPECT_EQ(answer, "") << "first message after space returned";
  for (int i = 0; i < 20 && !answer.empty(); ++i) answer = chair.vitals(76, 97);
  ASSERT_EQ(answer, "");
  EXPECT_TRUE(watch.wait_for_line([](auto& l) { return is_alert(l, "T8", "resolved", "DISK1"); }, 20s))
      << "T8 did not resolve once space returned";
  EXPECT_TRUE(wait_for_stderr(vigild, "alarm log writes work again"));
  const long rss_after = vm_rss_kb(vigild.process().pid());
  EXPECT_LT(rss_after, kRssBoundKb);
  report("database filesystem full", rss_before, rss_after,
         "AR after " + std::to_string(tries) +
             " message(s) on the full 2 MiB tmpfs, T8 to the watcher, "
             "P1 shown from memory, AA and T8 resolved once the filler was deleted");
  EXPECT_EQ(vigild.stop(), 0);
}

// Descriptors a process holds now (entries of /proc/PID/fd); -1 if unreadable.
int open_fds(pid_t pid) {
  std::error_code ec;
  int n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++n;
  return ec ? -1 : n;
}

// vigild out of file descriptors (prlimit 48), filled with idle monitor links one at a time
// so none waits in the HL7 listen queue: a stream client that comes then waits in its listen
// queue, an already connected monitor keeps getting AA, and once descriptors are free again
// the waiting client is greeted and a new monitor is served, without a restart.
TEST(FaultsLimits, OutOfDescriptorsRecoversWhenTheyReturn) {
  const std::string prlimit = "/usr/bin/prlimit";
  if (::access(prlimit.c_str(), X_OK) != 0) GTEST_SKIP() << prlimit << " (util-linux) is not installed";
  constexpr int kLimit = 48;
  TempDir dir;
  VigildOptions limited = VigildOptions::on(dir.file("vigil.db"));
  limited.run_under = {prlimit, "--nofile=48:48"};
  Vigild daemon(limited);
  ChildProcess& vigild = daemon.process();
  const Endpoint hl7 = daemon.hl7, stream = daemon.stream;
  const long rss_before = vm_rss_kb(vigild.pid());
  auto send = [](MllpClient& monitor, int hr) {
    OruValues v;
    v.bed = "FDS";
    v.control_id = "FD" + std::to_string(hr);
    v.hr = hr;
    if (!monitor.send_message(make_oru(v))) return std::string("send failed");
    auto ack = monitor.read_reply(20s);
    return ack ? hl7_field(*ack, "MSA", 1) : std::string("no ACK");
  };
  MllpClient good(hl7.host, hl7.port);
  ASSERT_EQ(send(good, 60), "AA");

  std::vector<std::unique_ptr<MllpClient>> hogs;
  for (int fds = open_fds(vigild.pid()); fds >= 0 && fds < kLimit;) {
    hogs.push_back(std::make_unique<MllpClient>(hl7.host, hl7.port));
    const auto deadline = Clock::now() + 20s;
    for (int before = fds; (fds = open_fds(vigild.pid())) == before;) {
      ASSERT_LT(Clock::now(), deadline) << "vigild did not accept link " << hogs.size();
      std::this_thread::sleep_for(1ms);
    }
  }
  ASSERT_EQ(open_fds(vigild.pid()), kLimit);
  MllpClient waiting(stream.host, stream.port);  // queued: vigild cannot accept it now
  ASSERT_TRUE(waiting.send_raw(hello_frame("waiting")));
  EXPECT_EQ(send(good, 61), "AA") << "a connected monitor was not served while out of descriptors";

  const std::size_t hog_count = hogs.size();
  hogs.clear();
  pollfd p{waiting.fd(), POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 20000), 1) << "no ServerHello once descriptors were free again";
  MllpClient fresh(hl7.host, hl7.port);
  EXPECT_EQ(send(fresh, 62), "AA") << "a new monitor was not served once descriptors were free again";
  const long rss_after = vm_rss_kb(vigild.pid());
  EXPECT_LT(rss_after, kRssBoundKb);
  report("out of file descriptors (RLIMIT_NOFILE 48)", rss_before, rss_after,
         std::to_string(hog_count) +
             " idle links filled the table; connected monitor served meanwhile; waiting "
             "stream client greeted and a new monitor served once freed");
  vigild.signal(SIGTERM);
  EXPECT_EQ(vigild.wait(20s), 0);
}

}  // namespace
}  // namespace vigil::test::faults
