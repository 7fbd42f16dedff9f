#include "OverlayNode_p.h"

#include <QQuickWindow>
#include <QSGImageNode>
#include <QSGTexture>

namespace gwanje {

namespace {

// Holds the image node and its texture, which the scene graph frees with it.
class OverlayImageNode : public QSGNode
{
public:
    ~OverlayImageNode() override { delete texture; }
    QSGImageNode *image = nullptr;
    QSGTexture *texture = nullptr;
};

} // namespace

QSGNode *OverlayNode::updateNode(QSGNode *node, QQuickWindow *window, const MarkerLayer &markers,
                                 const MapViewport &viewport, const OverlayOptions &options, QSizeF size)
{
    auto *overlay = static_cast<OverlayImageNode *>(node);
    const qreal dpr = window->effectiveDevicePixelRatio();
    const QSize pixels = (size * dpr).toSize();
    if (pixels.isEmpty())
        return nullptr;
    m_imageIndex ^= 1;
    QImage &image = m_images[std::size_t(m_imageIndex)];
    if (image.size() != pixels) {
        image = QImage(pixels, OverlayRaster::imageFormat);
        image.setDevicePixelRatio(dpr);
    }
    m_overlay.render(image, markers, viewport, options);
    QSGTexture *texture = window->createTextureFromImage(image);
    if (!overlay) {
        overlay = new OverlayImageNode;
        overlay->image = window->createImageNode();
        overlay->image->setFiltering(QSGTexture::Nearest);
        overlay->image->setTexture(texture);
        overlay->image->setRect(QRectF(QPointF(0, 0), size));
        overlay->appendChildNode(overlay->image);
        overlay->texture = texture;
        return overlay;
    }
    overlay->image->setTexture(texture);
    delete overlay->texture;
    overlay->texture = texture;
    overlay->image->setRect(QRectF(QPointF(0, 0), size));
    return overlay;
}

} // namespace gwanje
