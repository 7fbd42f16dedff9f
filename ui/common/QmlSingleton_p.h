#pragma once

// Private to gwanje_ui: how the facades hand the composition root's instance to QML.

#include "UiLogging.h"

#include <QJSEngine>
#include <QPointer>

namespace gwanje::detail {

// The one instance of T the composition root registered (owned by it, not by QML).
template<typename T> QPointer<T> &singletonSlot()
{
    static QPointer<T> instance;
    return instance;
}

// QML's factory: the registered instance, or, if a view asks before the composition root made
// one, an empty instance the engine owns, rather than a crash.
template<typename T> T *provideSingleton(const char *qmlName)
{
    T *instance = singletonSlot<T>();
    if (!instance) {
        qCWarning(lcUi, "%s singleton requested before the composition root created it", qmlName);
        return new T(nullptr);
    }
    QJSEngine::setObjectOwnership(instance, QJSEngine::CppOwnership);
    return instance;
}

} // namespace gwanje::detail
