#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcMap) // gwanje.core.map: map layer config, vector and raster map data
