#include "UiLogging.h"

Q_LOGGING_CATEGORY(lcUi, "gwanje.ui", QtInfoMsg)
