#pragma once

#include <QLoggingCategory>

// One category per area of the screen (QT_LOGGING_RULES="gwanje.ui.map.info=false" and so on).
Q_DECLARE_LOGGING_CATEGORY(lcUi)       // gwanje.ui: the window, QML
Q_DECLARE_LOGGING_CATEGORY(lcUiMap)    // gwanje.ui.map: the map item, layers, tiles
Q_DECLARE_LOGGING_CATEGORY(lcUiAlarms) // gwanje.ui.alarms: the alarm panel, its sounds
Q_DECLARE_LOGGING_CATEGORY(lcUiAssets) // gwanje.ui.assets: the assets panel and search
Q_DECLARE_LOGGING_CATEGORY(lcUiVideo)  // gwanje.ui.video: camera streams, the wall
