#include "UiLogging.h"

Q_LOGGING_CATEGORY(lcUi, "gwanje.ui", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUiMap, "gwanje.ui.map", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUiAlarms, "gwanje.ui.alarms", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUiAssets, "gwanje.ui.assets", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUiVideo, "gwanje.ui.video", QtInfoMsg)
