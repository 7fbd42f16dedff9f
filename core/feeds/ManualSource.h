#pragma once

#include "Source.h"

namespace gwanje {

// A source whoever holds it drives by hand: started, it only hands over the bus, on which the
// holder publishes (tests, benchmarks, a tool injecting events in process).
class ManualSource final : public Source
{
public:
    explicit ManualSource(QString name = QStringLiteral("manual"))
        : m_name(std::move(name))
    {}
    QString name() const override { return m_name; }
    bool start(EventBus &bus) override
    {
        m_bus = &bus;
        return true;
    }
    void stop() override {}
    SourceStats stats() const override
    {
        SourceStats s;
        s.state = SourceState::Finished;
        s.finished = true; // nothing of its own to wait for
        return s;
    }
    EventBus *bus() const { return m_bus; } // after start()

private:
    QString m_name;
    EventBus *m_bus = nullptr;
};

} // namespace gwanje
