#include "SafetyDevice.h"

namespace gwanje {

QString wearerCategoryName(WearerCategory category)
{
    switch (category) {
    case WearerCategory::Child:
        return QStringLiteral("child");
    case WearerCategory::Dementia:
        return QStringLiteral("dementia");
    case WearerCategory::Disabled:
        return QStringLiteral("disabled");
    }
    return {};
}

QString GuardianContact::redacted() const
{
    QString digits;
    for (QChar c : phone) {
        if (c.isDigit())
            digits.append(c);
    }
    return QStringLiteral("guardian (…%1)").arg(digits.right(std::min<qsizetype>(4, digits.size())));
}

} // namespace gwanje
