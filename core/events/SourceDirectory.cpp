#include "SourceDirectory.h"

namespace gwanje {

quint32 SourceDirectory::intern(const QString &id)
{
    {
        QReadLocker read(&m_lock);
        auto it = m_index.constFind(id);
        if (it != m_index.constEnd())
            return *it;
    }
    QWriteLocker write(&m_lock);
    auto it = m_index.constFind(id);
    if (it != m_index.constEnd())
        return *it;
    const quint32 index = quint32(m_ids.size());
    m_ids.append(id);
    m_index.insert(id, index);
    return index;
}

qint64 SourceDirectory::find(const QString &id) const
{
    QReadLocker read(&m_lock);
    auto it = m_index.constFind(id);
    return it == m_index.constEnd() ? -1 : qint64(*it);
}

QString SourceDirectory::id(quint32 index) const
{
    QReadLocker read(&m_lock);
    return index < quint32(m_ids.size()) ? m_ids.at(index) : QString();
}

int SourceDirectory::size() const
{
    QReadLocker read(&m_lock);
    return int(m_ids.size());
}

} // namespace gwanje
