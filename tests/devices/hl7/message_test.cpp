#include "hl7/message.hpp"

#include <gtest/gtest.h>

#include "hl7_samples.hpp"

namespace vigil::hl7 {
namespace {

TEST(Message, ParsesIheSampleSegmentsAndFields) {
  const std::string text = testing::load_sample("ihe-pcd01-nibp.hl7");
  Message m;
  ASSERT_EQ(m.parse(text), ParseError::None);
  ASSERT_EQ(m.segments().size(), 8u);
  EXPECT_EQ(m.segments()[0].name(), "MSH");
  EXPECT_EQ(m.segments()[1].name(), "PID");
  EXPECT_EQ(m.segments()[7].name(), "OBX");
  const Segment& msh = m.segments()[0];
  EXPECT_EQ(msh.field(1), "|");
  EXPECT_EQ(msh.field(2), "^~\\&");
  EXPECT_EQ(msh.field(3), "AcmeInc^ACDE48234567ABCD^EUI-64");
  EXPECT_EQ(msh.field(9), "ORU^R01^ORU_R01");
  EXPECT_EQ(msh.field(10), "MSGID1234");
  EXPECT_EQ(m.encoding_characters(), "^~\\&");
  const Segment* obr = m.find("OBR");
  ASSERT_NE(obr, nullptr);
  EXPECT_EQ(obr->field(7), "20090813095715+0500");
  EXPECT_EQ(m.find("PV1"), nullptr);
}

TEST(Message, FieldsMatchSegmentField) {
  const std::string text = testing::load_sample("ihe-pcd01-nibp.hl7");
  Message m;
  ASSERT_EQ(m.parse(text), ParseError::None);
  for (const Segment& s : m.segments()) {
    const Fields f(s, m.delimiters().field);
    for (std::size_t n = 0; n < 25; ++n) EXPECT_EQ(f[n], s.field(n)) << s.name() << "-" << n;
  }
}

TEST(Message, FieldsStopsAtTheLimit) {
  const Segment obx("OBX|1|NM|code||5|unit|||||F|||20240101||||EQ|extra", '|');
  const Fields f(obx, '|', 19);
  EXPECT_EQ(f.size(), 19u);
  EXPECT_EQ(f[18], "EQ");
  EXPECT_EQ(f[19], "");
  const Segment msh("MSH|^~\\&|APP|FAC", '|');
  const Fields m(msh, '|', 3);
  EXPECT_EQ(m[1], "|");
  EXPECT_EQ(m[2], "^~\\&");
  EXPECT_EQ(m[3], "");
  const Fields none(obx, '|', 0);
  EXPECT_EQ(none.size(), 0u);
}

TEST(Message, ComponentsRepetitionsSubcomponents) {
  const Delimiters d;
  const std::string_view field = "a^b&c^d~e^f";
  EXPECT_EQ(component(field, 1, d), "a");
  EXPECT_EQ(component(field, 2, d), "b&c");
  EXPECT_EQ(component(field, 3, d), "d");
  EXPECT_EQ(component(field, 4, d), "");
  EXPECT_EQ(repetition(field, 2, d), "e^f");
  EXPECT_EQ(repetition(field, 3, d), "");
  EXPECT_EQ(subcomponent(component(field, 2, d), 2, d), "c");
  EXPECT_EQ(component(repetition(field, 2, d), 2, d), "f");
}

TEST(Message, CustomEncodingCharacters) {
  const std::string text = "MSH#@*$%#APP@X##FAC####ORU@R01#ID1#P#2.6\rOBX#1#NM#150456@MDC$S$X@MDC##97#%*a\r";
  Message m;
  ASSERT_EQ(m.parse(text), ParseError::None);
  const Delimiters& d = m.delimiters();
  EXPECT_EQ(d.field, '#');
  EXPECT_EQ(d.component, '@');
  EXPECT_EQ(d.repetition, '*');
  EXPECT_EQ(d.escape, '$');
  EXPECT_EQ(d.subcomponent, '%');
  const Segment& obx = m.segments()[1];
  EXPECT_EQ(component(obx.field(3), 1, d), "150456");
  EXPECT_EQ(unescape(component(obx.field(3), 2, d), d), "MDC@X");  // $S$ is the component char
  EXPECT_EQ(obx.field(5), "97");
  EXPECT_EQ(m.segments()[0].field(9), "ORU@R01");
}

TEST(Message, LfAndCrLfSegmentSeparators) {
  for (const char* sep : {"\n", "\r\n", "\r\r\n\n"}) {
    const std::string text =
        std::string("MSH|^~\\&|A||||2024||ORU^R01|1|P|2.6") + sep + "OBX|1|NM|X||5" + sep;
    Message m;
    ASSERT_EQ(m.parse(text), ParseError::None);
    ASSERT_EQ(m.segments().size(), 2u);
    EXPECT_EQ(m.segments()[1].field(5), "5");
    EXPECT_EQ(m.segments()[0].field(12), "2.6");
  }
}

TEST(Message, MissingEncodingCharactersNeverSplit) {
  Message m;
  ASSERT_EQ(m.parse("MSH|^|A~B\\C&D||\r"), ParseError::None);
  const Delimiters& d = m.delimiters();
  EXPECT_EQ(d.component, '^');
  EXPECT_EQ(repetition("A~B", 1, d), "A~B");
  EXPECT_EQ(unescape("B\\F\\", d), "B\\F\\");
}

TEST(Message, RejectsWhatIsNotHl7) {
  Message m;
  EXPECT_EQ(m.parse(""), ParseError::Empty);
  EXPECT_EQ(m.parse("\r\n\r"), ParseError::Empty);
  EXPECT_EQ(m.parse("PID|1\rMSH|^~\\&|\r"), ParseError::NoMsh);
  EXPECT_EQ(m.parse("MSH"), ParseError::BadDelimiters);
  EXPECT_EQ(m.parse("MSH|"), ParseError::BadDelimiters);
  EXPECT_EQ(m.parse("MSH||A"), ParseError::BadDelimiters);         // empty MSH-2
  EXPECT_EQ(m.parse("MSH|^^~\\|"), ParseError::BadDelimiters);     // repeated
  EXPECT_EQ(m.parse("MSHA^~\\&A"), ParseError::BadDelimiters);     // letter as separator
  EXPECT_EQ(m.parse("MSH|^~\\&#xy|"), ParseError::BadDelimiters);  // too long
  EXPECT_TRUE(m.segments().empty());
  EXPECT_EQ(m.parse("MSH|^~\\&#|"), ParseError::None);  // v2.7 truncation character
}

}  // namespace
}  // namespace vigil::hl7
