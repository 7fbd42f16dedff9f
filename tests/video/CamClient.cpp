#include "CamClient.h"

#include "video/FrameStamp.h"

#include <QElapsedTimer>

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

namespace gwanje::test {

CamView watch(const QString &url, int ms)
{
    CamView view;
    const QByteArray launch = "rtspsrc location=" + url.toUtf8() +
                              " latency=0 protocols=tcp ! rtph264depay ! h264parse ! avdec_h264 ! videoconvert ! "
                              "video/x-raw,format=I420 ! appsink name=sink sync=false max-buffers=4 drop=false";
    GError *parseError = nullptr;
    GstElement *pipeline = gst_parse_launch(launch.constData(), &parseError);
    if (!pipeline) {
        view.error = QString::fromUtf8(parseError ? parseError->message : "cannot build the pipeline");
        g_clear_error(&parseError);
        return view;
    }
    GstElement *sink = gst_bin_get_by_name(GST_BIN(pipeline), "sink");
    GstBus *bus = gst_element_get_bus(pipeline);
    QElapsedTimer clock;
    clock.start();
    gst_element_set_state(pipeline, GST_STATE_PLAYING);
    std::uint32_t last = 0;
    while (clock.elapsed() < ms && view.error.isEmpty()) {
        if (GstMessage *m = gst_bus_pop_filtered(bus, GST_MESSAGE_ERROR)) {
            GError *e = nullptr;
            gst_message_parse_error(m, &e, nullptr);
            view.error = QString::fromUtf8(e ? e->message : "error");
            g_clear_error(&e);
            gst_message_unref(m);
            break;
        }
        GstSample *sample = gst_app_sink_try_pull_sample(GST_APP_SINK(sink), 50 * GST_MSECOND);
        if (!sample)
            continue;
        GstVideoInfo info;
        GstVideoFrame frame;
        if (gst_video_info_from_caps(&info, gst_sample_get_caps(sample)) &&
            gst_video_frame_map(&frame, &info, gst_sample_get_buffer(sample), GST_MAP_READ)) {
            if (view.frames++ == 0)
                view.firstFrameMs = clock.elapsed();
            view.width = GST_VIDEO_FRAME_WIDTH(&frame);
            view.height = GST_VIDEO_FRAME_HEIGHT(&frame);
            std::uint32_t stamp = 0;
            if (frame_stamp::read(static_cast<const std::uint8_t *>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0)),
                                  GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0), view.width, view.height, &stamp)) {
                ++view.stamped;
                if (stamp != last)
                    ++view.distinctStamps;
                last = stamp;
                view.maxAgeMs = std::max(view.maxAgeMs, frame_stamp::ageMs(stamp));
            }
            gst_video_frame_unmap(&frame);
        }
        gst_sample_unref(sample);
    }
    gst_element_set_state(pipeline, GST_STATE_NULL);
    gst_object_unref(bus);
    gst_object_unref(sink);
    gst_object_unref(pipeline);
    return view;
}

} // namespace gwanje::test
