#include "live/node_runner.hpp"

#include <algorithm>
#include <deque>
#include <optional>

#include "live/wire.hpp"

namespace cl::live {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

struct NodeRunner::Connection {
    explicit Connection(asio::io_context& io) : socket(io), handshake(io) {}
    tcp::socket socket;
    asio::steady_timer handshake;
    std::optional<std::size_t> slot;  // set once the peer is known (Hello read, or we dialled)
    Bytes prefix = Bytes(kLengthPrefix);
    Bytes body;
    std::deque<std::shared_ptr<const Bytes>> queue;  // frames being written, front first
    std::size_t queued_bytes = 0;
    bool writing = false;
    bool closed = false;
};

struct NodeRunner::Slot {
    explicit Slot(asio::io_context& io) : redial(io) {}
    PeerAddress address;
    std::shared_ptr<Connection> conn;
    std::deque<std::shared_ptr<const Bytes>> pending;  // frames waiting for a connection
    std::size_t pending_bytes = 0;
    asio::steady_timer redial;
    bool dialling = false;
    std::shared_ptr<Connection> connecting;  // the dial in progress (closed by stop())
};

NodeRunner::NodeRunner(asio::io_context& io, RunnerConfig config, const node::Genesis& genesis,
                       tcp::acceptor listener)
    : io_(io), config_(std::move(config)), rng_(config_.rng_seed), listener_(std::move(listener)) {
    config_.node.peers.clear();
    for (const PeerAddress& p : config_.peers) {
        config_.node.peers.push_back(p.id);
        auto slot = std::make_unique<Slot>(io_);
        slot->address = p;
        slots_.push_back(std::move(slot));
    }
    genesis_hash_ = genesis.block->hash;
    node_ = std::make_unique<node::Node>(config_.node, genesis.block, genesis.state, cache_, rng_);
}

NodeRunner::~NodeRunner() = default;

std::size_t NodeRunner::slot_of(node::PeerId id) const {
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        if (slots_[i]->address.id == id) return i;
    }
    return slots_.size();
}

void NodeRunner::start() {
    accept();
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        if (config_.self > slots_[i]->address.id) dial(i);
    }
    apply(node_->start(clock_.now()));
}

void NodeRunner::stop() {
    if (stopped_) return;
    stopped_ = true;
    error_code ignored;
    listener_.close(ignored);
    for (auto& s : slots_) {
        s->redial.cancel();
        if (s->connecting) s->connecting->socket.close(ignored);
        if (s->conn) {
            s->conn->closed = true;
            s->conn->socket.close(ignored);
            s->conn->handshake.cancel();
        }
    }
    for (auto& c : inbound_pending_) {
        c->closed = true;
        c->socket.close(ignored);
        c->handshake.cancel();
    }
    for (auto& w : timers_) {
        if (auto t = w.lock()) t->cancel();
    }
}

node::Effects NodeRunner::submit(const TxRef& tx) {
    node::Effects e = node_->on_local_tx(clock_.now(), tx);
    node::Effects copy = e;
    apply(std::move(e));
    return copy;
}

void NodeRunner::apply(node::Effects effects) {
    if (stopped_) return;
    for (const node::Send& s : effects.sends) send(s.to, s.message);
    for (const node::Timer& t : effects.timers) {
        auto timer = std::make_shared<asio::steady_timer>(io_, clock_.steady_at(t.at));
        timer->async_wait([this, timer, token = t.token](const error_code& ec) {
            if (ec || stopped_) return;
            apply(node_->on_timer(clock_.now(), token));
        });
        if (timers_.size() > 256) {
            std::erase_if(timers_, [](const auto& w) { return w.expired(); });
        }
        timers_.push_back(timer);
    }
    if (sink_) {
        for (const node::MetricEvent& e : effects.events) sink_(e);
    }
}

void NodeRunner::send(node::PeerId to, const node::Message& m) {
    const std::size_t i = slot_of(to);
    if (i == slots_.size()) return;
    auto f = std::make_shared<const Bytes>(frame(encode_message(m)));
    Slot& s = *slots_[i];
    if (s.conn && !s.conn->closed) {
        write(s.conn, std::move(f));
        return;
    }
    // Down: keep it for when the connection comes up, within the same bound as a queue.
    if (s.pending_bytes + f->size() > config_.max_queue_bytes) return;
    s.pending_bytes += f->size();
    s.pending.push_back(std::move(f));
}

void NodeRunner::accept() {
    listener_.async_accept([this](const error_code& ec, tcp::socket socket) {
        if (stopped_) return;
        if (!ec) {
            if (inbound_pending_.size() >= config_.max_inbound_pending) {
                ++stats_.refused_inbound;
                error_code ignored;
                socket.close(ignored);
            } else {
                auto c = std::make_shared<Connection>(io_);
                c->socket = std::move(socket);
                error_code ignored;
                c->socket.set_option(tcp::no_delay(true), ignored);
                inbound_pending_.push_back(c);
                c->handshake.expires_after(config_.handshake_timeout);
                c->handshake.async_wait([this, c](const error_code& e) {
                    if (e || c->closed || c->slot) return;
                    ++stats_.refused_inbound;
                    close(c, false);
                });
                read_prefix(c);
            }
        }
        accept();
    });
}

void NodeRunner::dial(std::size_t i) {
    Slot& s = *slots_[i];
    if (stopped_ || s.dialling || s.conn) return;
    s.dialling = true;
    error_code ec;
    const auto address = asio::ip::make_address(s.address.host, ec);
    if (ec) {
        s.dialling = false;
        return;  // the command line checked addresses; nothing to dial
    }
    auto c = std::make_shared<Connection>(io_);
    s.connecting = c;
    c->socket.async_connect(tcp::endpoint(address, s.address.port), [this, c, i](const error_code& e) {
        Slot& slot = *slots_[i];
        slot.dialling = false;
        slot.connecting.reset();
        if (stopped_) return;
        if (e) {
            schedule_redial(i);
            return;
        }
        error_code ignored;
        c->socket.set_option(tcp::no_delay(true), ignored);
        c->slot = i;
        write(c, std::make_shared<const Bytes>(frame(encode_hello(Hello{config_.self, genesis_hash_}))));
        attach(i, c);
        read_prefix(c);
    });
}

void NodeRunner::schedule_redial(std::size_t i) {
    Slot& s = *slots_[i];
    if (stopped_) return;
    s.redial.expires_after(config_.redial_delay);
    s.redial.async_wait([this, i](const error_code& ec) {
        if (!ec) dial(i);
    });
}

void NodeRunner::attach(std::size_t i, const std::shared_ptr<Connection>& c) {
    Slot& s = *slots_[i];
    if (s.conn && s.conn != c) {
        // A new connection from the same peer (it restarted): the old one is gone.
        auto old = s.conn;
        old->slot.reset();
        close(old, false);
        apply(node_->on_message(clock_.now(), s.address.id, node::DisconnectMsg{node::kDiscNetworkError}));
    }
    s.conn = c;
    std::erase(inbound_pending_, c);
    c->handshake.cancel();
    while (!s.pending.empty() && !c->closed) {
        auto f = std::move(s.pending.front());
        s.pending.pop_front();
        write(c, std::move(f));
    }
    s.pending.clear();
    s.pending_bytes = 0;
}

void NodeRunner::read_prefix(const std::shared_ptr<Connection>& c) {
    asio::async_read(c->socket, asio::buffer(c->prefix), [this, c](const error_code& ec, std::size_t) {
        if (stopped_ || c->closed) return;
        if (ec) {
            close(c, false);
            return;
        }
        const std::size_t n = frame_length(c->prefix);
        if (n == 0 || n > kMaxFrame) {
            ++stats_.bad_frames;  // refused before a byte of its body is buffered
            close(c, true);
            return;
        }
        read_body(c, n);
    });
}

void NodeRunner::read_body(const std::shared_ptr<Connection>& c, std::size_t n) {
    c->body.resize(n);
    asio::async_read(c->socket, asio::buffer(c->body), [this, c](const error_code& ec, std::size_t) {
        if (stopped_ || c->closed) return;
        if (ec) {
            close(c, false);
            return;
        }
        ++stats_.frames_in;
        on_frame(c);
        if (!c->closed) {
            c->body = Bytes();  // release a large frame's buffer
            read_prefix(c);
        }
    });
}

void NodeRunner::on_frame(const std::shared_ptr<Connection>& c) {
    if (!c->slot) {
        auto hello = decode_hello(c->body);
        const std::size_t i = hello ? slot_of(static_cast<node::PeerId>(hello->node)) : slots_.size();
        // Only a configured peer with a higher index dials us, on our genesis.
        if (!hello || hello->node > 0xffffffffu || i == slots_.size() || hello->genesis != genesis_hash_ ||
            slots_[i]->address.id <= config_.self) {
            ++stats_.refused_inbound;
            close(c, !hello);
            return;
        }
        c->slot = i;
        attach(i, c);
        return;
    }
    auto message = decode_message(c->body);
    if (!message) {
        ++stats_.bad_frames;
        close(c, true);
        return;
    }
    apply(node_->on_message(clock_.now(), slots_[*c->slot]->address.id, *message));
}

void NodeRunner::write(const std::shared_ptr<Connection>& c, std::shared_ptr<const Bytes> f) {
    if (c->closed) return;
    if (c->queued_bytes + f->size() > config_.max_queue_bytes) {
        ++stats_.slow_peer_drops;  // the peer does not read: drop it (geth drops a peer whose queue is full)
        close(c, false);
        return;
    }
    c->queued_bytes += f->size();
    c->queue.push_back(std::move(f));
    if (!c->writing) write_next(c);
}

void NodeRunner::write_next(const std::shared_ptr<Connection>& c) {
    if (c->queue.empty() || c->closed) {
        c->writing = false;
        return;
    }
    c->writing = true;
    auto f = c->queue.front();
    asio::async_write(c->socket, asio::buffer(*f), [this, c, f](const error_code& ec, std::size_t) {
        if (stopped_ || c->closed) return;
        if (ec) {
            close(c, false);
            return;
        }
        ++stats_.frames_out;
        c->queued_bytes -= f->size();
        c->queue.pop_front();
        write_next(c);
    });
}

void NodeRunner::close(const std::shared_ptr<Connection>& c, bool /*bad*/) {
    if (c->closed) return;
    c->closed = true;
    error_code ignored;
    c->socket.close(ignored);
    c->handshake.cancel();
    c->queue.clear();
    c->queued_bytes = 0;
    std::erase(inbound_pending_, c);
    if (!c->slot) return;
    const std::size_t i = *c->slot;
    Slot& s = *slots_[i];
    if (s.conn != c) return;
    s.conn.reset();
    if (stopped_) return;
    // The TCP close, as protocol::Node models it.
    apply(node_->on_message(clock_.now(), s.address.id, node::DisconnectMsg{node::kDiscNetworkError}));
    if (config_.self > s.address.id) schedule_redial(i);
}

}  // namespace cl::live
