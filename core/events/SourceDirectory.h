#pragma once

#include <QHash>
#include <QReadWriteLock>
#include <QString>
#include <QStringList>

namespace gwanje {

// Interns the string ids of event sources (devices, APs, cameras, sensors) as dense indexes, so
// events carry a 4-byte source. Thread-safe; ids are never removed, so an index stays valid.
class SourceDirectory
{
public:
    quint32 intern(const QString &id);
    // -1 when unknown.
    qint64 find(const QString &id) const;
    QString id(quint32 index) const;
    int size() const;

private:
    mutable QReadWriteLock m_lock;
    QHash<QString, quint32> m_index;
    QStringList m_ids;
};

} // namespace gwanje
