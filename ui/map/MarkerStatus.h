#pragma once

#include "MarkerLayer.h"
#include "events/AssetStatus.h"

namespace gwanje {

// What the latest events say of a fixed asset, in the words of its detail card.
enum class AssetCondition : quint8 {
    Unknown, // nothing said yet
    Online,
    Offline, // a device offline, an AP down, a camera without picture
    Frozen,  // a camera whose picture stands still
    Black,   // a camera whose picture is black
};
AssetCondition assetConditionOf(const AssetStatusPoint &status);

// The one rule from an asset's latest status to how its marker is drawn: offline greyed; a frozen
// picture, bad air or a failing lamp a warning; very bad air or a leaning column critical.
MarkerState markerStateOf(const AssetStatusPoint &status);

// A wearer's marker: an SOS wins over offline.
constexpr MarkerState deviceMarkerState(bool sos, bool offline)
{
    return sos ? MarkerState::Alarm : offline ? MarkerState::Offline : MarkerState::Normal;
}

} // namespace gwanje
