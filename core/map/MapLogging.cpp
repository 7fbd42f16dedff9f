#include "MapLogging.h"

Q_LOGGING_CATEGORY(lcMap, "gwanje.core.map", QtInfoMsg)
