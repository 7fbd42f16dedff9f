#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

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
    int answered = 0; // the status sent back; 0 while held
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
    std::function<void(const GatewayRequest &)> m_hook;
    std::vector<GatewayRequest> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace gwanje::test
