#pragma once

#include "data/AssetLoader.h"

#include <QJsonObject>

namespace gwanje {

// The JSON report of a headless run: what was loaded, what was rejected, how long it took.
QJsonObject headlessReport(const LoadResult &result, double loadMs, double durationSeconds);

} // namespace gwanje
