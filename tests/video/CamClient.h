#pragma once

#include <QString>

#include <cstdint>

namespace gwanje::test {

// What a viewer of one RTSP stream saw in a while: decoded pictures and the send times they
// carried (core/video/FrameStamp.h). A GStreamer pipeline of its own (rtspsrc over TCP, H.264
// decoded in software, I420 into an appsink), torn down when pull() returns.
struct CamView
{
    int frames = 0;             // decoded pictures
    int stamped = 0;            // ... with a readable send time
    int distinctStamps = 0;     // ... of which a new one (a frozen picture repeats its stamp)
    std::int64_t maxAgeMs = -1; // the oldest picture on arrival (send time to decoded)
    int width = 0, height = 0;
    QString error;            // the pipeline's first error ("Not found" for an unmounted camera)
    qint64 firstFrameMs = -1; // from the request to the first picture
};

// Watches `url` for `ms` milliseconds (or until an error).
CamView watch(const QString &url, int ms);

} // namespace gwanje::test
