// The clouds (docs/scenarios.md "How the workload behaves"): a user presents a confirmed
// code to a cloud; the cloud asks its own node (its validator) until the code is
// redeemable — issued, owned by the presenter, k blocks on top — screens the user
// (exponential delay, pass with pass_probability, drawn from "workload/clouds"), then
// sends redeem(code) signed by its operator key and allocates the resources when its node
// shows the redeem succeeded with k blocks on top (allocate_after: {confirmations: k},
// default workload.clouds.confirmations) — or, with allocate_after: final_checkpoint,
// at the first head change of its node after that at which the redeem's block is at or
// below the latest final checkpoint the node knows. Its table: RedemptionRecord.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "protocol/core/secp256k1.hpp"
#include "sim/world/workload/confirmations.hpp"
#include "sim/world/workload/workload.hpp"

namespace cl::sim::world {

class Clouds final : public Workload {
  public:
    explicit Clouds(const WorldContext& context);

    // User `user` (address `holder`) presents `code` to cloud `cloud` at `when` (>= now).
    void present(std::uint64_t user, const Address& holder, const Hash32& code, std::uint16_t cloud,
                 Time when);

    std::string_view name() const override { return "clouds"; }
    void start() override {}
    void on_block_sealed(net::NodeId, const node::Block& block, Time) override;
    void on_head_changed(net::NodeId n, Time at) override;
    void on_tx_refused(net::NodeId, const Hash32& tx, txpool::Refusal, Time) override;
    void finish(std::span<const Inclusion> reference_chain, WorldResults& results) override;

  private:
    void query(std::size_t index, std::uint32_t attempt);
    void screen_and_redeem(std::size_t index, bool passes);
    // allocate_after: final_checkpoint — whether the redeem of `index` is in a block of node
    // n's canonical chain at or below the latest final checkpoint n knows.
    bool redeem_final(net::NodeId n, std::size_t index) const;

    WorldContext ctx_;
    RandomStream rng_;  // "workload/clouds"
    std::vector<PrivateKey> operator_keys_;
    std::vector<Address> operator_addresses_;  // address_of(operator_keys_[c]), derived once
    TxWatcher watcher_;
    std::vector<RedemptionRecord> redemptions_;
    std::vector<Address> holders_;                          // by redemption: who presented the code
    std::vector<std::size_t> watched_;                      // by watch id: the redemption
    std::unordered_map<Hash32, std::size_t> redeem_index_;  // by redeem tx hash; lookup only
    // allocate_after: final_checkpoint. Per redemption, the blocks that hold its redeem
    // (hash, number); the redemptions settled (k deep) but not yet final, in settling order.
    std::unordered_map<std::size_t, std::vector<std::pair<Hash32, std::uint64_t>>>
        redeem_blocks_;  // lookup only
    std::vector<std::size_t> awaiting_final_;
};

}  // namespace cl::sim::world
