// Checks real Clique headers (docs/conformance.md): decoding, block hash, the header's
// own §4 rules, seal recovery and the expected signer; negative entries must fail.
#include <algorithm>
#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/conformance/case_report.hpp"
#include "app/conformance/json_input.hpp"
#include "app/conformance/runners.hpp"
#include "protocol/clique/seal.hpp"
#include "protocol/clique/verify.hpp"
#include "protocol/core/keccak.hpp"

namespace cl::app {
namespace {

using nlohmann::json;

struct HeaderCase {
    std::string name;
    Bytes rlp;
    std::optional<Hash32> hash;
    std::optional<Address> signer;
    std::optional<std::string> expect_error;  // set: a negative entry
};

template <class Fixed>
std::optional<Fixed> optional_fixed(const json& obj, const char* key, const std::string& where) {
    if (!obj.contains(key) || obj[key].is_null()) return std::nullopt;
    auto v = Fixed::from_hex(require_string(obj, key, where));
    if (!v)
        throw InputError(where + "." + key + ": " + to_string(v.error()) + " (expected " +
                         std::to_string(Fixed::kSize) + " bytes of hex)");
    return *v;
}

struct HeaderFile {
    std::uint64_t epoch = clique::kDefaultEpoch;
    std::vector<HeaderCase> cases;
};

HeaderFile parse_file(const std::string& path) {
    const json doc = read_json_file(path);
    HeaderFile file;
    if (auto epoch = optional_uint(doc, "epoch", path)) {
        if (*epoch == 0) throw InputError(path + ": epoch: must be positive");
        file.epoch = *epoch;
    }
    const json& headers = require(doc, "headers", path);
    if (!headers.is_array()) throw InputError(path + ": headers: expected a list");
    for (std::size_t i = 0; i < headers.size(); ++i) {
        const std::string where = path + ": headers[" + std::to_string(i) + "]";
        HeaderCase c;
        c.name = require_string(headers[i], "name", where);
        c.rlp = require_hex(headers[i], "rlp", where);
        c.hash = optional_fixed<Hash32>(headers[i], "hash", where);
        c.signer = optional_fixed<Address>(headers[i], "signer", where);
        c.expect_error = optional_string(headers[i], "expect_error", where);
        if (!c.expect_error && (!c.hash || !c.signer))
            throw InputError(where + ": a positive entry needs \"hash\" and \"signer\"");
        file.cases.push_back(std::move(c));
    }
    return file;
}

// Verifies one header on its own. Empty string: it verifies (and matches the expected
// signer, if any); otherwise the first reason it does not.
std::string verify(const HeaderCase& c, const clique::Config& config) {
    auto header = decode_header(c.rlp);
    if (!header) return "malformed header: " + header.error().message();
    if (header->number == 0) return "genesis has no seal to verify";
    // The context-free rules of §4 (the clock is not part of this check).
    if (auto r = clique::verify_fields(config, *header, ~std::uint64_t{0}); !r)
        return std::string("header rule: ") + clique::name(r.error());
    auto signer = clique::recover_sealer(*header);
    if (!signer) return std::string("seal does not recover: ") + to_string(signer.error());
    if (c.signer && *signer != *c.signer)
        return "recovered signer " + signer->hex() + " is not the expected " + c.signer->hex();
    if (config.is_checkpoint(header->number)) {
        const auto listed = clique::checkpoint_signers(*header);
        if (std::find(listed.begin(), listed.end(), *signer) == listed.end())
            return "signer " + signer->hex() + " is not in the checkpoint's signer list";
    }
    return {};
}

}  // namespace

int run_clique_headers(const std::string& path, std::ostream& out, std::ostream& err) {
    HeaderFile file;
    try {
        file = parse_file(path);
    } catch (const InputError& e) {
        err << "error: " << e.what() << "\n";
        return 2;
    }
    clique::Config config;
    config.epoch = file.epoch;
    CaseReport report(out);
    for (const HeaderCase& c : file.cases) {
        const std::string problem = verify(c, config);
        if (c.expect_error) {
            if (problem.empty())
                report.fail(c.name, "verified, but was expected to fail (" + *c.expect_error + ")");
            else
                report.pass(c.name, "rejected: " + problem);
        } else if (!problem.empty()) {
            report.fail(c.name, problem);
        } else if (keccak256(c.rlp) != *c.hash) {
            report.fail(c.name,
                        "block hash " + keccak256(c.rlp).hex() + " is not the expected " + c.hash->hex());
        } else {
            report.pass(c.name);
        }
    }
    return report.finish();
}

}  // namespace cl::app
