#include "MarkerStatus.h"

namespace gwanje {

AssetCondition assetConditionOf(const AssetStatusPoint &s)
{
    if (s.offline || s.apUp == 0 || s.camera == qint8(CameraState::Offline))
        return AssetCondition::Offline;
    if (s.camera == qint8(CameraState::Frozen))
        return AssetCondition::Frozen;
    if (s.camera == qint8(CameraState::Black))
        return AssetCondition::Black;
    if (s.apUp == 1 || s.camera == qint8(CameraState::Online))
        return AssetCondition::Online;
    return AssetCondition::Unknown;
}

MarkerState markerStateOf(const AssetStatusPoint &s)
{
    const AssetCondition condition = assetConditionOf(s);
    if (condition == AssetCondition::Offline)
        return MarkerState::Offline;
    if (condition == AssetCondition::Frozen || condition == AssetCondition::Black || s.grade == AirGrade::Bad || s.lamp == qint8(LampState::DefectiveLamp) ||
        s.lamp == qint8(LampState::BrokenLantern))
        return MarkerState::Warning;
    if (s.grade == AirGrade::VeryBad || s.lamp == qint8(LampState::ColumnIssue))
        return MarkerState::Critical; // a leaning column is a danger in the street
    return MarkerState::Normal;
}

} // namespace gwanje
