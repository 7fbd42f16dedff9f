#include "Logging.h"

Q_LOGGING_CATEGORY(lcData, "gwanje.core.data", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRegistry, "gwanje.core.registry", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBus, "gwanje.core.bus", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "gwanje.core.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcFeed, "gwanje.core.feed", QtInfoMsg)
Q_LOGGING_CATEGORY(lcFusion, "gwanje.core.fusion", QtInfoMsg)
