// The users (docs/scenarios.md "How the workload behaves"): new users arrive (Poisson,
// all regions together) at a full node of their region and request a code of their
// tier; a holder of a confirmed code may give it to a new user (transfer), presents it
// to a cloud (Clouds::present, once or — an attack — to two clouds at once), and under
// the `renewable` TTL policy renews it before it expires; a refused user may ask again.
// A user learns its outcomes from its own node (TxWatcher: k confirmations, k =
// cloud_behaviour.confirmations). Its tables: RequestRecord, TransferRecord,
// RenewalRecord.
//
// Randomness (DESIGN.md §6): arrival times and each arrival's region, tier and entry
// node come from "workload/users"; each user's own decisions from
// "workload/user/<index>", every draw of a decision made in a fixed order whether or not
// its value is used.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "sim/kernel/distributions.hpp"
#include "sim/world/workload/clouds.hpp"
#include "sim/world/workload/confirmations.hpp"
#include "sim/world/workload/workload.hpp"

namespace cl::sim::world {

// Where users arrive: the configured weights, or each region's number of full nodes.
std::vector<double> user_region_weights(const WorldConfig& config);
// The tier mix: the configured one, or uniform over the tiers.
std::vector<double> user_tier_weights(const WorldConfig& config);

class Users final : public Workload {
  public:
    // REQUIRES: World::check accepted the config (the weights can be drawn from).
    // `clouds` is where holders present their codes; it outlives the users.
    Users(const WorldContext& context, Clouds& clouds);

    std::string_view name() const override { return "users"; }
    void start() override { schedule_next_user(); }
    void on_block_sealed(net::NodeId, const node::Block& block, Time) override {
        watcher_.on_block_sealed(block);
    }
    void on_head_changed(net::NodeId n, Time at) override;
    void on_tx_refused(net::NodeId n, const Hash32& tx, txpool::Refusal reason, Time at) override;
    void finish(std::span<const Inclusion> reference_chain, WorldResults& results) override;

  private:
    // Users (requesters and transferees), by user index.
    struct User {
        RandomStream rng;  // "workload/user/<index>": this user's own decisions
        Address address;   // zero until the user first signs (or receives) something
        net::NodeId entry = 0;
        std::uint16_t region = 0;
        std::uint16_t tier = 0;
        std::uint32_t attempts = 0;  // requests made
    };
    // What a holder decided to do with its code besides a transfer.
    struct Presentation {
        bool presents = false;
        Duration delay;
        std::uint16_t cloud = 0;
        std::optional<std::uint16_t> second_cloud;  // presents it there too, at the same time
    };
    // A transaction whose outcome a user waits for.
    enum class Watched : std::uint8_t { kRequest, kTransfer, kRenew };
    struct Watch {
        Watched kind = Watched::kRequest;
        std::size_t index = 0;  // into requests_ / transfers_ / renewals_
    };

    void schedule_next_user();
    net::NodeId pick_entry(std::uint16_t region, RandomStream& rng) const;
    std::uint64_t new_user(std::uint16_t region, net::NodeId entry, std::uint16_t tier);
    void user_arrives();
    Duration stamp_duration(std::uint64_t hashes) const;
    void submit_request(std::uint64_t user);
    void send_request(std::uint64_t user, const node::TxRef& tx, std::uint64_t stamp_hashes);
    void watch(const Hash32& tx, Watched kind, std::size_t index, net::NodeId node);
    void settle(const Watch& watch, bool ok, Time at);
    void request_refused(std::size_t index, Time at);
    Presentation decide(User& u, bool& transfers);
    void requester_holds_code(std::size_t index, Time at);
    void transferee_holds_code(std::uint64_t user, const Hash32& code, Time at);
    void submit_transfer(std::size_t index, Presentation fallback);
    void transfer_failed(std::size_t t, Time at);
    bool renewals_on() const;
    void plan_renewal(std::uint64_t user, const Hash32& code, Time at);
    void renewal_check(std::uint64_t user, const Hash32& code);
    void present_later(std::uint64_t user, const Hash32& code, const Presentation& p, Time at);
    Time end_of_run() const { return ctx_.hosts.end_of_run(); }

    WorldContext ctx_;
    Clouds& clouds_;
    RandomStream rng_;  // "workload/users"
    std::optional<WeightedChoice> region_choice_;
    std::optional<WeightedChoice> tier_choice_;
    std::vector<std::vector<net::NodeId>> full_nodes_by_region_;
    std::vector<net::NodeId> full_nodes_;
    std::vector<User> users_;
    std::vector<Presentation> transfer_fallbacks_;  // by transfer index: what the giver does if it fails
    TxWatcher watcher_;
    std::vector<Watch> watches_;  // by watch id
    std::vector<RequestRecord> requests_;
    std::vector<TransferRecord> transfers_;
    std::vector<RenewalRecord> renewals_;
    std::unordered_map<Hash32, std::size_t> request_index_;   // by request tx hash; lookup only
    std::unordered_map<Hash32, std::size_t> transfer_index_;  // by transfer tx hash
    std::unordered_map<Hash32, std::size_t> renewal_index_;   // by renew tx hash
};

}  // namespace cl::sim::world
