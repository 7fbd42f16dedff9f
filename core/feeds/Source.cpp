#include "Source.h"

namespace gwanje {

QString sourceStateName(SourceState state)
{
    switch (state) {
    case SourceState::Idle:
        return QStringLiteral("idle");
    case SourceState::Running:
        return QStringLiteral("running");
    case SourceState::Finished:
        return QStringLiteral("finished");
    case SourceState::Stopped:
        return QStringLiteral("stopped");
    case SourceState::Failed:
        break;
    }
    return QStringLiteral("failed");
}

} // namespace gwanje
