// MSH-18 and the transcoding of HL7 text to UTF-8 (devices/hl7/charset.hpp), alone and
// through ingest_message().
#include "hl7/charset.hpp"

#include <gtest/gtest.h>

#include "hl7/ingest.hpp"
#include "hl7_samples.hpp"
#include "text/utf8.hpp"

namespace vigil::hl7 {
namespace {

using testing::load_sample;

const std::string kFffd(kReplacementCharacter);

std::string transcode(std::string_view bytes, Charset c, std::size_t* replaced = nullptr) {
  std::string out;
  const std::size_t n = transcode_to_utf8(bytes, c, out);
  if (replaced) *replaced = n;
  return out;
}

// A minimal ORU^R01 with PV1-3 = `location`, MSH-3 = `app` and MSH-18 = `charset`.
std::string message(const std::string& location, const std::string& charset, const std::string& app = "MON") {
  return "MSH|^~\\&|" + app + "|WARD||VIGIL|20240102030405||ORU^R01|C1|P|2.6||||||" + charset + "\rPV1||I|" +
         location + "\rOBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|%|||||F\r";
}

TEST(Charset, Msh18ValuesOfTable0211) {
  EXPECT_TRUE(charset_request("", '~').automatic);
  EXPECT_FALSE(charset_request("", '~').unknown);
  EXPECT_EQ(charset_request("ASCII", '~').charset, Charset::Ascii);
  EXPECT_EQ(charset_request("8859/1", '~').charset, Charset::Latin1);
  EXPECT_EQ(charset_request("8859/15", '~').charset, Charset::Latin9);
  EXPECT_EQ(charset_request("UNICODE UTF-8", '~').charset, Charset::Utf8);
  EXPECT_EQ(charset_request(" unicode utf-8 ", '~').charset, Charset::Utf8);
  // The first repetition is the message's set; the others are alternates.
  EXPECT_EQ(charset_request("8859/1~ISO IR87", '~').charset, Charset::Latin1);
  for (const char* other : {"UNICODE UTF-16", "8859/2", "LATIN1", "ISO IR87"}) {
    const CharsetRequest r = charset_request(other, '~');
    EXPECT_TRUE(r.automatic && r.unknown) << other;
  }
}

TEST(Charset, Latin1BytesBecomeTheirCharacters) {
  std::size_t n = 9;
  EXPECT_EQ(transcode("FAUTEUIL-\xE9", Charset::Latin1, &n), "FAUTEUIL-\xC3\xA9");
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(transcode("\xA0\xFF", Charset::Latin1), "\xC2\xA0\xC3\xBF");
  // 0x80..0x9F as Windows-1252: euro, left double quote, oe; its five holes are invalid.
  EXPECT_EQ(transcode("\x80\x93\x9C", Charset::Latin1, &n), "\xE2\x82\xAC\xE2\x80\x9C\xC5\x93");
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(transcode("a\x81z", Charset::Latin1, &n), "a" + kFffd + "z");
  EXPECT_EQ(n, 1u);
}

TEST(Charset, Latin9DiffersInEightPlacesAndHasNoC1Text) {
  std::size_t n = 0;
  EXPECT_EQ(transcode("\xA4\xBD\xE9", Charset::Latin9, &n), "\xE2\x82\xAC\xC5\x93\xC3\xA9");
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(transcode("\x85", Charset::Latin9, &n), kFffd);
  EXPECT_EQ(n, 1u);
}

TEST(Charset, AsciiAndUtf8ReplaceWhatIsInvalid) {
  std::size_t n = 0;
  EXPECT_EQ(transcode("A\xE9"
                      "B",
                      Charset::Ascii, &n),
            "A" + kFffd + "B");
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(transcode("\xC3\xA9\xE9", Charset::Utf8, &n), "\xC3\xA9" + kFffd);
  EXPECT_EQ(n, 1u);
}

std::string back(std::string_view utf8, Charset c, std::size_t* replaced = nullptr) {
  std::string out;
  const std::size_t n = transcode_from_utf8(utf8, c, out);
  if (replaced) *replaced = n;
  return out;
}

// What the ACK writes: every character a set holds goes back to the byte it was read from,
// anything else to one '?' per character.
TEST(Charset, Utf8IsWrittenBackIntoEachSet) {
  for (Charset c : {Charset::Latin1, Charset::Latin9}) {
    for (int b = 0x20; b <= 0xFF; ++b) {
      const std::string byte(1, static_cast<char>(b));
      std::string utf8;
      if (transcode_to_utf8(byte, c, utf8) != 0) continue;  // not a character of this set
      EXPECT_EQ(back(utf8, c), byte) << to_string(c) << " " << b;
    }
  }
  std::size_t n = 0;
  // Omega is in none of them; the euro sign is Windows-1252 0x80 and 8859/15 0xA4.
  EXPECT_EQ(back("\xCE\xA9-\xE2\x82\xAC", Charset::Latin1, &n), "?-\x80");
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(back("\xC2\xA4\xE2\x82\xAC", Charset::Latin9, &n), "?\xA4");
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(back("SALLE-\xC3\x89", Charset::Ascii, &n), "SALLE-?");
  EXPECT_EQ(n, 1u);
  // U+FFFD (a byte that was invalid when read) and invalid UTF-8 are '?' too.
  EXPECT_EQ(back(kFffd + "\xE9", Charset::Latin1, &n), "??");
  EXPECT_EQ(back("\xC3\xA9\xE9", Charset::Utf8, &n), "\xC3\xA9" + kFffd);
}

TEST(Charset, AutomaticIsUtf8WhenValidElseLatin1) {
  const CharsetRequest automatic;
  EXPECT_EQ(resolve_charset(automatic, "FAUTEUIL-\xC3\xA9"), Charset::Utf8);
  EXPECT_EQ(resolve_charset(automatic, "FAUTEUIL-\xE9"), Charset::Latin1);
}

TEST(CharsetIngest, Latin1LocationWithoutMsh18IsReadAsLatin1) {
  const IngestResult r = ingest_message(message("^^FAUTEUIL-\xE9", ""), {});
  ASSERT_EQ(r.code, AckCode::AA);
  EXPECT_EQ(r.identity.location, "FAUTEUIL-\xC3\xA9");
  EXPECT_EQ(r.identity.location_raw, "^^FAUTEUIL-\xC3\xA9");
  EXPECT_EQ(r.charset, Charset::Latin1);
  EXPECT_EQ(r.replaced_characters, 0u);
  EXPECT_FALSE(r.charset_unknown);
  ASSERT_EQ(r.readings.size(), 1u);
}

TEST(CharsetIngest, TheSampleInTestData) {
  const IngestResult r = ingest_message(load_sample("latin1-pv1-msh3.hl7"), {});
  ASSERT_EQ(r.code, AckCode::AA);
  EXPECT_EQ(r.identity.location, "FAUTEUIL-\xC3\xA9");
  EXPECT_EQ(r.identity.sending_application,
            "MONITEUR-\xC3\x89"
            "COLE");
  // The ACK echoes the sender's own bytes: it goes back to the sender, in its set.
  EXPECT_EQ(r.ack.sending_application,
            "MONITEUR-\xC9"
            "COLE");
  for (const Reading& reading : r.readings) EXPECT_TRUE(is_valid_utf8(reading.source));
}

TEST(CharsetIngest, Utf8WithoutMsh18IsKept) {
  const IngestResult r = ingest_message(message("^^FAUTEUIL-\xC3\xA9", ""), {});
  EXPECT_EQ(r.identity.location, "FAUTEUIL-\xC3\xA9");
  EXPECT_EQ(r.charset, Charset::Utf8);
}

TEST(CharsetIngest, DeclaredSetsAreHonoured) {
  EXPECT_EQ(ingest_message(message("^^FAUTEUIL-\xA4", "8859/15"), {}).identity.location,
            "FAUTEUIL-\xE2\x82\xAC");
  EXPECT_EQ(ingest_message(message("^^FAUTEUIL-\xA4", "8859/1"), {}).identity.location, "FAUTEUIL-\xC2\xA4");
  // UTF-8 declared but Latin-1 sent: the bad byte is replaced and counted, never passed.
  const IngestResult r = ingest_message(message("^^FAUTEUIL-\xE9", "UNICODE UTF-8"), {});
  ASSERT_EQ(r.code, AckCode::AA);
  EXPECT_EQ(r.identity.location, "FAUTEUIL-" + kFffd);
  EXPECT_EQ(r.replaced_characters, 1u);
  const IngestResult a = ingest_message(message("^^FAUTEUIL-\xE9", "ASCII"), {});
  EXPECT_EQ(a.identity.location, "FAUTEUIL-" + kFffd);
  EXPECT_EQ(a.replaced_characters, 1u);
}

// The ACK goes back in the sender's declared set: names with bytes invalid there are echoed
// repaired (U+FFFD in UTF-8, '?' in ASCII), never as they came; Latin-1 bytes are valid
// Latin-1 and go back as sent; the control id is echoed byte for byte.
TEST(CharsetIngest, TheAckEchoesOnlyTextValidInTheDeclaredSet) {
  const IngestResult u = ingest_message(message("^^F", "UNICODE UTF-8", "MON-\xE9"), {});
  EXPECT_EQ(u.ack.sending_application, "MON-" + kFffd);
  EXPECT_TRUE(is_valid_utf8(build_ack(u.ack, u.code, "", 0, 0, "A1")));
  const IngestResult a = ingest_message(message("^^F", "ASCII", "MON-\xE9"), {});
  EXPECT_EQ(a.ack.sending_application, "MON-?");
  const IngestResult l = ingest_message(message("^^F", "8859/1", "MON-\xE9"), {});
  EXPECT_EQ(l.ack.sending_application, "MON-\xE9");
}

// The whole ACK is in the set the sender declared, and says so in MSH-18: our text that
// quotes its chair names and observations goes back in 8859/1 like the echoed names, never
// as UTF-8 beside them.
TEST(CharsetIngest, TheAckIsWhollyInTheDeclaredSetAndNamesIt) {
  const std::string two_chairs =
      message("^^SALLE-\xC9", "8859/1", "M\xD6N") +
      "PV1||I|^^SALLE-\xC8\rOBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||98|%|||||F\r";
  const IngestResult r = ingest_message(two_chairs, {});
  ASSERT_EQ(r.code, AckCode::AE);
  const std::string ack = build_ack(r, 0, "A1");
  Message m;
  ASSERT_EQ(m.parse(ack), ParseError::None);
  EXPECT_EQ(m.segments().front().field(18), "8859/1");
  EXPECT_EQ(m.segments().front().field(5), "M\xD6N");
  const std::string msa3(m.find("MSA")->field(3));
  EXPECT_NE(msa3.find("SALLE-\xC9"), std::string::npos) << msa3;
  EXPECT_NE(msa3.find("SALLE-\xC8"), std::string::npos) << msa3;
  EXPECT_EQ(ack.find('\xC3'), std::string::npos) << "UTF-8 in a Latin-1 ACK";

  // An ERR quoting an observation code, in 8859/15.
  const IngestResult u = ingest_message(
      "MSH|^~\\&|MON|W||VIGIL|20240102030405||ORU^R01|C2|P|2.6||||||8859/15\r"
      "PV1||I|^^LIT-\xA4\rOBX|1|NM|99X^Fr\xE9q \xA4^99L||72|/min|||||F\r",
      {});
  ASSERT_EQ(u.code, AckCode::AE);
  const std::string uack = build_ack(u, 0, "A2");
  Message um;
  ASSERT_EQ(um.parse(uack), ParseError::None);
  EXPECT_EQ(um.segments().front().field(18), "8859/15");
  const std::string err7(um.find("ERR")->field(7));
  EXPECT_NE(err7.find("Fr\xE9q \xA4"), std::string::npos) << err7;
  EXPECT_EQ(uack.find('\xC3'), std::string::npos) << "UTF-8 in a Latin-9 ACK";
  EXPECT_EQ(uack.find('\xE2'), std::string::npos) << "UTF-8 in a Latin-9 ACK";

  // Bytes not valid in the declared set are not echoed as they came.
  const IngestResult l9 = ingest_message(message("^^F", "8859/15", "MON-\x85"), {});
  EXPECT_EQ(l9.ack.sending_application, "MON-?");
}

// Without MSH-18 the ACK has none, as before; a declared UTF-8 or ASCII message gets it back.
TEST(CharsetIngest, Msh18IsEchoedOnlyWhenTheSenderNamedASetWeRead) {
  for (const char* set : {"", "UNICODE UTF-16"}) {
    const std::string ack = build_ack(ingest_message(message("^^F", set), {}), 0, "A1");
    Message m;
    ASSERT_EQ(m.parse(ack), ParseError::None);
    EXPECT_EQ(m.segments().front().field(18), "") << set;
    EXPECT_EQ(m.segments().front().field(12), "2.6") << set;
  }
  for (const char* set : {"UNICODE UTF-8", "ASCII", "8859/1"}) {
    const std::string ack = build_ack(ingest_message(message("^^F", set), {}), 0, "A1");
    Message m;
    ASSERT_EQ(m.parse(ack), ParseError::None);
    EXPECT_EQ(m.segments().front().field(18), set);
  }
}

TEST(CharsetIngest, UnknownMsh18IsReadAsTheDefaultAndReported) {
  const IngestResult r = ingest_message(message("^^FAUTEUIL-\xE9", "UNICODE UTF-16"), {});
  ASSERT_EQ(r.code, AckCode::AA);
  EXPECT_TRUE(r.charset_unknown);
  EXPECT_EQ(r.declared_charset, "UNICODE UTF-16");
  EXPECT_EQ(r.identity.location, "FAUTEUIL-\xC3\xA9");
}

// Text stored otherwise than sent is said in the ACK (ERR severity W on MSH-18), not only in
// vigild's log: the chair may be named otherwise than the sender's engineer set it.
TEST(CharsetIngest, TextStoredOtherwiseThanSentIsAWarningInTheAck) {
  const IngestResult bad = ingest_message(message("^^FAUTEUIL-\xE9\xE8", "UNICODE UTF-8"), {});
  ASSERT_EQ(bad.code, AckCode::AA);
  ASSERT_EQ(bad.errors.size(), 1u);
  const std::string ack = build_ack(bad, 0, "A1");
  EXPECT_NE(ack.find("\rERR||MSH^1^18|102^Data type error^HL70357|W|||2 byte(s) not valid in UNICODE UTF-8, "
                     "stored as U+FFFD"),
            std::string::npos)
      << ack;
  const IngestResult unknown = ingest_message(message("^^CHAIR1", "UNICODE UTF-16"), {});
  ASSERT_EQ(unknown.code, AckCode::AA);
  const std::string uack = build_ack(unknown, 0, "A2");
  EXPECT_NE(uack.find("|W|||MSH-18 'UNICODE UTF-16' is not a character set Vigil reads; read as"),
            std::string::npos)
      << uack;
  const IngestResult good = ingest_message(message("^^FAUTEUIL-\xC3\xA9", "UNICODE UTF-8"), {});
  EXPECT_TRUE(good.errors.empty());
  EXPECT_EQ(build_ack(good, 0, "A3").find("ERR"), std::string::npos);
}

TEST(CharsetIngest, DelimitersAndEscapesSurviveTranscoding) {
  // \S\ is an escaped component separator; the Latin-1 bytes around it must not move it.
  const IngestResult r = ingest_message(message("SALLE \xC9^^LIT\\S\\\xE9", "8859/1"), {});
  ASSERT_EQ(r.code, AckCode::AA);
  EXPECT_EQ(r.identity.location, "SALLE \xC3\x89/LIT^\xC3\xA9");
}

// A gateway that escapes what is not ASCII: \XC9\ in an 8859/1 message is É, as the raw
// byte would be. Read as UTF-8 it became U+FFFD, and CHAMBRE-\XC9\ and CHAMBRE-\XC8\, two
// patients' chairs, became one.
TEST(CharsetIngest, HexEscapesAreReadInTheMessagesSet) {
  const IngestResult e = ingest_message(message("^^CHAMBRE-\\XC9\\", "8859/1"), {});
  ASSERT_EQ(e.code, AckCode::AA);
  EXPECT_EQ(e.identity.location, "CHAMBRE-\xC3\x89");
  EXPECT_EQ(e.replaced_characters, 0u);
  const IngestResult g = ingest_message(message("^^CHAMBRE-\\XC8\\", "8859/1"), {});
  EXPECT_EQ(g.identity.location, "CHAMBRE-\xC3\x88");
  // Raw Latin-1 beside an escape, in 8859/15 (0xA4 is the euro sign there).
  const IngestResult mixed = ingest_message(message("^^LIT-\xE9-\\XA4\\", "8859/15"), {});
  EXPECT_EQ(mixed.identity.location, "LIT-\xC3\xA9-\xE2\x82\xAC");
  EXPECT_EQ(mixed.replaced_characters, 0u);
  // Declared ASCII: an escaped byte over 0x7F is no text in it.
  const IngestResult ascii = ingest_message(message("^^LIT-\\XC9\\", "ASCII"), {});
  EXPECT_EQ(ascii.identity.location, "LIT-" + kFffd);
  EXPECT_EQ(ascii.replaced_characters, 1u);
  // Escapes that are not hex are left as they are.
  const IngestResult other = ingest_message(message("^^A\\T\\B\\XZZ\\", "8859/1"), {});
  EXPECT_EQ(other.code, AckCode::AA);
  EXPECT_EQ(other.identity.location.rfind("A&B", 0), 0u) << other.identity.location;
}

TEST(CharsetIngest, HexEscapesThatAreNotUtf8AreReplaced) {
  const IngestResult r = ingest_message(message("^^LIT-\\XE9\\", ""), {});
  ASSERT_EQ(r.code, AckCode::AA);
  EXPECT_EQ(r.identity.location, "LIT-" + kFffd);
  EXPECT_GE(r.replaced_characters, 1u);
}

TEST(CharsetIngest, ANonAsciiDelimiterIsRefused) {
  const IngestResult r = ingest_message(
      "MSH\xE9^~\\&\xE9MON\rOBX\xE9"
      "1\r",
      {});
  EXPECT_EQ(r.code, AckCode::AR);
}

}  // namespace
}  // namespace vigil::hl7
