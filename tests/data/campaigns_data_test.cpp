// Every shipped campaigns/*.yaml loads without a single diagnostic, imports into a fresh SQLite
// file, imports a second time as "all unchanged", reads back as it was loaded, and its export
// imports back as "all unchanged" and exports to the same bytes.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/config/campaign_loader.hpp"
#include "core/config/campaign_writer.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"

namespace loa::core {
namespace {
namespace campaigns_data_test_cpp {

namespace fs = std::filesystem;

// Globbed at run time, so a campaign added later is covered without touching this test.
std::vector<fs::path> shipped_campaigns() {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(fs::path(LOA_SOURCE_DIR) / "campaigns")) {
        if (e.is_regular_file() && e.path().extension() == ".yaml") out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

class scratch_dir {
public:
    scratch_dir() {
        std::string pattern = (fs::temp_directory_path() / "loa-data-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~scratch_dir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;
    [[nodiscard]] fs::path file(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

std::string all(const diagnostics& errors) {
    std::string out;
    for (const auto& d : errors) out += d.to_string() + "\n";
    return out;
}

TEST(ShippedCampaigns, ThereIsAtLeastOne) {
    EXPECT_FALSE(shipped_campaigns().empty()) << "campaigns/ has no .yaml file";
}

TEST(ShippedCampaigns, EachFileLoadsWithoutDiagnostics) {
    for (const auto& path : shipped_campaigns()) {
        SCOPED_TRACE(path.string());
        const auto r = load_campaign_file(path);
        EXPECT_TRUE(r.errors.empty()) << all(r.errors);
        ASSERT_TRUE(r.value.has_value());
        EXPECT_FALSE(r.value->departments.empty());
    }
}

TEST(ShippedCampaigns, AllFilesLoadTogether) {
    const auto paths = shipped_campaigns();
    const auto r = load_campaign_files(paths);
    EXPECT_TRUE(r.errors.empty()) << all(r.errors);
    EXPECT_EQ(r.campaigns.size(), paths.size());
}

TEST(ShippedCampaigns, ImportIntoAFreshDatabaseThenAgainChangesNothing) {
    const auto loaded = load_campaign_files(shipped_campaigns());
    ASSERT_TRUE(loaded.errors.empty()) << all(loaded.errors);
    ASSERT_FALSE(loaded.campaigns.empty());

    const scratch_dir dir;
    const fs::path db_path = dir.file("loa.db");
    import_stats first;
    {
        database db(db_path);
        first = import_campaigns(db, loaded.campaigns);
        EXPECT_GT(first.inserted, 0);
        EXPECT_EQ(first.updated, 0);
        EXPECT_EQ(first.unchanged, 0);
        EXPECT_EQ(first.archived, 0);
    }
    // A new connection, as a second `loa import` would open.
    database db(db_path);
    const import_stats second = import_campaigns(db, loaded.campaigns);
    EXPECT_EQ(second.inserted, 0);
    EXPECT_EQ(second.updated, 0);
    EXPECT_EQ(second.archived, 0);
    EXPECT_EQ(second.unchanged, first.inserted) << "everything the first import inserted is now unchanged";

    for (const auto& c : loaded.campaigns) {
        SCOPED_TRACE(c.slug);
        const auto stored = load_campaign(db, c.slug);
        ASSERT_TRUE(stored.has_value());
        EXPECT_EQ(stored->title, c.title);
        EXPECT_EQ(stored->departments.size(), c.departments.size());
        EXPECT_EQ(stored->activities.size(), c.activities.size());
        EXPECT_EQ(stored->outlets.size(), c.outlets.size());
        EXPECT_EQ(stored->messages.size(), c.messages.size());
    }
    const auto listed = list_campaigns(db);
    EXPECT_EQ(listed.size(), loaded.campaigns.size());
}

// What `loa export` writes is what `loa import` read: the stored campaign equals the file's, with
// every planner rule (blackouts, freeze horizons, relative flights, limits, dayparts); importing the
// export writes nothing; exporting again gives the same bytes.
TEST(ShippedCampaigns, ExportImportsBackUnchangedAndExportsTheSameBytes) {
    const auto loaded = load_campaign_files(shipped_campaigns());
    ASSERT_TRUE(loaded.errors.empty()) << all(loaded.errors);
    const scratch_dir dir;
    database db(dir.file("loa.db"));
    const import_stats first = import_campaigns(db, loaded.campaigns);
    for (const auto& c : loaded.campaigns) {
        SCOPED_TRACE(c.slug);
        const auto stored = load_campaign(db, c.slug);
        ASSERT_TRUE(stored.has_value());
        EXPECT_EQ(*stored, c) << "the store gives back the file's campaign";
        const std::string exported = write_campaign_yaml(*stored);
        const auto reread = load_campaign_text(exported, c.slug + ".yaml");
        ASSERT_TRUE(reread.value.has_value()) << all(reread.errors) << exported;
        EXPECT_EQ(*reread.value, c);
        const import_stats again = import_campaigns(db, {*reread.value});
        EXPECT_EQ(again.inserted, 0);
        EXPECT_EQ(again.updated, 0);
        EXPECT_EQ(again.archived, 0);
        EXPECT_EQ(write_campaign_yaml(*load_campaign(db, c.slug)), exported);
    }
    EXPECT_GT(first.inserted, 0);
}

// The Hai Phong file exercises the planner's rules, so the checks above are not vacuous for them.
TEST(ShippedCampaigns, HaiPhongUsesThePlannerRules) {
    const auto r =
        load_campaign_file(fs::path(LOA_SOURCE_DIR) / "campaigns/haiphong-2024-anti-trafficking.yaml");
    ASSERT_TRUE(r.value.has_value()) << all(r.errors);
    const campaign& c = *r.value;
    EXPECT_TRUE(c.planning.separate_departments);
    int blackouts = 0;
    int frozen = 0;
    for (const auto& o : c.outlets) {
        blackouts += static_cast<int>(o.blackouts.size());
        if (o.freeze_hours > o.lead_time_hours) ++frozen;
    }
    EXPECT_GE(blackouts, 2);
    EXPECT_GE(frozen, 2);
    int relative = 0;
    int with_dayparts = 0;
    int with_gap = 0;
    int per_day = 0;
    for (const auto& m : c.messages) {
        if (m.flight_relative) {
            ++relative;
            EXPECT_EQ(m.flight_relative->key, date::year{2024} / 7 / 30) << m.id;
        }
        if (!m.dayparts.empty()) ++with_dayparts;
        if (m.min_gap_minutes > 0 && m.max_per_outlet_per_day > 0) ++with_gap;
        if (m.airings_per_day > 0) ++per_day;
    }
    EXPECT_GE(relative, 2);
    EXPECT_GE(with_dayparts, 1);
    EXPECT_GE(with_gap, 1);
    EXPECT_GE(per_day, 1);
}

}  // namespace campaigns_data_test_cpp
}  // namespace
}  // namespace loa::core
