// The loa binary's command line: `loa validate` (output, exit codes), `--help` and usage errors.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

extern char** environ;

namespace {
namespace cli_test_cpp {

namespace fs = std::filesystem;

class scratch_dir {
public:
    scratch_dir() {
        std::string pattern = (fs::temp_directory_path() / "loa-cli-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~scratch_dir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;
    [[nodiscard]] std::string write(const std::string& name, const std::string& text) const {
        std::ofstream out(path_ / name, std::ios::binary | std::ios::trunc);
        out << text;
        return (path_ / name).string();
    }
    [[nodiscard]] fs::path file(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct outcome {
    int status = -1;  // exit code; -1 when it did not exit normally (a crash)
    std::string out;
    std::string err;
};

// Runs LOA_BINARY with `args` (no shell) in the source directory; output captured through files.
outcome run_loa(const std::vector<std::string>& args) {
    const scratch_dir capture;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, capture.file("out").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&actions, 2, capture.file("err").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    std::vector<std::string> words{LOA_BINARY};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    outcome r;
    const int rc = posix_spawn(&pid, LOA_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        r.err = "posix_spawn failed";
        return r;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
    }
    if (WIFEXITED(status)) r.status = WEXITSTATUS(status);
    r.out = slurp(capture.file("out"));
    r.err = slurp(capture.file("err"));
    return r;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

const std::string valid_campaign = R"(campaign:
  slug: hp-2024
  title: Chiến dịch phòng, chống mua bán người
  theme: {vi: Không để trẻ em nào bị bỏ lại phía sau, en: No child left behind}
  period: {start: 2024-07-01, end: 2024-07-31}
  time_zone: Asia/Ho_Chi_Minh
departments:
  - {code: police, name: Công an thành phố}
  - {code: education, name: Sở Giáo dục và Đào tạo}
activities:
  - {id: press, department: police, kind: press_conference, title: Họp báo, start: 2024-07-04T09:00, end: 2024-07-04T10:00}
messages:
  - {id: call-111, department: police, text: Hãy gọi 111, channels: [tv], flight: {start: 2024-07-01, end: 2024-07-31}}
)";

TEST(CliValidate, ValidFilePrintsOkWithCountsAndExitsZero) {
    const scratch_dir dir;
    const auto path = dir.write("hp.yaml", valid_campaign);
    const auto r = run_loa({"validate", path});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, path + ": ok (2 departments, 1 activity, 0 outlets, 1 message)\n");
    EXPECT_EQ(r.err, "");
}

TEST(CliValidate, QuietPrintsNothingForValidFiles) {
    const scratch_dir dir;
    const auto path = dir.write("hp.yaml", valid_campaign);
    const auto r = run_loa({"validate", "--quiet", path});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "");
}

TEST(CliValidate, EveryErrorIsOneLineOnStderrAndExitIsOne) {
    const scratch_dir dir;
    const auto path = dir.write("bad.yaml", R"(campaign:
  slug: hp
  titel: Chiến dịch
  theme: x
  period: {start: 2024-07-01, end: 2024-06-30}
  time_zone: Asia/Ho_Chi_Min
departments:
  - {code: police, name: Công an}
activities:
  - {id: a, department: polic, kind: other, title: Họp báo, start: 2024-07-04T09:00, end: 2024-07-04T08:00, rrule: FREQ=SOMETIMES}
)");
    const auto r = run_loa({"validate", path});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
    const auto got = lines(r.err);
    ASSERT_EQ(got.size(), 7U) << r.err;
    EXPECT_EQ(got[0], path + ":2:3: missing required key 'title' in 'campaign'");
    EXPECT_EQ(got[1], path + ":3:3: unknown key 'titel' in 'campaign' (did you mean 'title'?)");
    EXPECT_EQ(got[2], path + ":5:36: 'end' (2024-06-30) is before 'start' (2024-07-01) in 'period'");
    EXPECT_EQ(got[3], path + ":6:14: unknown time zone 'Asia/Ho_Chi_Min' (did you mean 'Asia/Ho_Chi_Minh'?)");
    EXPECT_EQ(got[4], path + ":10:25: unknown department 'polic' (did you mean 'police'?)");
    EXPECT_EQ(got[5], path + ":10:91: 'end' must be after 'start' (2024-07-04T09:00)");
    EXPECT_EQ(got[6].rfind(path + ":10:116: invalid rrule 'FREQ=SOMETIMES': ", 0), 0U) << got[6];
}

TEST(CliValidate, VietnameseInMessagesReachesTheTerminalIntact) {
    const scratch_dir dir;
    const auto path =
        dir.write("vi.yaml",
                  valid_campaign + "outlets:\n  - {slug: tv, name: TV, kind: truyền-hình, time_zone: UTC}\n");
    const auto r = run_loa({"validate", path});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err,
              path +
                  ":15:32: unknown outlet kind 'truyền-hình' (expected one of: tv, radio, print, online, "
                  "social, loudspeaker, school)\n");
}

TEST(CliValidate, GoodAndBadFilesTogether) {
    const scratch_dir dir;
    const auto good = dir.write("good.yaml", valid_campaign);
    const auto bad = dir.write("bad.yaml", "campaign: [");
    const auto missing = dir.file("missing.yaml").string();
    const auto r = run_loa({"validate", good, bad, missing});
    EXPECT_EQ(r.status, 1);
    // The valid file is still reported as such, with its counts.
    EXPECT_EQ(r.out, good + ": ok (2 departments, 1 activity, 0 outlets, 1 message)\n");
    const auto got = lines(r.err);
    ASSERT_EQ(got.size(), 2U) << r.err;
    EXPECT_EQ(got[0].rfind(bad + ":1:", 0), 0U) << got[0];
    EXPECT_NE(got[0].find("syntax error"), std::string::npos) << got[0];
    EXPECT_EQ(got[1], missing + ": cannot read the file: No such file or directory");
}

TEST(CliValidate, SameCampaignSlugInTwoFiles) {
    const scratch_dir dir;
    const auto first = dir.write("a.yaml", valid_campaign);
    const auto second = dir.write("b.yaml", valid_campaign);
    const auto r = run_loa({"validate", first, second});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, second + ":2:9: campaign slug 'hp-2024' is already used by " + first + ":2:9\n");
    EXPECT_EQ(r.out, first + ": ok (2 departments, 1 activity, 0 outlets, 1 message)\n");
}

TEST(CliValidate, OneFileGivenTwiceIsCheckedOnce) {
    const scratch_dir dir;
    const auto first = dir.write("a.yaml", valid_campaign);
    const std::filesystem::path p(first);
    const std::string again = (p.parent_path() / "." / p.filename()).string();  // dir/./a.yaml
    const auto r = run_loa({"validate", first, again});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out, first + ": ok (2 departments, 1 activity, 0 outlets, 1 message)\n");
}

TEST(CliValidate, JunkNeverCrashesIt) {
    const scratch_dir dir;
    std::string junk;
    for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 7919) % 256);
    const auto binary = dir.write("junk.yaml", junk);
    const auto deep = dir.write("deep.yaml", std::string(100000, '['));
    const auto comma = dir.write("comma.yaml", ",");
    const auto r = run_loa({"validate", binary, deep, comma, dir.file("").string()});
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find(binary + ":1:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(deep + ":1:1: syntax error: the document is nested too deeply"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(comma + ":1:1: expected a map"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("it is a directory"), std::string::npos) << r.err;
}

TEST(CliValidate, ShippedCampaignsAreValid) {
    std::vector<std::string> args{"validate"};
    for (const auto& e : fs::directory_iterator(fs::path(LOA_SOURCE_DIR) / "campaigns")) {
        if (e.path().extension() == ".yaml") args.push_back(e.path().string());
    }
    if (args.size() == 1) GTEST_SKIP() << "no campaigns/*.yaml yet";
    const auto r = run_loa(args);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lines(r.out).size(), args.size() - 1) << r.out;
}

TEST(CliValidate, UsageErrorsExitTwo) {
    auto r = run_loa({"validate"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("loa validate: no campaign files given\nusage: loa validate FILE...", 0), 0U)
        << r.err;

    r = run_loa({"validate", "--strict", "x.yaml"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err.rfind("loa validate: unknown option --strict\n", 0), 0U) << r.err;

    r = run_loa({"validate", "--quiet=yes", "x.yaml"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err.rfind("loa validate: option --quiet takes no value\n", 0), 0U) << r.err;
}

TEST(CliValidate, HelpExplainsTheCommand) {
    for (const char* flag : {"--help", "-h"}) {
        const auto r = run_loa({"validate", flag});
        EXPECT_EQ(r.status, 0);
        EXPECT_EQ(r.err, "");
        EXPECT_EQ(r.out.rfind("usage: loa validate FILE... [--quiet]\n", 0), 0U) << r.out;
        EXPECT_NE(r.out.find("FILE:LINE:COL: message"), std::string::npos);
        EXPECT_NE(
            r.out.find("exit codes: 0 every file is valid, 1 a file is invalid or unreadable, 2 usage error"),
            std::string::npos);
    }
    // A file named like an option is still reachable after "--".
    const scratch_dir dir;
    const auto path = dir.write("-odd.yaml", valid_campaign);
    const auto r = run_loa({"validate", "--quiet", "--", path});
    EXPECT_EQ(r.status, 0) << r.err;
}

// A value that does not parse is invalid input (1) for serve as for the other commands; a choice
// not offered is a usage error (2); a database in a directory that does not exist says so (1), as
// import and user do, instead of SQLite's "unable to open database file" (was 3).
TEST(Cli, ServeSortsItsRefusalsAsTheOtherCommandsDo) {
    const scratch_dir dir;
    const std::string db = dir.file("loa.db").string();
    struct refusal {
        std::vector<std::string> args;
        int status;
        std::string says;
    };
    const std::vector<refusal> refusals = {
        {{"serve", "--db", db, "--threads", "0"}, 1, "--threads: expected a number from 1 to 256, got '0'"},
        {{"serve", "--db", db, "--as-of", "hôm qua"}, 1, "--as-of: "},
        // No offset, and no campaign whose clock it could be read on (the database is not made yet).
        {{"serve", "--db", db, "--as-of", "2024-07-29T12:00"}, 1, "'2024-07-29T12:00' has no offset, and the database has no campaign"},
        {{"serve", "--db", db, "--listen", "127.0.0.1:99999"}, 1, "--listen: "},
        {{"serve", "--db", db, "--public-url", "ftp://x"}, 1, "--public-url: "},
        {{"serve", "--db", (dir.file("khong-co") / "loa.db").string()}, 1, "for the database does not exist"},
        {{"serve", "--db", dir.file(".").string()}, 1, "is a directory, not a database file"},
        {{"serve", "--db", db, "--dispatch-allow", "lan"}, 2, "unknown address range 'lan'"},
        {{"serve"}, 2, "--db is required"},
    };
    for (const auto& r : refusals) {
        const auto got = run_loa(r.args);
        EXPECT_EQ(got.status, r.status) << r.says << "\n" << got.err;
        EXPECT_NE(got.err.find(r.says), std::string::npos) << got.err;
    }
    // No refusal leaves a database behind.
    EXPECT_FALSE(std::filesystem::exists(db));
}

TEST(Cli, TopLevelHelpAndUsage) {
    auto r = run_loa({"--help"});
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("usage: loa <command> [options]"), std::string::npos) << r.out;
    for (const char* command : {"serve", "validate", "import", "export"}) {
        EXPECT_NE(r.out.find(std::string("  ") + command + " "), std::string::npos) << command;
    }
    EXPECT_NE(r.out.find("exit codes: 0 ok, 1 invalid input, 2 usage error"), std::string::npos);

    r = run_loa({});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("usage: loa <command>"), std::string::npos) << r.err;

    r = run_loa({"valdate", "x.yaml"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err.rfind("loa: unknown command 'valdate'\n", 0), 0U) << r.err;

    r = run_loa({"--version"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out.rfind("loa ", 0), 0U) << r.out;
}

}  // namespace cli_test_cpp
}  // namespace
