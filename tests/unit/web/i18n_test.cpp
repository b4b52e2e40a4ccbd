// Translation lookup and fallback, the msgid coverage of every template, and the choice of language.
#include "server/web/render.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "server/web/detail.hpp"

namespace {
namespace i18n_test_cpp {

namespace fs = std::filesystem;
namespace web = loa::web;
using loa::http::principal;
using loa::http::request;

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(Translate, VietnameseFromTheCatalog) {
    EXPECT_EQ(web::tr("vi", "Campaign overview"), "Tổng quan chiến dịch");
    EXPECT_EQ(web::tr("vi", "Page not found"), "Không tìm thấy trang");
}

TEST(Translate, EnglishIsTheMsgid) {
    EXPECT_EQ(web::tr("en", "Campaign overview"), "Campaign overview");
    EXPECT_TRUE(web::has_translation("en", "anything at all"));
}

TEST(Translate, MissingFallsBackToEnglishNeverEmpty) {
    EXPECT_EQ(web::tr("vi", "A sentence no catalog has, 42"), "A sentence no catalog has, 42");
    EXPECT_FALSE(web::has_translation("vi", "A sentence no catalog has, 42"));
    EXPECT_EQ(web::tr("fr", "Campaign overview"), "Campaign overview");
    EXPECT_EQ(web::tr("vi", ""), "");
}

TEST(Translate, WhiteSpaceIsCollapsedAsInTemplates) {
    EXPECT_EQ(web::tr("vi", "  Campaign\n      overview "), "Tổng quan chiến dịch");
    EXPECT_EQ(loa::web::detail::collapse_space(" a \t b\n\nc  "), "a b c");
}

TEST(Translate, Placeholders) {
    EXPECT_EQ(web::tr("en", "Error {status}", {{"status", "404"}}), "Error 404");
    EXPECT_EQ(web::tr("en", "{a} and {b} but {unknown}", {{"a", "Hải"}, {"b", "Phòng"}}),
              "Hải and Phòng but {unknown}");
}

TEST(TemplateMsgids, FindsEverySection) {
    const auto ids = web::template_msgids(
        "<h1>{{#t}}Campaign overview{{/t}}</h1>\n{{#t}}Signed in\n  as {{user.name}}{{/t}} {{#tx}}no{{/tx}}");
    EXPECT_EQ(ids, (std::vector<std::string>{"Campaign overview", "Signed in as {{user.name}}"}));
}

// Every msgid of every page template, and every msgid the kit and the handlers translate from C++
// (literal second arguments of tr()), has a Vietnamese translation: no page shows English in vi.
TEST(MsgidCoverage, EveryTemplateMsgidHasVietnamese) {
    const fs::path dir = fs::path(LOA_SOURCE_DIR) / "templates" / "web";
    std::set<std::string> missing;
    std::size_t checked = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".mustache") continue;
        for (const auto& id : web::template_msgids(read(entry.path()))) {
            ++checked;
            if (!web::has_translation("vi", id)) missing.insert(entry.path().filename().string() + ": " + id);
        }
    }
    for (const auto id : loa::web::detail::builtin_msgids()) {
        ++checked;
        if (!web::has_translation("vi", id)) missing.insert("(web kit) " + std::string(id));
    }
    const std::regex tr_call(R"re(\btr\(\s*[A-Za-z_.>\-]+\s*,\s*"((?:[^"\\]|\\.)+)")re");
    for (const char* sub : {"server/handlers", "server/web"}) {
        for (const auto& entry : fs::recursive_directory_iterator(fs::path(LOA_SOURCE_DIR) / sub)) {
            if (entry.path().extension() != ".cpp") continue;
            const std::string text = read(entry.path());
            for (std::sregex_iterator it(text.begin(), text.end(), tr_call), end; it != end; ++it) {
                ++checked;
                const std::string id = (*it)[1].str();
                if (!web::has_translation("vi", id))
                    missing.insert(entry.path().filename().string() + ": " + id);
            }
        }
    }
    EXPECT_GT(checked, 20U);
    std::string list;
    for (const auto& m : missing) list += "  " + m + "\n";
    EXPECT_TRUE(missing.empty()) << "msgids without a Vietnamese translation in locale/vi/*.po:\n" << list;
}

// The msgid → msgstr pairs of a .po file, each as written between the quotes (continuation lines
// joined). Enough for loa's catalogs: no msgctxt, no plurals.
std::vector<std::pair<std::string, std::string>> po_entries(const fs::path& p) {
    std::vector<std::pair<std::string, std::string>> out;
    std::ifstream in(p);
    std::string line, id, str;
    std::string* field = nullptr;
    const auto quoted = [](const std::string& s, std::size_t from) {
        const auto open = s.find('"', from);
        const auto close = s.rfind('"');
        return open == std::string::npos || close <= open ? std::string()
                                                          : s.substr(open + 1, close - open - 1);
    };
    const auto flush = [&] {
        if (field == &str && !id.empty()) out.emplace_back(id, str);
        id.clear();
        str.clear();
        field = nullptr;
    };
    while (std::getline(in, line)) {
        if (line.starts_with("msgid ")) {
            flush();
            id = quoted(line, 5);
            field = &id;
        } else if (line.starts_with("msgstr ")) {
            str = quoted(line, 6);
            field = &str;
        } else if (line.starts_with("\"") && field != nullptr) {
            *field += quoted(line, 0);
        }
    }
    flush();
    return out;
}

// Lookup takes the first area that has a msgid, so a msgid translated two ways shows one of them on
// every page: a label and its options would disagree ("Sở, ngành" beside "Tất cả các đơn vị").
TEST(Catalogs, EveryMsgidHasOneTranslationAcrossTheAreas) {
    std::map<std::string, std::pair<std::string, std::string>> first;  // msgid → (msgstr, file)
    std::set<std::string> differing;
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(LOA_SOURCE_DIR) / "locale" / "vi")) {
        if (entry.path().extension() != ".po") continue;
        ++files;
        const std::string file = entry.path().filename().string();
        for (const auto& [id, str] : po_entries(entry.path())) {
            const auto [it, fresh] = first.try_emplace(id, str, file);
            if (!fresh && it->second.first != str)
                differing.insert("\"" + id + "\": " + it->second.second + " \"" + it->second.first + "\", " +
                                 file + " \"" + str + "\"");
        }
    }
    EXPECT_GE(files, 4U);
    EXPECT_GT(first.size(), 100U);
    std::string list;
    for (const auto& d : differing) list += "  " + d + "\n";
    EXPECT_TRUE(differing.empty()) << "msgids translated differently in locale/vi/*.po:\n" << list;
}

request with_header(const std::string& name, const std::string& value) {
    request r;
    r.headers.emplace_back(name, value);
    return r;
}

TEST(ChooseLanguage, DefaultIsVietnamese) {
    EXPECT_EQ(web::choose_language(request{}), "vi");
    EXPECT_EQ(web::choose_language(with_header("accept-language", "fr-FR, de;q=0.8")), "vi");
    EXPECT_EQ(web::choose_language(with_header("accept-language", "*")), "vi");
}

TEST(ChooseLanguage, AcceptLanguageWithQValues) {
    EXPECT_EQ(web::choose_language(with_header("accept-language", "en-US,en;q=0.9")), "en");
    EXPECT_EQ(web::choose_language(with_header("accept-language", "vi-VN,vi;q=0.9,en;q=0.8")), "vi");
    EXPECT_EQ(web::choose_language(with_header("accept-language", "fr;q=1, vi;q=0.3, en;q=0.7")), "en");
    EXPECT_EQ(web::choose_language(with_header("accept-language", "en;q=0, vi;q=0.1")), "vi");
    EXPECT_EQ(web::choose_language(with_header("accept-language", "en;q=0")), "vi");
    EXPECT_EQ(web::choose_language(with_header("accept-language", "EN-gb ; q=0.5")), "en");
    // Malformed q values make that entry unacceptable, not the header.
    EXPECT_EQ(web::choose_language(with_header("accept-language", "en;q=abc, vi;q=0.2")), "vi");
    EXPECT_EQ(web::choose_language(with_header("accept-language", "en;q=2")), "vi");
}

TEST(ChooseLanguage, CookieBeatsAcceptLanguage) {
    request r = with_header("accept-language", "en");
    r.headers.emplace_back("cookie", "loa_session=abc; lang=vi");
    EXPECT_EQ(web::choose_language(r), "vi");
    request bad = with_header("accept-language", "en");
    bad.headers.emplace_back("cookie", "lang=fr");
    EXPECT_EQ(web::choose_language(bad), "en");  // an unsupported cookie is ignored
}

TEST(ChooseLanguage, UserPreferenceBeatsCookie) {
    request r = with_header("cookie", "lang=vi");
    r.headers.emplace_back("accept-language", "vi");
    principal u;
    u.name = "Nguyễn Thị Hà";
    u.language = "en";
    r.user = u;
    EXPECT_EQ(web::choose_language(r), "en");
    r.user->language.clear();  // no preference: the cookie decides
    EXPECT_EQ(web::choose_language(r), "vi");
}

TEST(Cookie, ParsesSeveralHeadersAndQuotes) {
    request r = with_header("cookie", "a=1; lang=\"en\"");
    r.headers.emplace_back("cookie", "b = 2");
    EXPECT_EQ(web::cookie(r, "lang"), "en");
    EXPECT_EQ(web::cookie(r, "b"), "2");
    EXPECT_EQ(web::cookie(r, "a"), "1");
    EXPECT_FALSE(web::cookie(r, "c").has_value());
    EXPECT_FALSE(web::cookie(r, "la").has_value());
}

TEST(LocalPath, OnlyPathsOnThisSite) {
    EXPECT_TRUE(web::is_local_path("/"));
    EXPECT_TRUE(web::is_local_path("/campaigns/hp-2024?view=month&d=2024-07-30"));
    EXPECT_FALSE(web::is_local_path(""));
    EXPECT_FALSE(web::is_local_path("//evil.example/x"));
    EXPECT_FALSE(web::is_local_path("/\\evil.example"));
    EXPECT_FALSE(web::is_local_path("/a\\b"));
    EXPECT_FALSE(web::is_local_path("https://evil.example/"));
    EXPECT_FALSE(web::is_local_path("javascript:alert(1)"));
    EXPECT_FALSE(web::is_local_path("/a\r\nSet-Cookie: x=1"));
    EXPECT_FALSE(web::is_local_path("/\t/evil.example"));
    EXPECT_FALSE(web::is_local_path("evil.example"));
}

}  // namespace i18n_test_cpp
}  // namespace
