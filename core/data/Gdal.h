#pragma once

#include <QString>
#include <QStringList>

namespace gwanje::Gdal {

// Registers GDAL's drivers once and routes GDAL's messages into the gwanje.core.data category.
// Thread-safe.
void ensureInitialized();
QString version();

// While alive, GDAL errors raised on this thread are collected here instead of being logged.
class ErrorCapture
{
public:
    ErrorCapture();
    ~ErrorCapture();
    ErrorCapture(const ErrorCapture &) = delete;
    ErrorCapture &operator=(const ErrorCapture &) = delete;

    const QStringList &messages() const { return m_messages; }
    QString lastMessage() const { return m_messages.isEmpty() ? QString() : m_messages.constLast(); }

private:
    QStringList m_messages;
};

} // namespace gwanje::Gdal
