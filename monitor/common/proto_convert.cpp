#include "common/proto_convert.hpp"

namespace vigil {

proto::VitalKind to_proto(VitalKind kind) {
  switch (kind) {
    case VitalKind::NibpSys: return proto::NIBP_SYS;
    case VitalKind::NibpDia: return proto::NIBP_DIA;
    case VitalKind::NibpMean: return proto::NIBP_MEAN;
    case VitalKind::HeartRate: return proto::HR;
    case VitalKind::PulseRate: return proto::PULSE;
    case VitalKind::SpO2: return proto::SPO2;
    case VitalKind::RespRate: return proto::RESP;
    case VitalKind::Temperature: return proto::TEMP;
  }
  return proto::VITAL_KIND_UNSPECIFIED;
}

std::optional<VitalKind> from_proto(proto::VitalKind kind) {
  // A switch, not a lookup by the enum's name: the board converts every published reading.
  switch (kind) {
    case proto::NIBP_SYS: return VitalKind::NibpSys;
    case proto::NIBP_DIA: return VitalKind::NibpDia;
    case proto::NIBP_MEAN: return VitalKind::NibpMean;
    case proto::HR: return VitalKind::HeartRate;
    case proto::PULSE: return VitalKind::PulseRate;
    case proto::SPO2: return VitalKind::SpO2;
    case proto::RESP: return VitalKind::RespRate;
    case proto::TEMP: return VitalKind::Temperature;
    default: return std::nullopt;
  }
}

void fill_proto(const Reading& r, std::uint64_t id, proto::Reading& out) {
  out.set_id(id);
  out.set_bed(r.bed);
  out.set_kind(to_proto(r.kind));
  out.set_value(r.value);
  const std::string_view unit = canonical_unit(r.kind);
  out.set_unit(unit.data(), unit.size());
  out.set_measured_at_ms(r.measured_at_ms);
  out.set_received_at_ms(r.received_at_ms);
  out.set_source(r.source);
  out.set_valid(r.valid);
  out.set_status(r.status);
  out.set_withdrawn(is_withdrawal(r));
}

proto::Reading to_proto(const Reading& r, std::uint64_t id) {
  proto::Reading out;
  fill_proto(r, id, out);
  return out;
}

Reading from_proto(const proto::Reading& p) {
  Reading r;
  r.bed = p.bed();
  r.kind = from_proto(p.kind()).value_or(VitalKind::HeartRate);
  r.value = p.value();
  r.measured_at_ms = p.measured_at_ms();
  r.received_at_ms = p.received_at_ms();
  r.source = p.source();
  r.valid = p.valid();
  r.status = p.status();
  return r;
}

}  // namespace vigil
