#pragma once

// Private to gwanje_ui: the map's live layer as a scene-graph node.

#include "MapOverlay_p.h"

#include <QImage>
#include <QSizeF>

#include <array>

class QQuickWindow;
class QSGNode;

namespace gwanje {

// The live layer (tracks, markers, clusters, labels, selection) drawn by MapOverlay on the CPU into
// one image, shown by one image node: that draws under every scene-graph back end, software
// included. Owned by MapView; updateNode() runs on the render thread while the GUI thread waits.
class OverlayNode
{
public:
    // The live layer's node for this frame (nullptr: make one): rasterised here into the image the
    // scene graph is not holding, then uploaded as this frame's texture. `size` is the item's, in
    // item pixels; nullptr when it has no device pixels (nothing drawn, the node left as it was).
    QSGNode *updateNode(QSGNode *node, QQuickWindow *window, const MarkerLayer &markers, const MapViewport &viewport,
                        const OverlayOptions &options, QSizeF size);

private:
    MapOverlay m_overlay;
    std::array<QImage, 2> m_images; // double-buffered: the scene graph may still hold the last one
    int m_imageIndex = 0;
};

} // namespace gwanje
