// The `vigilctl readings` formats, row by row.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "store/reading_export.hpp"

namespace vigil::store {
namespace {

StoredReading sample_reading() {
  StoredReading row;
  row.id = 42;
  row.reading.bed = "BED1";
  row.reading.kind = VitalKind::NibpSys;
  row.reading.value = 184;
  row.reading.measured_at_ms = 1'763'720'100'000;  // 2025-11-21T10:15:00Z
  row.reading.received_at_ms = 1'763'720'100'250;
  row.reading.source = "MON-1";
  row.reading.valid = true;
  row.reading.status = "F";
  return row;
}

TEST(CsvExport, HeaderNamesTheColumns) {
  EXPECT_EQ(
      csv_header(),
      "id,bed,kind,value,unit,measured_at,received_at,source,valid,status,verified,phase,late,withdrawn");
}

TEST(CsvExport, PlainRow) {
  EXPECT_EQ(csv_row(sample_reading()),
            "42,BED1,NIBP_SYS,184,mmHg,2025-11-21T10:15:00Z,2025-11-21T10:15:00.250Z,MON-1,true,F,,,,false");
}

TEST(CsvExport, QuotesFieldsThatNeedIt) {
  StoredReading row = sample_reading();
  row.reading.kind = VitalKind::Temperature;
  row.reading.value = 36.6;
  row.reading.bed = "Chair, window";
  row.reading.source = "Philips \"MX450\"";
  row.reading.status = "line1\nline2";
  row.reading.valid = false;
  EXPECT_EQ(csv_row(row),
            "42,\"Chair, window\",TEMP,36.6,degC,2025-11-21T10:15:00Z,2025-11-21T10:15:00.250Z,"
            "\"Philips \"\"MX450\"\"\",false,\"line1\nline2\",,,,false");
}

TEST(CsvExport, ContextColumnsComeLast) {
  StoredReading row = sample_reading();
  row.context = ReadingContext{false, proto::infusion, 126, 80, "S-1"};
  EXPECT_EQ(csv_row(row),
            "42,BED1,NIBP_SYS,184,mmHg,2025-11-21T10:15:00Z,2025-11-21T10:15:00.250Z,MON-1,true,F,"
            "false,infusion,false,false");
  row.context->verified = true;
  row.context->phase = proto::PHASE_UNSET;
  EXPECT_THAT(csv_row(row), ::testing::EndsWith(",true,F,true,,false,false"));
}

TEST(CsvExport, LateAndWithdrawnReadingsSayWhatTheyAre) {
  StoredReading row = sample_reading();
  row.context = ReadingContext{false, proto::infusion, 126, 80, "S-1"};
  row.context->late = true;
  EXPECT_THAT(csv_row(row), ::testing::EndsWith(",MON-1,true,F,false,infusion,true,false"));
  // A device taking its value back (OBX-11 W) with no number left: no value, withdrawn.
  row.context->late = false;
  row.reading.valid = false;
  row.reading.status = "W";
  row.reading.value = std::nan("");
  EXPECT_EQ(csv_row(row),
            "42,BED1,NIBP_SYS,,mmHg,2025-11-21T10:15:00Z,2025-11-21T10:15:00.250Z,MON-1,false,W,"
            "false,infusion,false,true");
  // Invalid for any other reason (a failed cuff) is not a withdrawal.
  row.reading.status = "X";
  EXPECT_THAT(csv_row(row), ::testing::EndsWith(",false,X,false,infusion,false,false"));
}

TEST(CsvExport, FieldQuotingRules) {
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("plain text"), "plain text");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("\""), "\"\"\"\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
}

// Text an outsider controls (a bed or device name, a user) never opens as a formula.
TEST(CsvExport, TextThatASpreadsheetWouldRunGetsALeadingQuote) {
  EXPECT_EQ(csv_field("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(csv_field("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("-2+3"), "'-2+3");
  EXPECT_EQ(csv_field("\tTAB"), "'\tTAB");
  EXPECT_EQ(csv_field("\r=1"), "\"'\r=1\"");
  // Numbers stay numbers; a sign or '=' inside a field is harmless.
  EXPECT_EQ(csv_field("-12"), "-12");
  EXPECT_EQ(csv_field("+3.5"), "+3.5");
  EXPECT_EQ(csv_field("CHAIR-1"), "CHAIR-1");
  EXPECT_EQ(csv_field("a=b"), "a=b");
  EXPECT_EQ(csv_field("-"), "'-");
}

TEST(CsvExport, NanValueIsAnEmptyField) {
  StoredReading row = sample_reading();
  row.reading.value = std::nan("");
  EXPECT_THAT(csv_row(row), ::testing::HasSubstr(",NIBP_SYS,,mmHg,"));
}

TEST(JsonlExport, MatchesTheWatchLineShape) {
  EXPECT_EQ(jsonl_row(sample_reading()),
            R"({"type":"reading","bed":"BED1","kind":"NIBP_SYS","value":184,"unit":"mmHg",)"
            R"("measured_at":"2025-11-21T10:15:00Z","source":"MON-1",)"
            R"("received_at":"2025-11-21T10:15:00.250Z","valid":true,"status":"F","id":"42",)"
            R"("phase":""})");
}

TEST(JsonlExport, ContextAddsVerifiedAndPhaseAtTheEnd) {
  StoredReading row = sample_reading();
  row.context = ReadingContext{false, proto::infusion, 126, 80, "S-1"};
  EXPECT_THAT(jsonl_row(row),
              ::testing::EndsWith(R"("status":"F","id":"42","phase":"infusion","verified":false})"));
  row.context->verified = true;
  row.context->phase = proto::recovery;
  EXPECT_THAT(jsonl_row(row), ::testing::EndsWith(R"("phase":"recovery","verified":true})"));
}

TEST(ValueFormat, ShortestRoundTrip) {
  EXPECT_EQ(format_value(184), "184");
  EXPECT_EQ(format_value(36.6), "36.6");
  EXPECT_EQ(format_value(-0.5), "-0.5");
  EXPECT_EQ(format_value(std::nan("")), "");
}

TEST(JsonlExport, EscapesText) {
  StoredReading row = sample_reading();
  row.reading.source = "quote\" back\\ nl\n";
  row.reading.valid = false;
  std::string line = jsonl_row(row);
  EXPECT_THAT(line, ::testing::HasSubstr(R"("source":"quote\" back\\ nl\n")"));
  EXPECT_THAT(line, ::testing::HasSubstr(R"("valid":false)"));
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace vigil::store
