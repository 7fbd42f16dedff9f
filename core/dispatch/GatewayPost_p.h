#pragma once

// Private to the notifier: one POST to the SMS gateway on a connection of its own.

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <functional>

class QTcpSocket;

namespace gwanje {

struct GatewayReply
{
    int http = 0;  // the status line's code; 0 when none came
    QString error; // English, when no status came: "network: RemoteHostClosedError", "timeout after 5000 ms"
};

// Sends one HTTP/1.1 POST and reads the status line of the answer, on the thread it lives on. Not
// QNetworkAccessManager, because the notifier counts each request it puts on the wire and times it
// from there: Qt 6.4's manager resends a POST by itself when the connection closes before an answer
// (up to three times, unseen by its caller), and queues requests beyond six per host while their
// caller's timeout already runs.
//
// Owned by its caller; reports once through `done`, unless destroyed first. `done` may deleteLater()
// it, never delete it.
class GatewayPost : public QObject
{
public:
    using Done = std::function<void(const GatewayReply &)>;

    GatewayPost(const QUrl &url, const QByteArray &idempotencyKey, const QByteArray &body, int timeoutMs, Done done,
                QObject *parent = nullptr);
    ~GatewayPost() override;

    // Connects and sends; the timeout runs from here.
    void start();

private:
    void onConnected();
    void onReadyRead();
    void onClosed(int socketError);
    void onTimeout();
    bool parseStatus();
    void finish(const GatewayReply &reply);

    QUrl m_url;
    QByteArray m_request;
    int m_timeoutMs = 0;
    Done m_done;
    QTcpSocket *m_socket = nullptr;
    QTimer m_timer;
    QByteArray m_received;
    bool m_finished = false;
};

} // namespace gwanje
