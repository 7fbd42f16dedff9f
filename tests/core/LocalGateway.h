#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QThread>

#include <functional>
#include <vector>

class QTcpServer;
class QTcpSocket;

namespace gwanje::test {

struct GatewayRequest
{
    QByteArray method;
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;
    // The status the gateway decided on when it read the request (a delayed answer is decided, and a
    // 2xx delivered, before it is written); 0 while held or when the connection was dropped.
    int answered = 0;
};

// How to answer one request: a status, possibly late, or no answer at all.
struct GatewayAnswer
{
    int status = 200;
    int delayMs = 0;   // the answer is written this much later (a gateway slow under load)
    bool drop = false; // the connection is closed after the request was read, without an answer
    int interim = 0;   // a 1xx answer first (100 Continue, 102 Processing), then the status
};

// A small HTTP/1.1 server on a free loopback port, standing in for the city's SMS gateway: it
// answers each request with the next scripted status (then the fallback) and records every
// request. Answers close the connection, so a client never resends on a connection we closed.
// Lives on the test's thread; QTRY_* macros turn its event loop.
class LocalGateway : public QObject
{
public:
    static constexpr int Hold = -1; // a scripted "status" that never answers

    explicit LocalGateway(QObject *parent = nullptr);
    ~LocalGateway() override;

    bool listen();
    void close();
    quint16 port() const;
    QString url() const; // http://127.0.0.1:<port>/sms

    void script(QList<int> statuses) { m_script = std::move(statuses); }
    void setFallback(int status) { m_fallback = status; }
    // Decides the answer to each request (index: 0-based, in arrival order) instead of the script and
    // the fallback; for a flaky gateway.
    void setResponder(std::function<GatewayAnswer(const GatewayRequest &, int index)> responder)
    {
        m_responder = std::move(responder);
    }
    // Called for each complete request just before it is answered.
    void setRequestHook(std::function<void(const GatewayRequest &)> hook) { m_hook = std::move(hook); }

    const std::vector<GatewayRequest> &requests() const { return m_requests; }
    int count() const { return int(m_requests.size()); }

private:
    void onConnection();
    void onReadyRead(QTcpSocket *socket);

    QTcpServer *m_server = nullptr;
    QList<int> m_script;
    int m_fallback = 200;
    std::function<GatewayAnswer(const GatewayRequest &, int)> m_responder;
    std::function<void(const GatewayRequest &)> m_hook;
    std::vector<GatewayRequest> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

// A LocalGateway on a thread of its own, so it goes on answering while the test's thread waits (in
// a notifier's stop(), say), as a real gateway would.
class GatewayThread
{
public:
    explicit GatewayThread(std::function<GatewayAnswer(const GatewayRequest &, int index)> responder);
    ~GatewayThread();
    GatewayThread(const GatewayThread &) = delete;
    GatewayThread &operator=(const GatewayThread &) = delete;

    bool listening() const { return m_listening; }
    QString url() const { return m_url; }
    std::vector<GatewayRequest> requests() const; // a copy, taken on the gateway's thread
    int count() const { return int(requests().size()); }

private:
    QThread m_thread;
    LocalGateway *m_gateway = nullptr; // lives and dies on m_thread
    bool m_listening = false;
    QString m_url;
};

} // namespace gwanje::test
