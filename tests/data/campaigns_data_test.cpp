// Every shipped campaigns/*.yaml loads without a single diagnostic, imports into a fresh SQLite
// file, imports a second time as "all unchanged", and reads back as it was loaded.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/config/campaign_loader.hpp"
#include "core/storage/campaign_store.hpp"
#include "core/storage/database.hpp"

namespace loa::core {
namespace {

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

}  // namespace
}  // namespace loa::core
