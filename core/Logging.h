#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcData)     // gwanje.core.data: data files, mappings, GDAL
Q_DECLARE_LOGGING_CATEGORY(lcRegistry) // gwanje.core.registry: the asset registry
Q_DECLARE_LOGGING_CATEGORY(lcBus)      // gwanje.core.bus: the event bus and its overload policy
Q_DECLARE_LOGGING_CATEGORY(lcStore)    // gwanje.core.store: the SQLite store
Q_DECLARE_LOGGING_CATEGORY(lcFeed)     // gwanje.core.feed: sources (simulator, replay, later MQTT)
Q_DECLARE_LOGGING_CATEGORY(lcFusion)   // gwanje.core.fusion: fusion rules, alarms, floods, escalation
