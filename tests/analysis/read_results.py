#!/usr/bin/env python3
"""Reads a results file the way a researcher would (h5py + pandas, no cloudledger code) and
checks what tests/analysis/write_sample.cpp wrote. Exit 77 (CTest: skipped) when h5py or
pandas is not installed."""
import sys

try:
    import h5py
    import pandas as pd
except ImportError as e:  # optional dependency: scripts/install-deps installs both
    print(f"skipped: {e}")
    sys.exit(77)


def table(run, name):
    return pd.DataFrame(run[name][()])


def main(path):
    with h5py.File(path, "r") as f:
        assert f.attrs["schema"] == "cloudledger-results", f.attrs["schema"]
        assert int(f.attrs["schema_version"]) == 4
        assert f.attrs["digest"].startswith("0x") and len(f.attrs["digest"]) == 66
        assert sorted(f["runs"]) == ["empty", "run-b"], list(f["runs"])

        run = f["runs/run-b"]
        prov = run["provenance"].attrs
        assert prov["scenario_name"] == "passport"
        assert prov["scenario_text"].startswith("name: passport\n")
        assert int(prov["seed"]) == 7 and int(prov["replication"]) == 3
        assert list(prov["overrides"]) == ["duration=2h", "clouds[0].quotas.small=50"], prov["overrides"]
        assert run["wall_clock"].attrs["events"] == 123456

        blocks = table(run, "blocks")
        assert list(blocks.columns) == ["number", "hash", "parent_hash", "signer", "in_turn",
                                        "sealed_time_ns", "tx_count", "size_bytes", "canonical"]
        assert len(blocks) == 3 and blocks["number"].tolist() == [1, 2, 2]
        hashes = blocks["hash"].str.decode("ascii")
        assert hashes[0] == "0x" + "".join(f"{b:02x}" for b in range(1, 32)) + "00", hashes[0]
        assert blocks["sealed_time_ns"].dtype == "int64"
        assert blocks["canonical"].sum() == 2

        summary = table(run, "summary")
        summary["name"] = summary["name"].str.decode("utf-8")
        summary["unit"] = summary["unit"].str.decode("utf-8")
        metrics = summary.set_index("name")["value"]
        assert metrics["blocks_sealed"] == 3
        assert abs(metrics["fork_rate"] - 1 / 3) < 1e-15

        requests = table(run, "requests")
        reasons = list(run["requests"].attrs["reason_names"])
        assert reasons == ["none", "pool_exhausted", "rate_limited", "expired"], reasons
        assert [reasons[r] for r in requests["reason"]] == ["none", "pool_exhausted"]
        assert list(run["requests"].attrs["region_names"])[1] == "São Paulo"
        assert requests["include_ns"].tolist()[1] == -1
        assert requests["attempt"].tolist() == [1, 2]

        transfers = table(run, "transfers")
        assert list(transfers.columns) == ["tx_hash", "code", "from_user", "to_user", "submit_ns",
                                           "include_ns", "confirm_ns", "status", "reason"]
        assert list(run["transfers"].attrs["reason_names"])[2] == "transfer_limit"
        assert transfers["to_user"].tolist() == [19, 21]
        assert table(run, "redemptions")["user"].tolist() == [19]

        renewals = table(run, "renewals")
        assert list(renewals.columns) == ["tx_hash", "code", "user", "submit_ns", "include_ns",
                                          "confirm_ns", "status", "reason"]
        assert list(run["renewals"].attrs["reason_names"])[2] == "renewal_limit"
        assert renewals["user"].tolist() == [19, 20]

        samples = table(run, "samples")
        tiers = list(run["samples"].attrs["tier_names"])
        assert tiers == ["small", "medium", "large"]
        assert samples["pool_remaining_2"].tolist() == [10, 9]

        nodes = table(run, "nodes")
        assert list(nodes.columns) == ["node", "name", "role", "cloud", "region", "fork_choice",
                                       "deepest_reorg", "messages_sent", "bytes_sent",
                                       "messages_received", "bytes_received", "cpu_ns"], \
            list(nodes.columns)
        assert nodes["node"].tolist() == [0, 1, 2]
        assert nodes["name"].str.decode("utf-8").tolist() == ["Zürich", "full:0", "cairo"]
        roles = list(run["nodes"].attrs["role_names"])
        assert [roles[r] for r in nodes["role"]] == ["validator", "full", "full"]
        clouds = list(run["nodes"].attrs["cloud_names"])
        assert clouds[nodes["cloud"][0]] == "gamma" and nodes["cloud"].tolist()[1:] == [65535, 65535]
        node_regions = list(run["nodes"].attrs["region_names"])
        assert node_regions[nodes["region"][0]] == "São Paulo" and nodes["region"].tolist()[2] == 65535
        rules = list(run["nodes"].attrs["fork_choice_names"])
        assert rules == ["eip3436", "eip225", "td-first-seen"], rules
        assert [rules[r] for r in nodes["fork_choice"]] == ["eip225", "td-first-seen", "td-first-seen"]

        network = table(run, "network")
        assert network["message_type"].str.decode("utf-8").tolist() == [
            "NewBlock", "NewBlockHashes", "Transactions"]

        traffic = table(run, "traffic")
        assert list(traffic.columns) == ["party", "kind", "outcome", "count"], list(traffic.columns)
        parties = list(run["traffic"].attrs["party_names"])
        assert [parties[p] for p in traffic["party"]] == ["honest", "flood"]
        outcomes = list(run["traffic"].attrs["outcome_names"])
        assert outcomes[traffic["outcome"][1]] == "txpool_rate_limited"
        party_samples = table(run, "party_samples")
        assert party_samples["codes_held"].tolist() == [0, 0, 3, 12]

        empty = f["runs/empty"]
        for name in ["nodes", "signers", "blocks", "propagation", "requests", "transfers", "renewals",
                     "redemptions", "reorgs", "network", "samples", "traffic", "party_samples", "attacks",
                     "attack_figures", "summary"]:
            assert empty[name].shape == (0,), name
            assert len(table(empty, name)) == 0
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1])
