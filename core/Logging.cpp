#include "Logging.h"

Q_LOGGING_CATEGORY(lcData, "gwanje.core.data", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRegistry, "gwanje.core.registry", QtInfoMsg)
