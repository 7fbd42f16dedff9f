#pragma once

#include "events/Event.h"

#include <QByteArray>
#include <QJsonObject>

#include <variant>

namespace gwanje {

class SourceDirectory;

// The JSON form of an event, one object per line in NDJSON files (and, later, MQTT payloads):
//   {"type": "position", "id": "DEV-000123", "t": 1764000000000, "lat": 37.6, "lon": 126.92,
//    "accuracy": 8, "speed": 1.2, "heading": 90, "battery": 80, "event_id": 17}
// "t" is UTC milliseconds or an ISO 8601 date-time, in the years 2000 to 2099. Per type: sos/fall (lat, lon optional),
// device_online/device_offline, ap_status ("up": bool, "clients": n), camera_health ("state":
// online|offline|frozen), sensor_reading ("quantity": pm10|pm25|temperature|humidity|noise|ph|
// turbidity|dissolved_oxygen|residual_chlorine, "value"), streetlight_status ("state": ok|
// defectiveLamp|columnIssue|brokenLantern|off, "power"), citizen_report (lat, lon, "text").
namespace EventJson {

// Parses one line; on failure returns an English reason. The receive time is set by the caller.
std::variant<Event, QString> parse(const QByteArray &line, SourceDirectory &sources);
QJsonObject toJson(const Event &event, const SourceDirectory &sources);
QByteArray toLine(const Event &event, const SourceDirectory &sources); // compact, no newline

} // namespace EventJson
} // namespace gwanje
