// The persistent Merkle Patricia Trie (protocol/state/trie.hpp).
//
// 1. The Ethereum TrieTests vectors (tests/vectors/trie, see SOURCE.md) run as data: every
//    case is one parameterised test. List-form cases are applied in order (null or "" is a
//    delete); object-form ("any order") cases are applied in file order, reversed and in
//    shuffled orders, and must give the same root. *secure* files hash keys with keccak256.
//    Each case also checks get() and an inclusion proof for every live key.
// 2. Properties against a std::map model: 10^4 random set/delete operations, get() equals
//    the model, the root equals that of a trie built afresh from the model in another
//    order, and every earlier version is unchanged (persistence), including when later
//    versions are derived with the in-place (rvalue) overloads.
// 3. Proofs: inclusion and exclusion verify; tampered, truncated and garbage proofs fail
//    with the documented error; verify_proof never crashes on random or mutated bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "protocol/core/keccak.hpp"
#include "protocol/core/split_mix64.hpp"
#include "protocol/state/trie.hpp"

namespace cl::state {
namespace {

using Json = nlohmann::ordered_json;
using Model = std::map<Bytes, Bytes>;

Bytes bytes_of(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes hex(std::string_view s) {
    auto b = from_hex(s);
    EXPECT_TRUE(b.has_value()) << s;
    return b.value_or(Bytes{});
}

Hash32 hash_hex(std::string_view s) {
    auto h = Hash32::from_hex(s);
    EXPECT_TRUE(h.has_value()) << s;
    return h.value_or(Hash32{});
}

// Builds a trie from the model, inserting in the order given by `order` (a permutation).
Trie build(const Model& model, const std::vector<std::size_t>& order) {
    std::vector<const std::pair<const Bytes, Bytes>*> entries;
    for (const auto& e : model) entries.push_back(&e);
    Trie t;
    for (std::size_t i : order) t = std::move(t).with(entries[i]->first, entries[i]->second);
    return t;
}

std::vector<std::size_t> shuffled(std::size_t n, SplitMix64& rng) {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.next_u64() % i]);
    return order;
}

Hash32 fresh_root(const Model& model, std::uint64_t seed) {
    SplitMix64 rng(seed);
    return build(model, shuffled(model.size(), rng)).root_hash();
}

// Every key of `model` is found with its value and proven against `root`.
void expect_matches(const Trie& t, const Model& model) {
    const Hash32 root = t.root_hash();
    for (const auto& [k, v] : model) {
        const auto got = t.get(k);
        ASSERT_TRUE(got.has_value()) << to_hex(k);
        EXPECT_TRUE(std::equal(got->begin(), got->end(), v.begin(), v.end())) << to_hex(k);
        const auto verified = verify_proof(root, k, t.prove(k));
        ASSERT_TRUE(verified.has_value()) << to_hex(k) << ": " << to_string(verified.error());
        EXPECT_EQ(verified->value_or(Bytes{}), v) << to_hex(k);
    }
}

// ---- 1. vectors ---------------------------------------------------------------------------

struct VectorCase {
    std::string file;
    std::string name;
    bool secure = false;
    Json in;
    std::string root;
};

void PrintTo(const VectorCase& c, std::ostream* os) { *os << c.file << "/" << c.name; }

// "trieanyorder_secureTrie" + "insert-middle-leaf" -> "TrieanyorderSecureTrieInsertMiddleLeaf".
std::string test_name(const VectorCase& c) {
    std::string out;
    bool upper = true;
    for (char ch : c.file + "_" + c.name) {
        if (std::isalnum(static_cast<unsigned char>(ch))) {
            out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch;
            upper = false;
        } else {
            upper = true;
        }
    }
    return out;
}

std::vector<VectorCase> load(const std::string& stem) {
    std::ifstream stream(std::string(CLOUDLEDGER_VECTORS_DIR) + "/trie/" + stem + ".json");
    if (!stream) return {};  // TrieVectorFiles.HaveExpectedCaseCounts reports it
    const Json doc = Json::parse(stream, nullptr, /*allow_exceptions=*/false);
    // ethereumjs wraps upstream files as {"source", "commit", "date", "tests": {...}}.
    const Json& tests = doc.is_object() && doc.contains("tests") ? doc["tests"] : doc;
    std::vector<VectorCase> cases;
    if (!tests.is_object()) return cases;
    const bool secure = stem.find("secure") != std::string::npos;
    for (const auto& [name, c] : tests.items()) {
        const bool ok = c.is_object() && c.contains("in") && c.contains("root") && c["root"].is_string();
        cases.push_back({stem, name, secure, ok ? c["in"] : Json(), ok ? c["root"].get<std::string>() : ""});
    }
    return cases;
}

const std::vector<std::string> kVectorFiles = {"trietest", "trieanyorder", "trietest_secureTrie",
                                               "trieanyorder_secureTrie", "hex_encoded_securetrie_test"};

const std::vector<VectorCase>& all_cases() {
    static const std::vector<VectorCase> cases = [] {
        std::vector<VectorCase> out;
        for (const auto& f : kVectorFiles) {
            auto c = load(f);
            out.insert(out.end(), c.begin(), c.end());
        }
        return out;
    }();
    return cases;
}

// Vector strings: "0x…" is hex, anything else is the raw characters.
Bytes vector_bytes(const std::string& s) { return s.starts_with("0x") ? hex(s) : bytes_of(s); }

// One write of a case: the key (hashed for secure tries) and the value (empty = delete).
using Write = std::pair<Bytes, Bytes>;

std::vector<Write> writes_of(const VectorCase& c) {
    std::vector<Write> writes;
    const auto add = [&](const std::string& key, const Json& value) {
        Bytes k = vector_bytes(key);
        if (c.secure) {
            const Hash32 h = keccak256(k);
            k.assign(h.bytes.begin(), h.bytes.end());
        }
        writes.emplace_back(std::move(k),
                            value.is_string() ? vector_bytes(value.get<std::string>()) : Bytes{});
    };
    if (c.in.is_array()) {
        for (const auto& pair : c.in) {
            EXPECT_TRUE(pair.is_array() && pair.size() == 2 && pair[0].is_string()) << pair.dump();
            if (pair.is_array() && pair.size() == 2 && pair[0].is_string())
                add(pair[0].get<std::string>(), pair[1]);
        }
    } else if (c.in.is_object()) {
        for (const auto& [key, value] : c.in.items()) add(key, value);
    } else {
        ADD_FAILURE() << "case has no \"in\"";
    }
    return writes;
}

Trie apply(Trie t, const std::vector<Write>& writes, Model& model) {
    for (const auto& [k, v] : writes) {
        if (v.empty()) {
            t = t.without(k);
            model.erase(k);
        } else {
            t = t.with(k, v);
            model[k] = v;
        }
    }
    return t;
}

class TrieVectors : public ::testing::TestWithParam<VectorCase> {};

TEST_P(TrieVectors, RootMatches) {
    const VectorCase& c = GetParam();
    const Hash32 expected = hash_hex(c.root);
    const std::vector<Write> writes = writes_of(c);

    Model model;
    const Trie t = apply(Trie(), writes, model);
    EXPECT_EQ(t.root_hash().hex(), expected.hex());
    expect_matches(t, model);
    // The batch form gives the same trie.
    EXPECT_EQ(Trie().with_all(writes).root_hash(), expected);

    if (c.in.is_object()) {  // "any order": the root may not depend on insertion order
        std::vector<Write> reversed(writes.rbegin(), writes.rend());
        Model unused;
        EXPECT_EQ(apply(Trie(), reversed, unused).root_hash(), expected);
        SplitMix64 rng(0x7e57);
        for (int round = 0; round < 8; ++round) {
            std::vector<Write> order;
            for (std::size_t i : shuffled(writes.size(), rng)) order.push_back(writes[i]);
            EXPECT_EQ(Trie().with_all(order).root_hash(), expected) << "shuffle " << round;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(EthereumTrieTests, TrieVectors, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<VectorCase>& p) { return test_name(p.param); });

TEST(TrieVectorFiles, HaveExpectedCaseCounts) {
    const std::map<std::string, std::size_t> expected = {
        {"trietest", 5},
        {"trieanyorder", 7},
        {"trietest_secureTrie", 3},
        {"trieanyorder_secureTrie", 7},
        {"hex_encoded_securetrie_test", 3},
    };
    for (const auto& [file, count] : expected) EXPECT_EQ(load(file).size(), count) << file;
}

// ---- basics ------------------------------------------------------------------------------------

TEST(Trie, EmptyRootIsKeccakOfEmptyString) {
    EXPECT_EQ(kEmptyTrieRoot.hex(), "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
    EXPECT_EQ(kEmptyTrieRoot, keccak256(Bytes{0x80}));
    EXPECT_EQ(Trie().root_hash(), kEmptyTrieRoot);
    EXPECT_TRUE(Trie().empty());
    EXPECT_FALSE(Trie().get(bytes_of("a")).has_value());
}

TEST(Trie, DeletingEverythingGivesTheEmptyTrie) {
    const Trie t = Trie().with(bytes_of("do"), bytes_of("verb")).with(bytes_of("dog"), bytes_of("puppy"));
    const Trie empty = t.without(bytes_of("dog")).without(bytes_of("do"));
    EXPECT_TRUE(empty.empty());
    EXPECT_EQ(empty.root_hash(), kEmptyTrieRoot);
}

TEST(Trie, EmptyKeyIsAnOrdinaryKey) {
    const Trie t = Trie().with(Bytes{}, bytes_of("root value")).with(bytes_of("a"), bytes_of("x"));
    ASSERT_TRUE(t.get(Bytes{}).has_value());
    EXPECT_EQ(Bytes(t.get(Bytes{})->begin(), t.get(Bytes{})->end()), bytes_of("root value"));
    EXPECT_EQ(t.without(bytes_of("a")).root_hash(), Trie().with(Bytes{}, bytes_of("root value")).root_hash());
}

TEST(Trie, RemovingAnAbsentKeySharesTheTrie) {
    const Trie t =
        Trie().with(bytes_of("doe"), bytes_of("reindeer")).with(bytes_of("dog"), bytes_of("puppy"));
    const Hash32 root = t.root_hash();
    EXPECT_EQ(t.without(bytes_of("do")).root_hash(), root);
    EXPECT_EQ(t.without(bytes_of("doge")).root_hash(), root);
    EXPECT_EQ(t.without(bytes_of("cat")).root_hash(), root);
    EXPECT_EQ(t.with(bytes_of("dog"), bytes_of("puppy")).root_hash(), root);  // same value: no change
}

TEST(Trie, WritesDoNotChangeEarlierVersions) {
    const Trie v0 = Trie().with(bytes_of("dog"), bytes_of("puppy"));
    const Hash32 r0 = v0.root_hash();
    const Trie v1 = v0.with(bytes_of("dog"), bytes_of("hound")).with(bytes_of("doge"), bytes_of("coin"));
    const Trie v2 = v1.without(bytes_of("dog"));
    EXPECT_EQ(v0.root_hash(), r0);
    EXPECT_EQ(Bytes(v0.get(bytes_of("dog"))->begin(), v0.get(bytes_of("dog"))->end()), bytes_of("puppy"));
    EXPECT_FALSE(v0.get(bytes_of("doge")).has_value());
    EXPECT_EQ(Bytes(v1.get(bytes_of("dog"))->begin(), v1.get(bytes_of("dog"))->end()), bytes_of("hound"));
    EXPECT_FALSE(v2.get(bytes_of("dog")).has_value());
    EXPECT_NE(v1.root_hash(), v2.root_hash());
}

TEST(Trie, RvalueUpdatesLeaveSharedNodesAlone) {
    Trie t = Trie().with(bytes_of("abc"), bytes_of("123")).with(bytes_of("abd"), bytes_of("456"));
    const Trie snapshot = t;
    const Hash32 root = snapshot.root_hash();
    for (int i = 0; i < 10; ++i) t = std::move(t).with(bytes_of("abc"), bytes_of(std::to_string(100 + i)));
    t = std::move(t).without(bytes_of("abd"));
    EXPECT_EQ(snapshot.root_hash(), root);
    EXPECT_EQ(Bytes(snapshot.get(bytes_of("abd"))->begin(), snapshot.get(bytes_of("abd"))->end()),
              bytes_of("456"));
    EXPECT_EQ(t.root_hash(), Trie().with(bytes_of("abc"), bytes_of("109")).root_hash());
}

TEST(Trie, SameSizeValueUpdateInPlaceRefreshesTheHash) {
    Trie t = Trie().with(bytes_of("key"), bytes_of("aaaa"));
    const Hash32 before = t.root_hash();  // caches the hash
    t = std::move(t).with(bytes_of("key"), bytes_of("bbbb"));
    EXPECT_NE(t.root_hash(), before);
    EXPECT_EQ(t.root_hash(), Trie().with(bytes_of("key"), bytes_of("bbbb")).root_hash());
}

TEST(Trie, LongestKeysNestAndFree) {
    // Keys that are prefixes of each other, one of every length up to kMaxKeySize, make the
    // deepest possible trie: a chain of ~2 × kMaxKeySize branches and one-nibble extensions.
    // Building, hashing, proving and freeing it must not overflow the stack.
    Trie t;
    Model model;
    for (std::size_t len = 0; len <= Trie::kMaxKeySize; ++len) {
        Bytes key(len, 0x5a);
        t = std::move(t).with(key, bytes_of("v" + std::to_string(len)));
        model[key] = bytes_of("v" + std::to_string(len));
    }
    EXPECT_EQ(t.root_hash(), fresh_root(model, 1));
    for (const auto& [k, v] : model) {
        const auto got = t.get(k);
        ASSERT_TRUE(got.has_value());
        EXPECT_TRUE(std::equal(got->begin(), got->end(), v.begin(), v.end()));
    }
    const Bytes deepest(Trie::kMaxKeySize, 0x5a);
    const auto r = verify_proof(t.root_hash(), deepest, t.prove(deepest));
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->value_or(Bytes{}), model[deepest]);
    EXPECT_FALSE(t.get(Bytes(Trie::kMaxKeySize + 1, 0x5a)).has_value());
    // Removing every other key merges extensions all along the chain.
    for (std::size_t len = 0; len <= Trie::kMaxKeySize; len += 2) {
        t = std::move(t).without(Bytes(len, 0x5a));
        model.erase(Bytes(len, 0x5a));
    }
    EXPECT_EQ(t.root_hash(), fresh_root(model, 2));
}

TEST(TrieDeathTest, EmptyValueIsAContractViolation) {
    EXPECT_DEATH((void)Trie().with(bytes_of("k"), Bytes{}), "assertion failed");
}

// ---- 2. properties -------------------------------------------------------------------------------

enum class KeyShape { kShort, kHashed };

// Short keys over a tiny alphabet collide and nest (branch values, extensions, inline
// nodes); hashed keys are the ledger's shape.
Bytes random_key(SplitMix64& rng, KeyShape shape) {
    if (shape == KeyShape::kHashed) {
        const std::uint64_t id = rng.next_u64() % 600;
        const Hash32 h = keccak256(BytesView(reinterpret_cast<const std::uint8_t*>(&id), sizeof id));
        return Bytes(h.bytes.begin(), h.bytes.end());
    }
    Bytes key(rng.next_u64() % 5);
    for (auto& b : key) b = static_cast<std::uint8_t>(0x10 * (rng.next_u64() % 3) + rng.next_u64() % 3);
    return key;
}

Bytes random_value(SplitMix64& rng) {
    Bytes value(1 + rng.next_u64() % (rng.next_u64() % 4 == 0 ? 100 : 6));
    for (auto& b : value) b = static_cast<std::uint8_t>(rng.next_u64());
    return value;
}

struct Snapshot {
    Trie trie;
    Model model;
    Hash32 root;
};

void run_random_ops(KeyShape shape, std::uint64_t seed) {
    SplitMix64 rng(seed);
    Trie t;
    Model model;
    std::vector<Snapshot> snapshots;
    constexpr int kOps = 10'000;
    for (int op = 0; op < kOps; ++op) {
        const Bytes key = random_key(rng, shape);
        const bool in_place = rng.next_u64() % 2 == 0;  // exercise both overloads
        if (rng.next_u64() % 3 == 0) {
            t = in_place ? std::move(t).without(key) : t.without(key);
            model.erase(key);
            ASSERT_FALSE(t.get(key).has_value());
        } else {
            const Bytes value = random_value(rng);
            t = in_place ? std::move(t).with(key, value) : t.with(key, value);
            model[key] = value;
            const auto got = t.get(key);
            ASSERT_TRUE(got.has_value());
            ASSERT_TRUE(std::equal(got->begin(), got->end(), value.begin(), value.end()));
        }
        if (op % 97 == 0) (void)t.root_hash();  // cache some hashes mid-way
        if (op % 1000 == 999) {
            ASSERT_NO_FATAL_FAILURE(expect_matches(t, model));
            ASSERT_EQ(t.root_hash(), fresh_root(model, rng.next_u64())) << "after op " << op;
            snapshots.push_back({t, model, t.root_hash()});
        }
    }
    // Every version is still intact although later ones were derived from it, partly by
    // in-place updates of the nodes only they owned.
    for (const auto& s : snapshots) {
        EXPECT_EQ(s.trie.root_hash(), s.root);
        EXPECT_EQ(s.trie.root_hash(), fresh_root(s.model, 99));
        ASSERT_NO_FATAL_FAILURE(expect_matches(s.trie, s.model));
        for (const auto& [k, v] : model) {
            if (!s.model.contains(k)) {
                EXPECT_FALSE(s.trie.get(k).has_value());
            }
        }
    }
}

TEST(TrieProperties, RandomOpsShortKeysMatchModel) { run_random_ops(KeyShape::kShort, 1); }
TEST(TrieProperties, RandomOpsHashedKeysMatchModel) { run_random_ops(KeyShape::kHashed, 2); }

TEST(TrieProperties, RootDependsOnlyOnContents) {
    SplitMix64 rng(3);
    for (int round = 0; round < 50; ++round) {
        Model model;
        const std::size_t n = rng.next_u64() % 40;
        for (std::size_t i = 0; i < n; ++i) model[random_key(rng, KeyShape::kShort)] = random_value(rng);
        const Hash32 root = fresh_root(model, rng.next_u64());
        // Same contents reached through extra keys that are then deleted.
        Trie t;
        std::vector<Bytes> extra;
        for (int i = 0; i < 20; ++i) {
            extra.push_back(random_key(rng, KeyShape::kShort));
            if (!model.contains(extra.back())) t = t.with(extra.back(), random_value(rng));
        }
        for (const auto& [k, v] : model) t = t.with(k, v);
        for (const auto& k : extra) {
            if (!model.contains(k)) t = t.without(k);
        }
        EXPECT_EQ(t.root_hash(), root) << "round " << round;
        EXPECT_EQ(fresh_root(model, rng.next_u64()), root);
    }
}

TEST(TrieProperties, BatchEqualsSequentialWrites) {
    SplitMix64 rng(4);
    std::vector<std::pair<Bytes, Bytes>> writes;
    for (int i = 0; i < 2000; ++i) {
        const bool del = rng.next_u64() % 4 == 0;
        writes.emplace_back(random_key(rng, KeyShape::kHashed), del ? Bytes{} : random_value(rng));
    }
    const Trie base = Trie().with_all(std::span(writes).first(1000));
    const Hash32 base_root = base.root_hash();
    Trie sequential = base;
    for (const auto& [k, v] : std::span(writes).subspan(1000)) {
        sequential = v.empty() ? sequential.without(k) : sequential.with(k, v);
    }
    const Trie batch = base.with_all(std::span(writes).subspan(1000));
    EXPECT_EQ(batch.root_hash(), sequential.root_hash());
    EXPECT_EQ(base.root_hash(), base_root);
}

// ---- 3. proofs -----------------------------------------------------------------------------------

struct ProofFixture {
    Trie trie;
    Model model;
    std::vector<Bytes> absent;
};

ProofFixture proof_fixture(KeyShape shape, std::uint64_t seed, int n) {
    SplitMix64 rng(seed);
    ProofFixture f;
    for (int i = 0; i < n; ++i) {
        const Bytes k = random_key(rng, shape);
        const Bytes v = random_value(rng);
        f.trie = std::move(f.trie).with(k, v);
        f.model[k] = v;
    }
    for (int i = 0; i < 200; ++i) {
        Bytes k = random_key(rng, shape);
        if (shape == KeyShape::kShort) k.push_back(0x77);  // never in the model
        if (!f.model.contains(k)) f.absent.push_back(k);
    }
    return f;
}

TEST(TrieProofs, InclusionAndExclusionVerify) {
    for (const KeyShape shape : {KeyShape::kShort, KeyShape::kHashed}) {
        const ProofFixture f = proof_fixture(shape, 5, 300);
        const Hash32 root = f.trie.root_hash();
        expect_matches(f.trie, f.model);
        for (const auto& k : f.absent) {
            const auto r = verify_proof(root, k, f.trie.prove(k));
            ASSERT_TRUE(r.has_value()) << to_hex(k) << ": " << to_string(r.error());
            EXPECT_FALSE(r->has_value()) << to_hex(k);
        }
    }
}

TEST(TrieProofs, InlineNodesAreReadFromTheirParent) {
    // Tiny values keep every node below 32 bytes: the root is the only proof element.
    const Trie t = Trie().with(Bytes{0x01}, Bytes{0x0a}).with(Bytes{0x02}, Bytes{0x0b});
    const auto proof = t.prove(Bytes{0x02});
    ASSERT_EQ(proof.size(), 1u);
    const auto r = verify_proof(t.root_hash(), Bytes{0x02}, proof);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->value_or(Bytes{}), Bytes{0x0b});
    const auto missing = verify_proof(t.root_hash(), Bytes{0x03}, proof);
    ASSERT_TRUE(missing.has_value());
    EXPECT_FALSE(missing->has_value());
}

TEST(TrieProofs, EmptyTrieProvesAbsence) {
    EXPECT_TRUE(Trie().prove(bytes_of("x")).empty());
    const auto r = verify_proof(kEmptyTrieRoot, bytes_of("x"), {});
    ASSERT_TRUE(r.has_value());
    EXPECT_FALSE(r->has_value());
}

TEST(TrieProofs, TamperedProofIsAHashMismatch) {
    const ProofFixture f = proof_fixture(KeyShape::kHashed, 6, 500);
    const Hash32 root = f.trie.root_hash();
    SplitMix64 rng(7);
    for (const auto& [k, v] : f.model) {
        auto proof = f.trie.prove(k);
        auto& node = proof[rng.next_u64() % proof.size()];
        node[rng.next_u64() % node.size()] ^= static_cast<std::uint8_t>(1 + rng.next_u64() % 255);
        const auto r = verify_proof(root, k, proof);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error(), ProofError::kHashMismatch);
    }
    // A proof against another root.
    const auto& key = f.model.begin()->first;
    const auto r = verify_proof(keccak256(bytes_of("other")), key, f.trie.prove(key));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), ProofError::kHashMismatch);
}

TEST(TrieProofs, TruncatedProofIsAMissingNode) {
    const ProofFixture f = proof_fixture(KeyShape::kHashed, 8, 500);
    const Hash32 root = f.trie.root_hash();
    for (const auto& [k, v] : f.model) {
        auto proof = f.trie.prove(k);
        ASSERT_GE(proof.size(), 2u);
        proof.pop_back();
        const auto r = verify_proof(root, k, proof);
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error(), ProofError::kMissingNode);
    }
    const auto r = verify_proof(root, f.model.begin()->first, {});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), ProofError::kMissingNode);
}

// A one-node proof whose root is the node's hash, so that only decoding can reject it.
ProofError malformed_error(const Bytes& node, BytesView key = Bytes{0x12, 0x34}) {
    const auto r = verify_proof(keccak256(node), key, {node});
    EXPECT_FALSE(r.has_value()) << to_hex(node);
    return r.has_value() ? ProofError::kMissingNode : r.error();
}

TEST(TrieProofs, GarbageIsAMalformedNode) {
    // Not RLP, not a list, wrong item counts.
    EXPECT_EQ(malformed_error({0xde, 0xad, 0xbe, 0xef}), ProofError::kMalformedNode);
    EXPECT_EQ(malformed_error({0x83, 'd', 'o', 'g'}), ProofError::kMalformedNode);
    EXPECT_EQ(malformed_error({0xc0}), ProofError::kMalformedNode);
    EXPECT_EQ(malformed_error({0xc3, 0x20, 0x01, 0x02}), ProofError::kMalformedNode);
    EXPECT_EQ(malformed_error({0xc1, 0x20}), ProofError::kMalformedNode);
    // Hex-prefix flag 4, and an even flag with a non-zero padding nibble.
    EXPECT_EQ(malformed_error({0xc2, 0x41, 0x01}), ProofError::kMalformedNode);
    EXPECT_EQ(malformed_error({0xc2, 0x21, 0x01}), ProofError::kMalformedNode);
    // A leaf whose value is a list; an extension with an empty path; a 5-byte reference.
    EXPECT_EQ(malformed_error({0xc3, 0x20, 0xc1, 0x01}), ProofError::kMalformedNode);
    EXPECT_EQ(malformed_error({0xc7, 0x00, 0x85, 1, 2, 3, 4, 5}), ProofError::kMalformedNode);
    EXPECT_EQ(malformed_error({0xc7, 0x11, 0x85, 1, 2, 3, 4, 5}), ProofError::kMalformedNode);
    // Non-canonical RLP (a single byte wrapped as a string).
    EXPECT_EQ(malformed_error({0xc3, 0x81, 0x20, 0x01}), ProofError::kMalformedNode);
    // A branch whose value slot holds a list.
    Bytes branch{0xd1};
    branch.insert(branch.end(), 16, 0x80);
    branch.push_back(0xc0);
    branch[0] = static_cast<std::uint8_t>(0xc0 + branch.size() - 1);
    EXPECT_EQ(malformed_error(branch, Bytes{}), ProofError::kMalformedNode);
}

TEST(TrieProofs, ValidProofOfTheWrongShapeIsRejected) {
    // A hashed reference to a node shorter than 32 bytes: such a node must be embedded.
    const Bytes small_leaf{0xc4, 0x30, 0x82, 'h', 'i'};
    const Hash32 small_hash = keccak256(small_leaf);
    Bytes ext{0xe2, 0x11, 0xa0};  // extension, path [1], hash of the small leaf
    ext.insert(ext.end(), small_hash.bytes.begin(), small_hash.bytes.end());
    const auto r = verify_proof(keccak256(ext), Bytes{0x10}, {ext, small_leaf});
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), ProofError::kMalformedNode);
}

TEST(TrieProofs, RandomBytesNeverCrashVerification) {
    SplitMix64 rng(9);
    const ProofFixture f = proof_fixture(KeyShape::kShort, 10, 200);
    std::vector<Bytes> nodes;  // real node encodings to mutate
    for (const auto& [k, v] : f.model) {
        for (auto& n : f.trie.prove(k)) nodes.push_back(std::move(n));
    }
    for (int i = 0; i < 20'000; ++i) {
        std::vector<Bytes> proof;
        const std::size_t count = 1 + rng.next_u64() % 3;
        for (std::size_t j = 0; j < count; ++j) {
            Bytes node;
            if (rng.next_u64() % 2 == 0) {
                node.resize(rng.next_u64() % 80);
                for (auto& b : node) b = static_cast<std::uint8_t>(rng.next_u64());
            } else {
                node = nodes[rng.next_u64() % nodes.size()];
                const std::size_t flips = 1 + rng.next_u64() % 3;
                for (std::size_t m = 0; m < flips && !node.empty(); ++m) {
                    node[rng.next_u64() % node.size()] = static_cast<std::uint8_t>(rng.next_u64());
                }
                if (rng.next_u64() % 4 == 0 && !node.empty()) node.resize(rng.next_u64() % node.size());
            }
            proof.push_back(std::move(node));
        }
        Bytes key = random_key(rng, KeyShape::kShort);
        // Mostly a root that the first node matches, so decoding is reached.
        const Hash32 root = rng.next_u64() % 8 == 0 ? keccak256(key) : keccak256(proof[0]);
        const auto r = verify_proof(root, key, proof);
        if (r.has_value() && r->has_value()) {
            EXPECT_FALSE((*r)->empty());  // values are never empty
        }
    }
}

}  // namespace
}  // namespace cl::state
