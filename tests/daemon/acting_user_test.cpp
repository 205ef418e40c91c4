// Who acts: a station naming a nurse (with her PIN), a nurse login, wrong PINs backed off,
// and what the hello tells a nurse or station (stream_auth.hpp, acting_user.hpp).
#include "daemon/acting_user.hpp"

#include <gtest/gtest.h>

#include "events.pb.h"

namespace vigil::daemon {
namespace {

using namespace std::chrono_literals;

std::vector<StreamUser> ward_users() {
  return {make_stream_user("ward-screen", "station", sha256_hex("station token 0001"), ""),
          make_stream_user("lee", "nurse", "", "", sha256_hex("4711")),
          make_stream_user("kim", "nurse", sha256_hex("kim token 0002"), ""),
          make_stream_user("vera", "viewer", sha256_hex("viewer token 0003"), "")};
}

stream::StreamServer::ClientIdentity login(const std::string& user, const std::string& role) {
  return {user, role, true};
}

proto::NurseRequest ack(const std::string& user, const std::string& pin = {}) {
  proto::NurseRequest r;
  r.set_bed("CHAIR3");
  r.set_user(user);
  r.set_pin(pin);
  r.mutable_acknowledge()->set_alert_id("CHAIR3-P1-1");
  return r;
}

class ActingUserTest : public ::testing::Test {
 protected:
  std::chrono::steady_clock::time_point now_{};
  std::shared_ptr<LoginBackoff> backoff_ =
      std::make_shared<LoginBackoff>(LoginBackoffOptions{3, 1s, 60s, 16}, [this] { return now_; });
  ActingUser acting_{ward_users(), backoff_};

  std::string refused(const stream::StreamServer::ClientIdentity& who, const proto::NurseRequest& r) {
    auto result = acting_.resolve(who, r);
    const auto* no = std::get_if<ActorRefused>(&result);
    return no ? no->reason : "(accepted as " + std::get<Actor>(result).user + ")";
  }
  Actor accepted(const stream::StreamServer::ClientIdentity& who, const proto::NurseRequest& r) {
    auto result = acting_.resolve(who, r);
    EXPECT_TRUE(std::holds_alternative<Actor>(result)) << std::get<ActorRefused>(result).reason;
    return std::holds_alternative<Actor>(result) ? std::get<Actor>(result) : Actor{};
  }
};

TEST_F(ActingUserTest, AStationActsOnlyInTheNameOfANurseWithHerPin) {
  const auto station = login("ward-screen", "station");
  EXPECT_EQ(refused(station, ack("")), "this shared screen (ward-screen) must name the nurse who acts");
  EXPECT_EQ(refused(station, ack("ward-screen")),
            "this shared screen (ward-screen) must name the nurse who acts");
  EXPECT_EQ(refused(station, ack("nobody")), "no nurse named 'nobody'");
  EXPECT_EQ(refused(station, ack("vera")), "no nurse named 'vera'");
  EXPECT_EQ(refused(station, ack("lee")), "PIN required for lee");
  EXPECT_EQ(refused(station, ack("lee", "1234")), "wrong PIN for lee");
  const Actor lee = accepted(station, ack("lee", "4711"));
  EXPECT_EQ(lee.user, "lee");
  EXPECT_EQ(lee.screen, "ward-screen");
  // A nurse without a PIN: the pick is enough.
  EXPECT_EQ(accepted(station, ack("kim")).user, "kim");
}

TEST_F(ActingUserTest, AStationsReportIsItsOwn) {
  proto::NurseRequest report;
  report.set_bed("CHAIR3");
  report.mutable_report();
  EXPECT_EQ(accepted(login("ward-screen", "station"), report).user, "ward-screen");
}

TEST_F(ActingUserTest, ANurseLoginActsAsHerselfUnlessSheNamesAnotherNurse) {
  const auto kim = login("kim", "nurse");
  EXPECT_EQ(accepted(kim, ack("")).user, "kim");
  EXPECT_EQ(accepted(kim, ack("kim")).user, "kim");
  // A typed name that is no nurse was never trusted: she acts as herself, as before.
  EXPECT_EQ(accepted(kim, ack("mallory")).user, "kim");
  // Another nurse: her PIN, as at a station.
  EXPECT_EQ(refused(kim, ack("lee", "0000")), "wrong PIN for lee");
  const Actor lee = accepted(kim, ack("lee", "4711"));
  EXPECT_EQ(lee.user, "lee");
  EXPECT_EQ(lee.screen, "kim");
}

TEST_F(ActingUserTest, AViewerNeverActsForAnother) {
  proto::NurseRequest report;
  report.set_bed("CHAIR3");
  report.set_user("lee");
  report.mutable_report();
  EXPECT_EQ(accepted(login("vera", "viewer"), report).user, "vera");
}

TEST_F(ActingUserTest, WithoutLoginsTheNameGivenActs) {
  const stream::StreamServer::ClientIdentity anonymous{"desk", "", false};
  EXPECT_EQ(accepted(anonymous, ack("")).user, "desk");
  EXPECT_EQ(accepted(anonymous, ack("lee")).user, "lee");
}

TEST_F(ActingUserTest, RepeatedWrongPinsAreBackedOffPerScreenAndNurse) {
  const auto station = login("ward-screen", "station");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(refused(station, ack("lee", "0000")), "wrong PIN for lee") << i;
  // Three free tries, the fourth locked the pair for 1 s: even the right PIN waits.
  EXPECT_EQ(refused(station, ack("lee", "4711")),
            "too many wrong PINs for lee from this screen; retry in 1 s");
  // Another screen naming lee is not locked out by this one's guesses.
  EXPECT_EQ(accepted(login("kim", "nurse"), ack("lee", "4711")).user, "lee");
  now_ += 1s;
  EXPECT_EQ(accepted(station, ack("lee", "4711")).user, "lee");
  // The right PIN starts the pair afresh.
  EXPECT_EQ(refused(station, ack("lee", "0000")), "wrong PIN for lee");
}

TEST(StreamAuthNurses, ANurseOrStationIsToldTheNursesAndWhetherPinsAreNeeded) {
  StreamAuth auth(ward_users(), false);
  auto hello_as = [&](const std::string& token) {
    proto::ClientHello hello;
    hello.set_token(token);
    const std::string address = "127.0.0.1", cn;
    return auth.admit({hello, address, cn});
  };
  const auto station = hello_as("station token 0001");
  ASSERT_TRUE(station.accepted);
  EXPECT_EQ(station.role, "station");
  EXPECT_EQ(station.nurses, (std::vector<std::string>{"lee", "kim"}));
  EXPECT_TRUE(station.pin_required);
  EXPECT_EQ(hello_as("kim token 0002").nurses.size(), 2u);
  const auto viewer = hello_as("viewer token 0003");
  ASSERT_TRUE(viewer.accepted);
  EXPECT_TRUE(viewer.nurses.empty());
  EXPECT_FALSE(viewer.pin_required);
}

TEST(StreamAuthNurses, PinsAreHexHashesAndOnlyForNurses) {
  EXPECT_THROW(make_stream_user("lee", "nurse", "", "", "1234"), std::invalid_argument);
  EXPECT_THROW(make_stream_user("desk", "station", sha256_hex("t"), "", sha256_hex("1")),
               std::invalid_argument);
  EXPECT_EQ(make_stream_user("lee", "nurse", "", "", std::string(64, 'B')).pin_sha256, std::string(64, 'b'));
  EXPECT_THROW(make_stream_user("x", "admin", sha256_hex("t"), ""), std::invalid_argument);
  EXPECT_EQ(make_stream_user("desk", "station", sha256_hex("t"), "").role, Role::Station);
}

}  // namespace
}  // namespace vigil::daemon
