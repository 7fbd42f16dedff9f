#pragma once

// Binding and reading values with sqlite3, for the writers of the store file (StoreFile.h), each
// with its own connection to it. Inside gwanje_core only.

#include <QString>

#include <sqlite3.h>

#include <cmath>

namespace gwanje::sqlite {

// A null QString binds NULL; anything else binds its UTF-8 text.
inline void bindText(sqlite3_stmt *s, int i, const QString &text)
{
    if (text.isNull()) {
        sqlite3_bind_null(s, i);
        return;
    }
    const QByteArray utf8 = text.toUtf8();
    sqlite3_bind_text(s, i, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
}

// NaN and infinities (an unknown value) bind NULL.
inline void bindReal(sqlite3_stmt *s, int i, double v)
{
    if (std::isfinite(v))
        sqlite3_bind_double(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

inline QString columnText(sqlite3_stmt *s, int i)
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(s, i));
    return text ? QString::fromUtf8(text) : QString();
}

} // namespace gwanje::sqlite
