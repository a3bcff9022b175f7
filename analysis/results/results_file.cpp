#include "analysis/results/results_file.hpp"

#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string_view>
#include <type_traits>
#include <utility>

#include "analysis/results/atomic_file.hpp"
#include "analysis/results/digest.hpp"
#include "analysis/results/fields.hpp"
#include "analysis/results/sweep_fields.hpp"

namespace cl::analysis {
namespace {

// ---------------------------------------------------------------------------------------
// Errors. Inside this file a failure throws Failure; the public functions catch it and
// return it as a value, so no exception leaves the component.

struct Failure {
    std::string message;
};

[[noreturn]] void fail(std::string message) { throw Failure{std::move(message)}; }

// The most specific message on HDF5's error stack (e.g. "unable to open file: … errno = 2,
// error message = 'No such file or directory'"), then clears the stack.
std::string hdf5_error() {
    std::string detail;
    H5Ewalk2(
        H5E_DEFAULT, H5E_WALK_UPWARD,
        [](unsigned n, const H5E_error2_t* e, void* out) -> herr_t {
            if (n == 0 && e->desc != nullptr) *static_cast<std::string*>(out) = e->desc;
            return 0;
        },
        &detail);
    H5Eclear2(H5E_DEFAULT);
    return detail.empty() ? std::string("HDF5 error") : detail;
}

template <class T>
T check(T result, const std::string& what) {
    if (result < 0) fail(what + ": " + hdf5_error());
    return result;
}

// Turns off HDF5's printing of error stacks to stderr for the calling thread while alive.
class QuietHdf5 {
  public:
    QuietHdf5() {
        H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    }
    ~QuietHdf5() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }
    QuietHdf5(const QuietHdf5&) = delete;
    QuietHdf5& operator=(const QuietHdf5&) = delete;

  private:
    H5E_auto2_t func_ = nullptr;
    void* data_ = nullptr;
};

// An owned HDF5 identifier, closed with the matching H5?close on destruction.
class Id {
  public:
    using Closer = herr_t (*)(hid_t);
    Id() = default;
    Id(hid_t id, Closer closer) : id_(id), closer_(closer) {}
    Id(Id&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
    Id& operator=(Id&& other) noexcept {
        if (this != &other) {
            reset();
            id_ = std::exchange(other.id_, H5I_INVALID_HID);
            closer_ = other.closer_;
        }
        return *this;
    }
    Id(const Id&) = delete;
    Id& operator=(const Id&) = delete;
    ~Id() { reset(); }

    hid_t get() const { return id_; }
    // Closes now and reports failure (H5Fclose is where buffered data reaches the disk).
    void close(const std::string& what) {
        const hid_t id = std::exchange(id_, H5I_INVALID_HID);
        if (id >= 0) check(closer_(id), what);
    }

  private:
    void reset() {
        if (id_ >= 0) closer_(std::exchange(id_, H5I_INVALID_HID));
    }
    hid_t id_ = H5I_INVALID_HID;
    Closer closer_ = nullptr;
};

Id owned(hid_t id, Id::Closer closer, const std::string& what) { return Id(check(id, what), closer); }
Id type_id(hid_t id, const std::string& what) { return owned(id, H5Tclose, what); }
Id space_id(hid_t id, const std::string& what) { return owned(id, H5Sclose, what); }
Id plist_id(hid_t id, const std::string& what) { return owned(id, H5Pclose, what); }
Id group_id(hid_t id, const std::string& what) { return owned(id, H5Gclose, what); }
Id dataset_id(hid_t id, const std::string& what) { return owned(id, H5Dclose, what); }
Id attribute_id(hid_t id, const std::string& what) { return owned(id, H5Aclose, what); }

// ---------------------------------------------------------------------------------------
// Column layout: one packed, little-endian HDF5 compound type per table, used both as the
// file type and as the memory type of a byte buffer the rows are packed into.

// The HDF5 type and packed size of each field type.
Id fixed_string_type(std::size_t size, H5T_cset_t cset) {
    Id t = type_id(H5Tcopy(H5T_C_S1), "copy string type");
    check(H5Tset_size(t.get(), size), "set string size");
    check(H5Tset_strpad(t.get(), H5T_STR_NULLPAD), "set string padding");
    check(H5Tset_cset(t.get(), cset), "set string charset");
    return t;
}

template <class T>
struct FieldCodec;

template <class U>
requires std::is_integral_v<U>
struct FieldCodec<U> {
    static std::size_t size(std::size_t) { return sizeof(U); }
    static hid_t base_type() {
        if constexpr (std::is_same_v<U, std::uint8_t>) {
            return H5T_STD_U8LE;
        } else if constexpr (std::is_same_v<U, std::uint16_t>) {
            return H5T_STD_U16LE;
        } else if constexpr (std::is_same_v<U, std::uint32_t>) {
            return H5T_STD_U32LE;
        } else if constexpr (std::is_same_v<U, std::uint64_t>) {
            return H5T_STD_U64LE;
        } else {
            static_assert(std::is_same_v<U, std::int64_t>, "no HDF5 type for this integer column");
            return H5T_STD_I64LE;
        }
    }
    static void put(std::uint8_t* out, U value, std::size_t) {
        const auto bits = static_cast<std::make_unsigned_t<U>>(value);
        for (std::size_t i = 0; i < sizeof(U); ++i) out[i] = static_cast<std::uint8_t>(bits >> (8 * i));
    }
    static void get(const std::uint8_t* in, U& value, std::size_t, const char*) {
        std::make_unsigned_t<U> bits = 0;
        for (std::size_t i = 0; i < sizeof(U); ++i) {
            bits = static_cast<std::make_unsigned_t<U>>(bits | (std::make_unsigned_t<U>{in[i]} << (8 * i)));
        }
        value = static_cast<U>(bits);
    }
};

template <>
struct FieldCodec<double> {
    static std::size_t size(std::size_t) { return 8; }
    static hid_t base_type() { return H5T_IEEE_F64LE; }
    static void put(std::uint8_t* out, double value, std::size_t tiers) {
        FieldCodec<std::uint64_t>::put(out, std::bit_cast<std::uint64_t>(value), tiers);
    }
    static void get(const std::uint8_t* in, double& value, std::size_t tiers, const char* column) {
        std::uint64_t bits = 0;
        FieldCodec<std::uint64_t>::get(in, bits, tiers, column);
        value = std::bit_cast<double>(bits);
    }
};

// Raw bytes ↔ "0x" + lower-case hex.
template <std::size_t N>
struct FieldCodec<std::array<std::uint8_t, N>> {
    static constexpr std::size_t kChars = 2 + 2 * N;
    static std::size_t size(std::size_t) { return kChars; }
    static Id type() { return fixed_string_type(kChars, H5T_CSET_ASCII); }
    static void put(std::uint8_t* out, const std::array<std::uint8_t, N>& value, std::size_t) {
        static constexpr char kDigits[] = "0123456789abcdef";
        out[0] = '0';
        out[1] = 'x';
        for (std::size_t i = 0; i < N; ++i) {
            out[2 + 2 * i] = static_cast<std::uint8_t>(kDigits[value[i] >> 4]);
            out[3 + 2 * i] = static_cast<std::uint8_t>(kDigits[value[i] & 0xf]);
        }
    }
    static int nibble(std::uint8_t c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
    static void get(const std::uint8_t* in, std::array<std::uint8_t, N>& value, std::size_t,
                    const char* column) {
        const bool prefixed = in[0] == '0' && (in[1] == 'x' || in[1] == 'X');
        for (std::size_t i = 0; prefixed && i < N; ++i) {
            const int hi = nibble(in[2 + 2 * i]);
            const int lo = nibble(in[3 + 2 * i]);
            if (hi < 0 || lo < 0) break;
            value[i] = static_cast<std::uint8_t>(hi * 16 + lo);
            if (i + 1 == N) return;
        }
        fail(std::string("column ") + column + ": not a \"0x\" + " + std::to_string(2 * N) +
             "-digit hex string");
    }
};

template <std::size_t N>
struct FieldCodec<FixedString<N>> {
    static std::size_t size(std::size_t) { return N; }
    static Id type() { return fixed_string_type(N, H5T_CSET_UTF8); }
    static void put(std::uint8_t* out, const FixedString<N>& value, std::size_t) {
        std::memcpy(out, value.bytes.data(), N);
    }
    static void get(const std::uint8_t* in, FixedString<N>& value, std::size_t, const char*) {
        value = FixedString<N>{};
        for (std::size_t i = 0; i < N && in[i] != 0; ++i) value.bytes[i] = static_cast<char>(in[i]);
    }
};

// SampleRow::pool_remaining: the first `tiers` entries, as pool_remaining_<i> u64 columns.
template <>
struct FieldCodec<std::array<std::uint64_t, kMaxTiers>> {
    static std::size_t size(std::size_t tiers) { return 8 * tiers; }
    static void put(std::uint8_t* out, const std::array<std::uint64_t, kMaxTiers>& value, std::size_t tiers) {
        for (std::size_t i = 0; i < tiers; ++i) FieldCodec<std::uint64_t>::put(out + 8 * i, value[i], tiers);
    }
    static void get(const std::uint8_t* in, std::array<std::uint64_t, kMaxTiers>& value, std::size_t tiers,
                    const char* column) {
        value = {};
        for (std::size_t i = 0; i < tiers; ++i)
            FieldCodec<std::uint64_t>::get(in + 8 * i, value[i], tiers, column);
    }
};

using PoolArray = std::array<std::uint64_t, kMaxTiers>;

struct Column {
    std::string name;
    std::size_t offset;
    Id type;
};

// The packed compound type of Row's table and its columns.
template <class Row>
struct Layout {
    std::size_t tiers = 0;
    std::size_t row_size = 0;
    std::vector<Column> columns;
    Id compound;

    explicit Layout(std::size_t tier_count) : tiers(tier_count) {
        Row probe{};
        for_each_field(probe, [&]<class T>(const char* name, T&) {
            using Codec = FieldCodec<T>;
            if constexpr (std::is_same_v<T, PoolArray>) {
                for (std::size_t i = 0; i < tiers; ++i) {
                    columns.push_back({std::string(name) + "_" + std::to_string(i), row_size + 8 * i,
                                       type_id(H5Tcopy(H5T_STD_U64LE), "copy type")});
                }
            } else if constexpr (requires { Codec::type(); }) {
                columns.push_back({name, row_size, Codec::type()});
            } else {
                columns.push_back({name, row_size, type_id(H5Tcopy(Codec::base_type()), "copy type")});
            }
            row_size += Codec::size(tiers);
        });
        compound = type_id(H5Tcreate(H5T_COMPOUND, row_size), "create compound type");
        for (const Column& c : columns) {
            check(H5Tinsert(compound.get(), c.name.c_str(), c.offset, c.type.get()),
                  "insert column " + c.name);
        }
    }

    void pack(const Row& row, std::uint8_t* out) const {
        std::size_t offset = 0;
        for_each_field(row, [&]<class T>(const char*, const T& value) {
            FieldCodec<T>::put(out + offset, value, tiers);
            offset += FieldCodec<T>::size(tiers);
        });
    }
    void unpack(const std::uint8_t* in, Row& row) const {
        std::size_t offset = 0;
        for_each_field(row, [&]<class T>(const char* name, T& value) {
            FieldCodec<T>::get(in + offset, value, tiers, name);
            offset += FieldCodec<T>::size(tiers);
        });
    }
};

// ---------------------------------------------------------------------------------------
// Attributes.

Id scalar_space() { return space_id(H5Screate(H5S_SCALAR), "create scalar dataspace"); }

Id vlen_utf8_type() {
    Id t = type_id(H5Tcopy(H5T_C_S1), "copy string type");
    check(H5Tset_size(t.get(), H5T_VARIABLE), "set variable string size");
    check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "set string charset");
    return t;
}

void write_string_attribute(hid_t object, const char* name, const std::string& value) {
    const Id type = vlen_utf8_type();
    const Id space = scalar_space();
    const Id attr = attribute_id(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                                 std::string("create attribute ") + name);
    const char* data = value.c_str();
    check(H5Awrite(attr.get(), type.get(), &data), std::string("write attribute ") + name);
}

void write_string_list_attribute(hid_t object, const char* name, const std::vector<std::string>& values) {
    const Id type = vlen_utf8_type();
    const hsize_t dims[1] = {values.size()};
    const Id space = space_id(H5Screate_simple(1, dims, nullptr), "create dataspace");
    const Id attr = attribute_id(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                                 std::string("create attribute ") + name);
    std::vector<const char*> data;
    data.reserve(values.size());
    for (const std::string& v : values) data.push_back(v.c_str());
    if (!data.empty())
        check(H5Awrite(attr.get(), type.get(), data.data()), std::string("write attribute ") + name);
}

template <class T>
void write_number_attribute(hid_t object, const char* name, T value) {
    const hid_t file_type = FieldCodec<T>::base_type();
    const Id space = scalar_space();
    const Id attr = attribute_id(H5Acreate2(object, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                                 std::string("create attribute ") + name);
    std::array<std::uint8_t, sizeof(T)> le{};
    FieldCodec<T>::put(le.data(), value, 0);
    check(H5Awrite(attr.get(), file_type, le.data()), std::string("write attribute ") + name);
}

Id open_attribute(hid_t object, const char* name) {
    if (check(H5Aexists(object, name), std::string("look up attribute ") + name) == 0) {
        fail(std::string("attribute '") + name + "' missing");
    }
    return attribute_id(H5Aopen(object, name, H5P_DEFAULT), std::string("open attribute ") + name);
}

// Reads a string attribute of n elements (scalar: n = 1), variable- or fixed-length.
std::vector<std::string> read_strings(hid_t object, const char* name) {
    const Id attr = open_attribute(object, name);
    const std::string what = std::string("read attribute ") + name;
    const Id file_type = type_id(H5Aget_type(attr.get()), what);
    if (H5Tget_class(file_type.get()) != H5T_STRING)
        fail(std::string("attribute '") + name + "' is not a string");
    const Id space = space_id(H5Aget_space(attr.get()), what);
    const hssize_t count = check(H5Sget_simple_extent_npoints(space.get()), what);
    std::vector<std::string> out;
    out.reserve(static_cast<std::size_t>(count));
    if (count == 0) return out;
    const htri_t is_variable = check(H5Tis_variable_str(file_type.get()), what);
    if (is_variable > 0) {
        const Id mem_type = vlen_utf8_type();
        std::vector<char*> data(static_cast<std::size_t>(count), nullptr);
        check(H5Aread(attr.get(), mem_type.get(), data.data()), what);
        for (char* s : data) out.emplace_back(s != nullptr ? s : "");
#if H5_VERSION_GE(1, 12, 0)
        H5Treclaim(mem_type.get(), space.get(), H5P_DEFAULT, data.data());
#else
        H5Dvlen_reclaim(mem_type.get(), space.get(), H5P_DEFAULT, data.data());
#endif
    } else {
        const std::size_t size = H5Tget_size(file_type.get());
        const Id mem_type = fixed_string_type(size, H5T_CSET_UTF8);
        std::vector<char> data(size * static_cast<std::size_t>(count));
        check(H5Aread(attr.get(), mem_type.get(), data.data()), what);
        for (hssize_t i = 0; i < count; ++i) {
            const char* s = data.data() + static_cast<std::size_t>(i) * size;
            out.emplace_back(s, strnlen(s, size));
        }
    }
    return out;
}

std::string read_string(hid_t object, const char* name) {
    std::vector<std::string> values = read_strings(object, name);
    if (values.size() != 1) fail(std::string("attribute '") + name + "' is not a single string");
    return std::move(values.front());
}

template <class T>
T read_number(hid_t object, const char* name) {
    const Id attr = open_attribute(object, name);
    const hid_t mem_type = FieldCodec<T>::base_type();
    std::array<std::uint8_t, sizeof(T)> le{};
    check(H5Aread(attr.get(), mem_type, le.data()), std::string("read attribute ") + name);
    T value{};
    FieldCodec<T>::get(le.data(), value, 0, name);
    return value;
}

// ---------------------------------------------------------------------------------------
// Writing.

// Object creation properties: no modification times, so equal results give equal bytes.
Id untimed_plist(hid_t plist_class) {
    Id plist = plist_id(H5Pcreate(plist_class), "create property list");
    check(H5Pset_obj_track_times(plist.get(), 0), "disable object times");
    return plist;
}

Id create_group(hid_t parent, const char* name, bool track_order) {
    const Id gcpl = untimed_plist(H5P_GROUP_CREATE);
    if (track_order) {
        check(H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
              "track link order");
    }
    return group_id(H5Gcreate2(parent, name, H5P_DEFAULT, gcpl.get(), H5P_DEFAULT),
                    std::string("create group ") + name);
}

template <class Row>
Id write_table(hid_t group, const char* name, const std::vector<Row>& rows, std::size_t tiers) {
    const std::string what = std::string("table ") + name;
    const Layout<Row> layout(tiers);
    const hsize_t dims[1] = {rows.size()};
    const hsize_t max_dims[1] = {H5S_UNLIMITED};
    const Id space = space_id(H5Screate_simple(1, dims, max_dims), what);
    const Id dcpl = untimed_plist(H5P_DATASET_CREATE);
    const std::size_t chunk_rows =
        std::clamp<std::size_t>(rows.size(), 1, std::max<std::size_t>(1, 65536 / layout.row_size));
    const hsize_t chunk[1] = {chunk_rows};
    check(H5Pset_chunk(dcpl.get(), 1, chunk), what + ": set chunking");
    if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
        check(H5Pset_shuffle(dcpl.get()), what + ": set shuffle");
        check(H5Pset_deflate(dcpl.get(), 1), what + ": set deflate");
    }
    Id dataset = dataset_id(
        H5Dcreate2(group, name, layout.compound.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
        what);
    if (!rows.empty()) {
        std::vector<std::uint8_t> buffer(rows.size() * layout.row_size);
        for (std::size_t i = 0; i < rows.size(); ++i)
            layout.pack(rows[i], buffer.data() + i * layout.row_size);
        check(H5Dwrite(dataset.get(), layout.compound.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()),
              what + ": write");
    }
    return dataset;
}

void write_run(hid_t runs_group, const RunResults& run) {
    const Provenance& p = run.provenance;
    const Id group = create_group(runs_group, p.run_id.c_str(), false);
    write_string_attribute(group.get(), "digest", results_digest(run));

    const Id provenance = create_group(group.get(), "provenance", false);
    write_string_attribute(provenance.get(), "scenario_name", p.scenario_name);
    write_string_attribute(provenance.get(), "scenario_text", p.scenario_text);
    write_string_list_attribute(provenance.get(), "overrides", p.overrides);
    write_number_attribute(provenance.get(), "seed", p.seed);
    write_number_attribute(provenance.get(), "replication", p.replication);
    write_string_attribute(provenance.get(), "program_version", p.program_version);
    write_string_attribute(provenance.get(), "build_type", p.build_type);
    write_string_attribute(provenance.get(), "run_id", p.run_id);

    const WallClock& w = run.wall_clock;
    const Id wall = create_group(group.get(), "wall_clock", false);
    write_number_attribute(wall.get(), "wall_seconds", w.wall_seconds);
    write_number_attribute(wall.get(), "events", w.events);
    write_number_attribute(wall.get(), "events_per_s", w.events_per_s);
    write_number_attribute(wall.get(), "sim_seconds_per_wall_second", w.sim_seconds_per_wall_second);
    write_number_attribute(wall.get(), "peak_rss_bytes", w.peak_rss_bytes);

    const std::size_t tiers = run.codes.tiers.size();
    std::vector<std::pair<std::string, Id>> tables;
    for_each_table(run, [&](const char* name, const auto& rows) {
        tables.emplace_back(name, write_table(group.get(), name, rows, tiers));
    });
    auto table = [&](std::string_view name) {
        return std::find_if(tables.begin(), tables.end(), [&](const auto& t) { return t.first == name; })
            ->second.get();
    };
    for_each_code_list(run.codes, [&](const char* table_name, const char* attribute, const auto& names) {
        write_string_list_attribute(table(table_name), attribute, names);
    });
    write_string_list_attribute(table("samples"), "tier_names", run.codes.tiers);
    // Copies, so that the table reads on its own (the reader takes the lists from
    // redemptions and requests).
    write_string_list_attribute(table("nodes"), "cloud_names", run.codes.clouds);
    write_string_list_attribute(table("nodes"), "region_names", run.codes.regions);
    write_string_list_attribute(table("party_samples"), "party_names", run.codes.parties);
}

// The `/sweep` group (sweep_schema.hpp).
void write_sweep(hid_t file, const SweepTables& sweep) {
    const Id group = create_group(file, "sweep", false);
    write_number_attribute(group.get(), "sweep_schema_version", kSweepSchemaVersion);
    write_string_attribute(group.get(), "name", sweep.name);
    write_number_attribute(group.get(), "seed", sweep.seed);
    write_number_attribute(group.get(), "confidence", sweep.confidence);
    write_number_attribute(group.get(), "bootstrap_resamples", sweep.bootstrap_resamples);
    write_number_attribute(group.get(), "point_count", static_cast<std::uint32_t>(sweep.points.size()));
    write_string_list_attribute(group.get(), "parameters", sweep.parameters);
    std::vector<PointOverrideRow> overrides;
    std::vector<PointRunRow> point_runs;
    for (std::size_t i = 0; i < sweep.points.size(); ++i) {
        const auto point = static_cast<std::uint32_t>(i);
        for (const auto& [key, value] : sweep.points[i].overrides)
            overrides.push_back({point, FixedString<64>(key), FixedString<128>(value)});
        for (const std::string& id : sweep.points[i].run_ids)
            point_runs.push_back({point, FixedString<128>(id)});
    }
    write_table(group.get(), "point_overrides", overrides, 0);
    write_table(group.get(), "point_runs", point_runs, 0);
    write_table(group.get(), "aggregates", sweep.aggregates, 0);
}

// Builds the whole file in memory (HDF5's core driver, no backing store) and returns its
// bytes: nothing touches the file system until the file is complete, so a run killed while
// HDF5 works leaves nothing behind.
std::vector<unsigned char> build_image(std::span<const RunResults> runs, const SweepTables* sweep) {
    const Id fapl = plist_id(H5Pcreate(H5P_FILE_ACCESS), "create file access properties");
    check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), "set close degree");
    check(H5Pset_fapl_core(fapl.get(), std::size_t{1} << 20, /*backing_store=*/false),
          "use the memory driver");
    // The name only identifies the open file inside HDF5 (no file of that name is made);
    // unique, so that concurrent writers in one process do not collide.
    static std::atomic<std::uint64_t> serial{0};
    const std::string name = "cloudledger-results-in-memory-" + std::to_string(::getpid()) + "-" +
                             std::to_string(serial.fetch_add(1, std::memory_order_relaxed));
    Id file = owned(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()), H5Fclose,
                    "cannot create the file in memory");
    {
        write_string_attribute(file.get(), "schema", kResultsSchemaName);
        write_number_attribute(file.get(), "schema_version", kResultsSchemaVersion);
        write_string_attribute(file.get(), "digest", results_file_digest(runs));
        const Id runs_group = create_group(file.get(), "runs", true);
        for (const RunResults& run : runs) write_run(runs_group.get(), run);
        if (sweep != nullptr) write_sweep(file.get(), *sweep);
    }
    check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "cannot complete the file");
    const ssize_t size = check(H5Fget_file_image(file.get(), nullptr, 0), "cannot size the file image");
    std::vector<unsigned char> image(static_cast<std::size_t>(size));
    check(H5Fget_file_image(file.get(), image.data(), image.size()), "cannot copy the file image");
    file.close("cannot complete the file");
    return image;
}

// ---------------------------------------------------------------------------------------
// Reading.

Id open_dataset(hid_t group, const char* name) {
    if (check(H5Lexists(group, name, H5P_DEFAULT), std::string("look up ") + name) == 0) {
        fail(std::string("table '") + name + "' missing");
    }
    return dataset_id(H5Dopen2(group, name, H5P_DEFAULT), std::string("open table ") + name);
}

template <class Row>
void read_table(hid_t group, const char* name, std::vector<Row>& rows, std::size_t tiers) {
    const std::string what = std::string("table ") + name;
    const Id dataset = open_dataset(group, name);
    const Layout<Row> layout(tiers);
    const Id file_type = type_id(H5Dget_type(dataset.get()), what);
    if (H5Tget_class(file_type.get()) != H5T_COMPOUND) fail(what + ": not a compound dataset");
    for (const Column& c : layout.columns) {
        const int index = H5Tget_member_index(file_type.get(), c.name.c_str());
        if (index < 0) {
            H5Eclear2(H5E_DEFAULT);
            fail(what + ": column '" + c.name + "' missing");
        }
        if (H5Tget_member_class(file_type.get(), static_cast<unsigned>(index)) !=
            H5Tget_class(c.type.get())) {
            fail(what + ": column '" + c.name + "' has an unexpected type");
        }
    }
    const Id space = space_id(H5Dget_space(dataset.get()), what);
    if (H5Sget_simple_extent_ndims(space.get()) != 1) fail(what + ": not one-dimensional");
    const auto count = static_cast<std::size_t>(check(H5Sget_simple_extent_npoints(space.get()), what));
    rows.assign(count, Row{});
    if (count == 0) return;
    std::vector<std::uint8_t> buffer(count * layout.row_size);
    check(H5Dread(dataset.get(), layout.compound.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()),
          what + ": read");
    for (std::size_t i = 0; i < count; ++i) {
        try {
            layout.unpack(buffer.data() + i * layout.row_size, rows[i]);
        } catch (const Failure& f) {
            fail(what + " row " + std::to_string(i) + ": " + f.message);
        }
    }
}

RunResults read_run(hid_t runs_group, const std::string& id) {
    RunResults run;
    const Id group = group_id(H5Gopen2(runs_group, id.c_str(), H5P_DEFAULT), "open run " + id);

    const Id provenance = group_id(H5Gopen2(group.get(), "provenance", H5P_DEFAULT), "open provenance");
    Provenance& p = run.provenance;
    p.scenario_name = read_string(provenance.get(), "scenario_name");
    p.scenario_text = read_string(provenance.get(), "scenario_text");
    p.overrides = read_strings(provenance.get(), "overrides");
    p.seed = read_number<std::uint64_t>(provenance.get(), "seed");
    p.replication = read_number<std::uint32_t>(provenance.get(), "replication");
    p.program_version = read_string(provenance.get(), "program_version");
    p.build_type = read_string(provenance.get(), "build_type");
    p.run_id = read_string(provenance.get(), "run_id");
    if (p.run_id != id) fail("provenance run_id '" + p.run_id + "' differs from the group name");

    const Id wall = group_id(H5Gopen2(group.get(), "wall_clock", H5P_DEFAULT), "open wall_clock");
    WallClock& w = run.wall_clock;
    w.wall_seconds = read_number<double>(wall.get(), "wall_seconds");
    w.events = read_number<std::uint64_t>(wall.get(), "events");
    w.events_per_s = read_number<double>(wall.get(), "events_per_s");
    w.sim_seconds_per_wall_second = read_number<double>(wall.get(), "sim_seconds_per_wall_second");
    w.peak_rss_bytes = read_number<std::uint64_t>(wall.get(), "peak_rss_bytes");

    for_each_code_list(run.codes,
                       [&](const char* table, const char* attribute, std::vector<std::string>& names) {
                           const Id dataset = open_dataset(group.get(), table);
                           names = read_strings(dataset.get(), attribute);
                       });
    if (run.codes.tiers.size() > kMaxTiers) fail("more than " + std::to_string(kMaxTiers) + " tiers");
    const std::size_t tiers = run.codes.tiers.size();
    for_each_table(run, [&](const char* name, auto& rows) { read_table(group.get(), name, rows, tiers); });

    const std::string stored = read_string(group.get(), "digest");
    if (stored != results_digest(run)) fail("stored digest does not match the results (file altered?)");
    return run;
}

SweepTables read_sweep(hid_t file) {
    const Id group = group_id(H5Gopen2(file, "sweep", H5P_DEFAULT), "open /sweep");
    const auto version = read_number<std::uint32_t>(group.get(), "sweep_schema_version");
    if (version != kSweepSchemaVersion) {
        fail("sweep schema version " + std::to_string(version) + " is not supported (this program reads " +
             std::to_string(kSweepSchemaVersion) + ")");
    }
    SweepTables sweep;
    sweep.name = read_string(group.get(), "name");
    sweep.seed = read_number<std::uint64_t>(group.get(), "seed");
    sweep.confidence = read_number<double>(group.get(), "confidence");
    sweep.bootstrap_resamples = read_number<std::uint32_t>(group.get(), "bootstrap_resamples");
    const auto point_count = read_number<std::uint32_t>(group.get(), "point_count");
    sweep.parameters = read_strings(group.get(), "parameters");
    std::vector<PointOverrideRow> overrides;
    std::vector<PointRunRow> point_runs;
    read_table(group.get(), "point_overrides", overrides, 0);
    read_table(group.get(), "point_runs", point_runs, 0);
    read_table(group.get(), "aggregates", sweep.aggregates, 0);
    sweep.points.resize(point_count);
    for (const PointOverrideRow& r : overrides) {
        if (r.point >= point_count)
            fail("point_overrides: point " + std::to_string(r.point) + " out of range");
        sweep.points[r.point].overrides.emplace_back(r.key.str(), r.value.str());
    }
    for (const PointRunRow& r : point_runs) {
        if (r.point >= point_count) fail("point_runs: point " + std::to_string(r.point) + " out of range");
        sweep.points[r.point].run_ids.push_back(r.run_id.str());
    }
    return sweep;
}

ResultsFile read_file(const std::string& path) {
    const Id fapl = plist_id(H5Pcreate(H5P_FILE_ACCESS), "create file access properties");
    check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), "set close degree");
    if (::access(path.c_str(), R_OK) != 0) fail(std::strerror(errno));
    if (H5Fis_hdf5(path.c_str()) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        fail("not an HDF5 file (or unreadable)");
    }
    const Id file = owned(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get()), H5Fclose, "cannot open");
    if (check(H5Aexists(file.get(), "schema"), "look up schema") == 0 ||
        read_string(file.get(), "schema") != kResultsSchemaName) {
        fail(std::string("not a results file (root attribute schema is not '") + kResultsSchemaName + "')");
    }
    const auto version = read_number<std::uint32_t>(file.get(), "schema_version");
    if (version != kResultsSchemaVersion) {
        fail("schema version " + std::to_string(version) + " is not supported (this program reads " +
             std::to_string(kResultsSchemaVersion) + ")");
    }
    const Id runs_group = group_id(H5Gopen2(file.get(), "runs", H5P_DEFAULT), "open /runs");
    H5G_info_t info{};
    check(H5Gget_info(runs_group.get(), &info), "list /runs");
    // Written order when the group tracks it (write_results always does), else by name.
    const H5_index_t order = info.max_corder > 0 ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
    std::vector<RunResults> runs;
    runs.reserve(static_cast<std::size_t>(info.nlinks));
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t size =
            check(H5Lget_name_by_idx(runs_group.get(), ".", order, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT),
                  "list /runs");
        std::string id(static_cast<std::size_t>(size), '\0');
        check(H5Lget_name_by_idx(runs_group.get(), ".", order, H5_ITER_INC, i, id.data(), id.size() + 1,
                                 H5P_DEFAULT),
              "list /runs");
        try {
            runs.push_back(read_run(runs_group.get(), id));
        } catch (const Failure& f) {
            fail("run '" + id + "': " + f.message);
        }
    }
    if (read_string(file.get(), "digest") != results_file_digest(runs)) {
        fail("stored file digest does not match the runs (file altered?)");
    }
    ResultsFile out{std::move(runs), std::nullopt};
    if (check(H5Lexists(file.get(), "sweep", H5P_DEFAULT), "look up /sweep") > 0) {
        try {
            out.sweep = read_sweep(file.get());
        } catch (const Failure& f) {
            fail("/sweep: " + f.message);
        }
        if (auto ok = validate_sweep(out.runs, *out.sweep); !ok) fail("/sweep: " + ok.error());
    }
    return out;
}

}  // namespace

namespace {

std::expected<void, std::string> write_file(const std::string& path, std::span<const RunResults> runs,
                                            const SweepTables* sweep) {
    if (auto ok = validate_results(runs); !ok) return std::unexpected(path + ": " + ok.error());
    if (sweep != nullptr) {
        if (auto ok = validate_sweep(runs, *sweep); !ok)
            return std::unexpected(path + ": /sweep: " + ok.error());
    }
    if (auto ok = check_names_a_file(path); !ok) return ok;  // before the work of building it
    std::vector<unsigned char> image;
    {
        const QuietHdf5 quiet;
        try {
            image = build_image(runs, sweep);
        } catch (const Failure& f) {
            return std::unexpected(path + ": " + f.message);
        } catch (const std::exception& e) {  // e.g. std::bad_alloc while packing a table
            return std::unexpected(path + ": " + e.what());
        }
    }
    return publish_atomically(path, image);
}

}  // namespace

std::expected<void, std::string> write_results(const std::string& path, std::span<const RunResults> runs) {
    return write_file(path, runs, nullptr);
}

std::expected<void, std::string> write_sweep_results(const std::string& path,
                                                     std::span<const RunResults> runs,
                                                     const SweepTables& sweep) {
    return write_file(path, runs, &sweep);
}

std::expected<std::vector<RunResults>, std::string> read_results(const std::string& path) {
    const QuietHdf5 quiet;
    try {
        return read_file(path).runs;
    } catch (const Failure& f) {
        return std::unexpected(path + ": " + f.message);
    } catch (const std::exception& e) {
        return std::unexpected(path + ": " + e.what());
    }
}

std::expected<ResultsFile, std::string> read_results_file(const std::string& path) {
    const QuietHdf5 quiet;
    try {
        return read_file(path);
    } catch (const Failure& f) {
        return std::unexpected(path + ": " + f.message);
    } catch (const std::exception& e) {
        return std::unexpected(path + ": " + e.what());
    }
}

}  // namespace cl::analysis
