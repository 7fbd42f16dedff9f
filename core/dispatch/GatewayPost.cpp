#include "GatewayPost_p.h"

#include <QMetaEnum>
#include <QSignalBlocker>
#include <QTcpSocket>
#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

namespace gwanje {

namespace {
// An answer whose first line is longer than this is not HTTP.
constexpr qsizetype maxStatusLine = 8192;

QByteArray requestBytes(const QUrl &url, const QByteArray &idempotencyKey, const QByteArray &body)
{
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']'; // an IPv6 literal
    const int defaultPort = url.scheme() == QLatin1String("https") ? 443 : 80;
    if (url.port(defaultPort) != defaultPort)
        host += ':' + QByteArray::number(url.port());
    QByteArray out =
        "POST " + target + " HTTP/1.1\r\nHost: " + host +
        "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " + QByteArray::number(body.size()) +
        "\r\nIdempotency-Key: " + idempotencyKey + "\r\nConnection: close\r\n";
    if (!url.userName().isEmpty()) {
        const QByteArray credentials =
            url.userName(QUrl::FullyDecoded).toUtf8() + ':' + url.password(QUrl::FullyDecoded).toUtf8();
        out += "Authorization: Basic " + credentials.toBase64() + "\r\n";
    }
    return out + "\r\n" + body;
}

QString socketErrorName(int error)
{
    const char *name = QMetaEnum::fromType<QAbstractSocket::SocketError>().valueToKey(error);
    return name ? QString::fromLatin1(name) : QString::number(error);
}
} // namespace

GatewayPost::GatewayPost(const QUrl &url, const QByteArray &idempotencyKey, const QByteArray &body, int timeoutMs,
                         Done done, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_request(requestBytes(url, idempotencyKey, body))
    , m_timeoutMs(timeoutMs)
    , m_done(std::move(done))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &GatewayPost::onTimeout);
}

GatewayPost::~GatewayPost()
{
    m_finished = true; // no report from the socket's last signals
    if (m_socket)
        m_socket->abort();
}

void GatewayPost::start()
{
    const bool tls = m_url.scheme() == QLatin1String("https");
    const quint16 port = quint16(m_url.port(tls ? 443 : 80));
#if QT_CONFIG(ssl)
    if (tls) {
        auto *socket = new QSslSocket(this);
        connect(socket, &QSslSocket::encrypted, this, &GatewayPost::onConnected);
        m_socket = socket;
    }
#endif
    if (!m_socket) {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &GatewayPost::onConnected);
    }
    connect(m_socket, &QTcpSocket::readyRead, this, &GatewayPost::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) { onClosed(e); });
    connect(m_socket, &QTcpSocket::disconnected, this, [this] { onClosed(QAbstractSocket::RemoteHostClosedError); });
    m_timer.start(m_timeoutMs);
#if QT_CONFIG(ssl)
    if (tls) {
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_url.host(), port);
        return;
    }
#endif
    m_socket->connectToHost(m_url.host(), port);
}

void GatewayPost::onConnected()
{
    m_socket->write(m_request);
}

bool GatewayPost::parseStatus()
{
    if (m_socket && m_socket->isOpen())
        m_received += m_socket->readAll();
    for (;;) {
        const qsizetype end = m_received.indexOf("\r\n");
        if (end < 0) {
            if (m_received.size() > maxStatusLine)
                finish({0, QStringLiteral("network: the answer is not HTTP")});
            return m_finished;
        }
        // "HTTP/1.1 200 OK": the code decides; the headers and the body say nothing the notifier needs.
        const QList<QByteArray> parts = m_received.left(end).split(' ');
        bool ok = false;
        const int code = parts.value(1).toInt(&ok);
        if (!parts.value(0).startsWith("HTTP/") || !ok || code < 100 || code > 999) {
            finish({0, QStringLiteral("network: the answer is not HTTP")});
            return true;
        }
        if (code >= 200) {
            finish({code, {}});
            return true;
        }
        // An interim answer (100 Continue, 102 Processing): the final one follows its empty line.
        const qsizetype headEnd = m_received.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return false;
        m_received.remove(0, headEnd + 4);
    }
}

void GatewayPost::onReadyRead()
{
    if (!m_finished)
        parseStatus();
}

void GatewayPost::onClosed(int socketError)
{
    // What arrived before the close is the answer, if a status line is in it.
    if (m_finished || parseStatus())
        return;
    finish({0, QStringLiteral("network: ") + socketErrorName(socketError)});
}

void GatewayPost::onTimeout()
{
    if (m_finished)
        return;
    // An answer that arrived while this thread was busy (a disk flush) wins over the timer that fired
    // meanwhile: the gateway delivered, and a retry would deliver again.
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
        const QSignalBlocker quiet(m_socket); // its "timed out" is not the gateway's answer
        m_socket->waitForReadyRead(0);
    }
    if (m_finished || parseStatus())
        return;
    finish({0, QStringLiteral("timeout after %1 ms").arg(m_timeoutMs)});
}

void GatewayPost::finish(const GatewayReply &reply)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    if (m_done)
        m_done(reply);
}

} // namespace gwanje
