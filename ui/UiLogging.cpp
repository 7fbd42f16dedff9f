#include "UiLogging.h"

Q_LOGGING_CATEGORY(lcMap, "gwanje.ui.map", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUi, "gwanje.ui", QtInfoMsg)
