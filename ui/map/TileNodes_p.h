#pragma once

// Private to gwanje_ui: the basemap under the map item, as scene-graph nodes.

#include "TileStore.h"
#include "geo/MapViewport.h"

#include <QSizeF>

#include <memory>

class QQuickWindow;
class QSGNode;

namespace gwanje {

// Which basemap tiles a view wants (while one loads, a cached ancestor stands in, magnified) and
// the nodes that show them: with OpenGL an image node per tile whose texture stays while the tile
// is in view; under the software renderer one image of all tiles, redone only when the view or a
// tile changes. Owned by MapView; GUI thread, except updateNode(), which runs on the render thread
// while the GUI thread waits. The textures belong to the node, so the scene graph frees them.
class TileNodes
{
public:
    // Emits tileReady() when a tile has been drawn.
    TileStore &store() { return m_store; }

    // Takes the basemap's data; true when it is new (the view needs a frame).
    bool setData(std::shared_ptr<const BasemapData> data);
    // The zoom level of the tiles drawn at this view (tiles are scaled 0.7-1.4 times).
    static int tileZoom(const MapViewport &viewport);
    // True when every tile of the view is drawn; asks for the missing ones.
    bool ready(const MapViewport &viewport);
    // The tiles' node for this frame (nullptr: make one); `size` is the item's, in item pixels.
    QSGNode *updateNode(QSGNode *node, QQuickWindow *window, const MapViewport &viewport, QSizeF size);

private:
    TileStore m_store;
};

} // namespace gwanje
