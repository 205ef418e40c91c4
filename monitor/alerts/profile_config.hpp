#pragma once
// Rule profiles from the daemon's config file (proto/alerts.proto) into RuleProfile.
// Start-up code: errors throw std::invalid_argument naming the profile and the field.

#include <vector>

#include "alerts.pb.h"
#include "alerts/rule_profile.hpp"

namespace vigil::alerts {

/// `config` applied over `base` (fields not set keep the base values), then validated.
RuleProfile profile_from_config(const proto::RuleProfileConfig& config, const RuleProfile& base);

/// All profiles of the file, in order; `based_on` may name the built-in "default" or any
/// earlier profile. Always contains a "default" profile (built-in unless the file has one).
std::vector<RuleProfile> profiles_from_config(const proto::AlertConfig& config);
/// The same for a `repeated RuleProfileConfig` field embedded in another config message.
std::vector<RuleProfile> profiles_from_config(
    const google::protobuf::RepeatedPtrField<proto::RuleProfileConfig>& profiles);

}  // namespace vigil::alerts
