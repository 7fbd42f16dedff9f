#include "TileNodes_p.h"

#include <QPainter>
#include <QQuickWindow>
#include <QSGImageNode>
#include <QSGRendererInterface>
#include <QSGTexture>

#include <unordered_map>
#include <unordered_set>

namespace gwanje {

namespace {

// Kept by the scene graph between frames: one image node per tile (or one composed image) and the
// textures kept while they stay useful.
class TileLayerNode : public QSGNode
{
public:
    ~TileLayerNode() override
    {
        for (auto &entry : textures)
            delete entry.second.texture;
        delete composedTexture;
    }
    struct TileTexture
    {
        QSGTexture *texture = nullptr;
        quint64 lastFrame = 0;
    };
    std::vector<QSGImageNode *> tileNodes;
    std::unordered_map<quint64, TileTexture> textures; // by tile key, for one basemap generation
    quint64 texturesGeneration = 0;
    quint64 frame = 0;
    // Software back end: all tiles composed into one image.
    QSGImageNode *composed = nullptr;
    QSGTexture *composedTexture = nullptr;
    quint64 composedStamp = 0;
};

} // namespace

bool TileNodes::setData(std::shared_ptr<const BasemapData> data)
{
    if (data == m_store.data())
        return false;
    m_store.setData(std::move(data));
    return true;
}

int TileNodes::tileZoom(const MapViewport &viewport)
{
    // Tiles are drawn at most 1.4 times and at least 0.7 times their size.
    return std::clamp(int(std::lround(viewport.zoom())), 0, 22);
}

bool TileNodes::ready(const MapViewport &viewport)
{
    bool ready = true;
    for (const TileId &id : tilesCovering(viewport.visibleWorld(), tileZoom(viewport)))
        ready = m_store.tile(id) && ready;
    return ready;
}

QSGNode *TileNodes::updateNode(QSGNode *node, QQuickWindow *window, const MapViewport &viewport, QSizeF size)
{
    auto *root = static_cast<TileLayerNode *>(node);
    if (!root)
        root = new TileLayerNode;
    ++root->frame;
    const std::shared_ptr<const BasemapData> &data = m_store.data();
    const quint64 generation = data ? data->generation : 0;
    if (generation != root->texturesGeneration) {
        for (auto &entry : root->textures)
            delete entry.second.texture;
        root->textures.clear();
        root->texturesGeneration = generation;
    }
    struct Draw
    {
        quint64 key;
        const QImage *image;
        QRectF target, source;
    };
    std::vector<Draw> draws;
    std::unordered_set<quint64> wanted;
    if (data) {
        const int z = tileZoom(viewport);
        for (const TileId &id : tilesCovering(viewport.visibleWorld(), z)) {
            const GeoRect b = tileWorldBounds(id);
            const QRectF target(viewport.worldToScreen(QPointF(b.minX, b.minY)),
                                viewport.worldToScreen(QPointF(b.maxX, b.maxY)));
            wanted.insert(id.key());
            if (const QImage *image = m_store.tile(id)) {
                draws.push_back({id.key(), image, target, QRectF(0, 0, image->width(), image->height())});
                continue;
            }
            // While it loads, a cached ancestor stands in, magnified.
            TileId up = id;
            for (int level = 1; level <= 4 && up.z > 0; ++level) {
                up = gwanje::parent(up);
                if (const QImage *image = m_store.cached(up)) {
                    const int n = 1 << level;
                    const double side = double(image->width()) / n;
                    const QRectF source((id.x - up.x * n) * side, (id.y - up.y * n) * side, side, side);
                    draws.push_back({up.key(), image, target, source});
                    break;
                }
            }
        }
        m_store.retainOnly(wanted);
    }
    if (window->rendererInterface()->graphicsApi() == QSGRendererInterface::Software) {
        // The software renderer misplaced many small image nodes whose rectangles change every
        // frame (seen on Qt 6.4: tiles drawn outside the map's clip). There the tiles are
        // composed into one image instead, redone only when the view or a tile changes.
        const QSize pixels = (size * window->effectiveDevicePixelRatio()).toSize();
        quint64 stamp = ::qHash(viewport.center().x()) ^ (::qHash(viewport.center().y()) << 1) ^
                        (::qHash(viewport.zoom()) << 2) ^ (quint64(pixels.width()) << 20) ^ quint64(pixels.height()) ^
                        (generation << 32);
        for (const Draw &draw : draws)
            stamp = stamp * 1099511628211ull ^ draw.key ^ quint64(draw.image->cacheKey());
        if (stamp != root->composedStamp || !root->composed) {
            root->composedStamp = stamp;
            QImage composed(pixels, QImage::Format_ARGB32_Premultiplied);
            composed.setDevicePixelRatio(window->effectiveDevicePixelRatio());
            composed.fill(Qt::transparent);
            QPainter painter(&composed);
            painter.setRenderHint(QPainter::SmoothPixmapTransform);
            for (const Draw &draw : draws)
                painter.drawImage(draw.target, *draw.image, draw.source);
            painter.end();
            QSGTexture *texture = window->createTextureFromImage(composed);
            const bool added = !root->composed;
            if (added)
                root->composed = window->createImageNode();
            root->composed->setTexture(texture);
            delete root->composedTexture;
            root->composedTexture = texture;
            root->composed->setRect(QRectF(QPointF(0, 0), size));
            if (added)
                root->appendChildNode(root->composed);
        }
        return root;
    }
    while (root->tileNodes.size() > draws.size()) {
        QSGImageNode *tileNode = root->tileNodes.back();
        root->removeChildNode(tileNode);
        delete tileNode;
        root->tileNodes.pop_back();
    }
    for (std::size_t i = 0; i < draws.size(); ++i) {
        TileLayerNode::TileTexture &entry = root->textures[draws[i].key];
        if (!entry.texture)
            entry.texture = window->createTextureFromImage(*draws[i].image);
        entry.lastFrame = root->frame;
        // A node gets its texture before it joins the tree: the software renderer reads it then.
        const bool added = i >= root->tileNodes.size();
        QSGImageNode *tileNode = added ? window->createImageNode() : root->tileNodes[i];
        tileNode->setFiltering(QSGTexture::Linear);
        tileNode->setTexture(entry.texture);
        tileNode->setRect(draws[i].target);
        tileNode->setSourceRect(draws[i].source);
        if (added) {
            root->appendChildNode(tileNode);
            root->tileNodes.push_back(tileNode);
        }
    }
    // Textures unused for a while go; the tiles stay in the store's cache.
    if (root->textures.size() > 160) {
        for (auto it = root->textures.begin(); it != root->textures.end();) {
            if (root->frame - it->second.lastFrame > 30) {
                delete it->second.texture;
                it = root->textures.erase(it);
            } else {
                ++it;
            }
        }
    }
    return root;
}

} // namespace gwanje
