#pragma once
// The dashboard's names for the ward model's plain views and display rules
// (monitor/client/ward_views.hpp, ward_rules.hpp): the panels draw the same snapshot that
// `vigilctl board` prints as a table. No protobuf messages, no sockets.

#include "client/ward_rules.hpp"
#include "client/ward_views.hpp"

namespace vigil::dashboard {

using DashboardSnapshot = client::WardSnapshot;
using client::AlertColour;
using client::AlertView;
using client::ChairTrend;
using client::ChairView;
using client::DeviceView;
using client::Freshness;
using client::HistoryEntry;
using client::LinkView;
using client::Priority;
using client::TrendMark;
using client::TrendPoint;
using client::VitalView;

using client::age_text;
using client::alert_colour;
using client::clock_text;
using client::display_text;
using client::flash_lit;
using client::kHighFlashPeriodMs;
using client::kMediumFlashPeriodMs;
using client::to_string;
using client::to_view;

}  // namespace vigil::dashboard
