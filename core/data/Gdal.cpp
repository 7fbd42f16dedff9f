#include "Gdal.h"

#include "Logging.h"

#include <cpl_error.h>
#include <gdal.h>

#include <mutex>

namespace gwanje::Gdal {

namespace {
void CPL_STDCALL logHandler(CPLErr level, CPLErrorNum number, const char *message)
{
    switch (level) {
    case CE_Debug:
    case CE_None:
        qCDebug(lcData, "GDAL: %s", message);
        break;
    case CE_Warning:
        qCInfo(lcData, "GDAL warning %d: %s", number, message);
        break;
    default:
        qCWarning(lcData, "GDAL error %d: %s", number, message);
        break;
    }
}

void CPL_STDCALL captureHandler(CPLErr level, CPLErrorNum, const char *message)
{
    if (level < CE_Warning)
        return;
    auto *messages = static_cast<QStringList *>(CPLGetErrorHandlerUserData());
    if (messages && messages->size() < 50)
        messages->append(QString::fromUtf8(message).trimmed());
}
} // namespace

void ensureInitialized()
{
    static std::once_flag once;
    std::call_once(once, [] {
        CPLSetErrorHandler(logHandler);
        GDALAllRegister();
        qCDebug(lcData, "GDAL %s with %d drivers", GDALVersionInfo("RELEASE_NAME"), GDALGetDriverCount());
    });
}

QString version()
{
    ensureInitialized();
    return QString::fromLatin1(GDALVersionInfo("RELEASE_NAME"));
}

ErrorCapture::ErrorCapture()
{
    CPLPushErrorHandlerEx(captureHandler, &m_messages);
}

ErrorCapture::~ErrorCapture()
{
    CPLPopErrorHandler();
}

} // namespace gwanje::Gdal
