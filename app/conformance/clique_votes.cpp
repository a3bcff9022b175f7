// Runs clique-votes cases (shared/spec/clique.md §10) through protocol::clique::Chain:
// every symbolic account gets a real key, every block is a real header sealed with it,
// with the difficulty its signing order calls for, and imported through the full
// verification and snapshot pipeline.
#include <algorithm>
#include <map>
#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/conformance/case_report.hpp"
#include "app/conformance/json_input.hpp"
#include "app/conformance/runners.hpp"
#include "protocol/clique/chain.hpp"
#include "protocol/clique/seal.hpp"
#include "protocol/core/secp256k1.hpp"
#include "protocol/core/split_mix64.hpp"

namespace cl::app {
namespace {

using nlohmann::json;

struct BlockSpec {
    std::string signer;
    std::optional<std::string> voted;
    bool auth = false;
    std::optional<std::vector<std::string>> checkpoint;
};

struct CaseSpec {
    std::string label;  // "case 3 (Single signer, dropping itself)"
    std::uint64_t epoch = clique::kDefaultEpoch;
    std::vector<std::string> signers;
    std::vector<BlockSpec> blocks;
    std::optional<std::vector<std::string>> expect_signers;
    std::optional<std::string> expect_error;
    std::optional<std::uint64_t> expect_failing_block;
};

std::vector<std::string> string_list(const json& obj, const char* key, const std::string& where) {
    const json& v = require(obj, key, where);
    if (!v.is_array()) throw InputError(where + "." + key + ": expected a list of account names");
    std::vector<std::string> out;
    for (const json& item : v) {
        if (!item.is_string() || item.get<std::string>().empty())
            throw InputError(where + "." + key + ": expected non-empty account names (strings)");
        out.push_back(item.get<std::string>());
    }
    return out;
}

CaseSpec parse_case(const json& c, const std::string& where) {
    CaseSpec spec;
    const json& id = require(c, "id", where);
    spec.label = "case " + id.dump();
    if (auto name = optional_string(c, "name", where)) spec.label += " (" + *name + ")";
    if (auto epoch = optional_uint(c, "epoch", where)) {
        if (*epoch == 0) throw InputError(where + ".epoch: must be positive (null for the default 30000)");
        spec.epoch = *epoch;
    }
    spec.signers = string_list(c, "signers", where);
    const json& blocks = require(c, "blocks", where);
    if (!blocks.is_array()) throw InputError(where + ".blocks: expected a list");
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        const std::string at = where + ".blocks[" + std::to_string(i) + "]";
        BlockSpec b;
        b.signer = require_string(blocks[i], "signer", at);
        b.voted = optional_string(blocks[i], "voted", at);
        b.auth = optional_bool(blocks[i], "auth", at).value_or(false);
        if (blocks[i].contains("checkpoint")) b.checkpoint = string_list(blocks[i], "checkpoint", at);
        spec.blocks.push_back(std::move(b));
    }
    const json& expect = require(c, "expect", where);
    const std::string at = where + ".expect";
    if (expect.contains("signers")) spec.expect_signers = string_list(expect, "signers", at);
    spec.expect_error = optional_string(expect, "error", at);
    spec.expect_failing_block = optional_uint(expect, "derived_failing_block", at);
    if (spec.expect_signers.has_value() == spec.expect_error.has_value())
        throw InputError(at + ": expected exactly one of \"signers\" and \"error\"");
    return spec;
}

std::vector<CaseSpec> parse_file(const std::string& path) {
    const json doc = read_json_file(path);
    const json& cases = require(doc, "cases", path);
    if (!cases.is_array()) throw InputError(path + ": cases: expected a list");
    std::vector<CaseSpec> out;
    for (std::size_t i = 0; i < cases.size(); ++i)
        out.push_back(parse_case(cases[i], path + ": cases[" + std::to_string(i) + "]"));
    return out;
}

// Symbolic account → real key and address (seed 0, name "conformance/<account>").
class Accounts {
  public:
    const PrivateKey& key(const std::string& name) { return entry(name).first; }
    const Address& address(const std::string& name) { return entry(name).second; }
    std::string name_of(const Address& a) const {
        for (const auto& [name, e] : accounts_)
            if (e.second == a) return name;
        return a.hex();
    }
    std::vector<Address> addresses(const std::vector<std::string>& names) {
        std::vector<Address> out;
        for (const auto& n : names) out.push_back(address(n));
        std::sort(out.begin(), out.end());
        return out;
    }

  private:
    const std::pair<PrivateKey, Address>& entry(const std::string& name) {
        auto it = accounts_.find(name);
        if (it == accounts_.end()) {
            const PrivateKey k = derive_private_key(0, "conformance/" + name);
            it = accounts_.emplace(name, std::make_pair(k, address_of(k))).first;
        }
        return it->second;
    }
    std::map<std::string, std::pair<PrivateKey, Address>> accounts_;
};

struct Outcome {
    std::optional<clique::Error> error;
    std::uint64_t failing_block = 0;
    std::vector<Address> signers;  // final, when no error
};

Outcome run_case(const CaseSpec& spec, Accounts& accounts) {
    clique::Config config;
    config.epoch = spec.epoch;
    Header genesis;
    genesis.uncle_hash = kEmptyUncleHash;
    genesis.difficulty = 1;
    genesis.gas_limit = 8'000'000;
    genesis.extra = clique::make_extra(accounts.addresses(spec.signers));
    clique::Chain chain(config, genesis);
    SplitMix64 rng(0);  // fork choice never flips a coin on a single branch
    constexpr std::uint64_t kNow = ~std::uint64_t{0};

    for (const BlockSpec& b : spec.blocks) {
        const BlockEntry& parent = chain.head();
        const clique::Snapshot& snap = chain.snapshot(parent.hash);
        Header h;
        h.parent_hash = parent.hash;
        h.uncle_hash = kEmptyUncleHash;
        h.number = parent.header.number + 1;
        h.time = parent.header.time + config.period;
        h.gas_limit = parent.header.gas_limit;
        const Address& signer = accounts.address(b.signer);
        h.difficulty = snap.in_turn(h.number, signer) ? clique::kDiffInTurn : clique::kDiffNoTurn;
        if (b.voted) h.coinbase = accounts.address(*b.voted);
        h.nonce = b.auth ? clique::kNonceAuth : clique::kNonceDrop;
        // An epoch block lists the signers; the file gives them (or we take the snapshot's).
        std::vector<Address> listed;
        if (b.checkpoint)
            listed = accounts.addresses(*b.checkpoint);
        else if (config.is_checkpoint(h.number))
            listed = snap.signers();
        h.extra = clique::make_extra(listed);
        clique::seal_header(h, accounts.key(b.signer));
        if (auto r = chain.import(std::move(h), kNow, rng); !r)
            return Outcome{r.error(), parent.header.number + 1, {}};
    }
    return Outcome{std::nullopt, 0, chain.snapshot(chain.head().hash).signers()};
}

std::string names(const std::vector<Address>& addrs, const Accounts& accounts) {
    std::vector<std::string> n;
    for (const auto& a : addrs) n.push_back(accounts.name_of(a));
    std::sort(n.begin(), n.end());
    std::string out = "[";
    for (std::size_t i = 0; i < n.size(); ++i) out += (i ? "," : "") + n[i];
    return out + "]";
}

// Empty when the outcome matches; otherwise what differs.
std::string judge(const CaseSpec& spec, const Outcome& got, Accounts& accounts) {
    const std::string actual =
        got.error ? std::string(clique::name(*got.error)) + " at block " + std::to_string(got.failing_block)
                  : "signers " + names(got.signers, accounts);
    if (spec.expect_error) {
        const bool same_error = got.error && *spec.expect_error == clique::name(*got.error);
        const bool same_block = !spec.expect_failing_block || *spec.expect_failing_block == got.failing_block;
        if (same_error && same_block) return {};
        std::string want = *spec.expect_error;
        if (spec.expect_failing_block) want += " at block " + std::to_string(*spec.expect_failing_block);
        return "expected " + want + ", got " + actual;
    }
    const std::vector<Address> want = accounts.addresses(*spec.expect_signers);
    if (!got.error && got.signers == want) return {};
    return "expected signers " + names(want, accounts) + ", got " + actual;
}

}  // namespace

int run_clique_votes(const std::string& path, std::ostream& out, std::ostream& err) {
    std::vector<CaseSpec> cases;
    try {
        cases = parse_file(path);
    } catch (const InputError& e) {
        err << "error: " << e.what() << "\n";
        return 2;
    }
    Accounts accounts;
    CaseReport report(out);
    for (const CaseSpec& spec : cases) {
        const std::string problem = judge(spec, run_case(spec, accounts), accounts);
        if (problem.empty())
            report.pass(spec.label);
        else
            report.fail(spec.label, problem);
    }
    return report.finish();
}

}  // namespace cl::app
