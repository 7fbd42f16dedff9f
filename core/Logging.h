#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcData)     // gwanje.core.data: data files, mappings, GDAL
Q_DECLARE_LOGGING_CATEGORY(lcRegistry) // gwanje.core.registry: the asset registry
